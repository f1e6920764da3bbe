// Port of CPython 3.13's Lib/test/test_asyncio/test_pep492.py (issue 10): what carries
// over from the `async def` / `async with` tests to generator coroutines and asyncWith.
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  asyncWith, BoundedSemaphore, CancelledError, Condition, coroutine, ensureFuture, EventLoop, gcCollect, Lock,
  RuntimeError, RuntimeWarning, Semaphore, setEventLoop, sleep, warnings, type Coro, type Task,
} from '../../src/index.js';
import type { CoroutineObject } from '../../src/task/tracked-coroutine.js';
import { assertRaisesSync } from './_support.js';

// BaseTest: a fresh loop, set as the current loop.
let loop: EventLoop;
beforeEach(() => {
  loop = new EventLoop();
  setEventLoop(loop);
});
afterEach(() => {
  setEventLoop(undefined);
  loop.close();
});

type Primitive = Lock | Condition | Semaphore | BoundedSemaphore;
const primitives = (): Primitive[] => [new Lock(), new Condition(), new Semaphore(), new BoundedSemaphore()];

describe('LockTests', () => {
  it('test_context_manager_async_with — async with acquires and releases, and binds None', () => {
    function* test(lock: Primitive): Coro<void> {
      yield* sleep(0.01);
      expect(lock.locked()).toBe(false);
      yield* asyncWith(lock, function* (acquired) {
        expect(acquired).toBeUndefined();
        expect(lock.locked()).toBe(true);
        yield* sleep(0.01);
        expect(lock.locked()).toBe(true);
      });
      expect(lock.locked()).toBe(false);
    }
    for (const primitive of primitives()) {
      loop.runUntilComplete(test(primitive));
      expect(primitive.locked()).toBe(false);
    }
    expect(loop.time()).toBeCloseTo(0.08, 12);
  });

  it("test_context_manager_with_await — awaiting a lock itself is a TypeError and acquires nothing", () => {
    // Python: `with await lock:` raises TypeError "can't be used in 'await' expression".
    // A lock is not awaitable in aiosim either; JavaScript words the TypeError itself.
    function* test(lock: Primitive): Coro<void> {
      yield* sleep(0.01);
      expect(lock.locked()).toBe(false);
      let raised: unknown;
      try {
        yield* (lock as unknown as Coro<void>); // await lock
      } catch (e) {
        raised = e;
      }
      expect(raised).toBeInstanceOf(TypeError);
      expect(lock.locked()).toBe(false);
    }
    for (const primitive of primitives()) {
      loop.runUntilComplete(test(primitive));
      expect(primitive.locked()).toBe(false);
    }
  });
});

describe('CoroutineTests', () => {
  it('test_async_def_coroutines — a coroutine awaiting another returns its result, in production and debug mode', () => {
    function* bar(): Coro<string> {
      return 'spam';
    }
    function* foo(): Coro<string> {
      return yield* bar();
    }
    expect(loop.runUntilComplete(foo())).toBe('spam');
    loop.setDebug(true);
    expect(loop.runUntilComplete(foo())).toBe('spam');
  });

  it('test_debug_mode_manages_coroutine_origin_tracking — origins are tracked only while a debug loop runs', () => {
    // sys.get_coroutine_origin_tracking_depth() has no JavaScript counterpart; aiosim's
    // equivalent is whether a coroutine made now records its origin.
    const start = coroutine(function* start(): Coro<void> {});
    const tracked = (): boolean => (start() as CoroutineObject<void>)._origin;
    let inside: boolean | undefined;
    expect(tracked()).toBe(false);
    loop.setDebug(true);
    loop.runUntilComplete((function* main(): Coro<void> {
      inside = tracked();
    })());
    expect(inside).toBe(true);
    expect(tracked()).toBe(false);
    // Observable: a coroutine made while the debug loop runs says where it was created.
    warnings.catchWarnings({ record: true }, (w) => {
      warnings.simplefilter('always');
      gcCollect();
      expect(w.map((x) => x.category)).toEqual([RuntimeWarning, RuntimeWarning, RuntimeWarning]);
      expect(w.map((x) => String(x.message).includes('\nCoroutine created at (most recent call last)\n'))).toEqual([false, true, false]);
    });
  });

  it('test_task_print_stack — get_stack() of the running task has the coroutine frame', () => {
    let T: Task<void> | undefined;
    function* foo(): Coro<void> {
      const f = T!.getStack();
      expect(f[0]!.name).toBe('foo');
    }
    function* runner(): Coro<void> {
      T = ensureFuture(foo(), { loop }) as Task<void>;
      yield* T;
    }
    loop.runUntilComplete(runner());
    expect(T!.done() && T!.exception()).toBe(undefined);
  });

  it('test_double_await — awaiting a coroutine that a task is running raises RuntimeError', () => {
    const afunc = coroutine(function* afunc(): Coro<void> {
      yield* sleep(0.1);
    });
    let t: Task<void> | undefined;
    function* runner(): Coro<void> {
      const coro = afunc();
      t = loop.createTask(coro);
      try {
        yield* sleep(0);
        yield* coro;
      } finally {
        t.cancel();
      }
    }
    loop.setDebug(true);
    const e = assertRaisesSync(RuntimeError, () => loop.runUntilComplete(runner()));
    expect(e.message).toBe('coroutine is being awaited already');
    // The task kept its coroutine: the cancel in `finally` ends it.
    expect(t!.cancelling()).toBe(1);
    assertRaisesSync(CancelledError, () => loop.runUntilComplete(t!));
    expect(t!.cancelled()).toBe(true);
  });
});
