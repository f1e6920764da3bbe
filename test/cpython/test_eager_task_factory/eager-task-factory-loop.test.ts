// Port of CPython 3.13's Lib/test/test_asyncio/test_eager_task_factory.py (issue 10): the
// same behaviours checked through aiosim's API, on a loop whose task factory is an eager
// one (CPython runs them for its C and Python Task classes; aiosim has one Task).
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: EagerTaskFactoryLoopTests (PyEagerTaskFactoryLoopTests and CEagerTaskFactoryLoopTests
// in CPython). Table: docs/cpython-tests/test_eager_task_factory.md.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allTasks, CancelledError, contextvars, createEagerTaskFactory, currentTask, EventLoop, repr, setEventLoop, sleep, Task, type Coro,
  type Future, type TaskFactory,
} from '../../../src/index.js';
import { assertRaisesSync } from '../_support.js';

describe('EagerTaskFactoryLoopTests', () => {
  let loop: EventLoop;
  let eagerTaskFactory: TaskFactory;

  beforeEach(() => {
    loop = new EventLoop();
    eagerTaskFactory = createEagerTaskFactory(Task);
    loop.setTaskFactory(eagerTaskFactory);
    setEventLoop(loop);
  });

  afterEach(() => {
    setEventLoop(undefined);
    loop.close();
  });

  // run_coro: run_until_complete (the loop is running when the test's own tasks are made).
  const runCoro = <T>(coro: Coro<T>): T => loop.runUntilComplete(coro);

  it('test_eager_task_factory_set — the factory is installed and makes Task instances', () => {
    expect(eagerTaskFactory).toBeDefined();
    expect(loop.getTaskFactory()).toBe(eagerTaskFactory);
    function* noop(): Coro<void> {}
    runCoro((function* run(): Coro<void> {
      const t = loop.createTask(noop());
      expect(t).toBeInstanceOf(Task);
      yield* t;
    })());
  });

  it('test_await_future_during_eager_step — a future set in the eager step is already done when awaited', () => {
    function* setResult(fut: Future<string>, val: string): Coro<void> {
      fut.setResult(val);
    }
    const result = runCoro((function* run(): Coro<string> {
      const fut = loop.createFuture<string>();
      const t = loop.createTask(setResult(fut, 'my message'));
      expect(t.done()).toBe(true);
      return yield* fut;
    })());
    expect(result).toBe('my message');
  });

  it('test_eager_completion — a coroutine that does not suspend is done when create_task returns', () => {
    function* coro(): Coro<string> {
      return 'hello';
    }
    const result = runCoro((function* run(): Coro<string> {
      const t = loop.createTask(coro());
      expect(t.done()).toBe(true);
      // An eagerly completed task has no coro in its repr (and is named 'None' in 3.13).
      expect(repr(t)).toBe("<Task finished name='None' result='hello'>");
      return yield* t;
    })());
    expect(result).toBe('hello');
  });

  it('test_block_after_eager_step — a coroutine that suspends is pending when create_task returns', () => {
    function* coro(): Coro<string> {
      yield* sleep(0.1);
      return 'finished after blocking';
    }
    const result = runCoro((function* run(): Coro<string> {
      const t = loop.createTask(coro());
      expect(t.done()).toBe(false);
      const r = yield* t;
      expect(t.done()).toBe(true);
      return r;
    })());
    expect(result).toBe('finished after blocking');
    expect(loop.time()).toBe(0.1);
  });

  it('test_cancellation_after_eager_completion — cancel() after eager completion changes nothing', () => {
    function* coro(): Coro<string> {
      return 'finished without blocking';
    }
    const result = runCoro((function* run(): Coro<string> {
      const t = loop.createTask(coro());
      expect(t.cancel()).toBe(false);
      const r = yield* t;
      expect(t.cancelled()).toBe(false);
      return r;
    })());
    expect(result).toBe('finished without blocking');
  });

  it('test_cancellation_after_eager_step_blocks — cancel() after a suspended eager step cancels with the message', () => {
    function* coro(): Coro<string> {
      yield* sleep(0.1);
      return 'finished after blocking';
    }
    let t!: Task<string>;
    const e = assertRaisesSync(CancelledError, () => runCoro((function* run(): Coro<void> {
      t = loop.createTask(coro());
      t.cancel('cancellation message');
      expect(t.cancelling()).toBeGreaterThan(0);
      yield* t;
    })()));
    expect(e.args[0]).toBe('cancellation message');
    expect([t.cancelled(), loop.time()]).toEqual([true, 0]);
  });

  it('test_current_task — current_task() in the eager step is the new task, before and after it blocks', () => {
    let captured: unknown;
    let after: unknown;
    function* coro(): Coro<void> {
      captured = currentTask();
      yield* sleep(0.1);
      after = currentTask();
    }
    runCoro((function* run(): Coro<void> {
      const t = loop.createTask(coro());
      expect(captured).toBe(t);
      yield* t;
      expect(after).toBe(t);
    })());
  });

  it('test_all_tasks_with_eager_completion — the task is in all_tasks() during its eager step only', () => {
    let captured: Set<unknown> | undefined;
    function* coro(): Coro<void> {
      captured = new Set(allTasks());
    }
    runCoro((function* run(): Coro<void> {
      const t = loop.createTask(coro());
      expect(captured!.has(t)).toBe(true);
      expect(allTasks().has(t)).toBe(false);
    })());
  });

  it('test_all_tasks_with_blocking — a task that blocks after its eager step stays in all_tasks() until done', () => {
    let captured: Set<unknown> | undefined;
    function* coro(fut1: Future<void>, fut2: Future<void>): Coro<void> {
      captured = new Set(allTasks());
      yield* fut1;
      fut2.setResult(undefined);
    }
    runCoro((function* run(): Coro<void> {
      const fut1 = loop.createFuture<void>();
      const fut2 = loop.createFuture<void>();
      const t = loop.createTask(coro(fut1, fut2));
      expect(captured!.has(t)).toBe(true);
      expect(allTasks().has(t)).toBe(true);
      fut1.setResult(undefined);
      yield* fut2;
      expect(allTasks().has(t)).toBe(false);
    })());
  });

  it("test_context_vars — the eager step runs in the task's copy of the context; the creator's is current again after", () => {
    const cv = new contextvars.ContextVar<number>('cv', { default: 0 });
    let coroFirstStepRan = false;
    let coroSecondStepRan = false;
    const seen: number[] = [];
    function* coro(): Coro<void> {
      seen.push(cv.get());
      cv.set(2);
      seen.push(cv.get());
      coroFirstStepRan = true;
      yield* sleep(0.1);
      seen.push(cv.get());
      cv.set(3);
      seen.push(cv.get());
      coroSecondStepRan = true;
    }
    runCoro((function* run(): Coro<void> {
      cv.set(1);
      const t = loop.createTask(coro());
      expect(coroFirstStepRan).toBe(true);
      expect(coroSecondStepRan).toBe(false);
      expect(cv.get()).toBe(1);
      yield* t;
      expect(coroSecondStepRan).toBe(true);
      expect(cv.get()).toBe(1);
    })());
    expect(seen).toEqual([1, 2, 2, 3]);
  });
});
