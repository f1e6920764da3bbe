// Port of CPython 3.13's Lib/test/test_asyncio/test_events.py, loop-agnostic part: the
// generic EventLoopTestsMixin methods (run once here, not per selector), HandleTests,
// TimerTests, the policy-free part of PolicyTests and GetEventLoopTestsMixin. Threads,
// executors and signals are aiosim's simulated ones (`threading`, `blockingSleep`,
// `signals`). HandleTests/TimerTests give their handles a mock loop; here a minimal fake
// loop plays the mock. Values the CPython test does not spell out were printed by probes
// on the oracle (CPython 3.13.2) or, where the oracle cannot run the code (a default-policy
// loop, threads), on native CPython 3.13.0. Sockets, pipes, ptys, subprocesses and
// servers are out of scope: docs/cpython-tests/test_events.md lists every method.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConcurrentFuture, EventLoop, Handle, ProcessPoolExecutor, RuntimeError, TimerHandle, ValueError, blockingSleep, coroutine,
  gcCollect, getEventLoop, getRunningLoop, newEventLoop, repr, setEventLoop, signals, sleep, threading, warnings, world,
  type AbstractEventLoop, type Coro, type ExceptionContext,
} from '../../src/index.js';
import { _getRunningLoop, _inChildProcess } from '../../src/events/running-loop.js';
import { normaliseSites } from '../_support/capture.js';
import { expectThrows, runBriefly, siteHere } from './_support.js';

/** test_utils.run_until: run sleeps of growing length until `pred()` holds. */
function runUntil(l: EventLoop, pred: () => unknown): void {
  let delay = 0.001;
  for (let i = 0; i < 100 && !pred(); i++) {
    l.runUntilComplete(sleep(delay));
    delay = Math.max(delay * 2, 1.0);
  }
  expect(pred()).toBeTruthy();
}

/** A stand-in for the mock loop HandleTests and TimerTests give their handles. */
function fakeLoop(debug: boolean): AbstractEventLoop & { contexts: ExceptionContext[] } {
  const contexts: ExceptionContext[] = [];
  return {
    contexts,
    getDebug: () => debug,
    callExceptionHandler: (context: ExceptionContext) => void contexts.push(context),
    _timerHandleCancelled: () => undefined,
  } as unknown as AbstractEventLoop & { contexts: ExceptionContext[] };
}

function noop(..._args: unknown[]): void {}

let loop: EventLoop;

afterEach(() => {
  setEventLoop(undefined);
  world._reset();
});

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

describe('HandleTests', () => {
  it('test_handle — a Handle keeps its callback and arguments until cancelled', () => {
    const callback = (...args: unknown[]): unknown[] => args;
    const args: unknown[] = [];
    const h = new Handle(callback, args, fakeLoop(true));
    expect(h._callback).toBe(callback);
    expect(h._args).toEqual(args);
    expect(h.cancelled()).toBe(false);
    h.cancel();
    expect(h.cancelled()).toBe(true);
  });

  it('test_callback_with_exception — a failing callback reaches callExceptionHandler with the handle', () => {
    const callback = (): never => {
      throw new ValueError();
    };
    const fake = fakeLoop(true);
    const h = new Handle(callback, [], fake);
    h._run();
    expect(fake.contexts).toHaveLength(1);
    const context = fake.contexts[0]!;
    expect(Object.keys(context).sort()).toEqual(['exception', 'handle', 'message', 'source_traceback']);
    expect(context.message).toMatch(/^Exception in callback .*/);
    expect(context.exception).toBeInstanceOf(ValueError);
    expect(context.handle).toBe(h);
    expect(context.source_traceback).toBe(h._sourceTraceback);
  });

  it('test_handle_repr — outside debug mode the arguments are hidden; a cancelled handle is <Handle cancelled>', () => {
    const h = new Handle(noop, [1, 2], fakeLoop(false));
    expect(repr(h)).toMatch(/^<Handle noop\(\) at \S+test_events\.test\.ts:\d+(:\d+)?>$/);
    h.cancel();
    expect(repr(h)).toBe('<Handle cancelled>');
  });

  it('test_handle_repr_debug — in debug mode the arguments and creation site show, and cancel() freezes them', () => {
    const [h, created] = [new Handle(noop, [1, 2], fakeLoop(true)), siteHere()];
    const source = /noop\(1, 2\) at (\S+test_events\.test\.ts:\d+(?::\d+)?) created at/.exec(repr(h))?.[1];
    expect(repr(h)).toBe(`<Handle noop(1, 2) at ${source} created at ${created}>`);
    h.cancel();
    expect(repr(h)).toBe(`<Handle cancelled noop(1, 2) at ${source} created at ${created}>`);
    // A second cancel() does not overwrite the frozen repr.
    h.cancel();
    expect(repr(h)).toBe(`<Handle cancelled noop(1, 2) at ${source} created at ${created}>`);
  });

  it('test_handle_source_traceback — in debug mode every scheduling call records its call site', function test_handle_source_traceback() {
    const l = newEventLoop();
    l.setDebug(true);
    const check = (h: Handle, site: string): void => {
      expect(Array.isArray(h._sourceTraceback)).toBe(true);
      const last = h._sourceTraceback!.at(-1)!;
      expect(`${last.file}:${last.line}`).toBe(site);
      expect(last.name).toMatch(/test_handle_source_traceback/);
    };
    let [h, site] = [l.callSoon(noop), siteHere()];
    check(h, site);
    [h, site] = [l.callSoonThreadsafe(noop), siteHere()];
    check(h, site);
    [h, site] = [l.callLater(0, noop), siteHere()];
    check(h, site);
    [h, site] = [l.callAt(l.time(), noop), siteHere()];
    check(h, site);
    l.close();
  });
});

describe('TimerTests', () => {
  it('test_when — when() is the scheduled time', () => {
    const when = 12.5;
    const h = new TimerHandle(when, () => false, [], fakeLoop(false));
    expect(h.when()).toBe(when);
  });

  it('test_timer — a TimerHandle keeps callback and arguments; cancel() drops them', () => {
    const callback = (...args: unknown[]): unknown[] => args;
    const args = [1, 2, 3];
    const h = new TimerHandle(12.5, callback, args, fakeLoop(false));
    expect(h._callback).toBe(callback);
    expect(h._args).toBe(args);
    expect(h.cancelled()).toBe(false);
    h.cancel();
    expect(h.cancelled()).toBe(true);
    expect(h._callback).toBe(undefined);
    expect(h._args).toBe(undefined);
  });

  it('test_timer_repr — `when=` follows the class name; a cancelled timer keeps only it', () => {
    // CPython prints when=123 for the int 123; JavaScript numbers are floats (docs/divergences.md#the-loop).
    const h = new TimerHandle(123, noop, [], fakeLoop(false));
    expect(normaliseSites(repr(h))).toBe('<TimerHandle when=123.0 noop() at F:L>');
    h.cancel();
    expect(repr(h)).toBe('<TimerHandle cancelled when=123.0>');
    const g = new TimerHandle(123.25, noop, [], fakeLoop(false));
    expect(normaliseSites(repr(g))).toBe('<TimerHandle when=123.25 noop() at F:L>');
  });

  it('test_timer_repr_debug — in debug mode the creation site shows and survives cancel()', () => {
    const [h, created] = [new TimerHandle(123, noop, [], fakeLoop(true)), siteHere()];
    const source = /noop\(\) at (\S+test_events\.test\.ts:\d+(?::\d+)?) created at/.exec(repr(h))?.[1];
    expect(repr(h)).toBe(`<TimerHandle when=123.0 noop() at ${source} created at ${created}>`);
    h.cancel();
    expect(repr(h)).toBe(`<TimerHandle cancelled when=123.0 noop() at ${source} created at ${created}>`);
  });
});

describe('PolicyTests (through the module-level functions; policies are not in aiosim\'s contract)', () => {
  it('test_get_event_loop — with no loop ever set, getEventLoop() makes one and keeps returning it', () => {
    // A new DefaultEventLoopPolicy has no loop: aiosim's equivalent is a fresh per-thread
    // state, as a child process starts with (_inChildProcess). aiosim does not emit
    // CPython's DeprecationWarning 'There is no current event loop' (docs/divergences.md#the-loop).
    const [isLoop, same] = _inChildProcess(() => {
      const made = getEventLoop();
      const again = getEventLoop();
      made.close();
      return [made instanceof EventLoop, again === made];
    });
    expect([isLoop, same]).toEqual([true, true]);
  });

  it('test_get_event_loop_after_set_none — after setEventLoop(undefined), getEventLoop() raises RuntimeError', () => {
    setEventLoop(undefined);
    // Native CPython 3.13.0: RuntimeError("There is no current event loop in thread 'MainThread'.")
    expectThrows(() => getEventLoop(), RuntimeError, /^There is no current event loop in thread 'MainThread'\.$/);
  });

  it('test_get_event_loop_thread — in a thread other than the main one, getEventLoop() raises RuntimeError', () => {
    const errors: unknown[] = [];
    const th = new threading.Thread({
      target: function f() {
        try {
          getEventLoop();
        } catch (e) {
          errors.push(e);
        }
      },
    });
    th.start();
    th.join();
    // Native CPython 3.13.0: RuntimeError("There is no current event loop in thread 'Thread-1 (f)'.")
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RuntimeError);
    expect((errors[0] as Error).message).toMatch(/^There is no current event loop in thread 'Thread-\d+ \(f\)'\.$/);
  });

  it('test_new_event_loop — newEventLoop() returns a new loop', () => {
    const l = newEventLoop();
    expect(l).toBeInstanceOf(EventLoop);
    expect(l).not.toBe(newEventLoop());
    l.close();
  });

  it('test_set_event_loop — setEventLoop refuses a non-loop; the loop set is the one getEventLoop returns', () => {
    const oldLoop = newEventLoop();
    setEventLoop(oldLoop);
    // Native CPython 3.13.0: TypeError("loop must be an instance of AbstractEventLoop or None, not 'object'")
    expectThrows(() => setEventLoop({} as never), TypeError, /^loop must be an instance of AbstractEventLoop or None, not '\w+'$/);
    const l = newEventLoop();
    setEventLoop(l);
    expect(getEventLoop()).toBe(l);
    expect(getEventLoop()).not.toBe(oldLoop);
    l.close();
    oldLoop.close();
  });
});

describe('GetEventLoopTestsMixin', () => {
  it('test_get_event_loop_new_process — a process pool job can make, set and run its own loop', () => {
    const l = newEventLoop();
    setEventLoop(l);
    function subProc(): string {
      function* doit(): Coro<string> {
        return 'hello';
      }
      const child = newEventLoop();
      setEventLoop(child);
      const result = child.runUntilComplete(doit());
      child.close();
      return result;
    }
    function* main(): Coro<string> {
      const pool = new ProcessPoolExecutor();
      const result = yield* l.runInExecutor(pool, subProc);
      pool.shutdown();
      return result;
    }
    expect(l.runUntilComplete(main())).toBe('hello');
    l.close();
  });

  // Inside a task of `l`, every getter returns `l`.
  function expectRunningLoopIs(l: EventLoop): void {
    function* func(): Coro<void> {
      expect(getEventLoop()).toBe(l);
      expect(getRunningLoop()).toBe(l);
      expect(_getRunningLoop()).toBe(l);
    }
    l.runUntilComplete(func());
  }

  it('test_get_event_loop_returns_running_loop — inside a running loop every getter returns it; outside none runs', () => {
    const l = newEventLoop();
    setEventLoop(undefined);
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
    expectRunningLoopIs(l);
    l.close();
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
  });

  it('test_get_event_loop_returns_running_loop2 — the running loop wins over the current one, which set/unset controls', () => {
    const l = newEventLoop();
    const loop2 = newEventLoop();
    setEventLoop(loop2);
    expect(getEventLoop()).toBe(loop2);
    setEventLoop(undefined);
    expectThrows(() => getEventLoop(), RuntimeError, /no current/);
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
    expectRunningLoopIs(l);
    setEventLoop(l);
    expect(getEventLoop()).toBe(l);
    setEventLoop(undefined);
    expectThrows(() => getEventLoop(), RuntimeError, /no current/);
    l.close();
    loop2.close();
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
  });
});
