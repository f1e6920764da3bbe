// CPython 3.13's test_asyncio/test_pep492.py, CoroutineTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, coroutine, ensureFuture, EventLoop, gcCollect, RuntimeError, RuntimeWarning, sleep, warnings,
  type Coro, type Task,
} from '../../../src/index.js';
import type { CoroutineObject } from '../../../src/task/tracked-coroutine.js';
import { assertRaisesSync } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

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
