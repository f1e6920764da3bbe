// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests (wait and as_completed): one
// `it` per test method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  ALL_COMPLETED, asCompleted, blockingSleep, ensureFuture, EventLoop, FIRST_COMPLETED, FIRST_EXCEPTION, Future,
  RuntimeError, sleep, Task, TimeoutError, ValueError, wait, type Coro, type ReturnWhen,
} from '../../../src/index.js';
import { thrown } from '../../_support/capture.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaisesSync, expectSameItems, newTask } from '../_support.js';
import { coroutineFunction, loopPerTest, newTaskTestLoop, newTestLoop, type TestLoop } from './_support.js';

describe('BaseTaskTests', () => {
  let loop: TestLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  // test_wait / test_wait_with_iterator_of_tasks: a task waits for sleeps of 0.1 and 0.15 s,
  // given as `aws(b, a)`, and finds both done at 0.15 (the only deadlines). Returns a function
  // running such a task again on the same loop.
  function waitForTwoSleeps(aws: (b: Task<void>, a: Task<void>) => Iterable<Task<void>>): () => void {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    const b = newTask(loop2, sleep(0.15));
    function* foo(): Coro<number> {
      const [done, pending] = yield* wait(aws(b, a));
      expectSameItems(done, [a, b]);
      expectSameItems(pending, []);
      return 42;
    }
    const runFoo = (): void => {
      expect(loop2.runUntilComplete(newTask(loop2, foo()))).toBe(42);
      expect(loop2.time()).toBeCloseTo(0.15, 9);
    };
    runFoo();
    expect(loop2.deadlines).toEqual([0.1, 0.15]);
    return runFoo;
  }

  it('test_wait — wait() returns when all tasks are done; again at once when they already are', () => {
    const again = waitForTwoSleeps((b, a) => [b, a]);
    // Again: no time passes, and another path is taken.
    again();
  });

  it('test_wait_duplicate_coroutines — a task given twice counts once', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    const c = loop.createTask(coro('test'));
    const task = newTask(loop, wait([c, c, loop.createTask(coro('spam'))]));
    const [done, pending] = loop.runUntilComplete(task);
    expect(pending.size).toBe(0);
    expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(['test', 'spam']));
  });

  it('test_wait_errors — an empty set and an invalid return_when are ValueErrors', () => {
    const e1 = assertRaisesSync(ValueError, () => loop.runUntilComplete(wait(new Set<Future<unknown>>())));
    expect(e1.message).toBe('Set of Tasks/Futures is empty.');
    // -1 is not a valid return_when.
    const sleepCoro = sleep(10.0);
    const waitCoro = wait([sleepCoro as unknown as Future<unknown>], { returnWhen: -1 as unknown as ReturnWhen });
    const e2 = assertRaisesSync(ValueError, () => loop.runUntilComplete(waitCoro));
    expect(e2.message).toBe('Invalid return_when value: -1');
    sleepCoro.return(undefined);
  });

  it('test_wait_first_completed — FIRST_COMPLETED returns with the first task done at t=0.1', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(10.0));
    const b = newTask(loop2, sleep(0.1));
    const task = newTask(loop2, wait([b, a], { returnWhen: FIRST_COMPLETED }));
    const [done, pending] = loop2.runUntilComplete(task);
    expectSameItems(done, [b]);
    expectSameItems(pending, [a]);
    expect(a.done()).toBe(false);
    expect(b.done()).toBe(true);
    expect(b.result()).toBeUndefined();
    expect(loop2.time()).toBeCloseTo(0.1, 9);
    expect(loop2.deadlines).toEqual([10.0, 0.1]);
    // Let the other sleep finish.
    loop2.runUntilComplete(wait([a, b]));
    expect(loop2.time()).toBe(10);
  });

  it('test_wait_really_done — tasks done in the same iteration are all in done', () => {
    function* coro1(): Coro<void> {
      yield* sleep(0);
    }
    function* coro2(): Coro<void> {
      yield* sleep(0);
      yield* sleep(0);
    }
    const a = newTask(loop, coro1());
    const b = newTask(loop, coro2());
    const task = newTask(loop, wait([b, a], { returnWhen: FIRST_COMPLETED }));
    const [done] = loop.runUntilComplete(task);
    expectSameItems(done, [a, b]);
    expect(a.done()).toBe(true);
    expect(a.result()).toBeUndefined();
    expect(b.done()).toBe(true);
    expect(b.result()).toBeUndefined();
  });

  it('test_wait_first_exception — FIRST_EXCEPTION with a task that fails at once returns at t=0', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(10.0));
    function* exc(): Coro<void> {
      throw new ZeroDivisionError('err');
    }
    const b = newTask(loop2, exc());
    const task = newTask(loop2, wait([b, a], { returnWhen: FIRST_EXCEPTION }));
    const [done, pending] = loop2.runUntilComplete(task);
    expectSameItems(done, [b]);
    expectSameItems(pending, [a]);
    expect(loop2.time()).toBe(0);
    expect(loop2.deadlines).toEqual([10.0]);
    loop2.runUntilComplete(wait([a, b]));
    expect(loop2.time()).toBe(10);
  });

  it('test_wait_first_exception_in_wait — FIRST_EXCEPTION returns when a task fails while waited for', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(10.0));
    function* exc(): Coro<void> {
      yield* sleep(0.01);
      throw new ZeroDivisionError('err');
    }
    const b = newTask(loop2, exc());
    const task = wait([b, a], { returnWhen: FIRST_EXCEPTION });
    const [done, pending] = loop2.runUntilComplete(task);
    expectSameItems(done, [b]);
    expectSameItems(pending, [a]);
    expect(loop2.time()).toBeCloseTo(0.01, 9);
    expect(loop2.deadlines).toEqual([10.0, 0.01]);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_wait_with_exception — ALL_COMPLETED returns a failed task among the done ones', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    function* sleeper(): Coro<void> {
      yield* sleep(0.15);
      throw new ZeroDivisionError('really');
    }
    const b = newTask(loop2, sleeper());
    function* foo(): Coro<void> {
      const [done, pending] = yield* wait<unknown>([b, a]);
      expect(done.size).toBe(2);
      expect(pending.size).toBe(0);
      const errors = [...done].filter((f) => f.exception() !== undefined);
      expect(errors.length).toBe(1);
    }
    loop2.runUntilComplete(newTask(loop2, foo()));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    loop2.runUntilComplete(newTask(loop2, foo()));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    expect(loop2.deadlines).toEqual([0.1, 0.15]);
  });

  it('test_wait_with_timeout — a timeout returns the tasks done by then at t=0.11', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    const b = newTask(loop2, sleep(0.15));
    function* foo(): Coro<void> {
      const [done, pending] = yield* wait([b, a], { timeout: 0.11 });
      expectSameItems(done, [a]);
      expectSameItems(pending, [b]);
    }
    loop2.runUntilComplete(newTask(loop2, foo()));
    expect(loop2.time()).toBeCloseTo(0.11, 9);
    expect(loop2.deadlines).toEqual([0.1, 0.15, 0.11]);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_wait_concurrent_complete — a task due at the timeout instant is done', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    const b = newTask(loop2, sleep(0.15));
    const [done, pending] = loop2.runUntilComplete(wait([b, a], { timeout: 0.1 }));
    expectSameItems(done, [a]);
    expectSameItems(pending, [b]);
    expect(loop2.time()).toBeCloseTo(0.1, 9);
    expect(loop2.deadlines).toEqual([0.1, 0.15, 0.1]);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_wait_with_iterator_of_tasks — wait() accepts an iterator of tasks', () => {
    waitForTwoSleeps((b, a) => [b, a].values());
  });

  it('test_wait_generator — wait() consumes a lazy iterable that creates the tasks', () => {
    const loop2 = newTestLoop();
    function* func(a: number): Coro<number> {
      return a;
    }
    // Python's generator expression. A JavaScript generator object is a coroutine to
    // aiosim, so the lazy iterable is written by hand.
    const created: Task<number>[] = [];
    const lazyTasks: Iterable<Task<number>> = {
      [Symbol.iterator]() {
        let i = 0;
        return {
          next(): IteratorResult<Task<number>, undefined> {
            if (i >= 10) return { done: true, value: undefined };
            const t = newTask(loop2, func(i++));
            created.push(t);
            return { done: false, value: t };
          },
        };
      },
    };
    function* main(): Coro<void> {
      expect(created.length).toBe(0);
      const [done, pending] = yield* wait(lazyTasks, { returnWhen: ALL_COMPLETED });
      expect(done.size).toBe(10);
      expect(pending.size).toBe(0);
    }
    loop2.runUntilComplete(main());
    expect(created.length).toBe(10);
  });

  it('test_as_completed — results come in completion order; a blocking step delays the last one (iterator form)', () => {
    // The async-iterator half (`async for`): base-task-as-completed-async.test.ts.
    const loop2 = newTestLoop();
    // Disable the "slow callback" warning.
    loop2.slowCallbackDuration = 1.0;
    const completed = new Set<string>();
    let timeShifted = false;
    function* sleeper(dt: number, x: string): Coro<string> {
      yield* sleep(dt);
      completed.add(x);
      if (!timeShifted && completed.has('a') && completed.has('b')) {
        timeShifted = true;
        // TestLoop.advance_time inside a step: time passes while the step runs.
        blockingSleep(0.14);
      }
      return x;
    }
    function* tryIterator(awaitables: Coro<string>[]): Coro<string[]> {
      const values: string[] = [];
      for (const f of asCompleted(awaitables)) values.push(yield* f);
      return values;
    }
    const a = sleeper(0.01, 'a');
    const b = sleeper(0.01, 'b');
    const c = sleeper(0.15, 'c');
    const res = loop2.runUntilComplete(newTask(loop2, tryIterator([b, c, a])));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    expect(res.slice(0, 2)).toContain('a');
    expect(res.slice(0, 2)).toContain('b');
    expect(res[2]).toBe('c');
  });

  it('test_as_completed_with_timeout — the timeout makes the next await raise TimeoutError at t=0.12 (iterator form)', () => {
    const loop2 = newTestLoop();
    const a = loop2.createTask(sleep(0.1, 'a'));
    const b = loop2.createTask(sleep(0.15, 'b'));
    function* tryIterator(): Coro<[number, unknown][]> {
      const values: [number, unknown][] = [];
      for (const f of asCompleted([a, b], { timeout: 0.12 })) {
        if (values.length > 0) blockingSleep(0.02);
        try {
          values.push([1, yield* f]);
        } catch (exc) {
          if (!(exc instanceof TimeoutError)) throw exc;
          values.push([2, exc]);
        }
      }
      return values;
    }
    const res = loop2.runUntilComplete(newTask(loop2, tryIterator()));
    expect(res.length).toBe(2);
    expect(res[0]).toEqual([1, 'a']);
    expect(res[1]![0]).toBe(2);
    expect(res[1]![1]).toBeInstanceOf(TimeoutError);
    expect(loop2.time()).toBeCloseTo(0.12, 9);
    // Let b finish (CPython 3.13.2: at 0.15).
    loop2.runUntilComplete(wait([a, b]));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
  });

  // The as_completed tests run a plain-iterator and an `async for` variant; the second
  // is in base-task-as-completed-async.test.ts.

  it('test_as_completed_with_unused_timeout — the timeout is disarmed once everything completed', () => {
    function* tryIterator(): Coro<void> {
      for (const f of asCompleted([a], { timeout: 1 })) {
        const v = yield* f;
        expect(v).toBe('a');
      }
    }
    const a = sleep(0.01, 'a');
    const l = newTaskTestLoop();
    l.runUntilComplete(newTask(l, tryIterator()));
    expect(l.time()).toBeCloseTo(0.01, 9);
    // Nothing is left scheduled: the 1 s timeout handle was cancelled.
    l.runUntilIdle();
    expect(l.time()).toBeCloseTo(0.01, 9);
    l.close();
  });

  it('test_as_completed_resume_iterator — a for loop left with break can be resumed on the same iterator', () => {
    function* tryIterator(awaitables: Coro<number>[]): Coro<number[]> {
      let iterations = 0;
      const iterator = asCompleted(awaitables);
      const collected: number[] = [];
      for (const f of iterator) {
        collected.push(yield* f);
        iterations += 1;
        if (iterations === 2) break;
      }
      expect(collected.length).toBe(2);
      for (const f of iterator) collected.push(yield* f);
      return collected;
    }
    function* coro(i: number): Coro<number> {
      return i;
    }
    const l = new EventLoop();
    const results = l.runUntilComplete(tryIterator([coro(0), coro(1), coro(2), coro(3)]));
    expect([...results].sort()).toEqual([0, 1, 2, 3]);
    l.close();
  });

  it('test_as_completed_reverse_wait — the first coroutine awaited gets the first completion', () => {
    const a = sleep(0.05, 'a');
    const b = sleep(0.1, 'b');
    const fs = new Set([a, b]);
    function* test(): Coro<void> {
      const futs = [...asCompleted(fs)];
      expect(futs.length).toBe(2);
      const x = yield* futs[1]!;
      expect(x).toBe('a');
      expect(loop.time()).toBeCloseTo(0.05, 9);
      // CPython's TestLoop.advance_time inside the step: time passes while it runs.
      blockingSleep(0.05);
      const y = yield* futs[0]!;
      expect(y).toBe('b');
      expect(loop.time()).toBeCloseTo(0.1, 9);
    }
    loop.runUntilComplete(test());
  });

  it('test_as_completed_concurrent — the coroutines as_completed hands out can be awaited concurrently', () => {
    const a = sleep(0.05, 'a');
    const b = sleep(0.05, 'b');
    const fs = new Set([a, b]);
    function* test(): Coro<void> {
      const futs = [...asCompleted(fs)];
      expect(futs.length).toBe(2);
      const [done] = yield* wait(futs.map((fut) => ensureFuture(fut)));
      expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(['a', 'b']));
      expect(loop.time()).toBeCloseTo(0.05, 9);
    }
    loop.runUntilComplete(test());
  });

  it('test_as_completed_duplicate_coroutines — a coroutine passed twice runs once', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    function* tryIterator(): Coro<string[]> {
      const result: string[] = [];
      const c = coro('ham');
      for (const f of asCompleted([c, c, coro('spam')])) result.push(yield* f);
      return result;
    }
    const fut = newTask(loop, tryIterator());
    loop.runUntilComplete(fut);
    const result = fut.result();
    expect(new Set(result)).toEqual(new Set(['ham', 'spam']));
    expect(result.length).toBe(2);
  });

  it("test_as_completed_coroutine_without_loop — RuntimeError 'no current event loop' at call time", () => {
    function* coro(): Coro<number> {
      return 42;
    }
    const a = coro();
    const e = thrown(() => [...asCompleted([a])]);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    a.return(0);
  });

  it('test_as_completed_coroutine_use_running_loop — coroutines become tasks of the running loop', () => {
    function* coro(): Coro<number> {
      return 42;
    }
    function* test(): Coro<void> {
      const futs = [...asCompleted([coro()])];
      expect(futs.length).toBe(1);
      expect(yield* futs[0]!).toBe(42);
    }
    loop.runUntilComplete(test());
  });

  it('test_as_completed_invalid_args — a single future or coroutine is refused with TypeError', () => {
    const fut = loop.createFuture();
    expect(() => asCompleted(fut as never).next()).toThrow(TypeError);
    const coro = coroutineFunction();
    expect(() => asCompleted(coro as never).next()).toThrow(TypeError);
    coro.return();
  });

  it('test_wait_invalid_args — wait() wants a non-empty collection of futures', () => {
    const fut = loop.createFuture();
    expect(() => loop.runUntilComplete(wait(fut as never))).toThrow(TypeError);
    const coro = coroutineFunction();
    expect(() => loop.runUntilComplete(wait(coro as never))).toThrow(TypeError);
    coro.return();
    expect(() => loop.runUntilComplete(wait([]))).toThrow(ValueError);
  });

});
