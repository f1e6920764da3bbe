// CPython 3.13's test_asyncio/test_tasks.py, FutureGatherTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, EventLoop, Future, gather, RuntimeError, setEventLoop, ValueError, type Coro,
} from '../../../src/index.js';
import { thrown } from '../../_support/capture.js';
import {  } from '../_support.js';
import { loopPerTest, mockCallback, newTaskTestLoop, runLoop } from './_support.js';

describe('FutureGatherTests', () => {
  let oneLoop: EventLoop;
  let otherLoop: EventLoop;
  loopPerTest(() => (oneLoop = newTaskTestLoop()));
  loopPerTest(() => (otherLoop = newTaskTestLoop()));

  it("test_constructor_empty_sequence_without_loop — gather() with no loop raises 'no current event loop'", () => {
    const e = thrown(() => gather());
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
  });

  it('test_constructor_empty_sequence_use_running_loop — gather() in a task is a done future of that loop', () => {
    function* g(): Coro<Future<unknown[]>> {
      return gather();
    }
    const fut = oneLoop.runUntilComplete(g());
    expect(fut).toBeInstanceOf(Future);
    expect(fut._loop).toBe(oneLoop);
    runLoop(oneLoop);
    expect(fut.done()).toBe(true);
    expect(fut.result()).toEqual([]);
  });

  it('test_constructor_empty_sequence_use_global_loop — gather() outside a loop uses the current loop', () => {
    setEventLoop(oneLoop);
    try {
      const fut = gather();
      expect(fut).toBeInstanceOf(Future);
      expect(fut._loop).toBe(oneLoop);
      runLoop(oneLoop);
      expect(fut.done()).toBe(true);
      expect(fut.result()).toEqual([]);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_constructor_heterogenous_futures — futures of two loops raise ValueError', () => {
    const fut1 = oneLoop.createFuture();
    const fut2 = otherLoop.createFuture();
    expect(() => gather(fut1, fut2)).toThrow(ValueError);
  });

  it("test_constructor_homogenous_futures — the gathering future belongs to the children's loop", () => {
    const children = [0, 1, 2].map(() => otherLoop.createFuture());
    let fut = gather(...children);
    expect(fut._loop).toBe(otherLoop);
    runLoop(otherLoop);
    expect(fut.done()).toBe(false);
    fut = gather(...children);
    expect(fut._loop).toBe(otherLoop);
    runLoop(otherLoop);
    expect(fut.done()).toBe(false);
  });

  it('test_one_cancellation — a cancelled child fails gather with CancelledError; gather is not cancelled', () => {
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => oneLoop.createFuture<number>()) as Future<number>[];
    const fut = gather(a!, b!, c!, d!, e!);
    const cb = mockCallback();
    fut.addDoneCallback(cb);
    a!.setResult(1);
    b!.cancel();
    runLoop(oneLoop);
    expect(fut.done()).toBe(true);
    expect(cb.calls.length).toBe(1);
    expect(cb.calls[0]![0]).toBe(fut);
    expect(fut.cancelled()).toBe(false);
    expect(fut.exception()).toBeInstanceOf(CancelledError);
    // Does nothing
    c!.setResult(3);
    d!.cancel();
    e!.setException(new RuntimeError());
    e!.exception();
  });

  it('test_result_exception_one_cancellation — with return_exceptions=True a cancelled child gives a CancelledError result', () => {
    const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(() => oneLoop.createFuture<number>()) as Future<number>[];
    const fut = gather(a!, b!, c!, d!, e!, f!, { returnExceptions: true });
    const cb = mockCallback();
    fut.addDoneCallback(cb);
    a!.setResult(1);
    const zde = new Error('ZeroDivisionError');
    b!.setException(zde);
    c!.cancel();
    runLoop(oneLoop);
    expect(fut.done()).toBe(false);
    d!.setResult(3);
    e!.cancel();
    const rte = new RuntimeError();
    f!.setException(rte);
    const res = oneLoop.runUntilComplete(fut) as unknown[];
    expect(res[2]).toBeInstanceOf(CancelledError);
    expect(res[4]).toBeInstanceOf(CancelledError);
    res[2] = res[4] = undefined;
    expect(res.length).toBe(6);
    expect([res[0], res[1], res[2], res[3], res[4], res[5]]).toEqual([1, zde, undefined, 3, undefined, rte]);
    expect(res[1]).toBe(zde);
    expect(res[5]).toBe(rte);
    expect(cb.calls.length).toBe(1);
    expect(cb.calls[0]![0]).toBe(fut);
  });
});
