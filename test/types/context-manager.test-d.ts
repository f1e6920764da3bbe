// Type behaviour of context managers: asyncWith, withContext and withAsync give the body's
// result type `R` for managers whose exit is typed never to swallow an exception (Lock,
// Semaphore, Condition, Barrier, TaskGroup, Timeout, Runner, the executors), and
// `R | undefined` for a manager that may swallow one (its exit returns a boolean).

import { describe, expectTypeOf, it } from 'vitest';
import {
  asyncWith, Barrier, BoundedSemaphore, Condition, Lock, Runner, Semaphore, TaskGroup, ThreadPoolExecutor, timeout,
  withContext, type AsyncContextManager, type Coro, type ContextManager,
} from '../../src/index.js';
import { withAsync } from '../../src/testing/index.js';

// A manager that may swallow (Python's contextlib.suppress, say).
declare const suppressing: AsyncContextManager<string>;
declare const suppressingSync: ContextManager<number>;
// A hand-written one whose exit returns nothing: it never swallows.
const quiet = {
  *aenter(): Coro<number> {
    return 1;
  },
  *aexit(): Coro<void> {},
};

describe('asyncWith', () => {
  it('returns R for the managers that never swallow, with their entered value', () => {
    function* main(): Coro<void> {
      const a = yield* asyncWith(new Lock(), function* (v) {
        expectTypeOf(v).toEqualTypeOf<undefined>();
        return 1;
      });
      expectTypeOf(a).toEqualTypeOf<number>();
      expectTypeOf(yield* asyncWith(new Semaphore(), function* () { return 'x'; })).toEqualTypeOf<string>();
      expectTypeOf(yield* asyncWith(new BoundedSemaphore(), function* () { return 'x'; })).toEqualTypeOf<string>();
      expectTypeOf(yield* asyncWith(new Condition(), function* () { return true; })).toEqualTypeOf<boolean>();
      expectTypeOf(yield* asyncWith(new Barrier(1), function* (n) { return n; })).toEqualTypeOf<number>();
      expectTypeOf(yield* asyncWith(new TaskGroup(), function* (tg) { return tg; })).toEqualTypeOf<TaskGroup>();
      expectTypeOf(yield* asyncWith(timeout(1), function* () { return 2n; })).toEqualTypeOf<bigint>();
      expectTypeOf(yield* asyncWith(quiet, function* (n) { return n; })).toEqualTypeOf<number>();
      expectTypeOf(yield* asyncWith(new ThreadPoolExecutor(), function* (ex) { return ex; })).toEqualTypeOf<ThreadPoolExecutor>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('returns R | undefined for a manager that may swallow', () => {
    function* main(): Coro<void> {
      expectTypeOf(yield* asyncWith(suppressing, function* (s) { return s.length; })).toEqualTypeOf<number | undefined>();
      expectTypeOf(yield* asyncWith(suppressingSync, function* (n) { return n; })).toEqualTypeOf<number | undefined>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });
});

describe('withContext', () => {
  it('returns R for Runner and the executors, R | undefined for a manager that may swallow', () => {
    expectTypeOf(withContext(new Runner(), (r) => r)).toEqualTypeOf<Runner>();
    expectTypeOf(withContext(new ThreadPoolExecutor(), () => 1)).toEqualTypeOf<number>();
    expectTypeOf(withContext(suppressingSync, (n) => n)).toEqualTypeOf<number | undefined>();
  });
});

describe('withAsync', () => {
  it('resolves to R for the managers that never swallow, R | undefined for one that may', () => {
    expectTypeOf(withAsync(new Lock(), async () => 'x')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(withAsync(new TaskGroup(), (tg) => tg)).toEqualTypeOf<Promise<TaskGroup>>();
    expectTypeOf(withAsync(suppressing, async (s) => s)).toEqualTypeOf<Promise<string | undefined>>();
  });
});
