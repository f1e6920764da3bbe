// CPython 3.13's test_asyncio/test_events.py, EventLoopTestsMixin (the loop-agnostic
// methods, run once here, not per selector): one `it` per test method, titled after it.
// Module notes and shared helpers: ./_support.ts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, ConcurrentFuture, coroutine, EventLoop, gcCollect, RuntimeError, setEventLoop, signals, sleep,
  threading, ValueError, warnings, world, type Coro,
} from '../../../src/index.js';
import { expectThrows, runBriefly } from '../_support.js';
import { resetAfterEach, runUntil } from './_support.js';

let loop: EventLoop;

resetAfterEach();

describe('EventLoopTestsMixin', () => {
  beforeEach(() => {
    loop = new EventLoop();
    setEventLoop(undefined);
  });

  afterEach(() => {
    if (!loop.isClosed() && !loop.isRunning()) {
      runBriefly(loop);
      loop.close();
    }
  });

  it('test_run_until_complete_nesting — a nested runUntilComplete raises; its coroutine is never awaited', () => {
    const coro1 = coroutine(function* coro1(): Coro<void> {
      yield* sleep(0);
    });
    const coro2 = coroutine(function* coro2(): Coro<void> {
      expect(loop.isRunning()).toBe(true);
      loop.runUntilComplete(coro1());
    });
    const log = warnings.catchWarnings({ record: true }, (w) => {
      warnings.simplefilter('always');
      // Oracle: RuntimeError('This event loop is already running'), then at collection
      // "coroutine 'coro1' was never awaited".
      expectThrows(() => loop.runUntilComplete(coro2()), RuntimeError, /^This event loop is already running$/);
      // A collection point that leaves the test's loop alone (it is the current loop).
      setEventLoop(loop);
      gcCollect();
      return w;
    });
    expect(log.map((w) => [w.category, String(w.message)])).toEqual([[warnings.RuntimeWarning, "coroutine 'coro1' was never awaited"]]);
    expect(String(log[0]!.message)).toMatch(/coroutine \S+ was never awaited/);
  });

  it('test_run_until_complete — runUntilComplete(sleep(0.1)) returns when the clock has moved 0.1 s', () => {
    const delay = 0.1;
    const t0 = loop.time();
    loop.runUntilComplete(sleep(delay));
    expect(loop.time() - t0).toBe(delay);
  });

  it('test_run_until_complete_stopped — stop() before the task is done raises RuntimeError', () => {
    function* cb(): Coro<void> {
      loop.stop();
      yield* sleep(0.1);
    }
    const task = cb();
    expectThrows(() => loop.runUntilComplete(task), RuntimeError, /^Event loop stopped before Future completed\.$/);
  });

  it('test_call_later — a callLater callback runs with its argument', () => {
    const results: string[] = [];
    const callback = (arg: string): void => {
      results.push(arg);
      loop.stop();
    };
    loop.callLater(0.1, callback, 'hello world');
    loop.runForever();
    expect(results).toEqual(['hello world']);
    expect(loop.time()).toBe(0.1);
  });

  it('test_call_soon — a callSoon callback runs with its arguments', () => {
    const results: [string, string][] = [];
    const callback = (arg1: string, arg2: string): void => {
      results.push([arg1, arg2]);
      loop.stop();
    };
    loop.callSoon(callback, 'hello', 'world');
    loop.runForever();
    expect(results).toEqual([['hello', 'world']]);
  });

  it('test_call_soon_threadsafe — a callback scheduled from another thread first runs first', () => {
    const results: string[] = [];
    const callback = (arg: string): void => {
      results.push(arg);
      if (results.length >= 2) loop.stop();
    };
    // The lock the thread releases after its call: a concurrent future here.
    const released = new ConcurrentFuture<boolean>();
    const t = new threading.Thread({
      target: function run_in_thread() {
        loop.callSoonThreadsafe(callback, 'hello');
        released.setResult(true);
      },
    });
    t.start();
    released.result();
    loop.callSoon(callback, 'world');
    loop.runForever();
    t.join();
    expect(results).toEqual(['hello', 'world']);
  });

  it('test_call_soon_threadsafe_same_thread — callSoonThreadsafe and callSoon share one FIFO', () => {
    const results: string[] = [];
    const callback = (arg: string): void => {
      results.push(arg);
      if (results.length >= 2) loop.stop();
    };
    loop.callSoonThreadsafe(callback, 'hello');
    loop.callSoon(callback, 'world');
    loop.runForever();
    expect(results).toEqual(['hello', 'world']);
  });

  it('test_run_in_executor — the job runs in another thread and its result comes back', () => {
    const run = (arg: string): [string, number] => [arg, threading.getIdent()];
    const f2 = loop.runInExecutor(undefined, run, 'yo');
    const [res, threadId] = loop.runUntilComplete(f2);
    expect(res).toBe('yo');
    expect(threadId).not.toBe(threading.getIdent());
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
  });

  it('test_run_in_executor_cancel — a cancelled job never calls back into the closed loop', () => {
    let called = false;
    const patchedCallSoon = (): never => {
      called = true;
      return undefined as never;
    };
    const run = (): void => void blockingSleep(0.05);
    const f2 = loop.runInExecutor(undefined, run);
    f2.cancel();
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
    loop.close();
    loop.callSoon = patchedCallSoon;
    loop.callSoonThreadsafe = patchedCallSoon;
    blockingSleep(0.4);
    expect(called).toBe(false);
  });

  it('test_add_signal_handler — argument checks, then a handled SIGINT, then the default handler restored', () => {
    let caught = 0;
    const myHandler = (): void => {
      caught += 1;
    };
    const NSIG = 65;
    expectThrows(() => loop.addSignalHandler('boom' as never, myHandler), TypeError);
    expectThrows(() => loop.removeSignalHandler('boom' as never), TypeError);
    expectThrows(() => loop.addSignalHandler(NSIG + 1, myHandler), ValueError);
    expectThrows(() => loop.removeSignalHandler(NSIG + 1), ValueError);
    expectThrows(() => loop.addSignalHandler(0, myHandler), ValueError);
    expectThrows(() => loop.removeSignalHandler(0), ValueError);
    expectThrows(() => loop.addSignalHandler(-1, myHandler), ValueError);
    expectThrows(() => loop.removeSignalHandler(-1), ValueError);
    expectThrows(() => loop.addSignalHandler(signals.SIGKILL, myHandler), RuntimeError);
    expect(loop.removeSignalHandler(signals.SIGKILL)).toBe(false);
    loop.addSignalHandler(signals.SIGINT, myHandler);
    signals.raiseSignal(signals.SIGINT);
    runUntil(loop, () => caught);
    expect(loop.removeSignalHandler(signals.SIGINT)).toBe(true);
    expect(signals.getsignal(signals.SIGINT)).toBe(signals.default_int_handler);
    expect(loop.removeSignalHandler(signals.SIGINT)).toBe(false);
  });

  it('test_signal_handling_while_selecting — a signal arriving while the loop waits runs its handler', () => {
    let caught = 0;
    const myHandler = (): void => {
      caught += 1;
      loop.stop();
    };
    loop.addSignalHandler(signals.SIGALRM, myHandler);
    signals.scheduleSignal(signals.SIGALRM, 0.01);
    loop.callLater(60, () => loop.stop());
    loop.runForever();
    expect(caught).toBe(1);
    expect(loop.time()).toBe(0.01);
    loop.removeSignalHandler(signals.SIGALRM);
  });

  it('test_signal_handling_args — the signal handler gets the arguments given to addSignalHandler', () => {
    const someArgs = [42];
    let caught = 0;
    const myHandler = (...args: unknown[]): void => {
      caught += 1;
      expect(args).toEqual(someArgs);
      loop.stop();
    };
    loop.addSignalHandler(signals.SIGALRM, myHandler, ...someArgs);
    signals.scheduleSignal(signals.SIGALRM, 0.1);
    loop.callLater(60, () => loop.stop());
    loop.runForever();
    expect(caught).toBe(1);
    loop.removeSignalHandler(signals.SIGALRM);
  });

  it('test_timeout_rounding — sleeps down to 1e-10 s take the ideal number of iterations', () => {
    // The selector reads world.hasEvents once per iteration: count the iterations.
    let iterations = 0;
    const original = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(world), 'hasEvents')!.get!;
    Object.defineProperty(world, 'hasEvents', {
      configurable: true,
      get() {
        iterations += 1;
        return original.call(world);
      },
    });
    function* wait(): Coro<void> {
      yield* sleep(1e-2);
      yield* sleep(1e-4);
      yield* sleep(1e-6);
      yield* sleep(1e-8);
      yield* sleep(1e-10);
    }
    try {
      loop.runUntilComplete(wait());
    } finally {
      delete (world as { hasEvents?: boolean }).hasEvents;
    }
    // Oracle (virtual clock): 12 calls of _run_once, final time 0.010101010099999998.
    expect(iterations).toBe(12);
    expect(iterations).toBeLessThanOrEqual(20);
    expect(loop.time()).toBe(0.010101010099999998);
  });

  it('test_close_running_event_loop — closing the running loop raises RuntimeError', () => {
    function* closeLoop(l: EventLoop): Coro<void> {
      l.close();
    }
    expectThrows(() => loop.runUntilComplete(closeLoop(loop)), RuntimeError, /^Cannot close a running event loop$/);
  });

  it('test_close — every scheduling or running operation of a closed loop raises RuntimeError', () => {
    loop.close();
    function* test(): Coro<void> {}
    const func = (): boolean => false;
    const coro = test();
    const closed = /^Event loop is closed$/;
    expectThrows(() => loop.runForever(), RuntimeError, closed);
    expectThrows(() => loop.runUntilComplete(loop.createFuture()), RuntimeError, closed);
    expectThrows(() => loop.callSoon(func), RuntimeError, closed);
    expectThrows(() => loop.callSoonThreadsafe(func), RuntimeError, closed);
    expectThrows(() => loop.callLater(1.0, func), RuntimeError, closed);
    expectThrows(() => loop.callAt(loop.time() + 0.0, func), RuntimeError, closed);
    expectThrows(() => loop.createTask(coro), RuntimeError, closed);
    expectThrows(() => loop.addSignalHandler(signals.SIGTERM, func), RuntimeError, closed);
    expectThrows(() => loop.runInExecutor(undefined, func), RuntimeError, closed);
    coro.return(undefined);
  });
});
