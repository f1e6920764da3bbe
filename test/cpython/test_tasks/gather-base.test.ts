// CPython 3.13's test_asyncio/test_tasks.py, GatherTestsBase (its tests run for
// FutureGatherTests and CoroutineGatherTests): one `it` per test method, titled after it.
// Module notes and shared helpers: ./_support.ts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLoop, Future, gcCollect, RuntimeError, setDevMode, setEventLoop } from '../../../src/index.js';
import { captureAsyncioLogs } from '../../_support/capture.js';
import { coroutineGather, futureGather, loopPerTest, mockCallback, newTaskTestLoop, runLoop } from './_support.js';

// test_utils.TestCase.setUp: no current event loop (the tests pass theirs explicitly).
beforeEach(() => {
  setEventLoop(undefined);
});

for (const variant of [futureGather, coroutineGather]) {
  describe(`${variant.name} (GatherTestsBase)`, () => {
    let oneLoop: EventLoop;
    loopPerTest(() => (oneLoop = newTaskTestLoop()));
    loopPerTest(newTaskTestLoop); // setUp's other_loop, which these tests do not use

    function checkSuccess(returnExceptions?: boolean): void {
      const [a, b, c] = [0, 1, 2].map(() => oneLoop.createFuture<number>()) as [Future<number>, Future<number>, Future<number>];
      const fut = variant.gather(oneLoop, variant.wrapFutures([a, b, c]), returnExceptions);
      const cb = mockCallback();
      fut.addDoneCallback(cb);
      b.setResult(1);
      a.setResult(2);
      runLoop(oneLoop);
      expect(cb.calls.length).toBe(0);
      expect(fut.done()).toBe(false);
      c.setResult(3);
      runLoop(oneLoop);
      expect(cb.calls.length).toBe(1);
      expect(cb.calls[0]![0]).toBe(fut);
      expect(fut.result()).toEqual([2, 1, 3]);
    }

    it('test_success — results come in argument order, and the done callback runs once', () => {
      checkSuccess();
      checkSuccess(false);
    });

    it('test_result_exception_success — the same with return_exceptions=True', () => {
      checkSuccess(true);
    });

    it('test_one_exception — the first exception completes gather; later outcomes change nothing and log nothing', () => {
      const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => oneLoop.createFuture<number>()) as Future<number>[];
      const records = captureAsyncioLogs(() => {
        const fut = variant.gather(oneLoop, variant.wrapFutures([a!, b!, c!, d!, e!]));
        const cb = mockCallback();
        fut.addDoneCallback(cb);
        const exc = new Error('ZeroDivisionError');
        a!.setResult(1);
        b!.setException(exc);
        runLoop(oneLoop);
        expect(fut.done()).toBe(true);
        expect(cb.calls.length).toBe(1);
        expect(cb.calls[0]![0]).toBe(fut);
        expect(fut.exception()).toBe(exc);
        // Does nothing
        c!.setResult(3);
        d!.cancel();
        e!.setException(new RuntimeError());
        e!.exception();
        runLoop(oneLoop);
        expect(fut.exception()).toBe(exc);
        oneLoop.close();
        gcCollect();
      });
      expect(records).toEqual([]);
    });

    it('test_return_exceptions — with return_exceptions=True exceptions are results', () => {
      const [a, b, c, d] = [0, 1, 2, 3].map(() => oneLoop.createFuture<number>()) as Future<number>[];
      const fut = variant.gather(oneLoop, variant.wrapFutures([a!, b!, c!, d!]), true);
      const cb = mockCallback();
      fut.addDoneCallback(cb);
      const exc = new Error('ZeroDivisionError');
      const exc2 = new RuntimeError();
      b!.setResult(1);
      c!.setException(exc);
      a!.setResult(3);
      runLoop(oneLoop);
      expect(fut.done()).toBe(false);
      d!.setException(exc2);
      runLoop(oneLoop);
      expect(fut.done()).toBe(true);
      expect(cb.calls.length).toBe(1);
      expect(cb.calls[0]![0]).toBe(fut);
      const res = fut.result();
      expect(res.length).toBe(4);
      expect(res[0]).toBe(3);
      expect(res[1]).toBe(1);
      expect(res[2]).toBe(exc);
      expect(res[3]).toBe(exc2);
    });
  });
}

describe('GatherTestsBase', () => {
  // CPython runs child interpreters with PYTHONASYNCIODEBUG / PYTHONDEVMODE / -E / -X dev
  // and prints coroutines._is_debug_mode(); aiosim reads the same switches when a loop is
  // made (-E, ignoring the environment, has no equivalent).
  const env = process.env;
  let saved: string | undefined;
  beforeEach(() => {
    saved = env.PYTHONASYNCIODEBUG;
  });
  afterEach(() => {
    if (saved === undefined) delete env.PYTHONASYNCIODEBUG;
    else env.PYTHONASYNCIODEBUG = saved;
    setDevMode(false);
  });

  it('test_env_var_debug — PYTHONASYNCIODEBUG set non-empty, or Development Mode, turns debug mode on', () => {
    const debugOfNewLoop = (): boolean => {
      const l = new EventLoop();
      const d = l.getDebug();
      l.close();
      return d;
    };
    delete env.PYTHONASYNCIODEBUG;
    expect(debugOfNewLoop()).toBe(false);
    env.PYTHONASYNCIODEBUG = '';
    expect(debugOfNewLoop()).toBe(false);
    env.PYTHONASYNCIODEBUG = '1';
    expect(debugOfNewLoop()).toBe(true);
    delete env.PYTHONASYNCIODEBUG;
    setDevMode(true);
    expect(debugOfNewLoop()).toBe(true);
  });
});
