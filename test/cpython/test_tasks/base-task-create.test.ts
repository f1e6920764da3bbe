// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests (making tasks: Task(),
// ensure_future, create_task): one `it` per test method, titled after it. Module notes and
// shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  allTasks, createTask, ensureFuture, EventLoop, Future, gcCollect, RuntimeError, setEventLoop, sleep, Task, ValueError,
  type Coro, type Handle,
} from '../../../src/index.js';
import { captureAsyncioLogs } from '../../_support/capture.js';
import { assertRaisesSync, newTask } from '../_support.js';
import { coroutineFunction, loopPerTest, newFuture, newTaskTestLoop, newTestLoop, type TestLoop } from './_support.js';

describe('BaseTaskTests', () => {
  let loop: TestLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  it('test_task_class — a Task runs its coroutine on the loop it was given', () => {
    function* notmuch(): Coro<string> {
      return 'ok';
    }
    let t = newTask(loop, notmuch());
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');
    expect(t._loop).toBe(loop);
    expect(t.getLoop()).toBe(loop);

    const loop2 = newTestLoop();
    t = newTask(loop2, notmuch());
    expect(t._loop).toBe(loop2);
    loop2.runUntilComplete(t);
    loop2.close();
  });

  it('test_ensure_future_coroutine — a coroutine becomes a task of the given, running or current loop', () => {
    function* notmuch(): Coro<string> {
      return 'ok';
    }
    let t = ensureFuture(notmuch(), { loop });
    expect(t._loop).toBe(loop);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');

    // No loop given, none running, none current.
    const a = notmuch();
    expect(() => ensureFuture(a)).toThrow(RuntimeError);
    expect(() => ensureFuture(a)).toThrow(/no current event loop/);
    a.return('');

    function* test(): Coro<Future<string>> {
      return ensureFuture(notmuch());
    }
    t = loop.runUntilComplete(test());
    expect(t._loop).toBe(loop);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');

    setEventLoop(loop);
    t = ensureFuture(notmuch());
    expect(t._loop).toBe(loop);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');
  });

  it('test_ensure_future_future — a future is returned as it is, unless it belongs to another loop', () => {
    const fOrig = newFuture<string>(loop);
    fOrig.setResult('ko');
    let f = ensureFuture(fOrig);
    loop.runUntilComplete(f);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe('ko');
    expect(f).toBe(fOrig);

    const loop2 = newTestLoop();
    expect(() => ensureFuture(fOrig, { loop: loop2 })).toThrow(ValueError);
    loop2.close();
    f = ensureFuture(fOrig, { loop });
    expect(f).toBe(fOrig);
  });

  it('test_ensure_future_task — a task is returned as it is, unless it belongs to another loop', () => {
    function* notmuch(): Coro<string> {
      return 'ok';
    }
    const tOrig = newTask(loop, notmuch());
    let t = ensureFuture(tOrig);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');
    expect(t).toBe(tOrig);

    const loop2 = newTestLoop();
    expect(() => ensureFuture(tOrig, { loop: loop2 })).toThrow(ValueError);
    loop2.close();
    t = ensureFuture(tOrig, { loop });
    expect(t).toBe(tOrig);
  });

  it('test_ensure_future_awaitable — an awaitable object (its iterator drives a coroutine) is wrapped in a task', () => {
    // Python's __await__ is the object's Symbol.iterator in aiosim.
    class Aw {
      constructor(readonly coro: Coro<string>) {}
      [Symbol.iterator](): Coro<string> {
        return this.coro;
      }
    }
    function* coro(): Coro<string> {
      return 'ok';
    }
    const loop2 = newTestLoop();
    const fut = ensureFuture(new Aw(coro()), { loop: loop2 });
    loop2.runUntilComplete(fut);
    expect(fut.result()).toBe('ok');
  });

  it('test_ensure_future_task_awaitable — the task made for an awaitable runs a wrapping coroutine', () => {
    class Aw {
      [Symbol.iterator](): Coro<string> {
        return sleep(0, 'ok');
      }
    }
    const loop2 = newTestLoop();
    const task = ensureFuture(new Aw(), { loop: loop2 }) as Task<string>;
    loop2.runUntilComplete(task);
    expect(task.done()).toBe(true);
    expect(task.result()).toBe('ok');
    // types.CoroutineType: a coroutine object (a generator made by a generator function).
    expect(Object.prototype.toString.call(task.getCoro())).toBe('[object Generator]');
    loop2.close();
  });

  it('test_ensure_future_neither — neither a future nor an awaitable is a TypeError', () => {
    expect(() => ensureFuture('ok' as never)).toThrow(TypeError);
    expect(() => ensureFuture('ok' as never)).toThrow('An asyncio.Future, a coroutine or an awaitable is required');
  });

  it('test_ensure_future_error_msg — the ValueError for a future of another loop', () => {
    const loop2 = newTestLoop();
    const f = newFuture(loop);
    const exc = assertRaisesSync(ValueError, () => ensureFuture(f, { loop: loop2 }));
    expect(exc.message).toBe('The future belongs to a different loop than the one specified as the loop argument');
    loop2.close();
  });

  it('test_error_in_call_soon — a Task whose first step cannot be scheduled raises, and is reported as destroyed pending', () => {
    loop.callSoon = (): Handle => {
      throw new ValueError();
    };
    function* coro(): Coro<void> {}
    const records = captureAsyncioLogs(() => {
      const gen = coro();
      try {
        expect(() => newTask(loop, gen)).toThrow(ValueError);
      } finally {
        gen.return();
      }
      expect(allTasks(loop).size).toBe(0);
      // CPython frees the task at once; aiosim reports it at the next collection point.
      gcCollect();
    });
    const errors = records.filter((r) => r.levelno === 40);
    expect(errors.length).toBe(1);
    expect(errors[0]!.getMessage()).toMatch(/^Task was destroyed but it is pending!\ntask: <Task pending name='TestTask' coro=<coro\(\) /);
    expect(allTasks(loop).size).toBe(0);
  });

  it('test_create_task_with_noncoroutine — Task(123) raises TypeError, every time', () => {
    expect(() => newTask(loop, 123 as never)).toThrow(TypeError);
    expect(() => newTask(loop, 123 as never)).toThrow(/^a coroutine was expected, got 123$/);
  });

  it('test_create_task_with_async_function — a coroutine makes a Task, every time', () => {
    function* coro(): Coro<void> {}
    let task = newTask(loop, coro());
    expect(task).toBeInstanceOf(Task);
    loop.runUntilComplete(task);
    task = newTask(loop, coro());
    expect(task).toBeInstanceOf(Task);
    loop.runUntilComplete(task);
  });

  it('test_create_task_with_asynclike_function — an object with the coroutine protocol is accepted', () => {
    // CPython's CoroLikeObject: send() raises StopIteration(42); here next() returns 42.
    class CoroLikeObject implements Generator<undefined, number, unknown> {
      next(): IteratorResult<undefined, number> {
        return { done: true, value: 42 };
      }
      throw(): IteratorResult<undefined, number> {
        return { done: true, value: 0 };
      }
      return(): IteratorResult<undefined, number> {
        return { done: true, value: 0 };
      }
      [Symbol.iterator](): this {
        return this;
      }
    }
    let task = newTask(loop, new CoroLikeObject());
    expect(task).toBeInstanceOf(Task);
    expect(loop.runUntilComplete(task)).toBe(42);
    task = newTask(loop, new CoroLikeObject());
    expect(task).toBeInstanceOf(Task);
    expect(loop.runUntilComplete(task)).toBe(42);
  });

  it('test_bare_create_task — asyncio.create_task makes a Task of the running loop', () => {
    function* inner(): Coro<number> {
      return 1;
    }
    function* coro(): Coro<void> {
      const task = createTask(inner());
      expect(task).toBeInstanceOf(Task);
      const ret = yield* task;
      expect(ret).toBe(1);
    }
    loop.runUntilComplete(coro());
  });

  it('test_bare_create_named_task — create_task(name=) names the task, through a task factory too', () => {
    function* coroNoop(): Coro<void> {}
    function* coro(): Coro<void> {
      const task = createTask(coroNoop(), { name: 'No-op' });
      expect(task.getName()).toBe('No-op');
      yield* task;
    }
    loop.runUntilComplete(coro());
  });

  it('test_get_coro — get_coro() returns the coroutine object', () => {
    const l = new EventLoop();
    const coro = coroutineFunction();
    try {
      const task = newTask(l, coro);
      l.runUntilComplete(task);
      expect(task.getCoro()).toBe(coro);
    } finally {
      l.close();
    }
  });

  it('test_subclasses_ctask_cfuture — Task and Future subclasses: add_done_callback is called once on each', () => {
    class CommonFuture<T> extends Future<T> {
      calls = new Map<string, number>();
      override addDoneCallback(fn: (f: this) => unknown): void {
        this.calls.set('add_done_callback', (this.calls.get('add_done_callback') ?? 0) + 1);
        super.addDoneCallback(fn);
      }
    }
    class CommonTask<T> extends Task<T> {
      calls = new Map<string, number>();
      override addDoneCallback(fn: (f: this) => unknown): void {
        this.calls.set('add_done_callback', (this.calls.get('add_done_callback') ?? 0) + 1);
        super.addDoneCallback(fn);
      }
    }
    const fut = new CommonFuture<string>({ loop });
    function* func(): Coro<string> {
      loop.callSoon(() => fut.setResult('spam'));
      return yield* fut;
    }
    const task = new CommonTask(func(), { loop });
    const result = loop.runUntilComplete(task);
    expect(result).toBe('spam');
    expect(Object.fromEntries(task.calls)).toEqual({ add_done_callback: 1 });
    expect(Object.fromEntries(fut.calls)).toEqual({ add_done_callback: 1 });
  });

});
