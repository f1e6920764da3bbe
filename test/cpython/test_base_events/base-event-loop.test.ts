// CPython 3.13's test_asyncio/test_base_events.py, BaseEventLoopTests (scheduling
// callbacks, iterations, running and stopping): one `it` per test method, titled after it.
// Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  blockingSleep, ConcurrentFuture, EventLoop, gcCollect, getRunningLoop, Handle, KeyboardInterrupt, RuntimeError,
  setEventLoop, sleep, SystemExit, threading, ThreadPoolExecutor, TimerHandle, ValueError, warnings, type Coro,
  type ExceptionContext,
} from '../../../src/index.js';
import { expectThrows, runBriefly, runOnce } from '../_support.js';
import { loopPerTest, runOnceNow, spySelector } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

describe('BaseEventLoopTests', () => {
  it('test_close — close() is idempotent; running a closed loop raises RuntimeError', () => {
    expect(loop.isClosed()).toBe(false);
    loop.close();
    expect(loop.isClosed()).toBe(true);
    loop.close();
    loop.close();
    const f = loop.createFuture();
    expectThrows(() => loop.runForever(), RuntimeError, /^Event loop is closed$/);
    expectThrows(() => loop.runUntilComplete(f), RuntimeError, /^Event loop is closed$/);
  });

  it('test_set_default_executor — runInExecutor(undefined, …) submits to the executor that was set', () => {
    class DummyExecutor extends ThreadPoolExecutor {
      override submit(): never {
        throw new Error('cannot submit into a dummy executor');
      }
    }
    const executor = new DummyExecutor();
    loop.setDefaultExecutor(executor);
    expectThrows(() => loop.runInExecutor(undefined, () => 1), Error, /^cannot submit into a dummy executor$/);
  });

  it('test_set_default_executor_error — a non-ThreadPoolExecutor is refused and no default is set', () => {
    const executor = { submit: () => undefined };
    expectThrows(() => loop.setDefaultExecutor(executor as unknown as ThreadPoolExecutor), TypeError, /^executor must be ThreadPoolExecutor instance$/);
    // No default executor was set: the first runInExecutor makes the usual one.
    expect(loop.runUntilComplete(loop.runInExecutor(undefined, () => 'ran'))).toBe('ran');
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
  });

  it('test_shutdown_default_executor_timeout — a shutdown slower than the timeout warns and returns', () => {
    class DummyExecutor extends ThreadPoolExecutor {
      override shutdown(options?: boolean | { wait?: boolean; cancelFutures?: boolean }): void {
        const wait = typeof options === 'boolean' ? options : options?.wait ?? true;
        if (wait) blockingSleep(0.1);
      }
    }
    loop.setDefaultExecutor(new DummyExecutor());
    const log = warnings.catchWarnings({ record: true }, (w) => {
      warnings.simplefilter('always');
      loop.runUntilComplete(loop.shutdownDefaultExecutor(0.01));
      return w;
    });
    expect(log.map((w) => [w.category, String(w.message)])).toEqual([
      [warnings.RuntimeWarning, 'The executor did not finishing joining its threads within 0.01 seconds.'],
    ]);
    expect(loop.time()).toBe(0.01);
  });

  it('test_call_soon — callSoon returns a Handle of the callback, queued as ready', () => {
    const cb = (): void => {};
    const h = loop.callSoon(cb);
    expect(h._callback).toBe(cb);
    expect(h).toBeInstanceOf(Handle);
    expect(loop._ready.length).toBe(1);
    expect(loop._ready.at(0)).toBe(h);
  });

  it('test_call_soon_non_callable — in debug mode callSoon(1) raises TypeError', () => {
    loop.setDebug(true);
    expectThrows(() => loop.callSoon(1 as never), TypeError, /^a callable object was expected by call_soon\(\), got 1$/);
  });

  it('test_call_later — callLater returns a scheduled TimerHandle; a missing delay raises TypeError', () => {
    const cb = (): void => {};
    const h = loop.callLater(10.0, cb);
    expect(h).toBeInstanceOf(TimerHandle);
    expect(loop._scheduled.includes(h)).toBe(true);
    expect(loop._ready.length).toBe(0);
    expectThrows(() => loop.callLater(null as never, cb), TypeError, /^delay must not be None$/);
  });

  it('test_call_later_negative_delays — negative delays are kept and ordered by deadline', () => {
    const calls: string[] = [];
    const cb = (arg: string): void => void calls.push(arg);
    loop.callLater(-1, cb, 'a');
    loop.callLater(-2, cb, 'b');
    runBriefly(loop);
    expect(calls).toEqual(['b', 'a']);
  });

  it('test_time_and_call_at — a callAt 0.1 s ahead runs when the clock reaches it; callAt(None) raises TypeError', () => {
    const cb = (): void => loop.stop();
    const delay = 0.1;
    const when = loop.time() + delay;
    loop.callAt(when, cb);
    const t0 = loop.time();
    loop.runForever();
    // CPython allows clock granularity; the virtual clock lands exactly on the deadline.
    expect(loop.time() - t0).toBe(delay);
    expectThrows(() => loop.callAt(null as never, cb), TypeError, /^when cannot be None$/);
  });

  describe('test_check_thread — debug mode refuses callSoon/callLater/callAt from another thread', () => {
    const msg = /^Non-thread-safe operation invoked on an event loop other than the current one$/;

    function checkThread(target: EventLoop, debug: boolean): void {
      const cb = (): void => {};
      target.setDebug(debug);
      if (debug) {
        expectThrows(() => target.callSoon(cb), RuntimeError, msg);
        expectThrows(() => target.callLater(60, cb), RuntimeError, msg);
        expectThrows(() => target.callAt(target.time() + 60, cb), RuntimeError, msg);
      } else {
        target.callSoon(cb);
        target.callLater(60, cb);
        target.callAt(target.time() + 60, cb);
      }
    }

    function testThread(debug: boolean, createLoop: boolean): void {
      const event = new ConcurrentFuture<boolean>();
      const fut = loop.createFuture();
      loop.callSoon(() => event.setResult(true));
      const thread = new threading.Thread({
        target: function* checkInThread(): Generator<unknown, void, unknown> {
          yield* event;
          try {
            if (createLoop) {
              const loop2 = new EventLoop();
              try {
                setEventLoop(loop2);
                checkThread(loop, debug);
              } finally {
                setEventLoop(undefined);
                loop2.close();
              }
            } else {
              checkThread(loop, debug);
            }
          } catch (exc) {
            loop.callSoonThreadsafe((e: unknown) => fut.setException(e), exc);
            return;
          }
          loop.callSoonThreadsafe((r: unknown) => fut.setResult(r), undefined);
        },
      });
      thread.start();
      loop.runUntilComplete(fut);
      thread.join();
    }

    it('raises RuntimeError when the thread has no event loop (debug)', () => testThread(true, false));
    it('does not check when debug mode is off', () => testThread(false, false));
    it('raises RuntimeError when the thread has its own, other loop (debug)', () => testThread(true, true));
    it('does not check with the other loop when debug mode is off', () => testThread(false, true));
  });

  it('test__run_once — cancelled timers at the head are dropped; the selector waits for the next timer', () => {
    const h1 = new TimerHandle(loop.time() + 5.0, () => true, [], loop);
    const h2 = new TimerHandle(loop.time() + 10.0, () => loop.stop(), [], loop);
    h1.cancel();
    loop._pushTimer(h1);
    loop._pushTimer(h2);
    // The selector is asked to wait (advance(0) computes the wait but does not take it).
    loop.advance(0);
    expect(loop._scheduled.length).toBe(1);
    expect(loop._scheduled[0]).toBe(h2);
    // h1 was never counted as scheduled when cancelled, but its pop is counted (oracle: -1).
    expect(loop._timerCancelledCount).toBe(-1);
    // Waiting for real: one selector call at t=0, which waits 10 s (9.5 < t < 10.5 in CPython).
    const spy = spySelector(loop);
    try {
      loop.runForever();
    } finally {
      spy.restore();
    }
    expect(spy.calls).toEqual([0]);
    expect(loop.time()).toBe(10);
  });

  it('test_set_debug — setDebug/getDebug', () => {
    loop.setDebug(true);
    expect(loop.getDebug()).toBe(true);
    loop.setDebug(false);
    expect(loop.getDebug()).toBe(false);
  });

  it('test__run_once_schedule_handle — a due timer runs; what it schedules waits in the ready queue', () => {
    let handle: Handle | undefined;
    let processed = false;
    const cb = (l: EventLoop): void => {
      processed = true;
      handle = l.callSoon(() => true);
    };
    const h = new TimerHandle(loop.time() - 1, cb, [loop], loop);
    loop._pushTimer(h);
    runOnceNow(loop);
    expect(processed).toBe(true);
    expect(loop._ready.length).toBe(1);
    expect(loop._ready.at(0)).toBe(handle);
  });

  it('test__run_once_cancelled_event_cleanup — cancelled timers leave from the head, or all at once past the thresholds', () => {
    const cb = (): void => {};
    let notCancelledCount = 1;
    loop.callLater(3000, cb);
    let cancelledCount = 2;
    for (let x = 0; x < 2; x++) loop.callLater(3600, cb).cancel();
    cancelledCount += 2;
    for (let x = 0; x < 2; x++) loop.callLater(100, cb).cancel();
    expect(loop._timerCancelledCount).toBe(cancelledCount);

    runOnceNow(loop);
    cancelledCount -= 2;
    expect(loop._timerCancelledCount).toBe(cancelledCount);
    expect(loop._scheduled.length).toBe(cancelledCount + notCancelledCount);

    // asyncio: _MIN_SCHEDULED_TIMER_HANDLES = 100, _MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5
    const addCancelCount = Math.ceil(100 * 0.5) + 1;
    const addNotCancelCount = Math.max(100 - addCancelCount, 0);
    notCancelledCount += addNotCancelCount;
    for (let x = 0; x < addNotCancelCount; x++) loop.callLater(3600, cb);
    cancelledCount += addCancelCount;
    for (let x = 0; x < addCancelCount; x++) loop.callLater(3600, cb).cancel();
    expect(loop._scheduled.length).toBe(cancelledCount + notCancelledCount);

    runOnceNow(loop);
    expect(loop._scheduled.length).toBe(notCancelledCount);
    expect(loop._scheduled.every((x) => !x._cancelled)).toBe(true);
  });

  it('test_run_until_complete_type_error — a non-awaitable raises TypeError', () => {
    expectThrows(() => loop.runUntilComplete('blah' as never), TypeError);
  });

  it('test_run_until_complete_loop — a future of another loop raises ValueError', () => {
    const task = loop.createFuture();
    const otherLoop = new EventLoop();
    expectThrows(() => otherLoop.runUntilComplete(task), ValueError);
    otherLoop.close();
  });

  it('test_run_until_complete_loop_orphan_future_close_loop — after a SystemExit escapes, the next run works', () => {
    class ShowStopper extends SystemExit {}
    function* foo(delay: number): Coro<void> {
      yield* sleep(delay);
    }
    loop.callSoon(() => {
      throw new ShowStopper();
    });
    expectThrows(() => loop.runUntilComplete(foo(0.1)), ShowStopper);
    // Fails if runUntilComplete left its done callback on the previous future.
    loop.runUntilComplete(foo(0.2));
    expect(loop.time()).toBe(0.2);
  });

  it('test_run_forever_keyboard_interrupt — the KeyboardInterrupt of the main coroutine is consumed, never reported', () => {
    function* raise_keyboard_interrupt(): Coro<never> {
      throw new KeyboardInterrupt();
    }
    const calls: unknown[] = [];
    loop.callExceptionHandler = (context: ExceptionContext): void => void calls.push(context);
    expectThrows(() => loop.runUntilComplete(raise_keyboard_interrupt()), KeyboardInterrupt);
    loop.close();
    gcCollect();
    expect(calls).toEqual([]);
  });

  it('test_run_until_complete_baseexception — no stale stop() is left after a KeyboardInterrupt', () => {
    function* raise_keyboard_interrupt(): Coro<never> {
      throw new KeyboardInterrupt();
    }
    expectThrows(() => loop.runUntilComplete(raise_keyboard_interrupt()), KeyboardInterrupt);
    let called = false;
    const func = (): void => {
      loop.stop();
      called = true;
    };
    loop.callSoon(() => loop.callSoon(func));
    loop.runForever();
    expect(called).toBe(true);
  });

  it('test_run_once — callSoon(stop) + runForever runs what was ready once', () => {
    let count = 0;
    loop.callSoon(() => {
      count += 1;
    });
    runOnce(loop);
    expect(count).toBe(1);
  });

  it('test_run_forever_pre_stopped — stop() before runForever(): one iteration, selector timeout 0', () => {
    const spy = spySelector(loop);
    let ran = false;
    loop.callLater(5, () => {
      ran = true;
    });
    try {
      loop.stop();
      loop.runForever();
    } finally {
      spy.restore();
    }
    expect(spy.calls).toEqual([0]);
    expect(loop.time()).toBe(0);
    expect(ran).toBe(false);
  });
});

describe('BaseEventLoopTests (custom drivers)', () => {
  it('test_custom_run_forever_integration — _runForeverSetup, _runOnce and _runForeverCleanup drive the loop', () => {
    let count = 0;
    loop.callSoon(() => {
      count += 1;
    });
    loop._runForeverSetup();
    expect(getRunningLoop()).toBe(loop);
    expect(loop.isRunning()).toBe(true);
    // Each iteration polls the selector once (CPython counts _process_events calls). With
    // nothing scheduled the selector would wait forever: a far timer keeps each wait at
    // the maximal 86400 s, so it is never reached in ten iterations.
    loop.callLater(1e9, () => {});
    const spy = spySelector(loop);
    try {
      for (let i = 0; i < 10; i++) loop._runOnce();
    } finally {
      spy.restore();
    }
    loop._runForeverCleanup();
    expect(() => getRunningLoop()).toThrow(RuntimeError);
    expect(loop.isRunning()).toBe(false);
    expect(spy.calls).toHaveLength(10);
    expect(count).toBe(1);
  });
});
