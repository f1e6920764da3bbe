// CPython 3.13's test_asyncio/test_base_events.py, BaseEventLoopWithSelectorTests: one `it`
// per test method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { coroutine, ensureFuture, EventLoop, setEventLoop, type Coro } from '../../../src/index.js';
import { captureAsyncioLogs } from '../../_support/capture.js';
import { expectThrows } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

describe('BaseEventLoopWithSelectorTests', () => {
  it('test_call_coroutine — in debug mode coroutine functions and objects are refused as callbacks', () => {
    const simple_coroutine = coroutine(function* simple_coroutine(): Coro<void> {});
    loop.setDebug(true);
    const coroObj = simple_coroutine();
    for (const func of [simple_coroutine, coroObj] as unknown as (() => void)[]) {
      expectThrows(() => loop.callSoon(func), TypeError, /^coroutines cannot be used with call_soon\(\)$/);
      expectThrows(() => loop.callSoonThreadsafe(func), TypeError, /^coroutines cannot be used with call_soon_threadsafe\(\)$/);
      expectThrows(() => loop.callLater(60, func), TypeError, /^coroutines cannot be used with call_at\(\)$/);
      expectThrows(() => loop.callAt(loop.time() + 60, func), TypeError, /^coroutines cannot be used with call_at\(\)$/);
      expectThrows(() => loop.runUntilComplete(loop.runInExecutor(undefined, func)), TypeError, /^coroutines cannot be used with run_in_executor\(\)$/);
    }
    coroObj.return(undefined);
  });

  it('test_log_slow_callbacks — debug mode logs callbacks and task steps that take slowCallbackDuration or more', () => {
    function stop_loop_cb(l: EventLoop): void {
      l.stop();
    }
    function* stop_loop_coro(l: EventLoop): Coro<void> {
      l.stop();
    }
    setEventLoop(loop);
    loop.setDebug(true);
    loop.slowCallbackDuration = 0.0;
    const first = captureAsyncioLogs(() => {
      loop.callSoon(stop_loop_cb, loop);
      loop.runForever();
    });
    // Oracle: 'Executing <Handle stop_loop_cb(<VirtualLoop ...se debug=True>) at F:L created at F:L> took 0.000 seconds'
    expect(first.filter((r) => r.levelname === 'WARNING').map((r) => r.getMessage()).at(-1)).toMatch(/^Executing <Handle.*stop_loop_cb.*> took .* seconds$/);
    const second = captureAsyncioLogs(() => {
      ensureFuture(stop_loop_coro(loop), { loop });
      loop.runForever();
    });
    // Oracle: "Executing <Task finished name='Task-3' coro=<stop_loop_coro() done, defined at F:L> result=None created at …> took 0.000 seconds"
    expect(second.filter((r) => r.levelname === 'WARNING').map((r) => r.getMessage()).at(-1)).toMatch(/^Executing <Task.*stop_loop_coro.*> took .* seconds$/);
  });
});
