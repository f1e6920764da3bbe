// CPython 3.13's test_asyncio/test_tasks.py, RunCoroutineThreadsafeTests: one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allTasks, CancelledError, currentTask, EventLoop, repr, runCoroutineThreadsafe, RuntimeError, setEventLoop, sleep,
  Task, TimeoutError, world, type Coro, type ExceptionContext,
} from '../../../src/index.js';
import { thrown } from '../../_support/capture.js';
import { runBriefly } from '../_support.js';

describe('RunCoroutineThreadsafeTests', () => {
  // The target runs in a default-executor worker (a simulated thread) and blocks on the
  // concurrent future's result(), as in CPython; the loop goes on meanwhile.
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    setEventLoop(undefined);
  });
  afterEach(() => {
    // test_utils.TestCase.close_loop: shut the default executor down, then close.
    if (!loop.isClosed()) {
      loop.runUntilComplete(loop.shutdownDefaultExecutor());
      loop.close();
    }
    world._reset();
  });

  /** Wait 0.05 second and return a + b. */
  function* add(a: number, b: number, fail = false, cancel = false): Coro<number> {
    yield* sleep(0.05);
    if (fail) throw new RuntimeError('Fail!');
    if (cancel) {
      currentTask(loop)!.cancel();
      yield* sleep(0);
    }
    return a + b;
  }

  /** Run the add coroutine in the event loop (from the worker thread). */
  function target(opts: { fail?: boolean; cancel?: boolean; timeout?: number; advanceCoro?: boolean } = {}): number {
    const coro = add(1, 2, opts.fail, opts.cancel);
    const future = runCoroutineThreadsafe(coro, loop);
    if (opts.advanceCoro) {
      // With this call, `coro` will be advanced (CPython: call_soon_threadsafe(coro.send, None)).
      loop.callSoonThreadsafe(() => coro.next());
    }
    try {
      return future.result(opts.timeout);
    } finally {
      if (!future.done()) future.cancel();
    }
  }

  it('test_run_coroutine_threadsafe — a coroutine submitted from a thread gives its result to that thread', () => {
    const future = loop.runInExecutor(undefined, () => target());
    const result = loop.runUntilComplete(future);
    expect(result).toBe(3);
    expect(loop.time()).toBeCloseTo(0.05, 9);
  });

  it("test_run_coroutine_threadsafe_with_exception — the coroutine's exception reaches the thread", () => {
    const future = loop.runInExecutor(undefined, () => target({ fail: true }));
    const e = thrown(() => loop.runUntilComplete(future));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as RuntimeError).args).toContain('Fail!');
  });

  it('test_run_coroutine_threadsafe_with_timeout — result(0) times out in the thread and the task is cancelled', () => {
    const made: Task<unknown>[] = [];
    loop.setTaskFactory((l, coro) => {
      const t = new Task(coro, { loop: l });
      made.push(t);
      return t;
    });
    const future = loop.runInExecutor(undefined, () => target({ timeout: 0 }));
    expect(() => loop.runUntilComplete(future)).toThrow(TimeoutError);
    runBriefly(loop);
    // No pending task is left: add() has been cancelled (native CPython 3.13.0 agrees).
    for (const task of allTasks(loop)) expect(task.done()).toBe(true);
    expect(allTasks(loop).size).toBe(0);
    const addTask = made.find((t) => repr(t).includes('add()'));
    expect(addTask?.cancelled()).toBe(true);
  });

  it('test_run_coroutine_threadsafe_task_cancelled — a task that cancels itself gives CancelledError to the thread', () => {
    const future = loop.runInExecutor(undefined, () => target({ cancel: true }));
    expect(() => loop.runUntilComplete(future)).toThrow(CancelledError);
  });

  it("test_run_coroutine_threadsafe_task_factory_exception — a failing task factory's error reaches the thread and the exception handler", () => {
    class NameError extends Error {}
    const taskFactory = (): never => {
      throw new NameError();
    };
    const run = loop.runInExecutor(undefined, () => target({ advanceCoro: true }));
    const calls: [EventLoop, ExceptionContext][] = [];
    loop.setExceptionHandler((l, context) => calls.push([l, context]));
    loop.setTaskFactory(taskFactory);
    const e = thrown(() => loop.runUntilComplete(run));
    loop.setTaskFactory(undefined);
    expect(e).toBeInstanceOf(NameError);
    expect(calls.length).toBe(1);
    expect(calls[0]![0]).toBe(loop);
    expect(calls[0]![1].exception).toBe(e);
  });
});
