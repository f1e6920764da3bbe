// Port of CPython 3.13's Lib/test/test_asyncio/test_base_events.py, loop-agnostic part:
// the behaviour each test method checks, through aiosim's EventLoop. CPython drives a
// BaseEventLoop whose selector is a mock that returns at once; aiosim's selector moves the
// virtual clock by its timeout instead. One `_run_once` with the mock selector is
// `loop.stop(); loop.runForever()` here (timeout 0: the clock does not move), or
// `loop.advance(0)` when the test needs the selector's timeout computed but not waited.
// The selector call itself is observed by spying on the one read of `world.hasEvents`
// that each iteration makes in the virtual selector (CPython asserts on
// `_selector.select` calls). Values the CPython test does not spell out were printed by
// probes on the oracle (CPython 3.13.2). The socket, sendfile and subprocess methods are
// out of scope: docs/cpython-tests/test_base_events.md lists every method.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BaseException, EventLoop, Handle, KeyboardInterrupt, RuntimeError, SystemExit, Task, ThreadPoolExecutor, TimerHandle,
  ValueError, blockingSleep, coroutine, ConcurrentFuture, ensureFuture, gcCollect, getRunningLoop, logging, newEventLoop,
  setDevMode, setEventLoop, sleep, threading, warnings, world, type Coro, type ExceptionContext,
} from '../../src/index.js';
import { captureAsyncioLogs } from '../_support/capture.js';
import { AttributeError, ZeroDivisionError } from '../_support/python.js';
import { expectThrows, runBriefly, runOnce } from './_support.js';

/** One iteration whose selector returns at once (CPython's `loop._run_once()` with the mock selector). */
function runOnceNow(loop: EventLoop): void {
  loop.stop();
  loop.runForever();
}

/**
 * Record the loop's time each time an iteration reaches the virtual selector (the
 * selector reads `world.hasEvents` once per iteration). The spy answers as the world does.
 */
function spySelector(loop: EventLoop): { calls: number[]; restore: () => void } {
  const calls: number[] = [];
  const original = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(world), 'hasEvents')!.get!;
  Object.defineProperty(world, 'hasEvents', {
    configurable: true,
    get() {
      calls.push(loop.time());
      return original.call(world);
    },
  });
  return { calls, restore: () => void delete (world as { hasEvents?: boolean }).hasEvents };
}

function records(records: logging.LogRecord[]): [string, string, string | undefined][] {
  return records.map((r) => [r.levelname, r.getMessage(), (r.excInfo as Error | undefined)?.constructor.name]);
}

let loop: EventLoop;

beforeEach(() => {
  loop = new EventLoop();
  // test_utils.TestCase.set_event_loop: no current loop, the test passes its loop explicitly.
  setEventLoop(undefined);
});

afterEach(() => {
  if (!loop.isRunning() && !loop.isClosed()) loop.close();
  setEventLoop(undefined);
  world._reset();
});

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
    loop._scheduled.push(h1);
    loop._scheduled.push(h2);
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
    loop._scheduled.push(h);
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

  it('test_default_exc_handler_callback — a failing Handle or TimerHandle is logged as "Exception in callback"', () => {
    function zero_error(fut: { setResult(v: boolean): void }): void {
      fut.setResult(true);
      throw new ZeroDivisionError('division by zero');
    }
    const first = captureAsyncioLogs(() => {
      const fut = loop.createFuture<boolean>();
      loop.callSoon(zero_error, fut);
      fut.addDoneCallback(() => loop.stop());
      loop.runForever();
    });
    // Oracle: 'Exception in callback zero_error() at F:L\nhandle: <Handle zero_error() at F:L>'
    expect(records(first)).toEqual([
      ['ERROR', expect.stringMatching(/^Exception in callback zero_error\(\) at \S+\nhandle: <Handle zero_error\(\) at \S+>$/), 'ZeroDivisionError'],
    ]);
    const second = captureAsyncioLogs(() => {
      const fut = loop.createFuture<boolean>();
      loop.callLater(0.01, zero_error, fut);
      fut.addDoneCallback(() => loop.stop());
      loop.runForever();
    });
    // Oracle: '...\nhandle: <TimerHandle when=0.01 zero_error() at F:L>'
    expect(records(second)).toEqual([
      ['ERROR', expect.stringMatching(/^Exception in callback zero_error\(\) at \S+\nhandle: <TimerHandle when=0\.01 zero_error\(\) at \S+>$/), 'ZeroDivisionError'],
    ]);
  });

  it('test_default_exc_handler_coro — a task exception nobody retrieved is logged at collection', () => {
    function* zero_error_coro(): Coro<never> {
      yield* sleep(0.01);
      throw new ZeroDivisionError('division by zero');
    }
    const logs = captureAsyncioLogs(() => {
      let fut: Task<never> | undefined = ensureFuture(zero_error_coro(), { loop }) as Task<never>;
      fut.addDoneCallback(() => loop.stop());
      loop.runForever();
      fut = undefined;
      gcCollect();
    });
    // Oracle: "Task exception was never retrieved\nfuture: <Task finished name='Task-2' coro=<zero_error_coro() done, defined at F:L> exception=ZeroDivisionError('division by zero')>"
    expect(records(logs)).toEqual([
      ['ERROR', expect.stringMatching(/^Task exception was never retrieved\nfuture: <Task finished name='Task-\d+' coro=<zero_error_coro\(\) done, defined at \S+> exception=ZeroDivisionError\('division by zero'\)>$/), 'ZeroDivisionError'],
    ]);
  });

  it('test_set_exc_handler_invalid — setExceptionHandler refuses a non-callable', () => {
    expectThrows(() => loop.setExceptionHandler('spam' as never), TypeError, /^A callable object or None is expected, got 'spam'$/);
  });

  it('test_set_exc_handler_custom — the custom handler gets the context; once reset, the logger is used', () => {
    function zero_error(): void {
      throw new ZeroDivisionError('division by zero');
    }
    const runLoop = (): Handle => {
      const handle = loop.callSoon(zero_error);
      runOnceNow(loop);
      return handle;
    };
    loop.setDebug(true);
    expect(loop.getExceptionHandler()).toBe(undefined);
    const calls: [EventLoop, ExceptionContext][] = [];
    const mockHandler = (l: EventLoop, context: ExceptionContext): void => void calls.push([l, context]);
    loop.setExceptionHandler(mockHandler);
    expect(loop.getExceptionHandler()).toBe(mockHandler);
    const handle = runLoop();
    expect(calls).toHaveLength(1);
    const [l, context] = calls[0]!;
    expect(l).toBe(loop);
    expect(Object.keys(context).sort()).toEqual(['exception', 'handle', 'message', 'source_traceback']);
    expect(context.message).toMatch(/Exception in callback.*zero_error/);
    expect(context.handle).toBe(handle);
    expect(context.source_traceback).toBe(handle._sourceTraceback);
    calls.length = 0;

    loop.setExceptionHandler(undefined);
    const logs = captureAsyncioLogs(() => void runLoop());
    expect(logs).toHaveLength(1);
    expect(logs[0]!.levelname).toBe('ERROR');
    expect(logs[0]!.getMessage()).toMatch(/Exception in callback.*zero/);
    expect(logs[0]!.excInfo).toBeInstanceOf(ZeroDivisionError);
    expect(calls).toHaveLength(0);
  });

  it('test_set_exc_handler_broken — a handler that raises is reported as "Unhandled error in exception handler"', () => {
    const runLoop = (): void => {
      function zero_error(): void {
        throw new ZeroDivisionError('division by zero');
      }
      loop.callSoon(zero_error);
      runOnceNow(loop);
    };
    loop.setExceptionHandler(() => {
      throw new AttributeError('spam');
    });
    const logs = captureAsyncioLogs(runLoop);
    // Oracle: "Unhandled error in exception handler\ncontext: {'message': 'Exception in callback zero_error() at F:L', 'exception': ZeroDivisionError('division by zero'), 'handle': <Handle zero_error() at F:L>}"
    expect(records(logs)).toEqual([
      ['ERROR', expect.stringMatching(/^Unhandled error in exception handler\ncontext: \{'message': 'Exception in callback zero_error\(\) at \S+', 'exception': ZeroDivisionError\('division by zero'\), 'handle': <Handle zero_error\(\) at \S+>\}$/), 'AttributeError'],
    ]);
  });

  it('test_default_exc_handler_broken — a failing default handler is logged; with a failing custom one too', () => {
    let savedContext: ExceptionContext | undefined;
    class Loop extends EventLoop {
      override defaultExceptionHandler(context: ExceptionContext): void {
        savedContext = context;
        throw new ValueError('spam');
      }
    }
    const brokenLoop = new Loop();
    setEventLoop(brokenLoop);
    const runLoop = (): void => {
      function zero_error(): void {
        throw new ZeroDivisionError('division by zero');
      }
      brokenLoop.callSoon(zero_error);
      runOnceNow(brokenLoop);
    };
    const first = captureAsyncioLogs(runLoop);
    expect(records(first)).toEqual([['ERROR', 'Exception in default exception handler', 'ValueError']]);

    savedContext = undefined;
    brokenLoop.setExceptionHandler(() => {
      throw new ValueError('ham');
    });
    const second = captureAsyncioLogs(runLoop);
    expect(records(second)).toEqual([
      ['ERROR', 'Exception in default exception handler while handling an unexpected error in custom exception handler', 'ValueError'],
    ]);
    // The default handler got the original context under 'context'.
    expect(savedContext).toHaveProperty('context');
    expect((savedContext!.context as ExceptionContext).exception).toBeInstanceOf(ZeroDivisionError);
    brokenLoop.close();
  });

  it('test_set_task_factory_invalid — setTaskFactory refuses a non-callable and keeps none', () => {
    expectThrows(() => loop.setTaskFactory(1 as never), TypeError, /task factory must be a callable or None/);
    expect(loop.getTaskFactory()).toBe(undefined);
  });

  it('test_set_task_factory — createTask uses the factory until it is reset', () => {
    class MyTask<T> extends Task<T> {}
    function* coro(): Coro<void> {}
    const factory = (l: EventLoop, c: Generator<unknown, unknown, unknown>): Task<unknown> => new MyTask(c, { loop: l });
    expect(loop.getTaskFactory()).toBe(undefined);
    loop.setTaskFactory(factory as never);
    expect(loop.getTaskFactory()).toBe(factory);
    let task = loop.createTask(coro());
    expect(task).toBeInstanceOf(MyTask);
    loop.runUntilComplete(task);
    loop.setTaskFactory(undefined);
    expect(loop.getTaskFactory()).toBe(undefined);
    task = loop.createTask(coro());
    expect(task).toBeInstanceOf(Task);
    expect(task).not.toBeInstanceOf(MyTask);
    loop.runUntilComplete(task);
  });

  describe('test_env_var_debug — PYTHONASYNCIODEBUG and Development Mode turn debug mode on for new loops', () => {
    afterEach(() => {
      delete process.env.PYTHONASYNCIODEBUG;
      setDevMode(false);
    });

    it('is off by default and with an empty PYTHONASYNCIODEBUG', () => {
      delete process.env.PYTHONASYNCIODEBUG;
      const a = newEventLoop();
      process.env.PYTHONASYNCIODEBUG = '';
      const b = newEventLoop();
      expect([a.getDebug(), b.getDebug()]).toEqual([false, false]);
      a.close();
      b.close();
    });

    it('is on with PYTHONASYNCIODEBUG=1, and in Development Mode (-X dev)', () => {
      process.env.PYTHONASYNCIODEBUG = '1';
      const a = newEventLoop();
      delete process.env.PYTHONASYNCIODEBUG;
      setDevMode(true);
      const b = newEventLoop();
      expect([a.getDebug(), b.getDebug()]).toEqual([true, true]);
      a.close();
      b.close();
    });
  });

  it('test_create_task — ensureFuture(coro, {loop}) goes through the loop\'s createTask', () => {
    class MyTask<T> extends Task<T> {}
    class MyLoop extends EventLoop {
      override createTask<T>(c: Generator<unknown, T, unknown>): Task<T> {
        return new MyTask(c, { loop: this });
      }
    }
    const myLoop = new MyLoop();
    function* test(): Coro<void> {}
    const coro = test();
    const task = ensureFuture(coro, { loop: myLoop });
    expect(task).toBeInstanceOf(MyTask);
    (task as Task<void>)._logDestroyPending = false;
    coro.return(undefined);
    myLoop.close();
  });

  it('test_create_task_error_closes_coro — ensureFuture on a closed loop raises and closes the coroutine (no warning)', () => {
    const test = coroutine(function* test(): Coro<void> {});
    loop.close();
    const closed = newEventLoop();
    closed.close();
    const w = warnings.catchWarnings({ record: true }, (log) => {
      warnings.simplefilter('always');
      expectThrows(() => ensureFuture(test(), { loop: closed }), RuntimeError, /^Event loop is closed$/);
      gcCollect();
      return log;
    });
    expect(w).toHaveLength(0);
  });

  // test_create_named_task_with_*_factory: createTask(coro, {name}) on a new loop (with the
  // task factory `factory`, if any) gives a task of that name.
  function expectNamedTask(factory?: (l: EventLoop, c: Generator<unknown, unknown, unknown>) => Task<unknown>): void {
    function* test(): Coro<void> {}
    const l = newEventLoop();
    if (factory !== undefined) l.setTaskFactory(factory as never);
    const task = l.createTask(test(), { name: 'test_task' });
    try {
      expect(task.getName()).toBe('test_task');
    } finally {
      l.runUntilComplete(task);
      l.close();
    }
  }

  it('test_create_named_task_with_default_factory — createTask(coro, {name}) names the task', () => {
    expectNamedTask();
  });

  it('test_create_named_task_with_custom_factory — the name is set on the task a factory made', () => {
    expectNamedTask((l, c) => new Task(c, { loop: l }));
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

describe('RunningLoopTests', () => {
  it('test_running_loop_within_a_loop — running a loop inside a running loop raises RuntimeError', () => {
    function* runner(l: EventLoop): Coro<void> {
      l.runForever();
    }
    const inner = newEventLoop();
    const outer = newEventLoop();
    try {
      expectThrows(() => outer.runUntilComplete(runner(inner)), RuntimeError, /while another loop is running/);
    } finally {
      inner.close();
      outer.close();
    }
    expect(() => getRunningLoop()).toThrow(RuntimeError);
  });
});

// Keep the imported names used by the type checker even where only types matter.
void [BaseException];
