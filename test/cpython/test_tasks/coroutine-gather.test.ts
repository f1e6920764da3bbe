// CPython 3.13's test_asyncio/test_tasks.py, CoroutineGatherTests: one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, ensureFuture, EventLoop, Future, gather, gcCollect, RuntimeError, setEventLoop, Task, type Coro,
  type ExceptionContext,
} from '../../../src/index.js';
import { captureAsyncioLogs, thrown } from '../../_support/capture.js';
import { runBriefly } from '../_support.js';
import { coroutineGather, loopPerTest, newTaskTestLoop, runLoop } from './_support.js';

describe('CoroutineGatherTests', () => {
  let oneLoop: EventLoop;
  let otherLoop: EventLoop;
  loopPerTest(() => (oneLoop = newTaskTestLoop()));
  loopPerTest(() => (otherLoop = newTaskTestLoop()));

  function* coroAbc(): Coro<string> {
    return 'abc';
  }

  it("test_constructor_without_loop — gather(coroutines) with no loop raises 'no current event loop'", () => {
    const gen1 = coroAbc();
    const gen2 = coroAbc();
    const e = thrown(() => gather(gen1, gen2));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    gen1.return('');
    gen2.return('');
  });

  it('test_constructor_use_running_loop — coroutines become tasks of the running loop', () => {
    const gen1 = coroAbc();
    const gen2 = coroAbc();
    function* g(): Coro<Future<string[]>> {
      return gather(gen1, gen2);
    }
    const fut = oneLoop.runUntilComplete(g());
    expect(fut._loop).toBe(oneLoop);
    expect(oneLoop.runUntilComplete(fut)).toEqual(['abc', 'abc']);
  });

  it('test_constructor_use_global_loop — outside a loop, coroutines become tasks of the current loop', () => {
    setEventLoop(otherLoop);
    try {
      const gen1 = coroAbc();
      const gen2 = coroAbc();
      const fut = gather(gen1, gen2);
      expect(fut._loop).toBe(otherLoop);
      expect(otherLoop.runUntilComplete(fut)).toEqual(['abc', 'abc']);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_duplicate_coroutines — a coroutine passed several times runs once and fills each slot', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    const c = coro('abc');
    const fut = coroutineGather.gather(oneLoop, [c, c, coro('def'), c]);
    runLoop(oneLoop);
    expect(fut.result()).toEqual(['abc', 'abc', 'def', 'abc']);
  });

  it('test_cancellation_broadcast — cancelling the task awaiting gather() cancels every child', () => {
    let proof = 0;
    const waiter = oneLoop.createFuture();
    function* inner(): Coro<void> {
      yield* waiter;
      proof += 1;
    }
    const child1 = ensureFuture(inner(), { loop: oneLoop });
    const child2 = ensureFuture(inner(), { loop: oneLoop });
    let gatherer: Future<unknown[]> | undefined;
    function* outer(): Coro<void> {
      gatherer = gather(child1, child2);
      yield* gatherer;
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop: oneLoop });
    runBriefly(oneLoop);
    expect(f.cancel()).toBe(true);
    expect(() => oneLoop.runUntilComplete(f)).toThrow(CancelledError);
    expect(gatherer!.cancel()).toBe(false);
    expect(waiter.cancelled()).toBe(true);
    expect(child1.cancelled()).toBe(true);
    expect(child2.cancelled()).toBe(true);
    runBriefly(oneLoop);
    expect(proof).toBe(0);
  });

  it("test_exception_marking — a second child's exception is marked retrieved: only the first one propagates, nothing is logged", () => {
    function* inner(f: Future<unknown>): Coro<void> {
      yield* f;
      throw new RuntimeError('should not be ignored');
    }
    const a = oneLoop.createFuture();
    const b = oneLoop.createFuture();
    function* outer(): Coro<void> {
      yield* gather(inner(a), inner(b));
    }
    const records = captureAsyncioLogs(() => {
      const f = ensureFuture(outer(), { loop: oneLoop });
      runBriefly(oneLoop);
      a.setResult(undefined);
      runBriefly(oneLoop);
      b.setResult(undefined);
      runBriefly(oneLoop);
      expect(f.exception()).toBeInstanceOf(RuntimeError);
      oneLoop.close();
      gcCollect();
    });
    expect(records).toEqual([]);
  });

  it('test_issue46672 — gather() failing on a non-awaitable leaves its first child to finish quietly', () => {
    // CPython passes {} (not awaitable); in aiosim a trailing plain object is gather's
    // options, so a number stands for it.
    const calls: ExceptionContext[] = [];
    oneLoop.callExceptionHandler = (context: ExceptionContext): void => {
      calls.push(context);
    };
    function* coro(s: string): Coro<string> {
      return s;
    }
    const made: Task<unknown>[] = [];
    oneLoop.setTaskFactory((l, cr) => {
      const t = new Task(cr, { loop: l, name: 'TestTask' });
      made.push(t);
      return t;
    });
    const c = coro('abc');
    const e = thrown(() => coroutineGather.gather(oneLoop, [c, 42 as never]));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe('An asyncio.Future, a coroutine or an awaitable is required');
    runLoop(oneLoop);
    // The task made for c before the failure ran to its end, and its done callback (which
    // sees no gathering future) raised nothing.
    expect(made.filter((t) => t.getCoro() === c).length).toBe(1);
    expect(made.find((t) => t.getCoro() === c)!.result()).toBe('abc');
    expect(calls).toEqual([]);
  });
});
