// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests: the `async for` halves of the
// as_completed tests (their plain-iterator halves are in base-task-wait.test.ts), run with
// asyncFor over asCompleted(). In 3.13 `async for` gives the awaitables themselves as they
// complete: the futures and tasks given, a task for each coroutine. Module notes and
// shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asCompleted, asyncFor, blockingSleep, ensureFuture, EventLoop, Future, sleep, TimeoutError, wait, type Coro,
} from '../../../src/index.js';
import { newTask } from '../_support.js';
import { coroutineFunction, loopPerTest, newTaskTestLoop, newTestLoop, type TestLoop } from './_support.js';

describe('BaseTaskTests', () => {
  let loop: TestLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  it('test_as_completed — (async for) results come in completion order; a blocking step delays the last one', () => {
    const loop2 = newTestLoop();
    loop2.slowCallbackDuration = 1.0;
    const completed = new Set<string>();
    let timeShifted = false;
    function* sleeper(dt: number, x: string): Coro<string> {
      yield* sleep(dt);
      completed.add(x);
      if (!timeShifted && completed.has('a') && completed.has('b')) {
        timeShifted = true;
        blockingSleep(0.14);
      }
      return x;
    }
    function* tryAsyncIterator(awaitables: Coro<string>[]): Coro<string[]> {
      const values: string[] = [];
      yield* asyncFor(asCompleted(awaitables), function* (f) {
        values.push(yield* f);
      });
      return values;
    }
    const res = loop2.runUntilComplete(newTask(loop2, tryAsyncIterator([sleeper(0.01, 'b'), sleeper(0.15, 'c'), sleeper(0.01, 'a')])));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    expect(res.slice(0, 2)).toContain('a');
    expect(res.slice(0, 2)).toContain('b');
    expect(res[2]).toBe('c');
  });

  it('test_as_completed_same_tasks_in_as_out — async for gives back the tasks given, and new tasks for coroutines', () => {
    function* tryAsyncIterator(awaitables: Iterable<Coro<unknown> | Future<unknown>>): Coro<Set<unknown>> {
      const out = new Set<unknown>();
      yield* asyncFor(asCompleted(awaitables), function* (outAw) {
        out.add(outAw);
      });
      return out;
    }
    function* coro(i: unknown): Coro<unknown> {
      return i;
    }
    const l = new EventLoop();
    try {
      // Coroutines are not given back: a finished coroutine cannot be awaited again.
      const coros = [coro(0), coro(1), coro(2), coro(3)];
      const out1 = l.runUntilComplete(tryAsyncIterator(coros));
      expect(out1.size).toBe(4);
      for (const c of coros) expect(out1.has(c)).toBe(false);
      // Tasks are.
      const taskB = l.createTask(coro('b'));
      const taskD = l.createTask(coro('d'));
      const out2 = l.runUntilComplete(tryAsyncIterator([coro('a'), taskB, coro('c'), taskD]));
      expect(out2.size).toBe(4);
      expect([taskB, taskD].every((t) => out2.has(t))).toBe(true);
      expect([...out2].filter((t) => t === taskB || t === taskD)).toHaveLength(2);
    } finally {
      l.close();
    }
  });

  it('test_as_completed_with_timeout — (async for) the timeout ends the loop with TimeoutError at t=0.12', () => {
    const loop2 = newTestLoop();
    const a = loop2.createTask(sleep(0.1, 'a'));
    const b = loop2.createTask(sleep(0.15, 'b'));
    function* tryAsyncIterator(): Coro<[number, unknown][]> {
      const values: [number, unknown][] = [];
      try {
        yield* asyncFor(asCompleted([a, b], { timeout: 0.12 }), function* (f) {
          values.push([1, yield* f]);
          blockingSleep(0.02);
        });
      } catch (exc) {
        if (!(exc instanceof TimeoutError)) throw exc;
        values.push([2, exc]);
      }
      return values;
    }
    const res = loop2.runUntilComplete(newTask(loop2, tryAsyncIterator()));
    expect(res.length).toBe(2);
    expect(res[0]).toEqual([1, 'a']);
    expect(res[1]![0]).toBe(2);
    expect(res[1]![1]).toBeInstanceOf(TimeoutError);
    expect(loop2.time()).toBeCloseTo(0.12, 9);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_as_completed_with_unused_timeout — (async for) the timeout is disarmed once everything completed', () => {
    function* tryAsyncIterator(): Coro<void> {
      yield* asyncFor(asCompleted([sleep(0.01, 'a')], { timeout: 1 }), function* (f) {
        expect(yield* f).toBe('a');
      });
    }
    const l = newTaskTestLoop();
    l.runUntilComplete(newTask(l, tryAsyncIterator()));
    expect(l.time()).toBeCloseTo(0.01, 9);
    l.runUntilIdle();
    expect(l.time()).toBeCloseTo(0.01, 9);
    l.close();
  });

  it('test_as_completed_resume_iterator — (async for) a loop left with break can be resumed on the same iterator', () => {
    function* coro(i: number): Coro<number> {
      return i;
    }
    function* tryAsyncIterator(awaitables: Coro<number>[]): Coro<number[]> {
      const iterator = asCompleted(awaitables);
      const collected: number[] = [];
      let iterations = 0;
      yield* asyncFor(iterator, function* (f) {
        collected.push(yield* f);
        iterations += 1;
        return iterations === 2 ? asyncFor.BREAK : undefined;
      });
      expect(collected).toHaveLength(2);
      yield* asyncFor(iterator, function* (f) {
        collected.push(yield* f);
      });
      return collected;
    }
    const l = new EventLoop();
    try {
      const results = l.runUntilComplete(tryAsyncIterator([coro(0), coro(1), coro(2), coro(3)]));
      expect([...results].sort()).toEqual([0, 1, 2, 3]);
    } finally {
      l.close();
    }
  });

  it('test_as_completed_concurrent — (async for) the futures collected can be awaited together', () => {
    const loop2 = newTestLoop();
    function* tryAsyncIterator(fs: Coro<string>[]): Coro<Future<string>[]> {
      const futs: Future<string>[] = [];
      yield* asyncFor(asCompleted(fs), function* (f) {
        futs.push(f);
      });
      return futs;
    }
    function* test(): Coro<void> {
      const futs = yield* tryAsyncIterator([sleep(0.05, 'a'), sleep(0.05, 'b')]);
      expect(futs).toHaveLength(2);
      const [done] = yield* wait(futs.map((f) => ensureFuture(f)));
      expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(['a', 'b']));
    }
    loop2.runUntilComplete(test());
    expect(loop2.time()).toBeCloseTo(0.05, 9);
  });

  it('test_as_completed_duplicate_coroutines — (async for) a coroutine given twice runs once', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    function* tryAsyncIterator(): Coro<string[]> {
      const result: string[] = [];
      const c = coro('ham');
      yield* asyncFor(asCompleted([c, c, coro('spam')]), function* (f) {
        result.push(yield* f);
      });
      return result;
    }
    const fut = newTask(loop, tryAsyncIterator());
    loop.runUntilComplete(fut);
    expect(new Set(fut.result())).toEqual(new Set(['ham', 'spam']));
    expect(fut.result()).toHaveLength(2);
  });

  it('test_as_completed_invalid_args — (async for) a single future or coroutine is refused with TypeError', () => {
    function* tryAsyncIterator(aw: unknown): Coro<void> {
      yield* asyncFor(asCompleted(aw as Iterable<Future<unknown>>), function* () {
        return asyncFor.BREAK;
      });
    }
    expect(() => loop.runUntilComplete(tryAsyncIterator(loop.createFuture()))).toThrow(TypeError);
    const c = coroutineFunction();
    expect(() => loop.runUntilComplete(tryAsyncIterator(c))).toThrow(TypeError);
    c.return(undefined as never);
  });
});
