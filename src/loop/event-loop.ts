// The concrete event loop: CPython's BaseEventLoop scheduling (ready queue, timer heap,
// _run_once) and lifecycle. Who owns what:
// - the clock belongs to the loop's selector (virtual-selector.ts): only a wait moves it,
//   and the simulated threads that take their turns during a wait (through the world's
//   clock cell, while the loop runs); time() reads it;
// - an iteration runs to its end before the next one starts, with two exceptions, both
//   during a wait or a step: a simulated thread that blocks in its turn (fut.result(),
//   join()) while the selector waits lets the loop iterate below it, one whole iteration
//   at a time (#idle); and a task whose step an async-function coroutine deferred pauses
//   the iteration after that step until the step driver has ended it (_runForeverAsync);
// - signals, the default executor and the collection points have their own files.
// asyncio: base_events.BaseEventLoop

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { isExitException, RuntimeError, ValueError } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import type { AbstractEventLoop, Callback, ExceptionContext } from '../events/abstract-loop.js';
import { Handle, NO_ARGS, TimerHandle } from '../events/handle.js';
import { ReadyQueue } from '../events/ready-queue.js';
import {
  _getRunningLoop, _refreshOriginTracking, _setLoopFactory, _setRunningLoop, _setThreadNameLookup, getEventLoop as _getEventLoop,
  getRunningLoop as _getRunningLoopOrThrow,
} from '../events/running-loop.js';
import { heapify, heappop, heappush, popDueChoosing, type TieChooser } from '../events/timer-heap.js';
import { wrapFuture } from '../executor/chain-future.js';
import { _threadLag, currentThread } from '../executor/thread.js';
import type { ThreadPoolExecutor } from '../executor/thread-pool.js';
import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import { named } from '../format/named.js';
import { pyFloat, pyTypeName, repr } from '../format/py-repr.js';
import { Future, isFuture } from '../future/future.js';
import { logger } from '../log/asyncio-logger.js';
import { _tracer } from '../log/trace-hook.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import { _inChild, _setCurrentThreadIdent, getIdent, getProcessId, MAIN_THREAD_IDENT } from '../runtime/thread-ident.js';
import { world, type ClockCell, type IdleLoop } from '../runtime/world.js';
import { isCoroutine, type Coro } from '../task/coroutine.js';
import { ensureFuture, type CreateTaskOptions } from '../task/create-task.js';
import type { TaskFactory } from '../task/eager.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { Task } from '../task/task.js';
import { _isCoroutineFunction } from '../task/tracked-coroutine.js';
import { _alreadyRunning, ADVANCE, RUN_UNTIL_IDLE, type Driver } from './already-running.js';
import { _collectClosedLoop, _queuedOwners, _trackLoop } from './collection-points.js';
import { DefaultExecutor } from './default-executor.js';
import { logExceptionContext } from './exception-handler.js';
import { _clockOptions, _debugDefault, type EventLoopOptions, type TimeMode } from './loop-options.js';
import { checkSignal, SignalHandlers } from './signal-handlers.js';
import { MAXIMUM_SELECT_TIMEOUT, VirtualSelector } from './virtual-selector.js';

/** A custom exception handler: `(loop, context) => void`. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

// asyncio: base_events constants.
const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
// A JavaScript array keeps its capacity when items are popped: below this peak size the
// timer heap is never copied to give memory back (see #shrinkTimerHeap).
const SHRINK_HEAP_ABOVE = 1024;

// Real time, only for the opt-in measureRealTime mode.
function realSeconds(): number {
  return (globalThis as { performance?: { now(): number } }).performance!.now() / 1000;
}

// A coroutine() function is a coroutine function too, though not a generator function.
function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn.constructor?.name === 'GeneratorFunction' || _isCoroutineFunction(fn));
}

// asyncio: base_events._run_until_complete_cb (named as asyncio names it, for reprs)
const runUntilCompleteCb = named('_run_until_complete_cb', (fut: Future<unknown>): void => {
  if (!fut.cancelled()) {
    const exc = fut.exception();
    // run_forever() already stopped because the exception propagated out of it.
    if (isExitException(exc)) return;
  }
  fut.getLoop().stop();
});

// asyncio: base_events._format_handle — a task's step is shown as the task.
function formatHandle(handle: Handle): string {
  const owner = (handle._callback as MarkedCallback | undefined)?.[callbackSelf];
  return owner instanceof Task ? repr(owner) : String(handle);
}

/**
 * An asyncio event loop whose clock is virtual.
 *
 * Callbacks run in CPython's order: `callSoon` callbacks FIFO, one batch per iteration
 * (callbacks scheduled during a batch run in the next iteration), timers when their
 * deadline is reached, equal deadlines in heapq order. When nothing is ready, the
 * clock jumps to the next deadline instead of waiting. When nothing can ever happen
 * again while the loop is asked to wait, it throws StalledError naming what waits.
 *
 * @example
 * const loop = new EventLoop();
 * loop.callLater(2, () => console.log('at', loop.time()));
 * loop.runUntilComplete(loop.createTask(main()));
 * loop.close();
 * asyncio: asyncio.BaseEventLoop
 */
export class EventLoop implements AbstractEventLoop {
  /** @internal The selector: it waits, and owns the clock. asyncio: loop._selector */
  readonly _selector: VirtualSelector;
  /**
   * @internal Cancelled timers counted for compaction. As in asyncio it is not decremented
   * when a cancelled timer leaves the heap by becoming due, so it can run high.
   */
  _timerCancelledCount = 0;
  #closed = false;
  /** @internal Set by stop(): the loop stops after this iteration. asyncio: loop._stopping */
  _stopping = false;
  /** @internal */ readonly _ready = new ReadyQueue();
  /** @internal The timer heap (heapq order). */ _scheduled: TimerHandle[] = [];
  // The largest size the timer heap reached since it was last allocated.
  #heapPeak = 0;
  /**
   * @internal Set by aiosim/testing's schedule exploration: orders timers due with exactly
   * the same deadline (undefined in asyncio); unset, they fire in heapq order as in CPython.
   */
  _tieChooser: TieChooser | undefined;
  // The thread running the loop (asyncio's _thread_id); undefined while not running.
  #threadId: number | undefined;
  /** @internal */ readonly _clockResolution: number;
  #exceptionHandler: ExceptionHandler | undefined;
  #debug: boolean;
  /** In debug mode, callbacks taking at least this long (virtual seconds) are logged. */
  slowCallbackDuration = 0.1;
  /** @internal The handle being run (debug mode only). */ _currentHandle: Handle | undefined;
  #taskFactory: TaskFactory | undefined;
  /** @internal */ _currentTask: object | undefined;
  readonly #measureRealTime: boolean;
  // The world's clock cell before this loop started running (a loop may run inside another's thread).
  #outerClock: ClockCell | undefined;
  // How a simulated thread blocked in its turn lets this loop (waiting in its selector
  // below it on the stack) go on: one re-entrant iteration at a time.
  readonly #idle: IdleLoop = {
    nextWake: () => {
      if (this._stopping || this.#closed) return Infinity;
      const now = this._selector.now;
      if (this._ready.length > 0) return now;
      const head = this._scheduled[0];
      return head === undefined ? Infinity : Math.max(head._when, now);
    },
    iterate: () => {
      // The iteration runs on the loop's own thread, not on the blocked thread whose step
      // it interrupts: tasks there must see their running loop and the loop's clock.
      const previous = getIdent();
      _setCurrentThreadIdent(this.#threadId ?? MAIN_THREAD_IDENT);
      try {
        this.#runOnce();
      } finally {
        _setCurrentThreadIdent(previous);
      }
    },
  };
  readonly #signals = new SignalHandlers(this, (handle) => this.#addCallbackSignalsafe(handle));
  readonly #executor = new DefaultExecutor();
  #asyncgensShutdownCalled = false;
  /** @internal What runUntilComplete waits for (a stall names it). */
  _awaited: Future<unknown> | undefined;
  /** @internal See AbstractEventLoop._deferredStep. */ _deferredStep: object | undefined = undefined;
  // How many handles of the iteration paused by a deferred step are still to run.
  #pausedRest = 0;

  /** @internal Creation number: collection points report in creation order. */
  readonly _seq = _nextCreationSeq();
  readonly #pid = getProcessId();

  /**
   * @throws TypeError / ValueError for a `start` or `clockResolution` that is not a finite
   * number in range (see `_clockOptions`).
   */
  constructor(options?: EventLoopOptions) {
    const clock = _clockOptions(options);
    this._selector = new VirtualSelector(this, clock.start, this.#idle, options?.logSlowSelector === true);
    this._clockResolution = clock.resolution;
    this.#debug = options?.debug ?? _debugDefault();
    this.#measureRealTime = options?.measureRealTime === true;
    if (options?.timeMode != null) this.setTimeMode(options.timeMode);
    _trackLoop(this);
  }

  /** Return the loop's virtual time in seconds. asyncio: loop.time */
  time(): number {
    // In a simulated thread that has slept in an atomic stretch, time has moved on for it.
    const now = this._selector.now;
    return getIdent() === MAIN_THREAD_IDENT ? now : now + _threadLag();
  }

  toString(): string {
    return `<${this.constructor.name} running=${this.isRunning() ? 'True' : 'False'} closed=${this.#closed ? 'True' : 'False'} debug=${this.#debug ? 'True' : 'False'}>`;
  }

  // ---- scheduling -------------------------------------------------------------

  /**
   * Schedule `callback(...args)` for the next loop iteration and return its Handle.
   * Callbacks run in the order they were scheduled.
   *
   * @throws RuntimeError `Event loop is closed`.
   * @throws TypeError (debug mode) for a coroutine or a non-callable.
   * @example loop.callSoon(console.log, 'hello');
   * asyncio: loop.call_soon
   */
  callSoon(callback: Callback, ...args: unknown[]): Handle {
    this.#checkClosed();
    if (this.#debug) {
      this.#checkThread();
      this.#checkCallback(callback, 'call_soon');
    }
    const handle = new Handle(callback, args, this);
    this._ready.append(handle);
    // Traces link a handle to the step or callback that scheduled it (wake-up arrows).
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    return handle;
  }

  /** @internal See AbstractEventLoop._callSoonStep: the hot path of every task step. */
  _callSoonStep(handle: Handle | undefined, callback: Callback): Handle {
    // A callSoon replaced on the loop (a subclass, a test's patch) sees every step, as
    // CPython's tasks call loop.call_soon.
    if (this.#debug || this.callSoon !== EventLoop.prototype.callSoon) return this.callSoon(callback);
    this.#checkClosed();
    if (handle === undefined) handle = new Handle(callback, NO_ARGS, this);
    // A handle made in debug mode would otherwise keep its creation site.
    else handle._sourceTraceback = undefined;
    this._ready.append(handle);
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    return handle;
  }

  /**
   * Like callSoon; in CPython it may be called from another thread and wakes the loop.
   * asyncio: loop.call_soon_threadsafe
   */
  callSoonThreadsafe(callback: Callback, ...args: unknown[]): Handle {
    this.#checkClosed();
    if (this.#debug) this.#checkCallback(callback, 'call_soon_threadsafe');
    const handle = new Handle(callback, args, this);
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    const thread = currentThread();
    if (thread._debt > 0) {
      // An atomic thread body that slept makes this call that much later.
      world.schedule(world.now + thread._debt, () => this.#addCallbackSignalsafe(handle));
    } else {
      this.#addCallbackSignalsafe(handle);
    }
    return handle;
  }

  // asyncio: _add_callback_signalsafe, the append and the self-pipe write of
  // call_soon_threadsafe and of a signal's delivery (nothing once the loop is closed).
  #addCallbackSignalsafe(handle: Handle): void {
    if (this.#closed) return;
    this._ready.append(handle);
    this._selector.wake();
  }

  /**
   * Schedule `callback(...args)` to run `delay` seconds from now (virtual time).
   * A delay of 0 or less runs it on the next iteration, after ready callbacks.
   *
   * @throws TypeError `delay must not be None` / for a delay that is not a number.
   * @throws ValueError for a NaN delay (CPython corrupts its heap; aiosim refuses).
   * @example loop.callLater(1.5, () => fut.setResult('done'));
   * asyncio: loop.call_later
   */
  callLater(delay: number, callback: Callback, ...args: unknown[]): TimerHandle {
    if (delay === undefined || delay === null) throw new TypeError('delay must not be None');
    if (typeof delay !== 'number') {
      throw new TypeError(`unsupported operand type(s) for +: 'float' and '${pyTypeName(delay)}'`);
    }
    if (Number.isNaN(delay)) throw new ValueError('Invalid delay: NaN (not a number)');
    return this.callAt(this._selector.now + delay, callback, ...args);
  }

  /**
   * Schedule `callback(...args)` at virtual time `when` (the loop's clock).
   *
   * @throws TypeError `when cannot be None` / for a `when` that is not a number.
   * @throws ValueError for a NaN `when`.
   * @throws RuntimeError `Event loop is closed`.
   * asyncio: loop.call_at
   */
  callAt(when: number, callback: Callback, ...args: unknown[]): TimerHandle {
    if (when === undefined || when === null) throw new TypeError('when cannot be None');
    if (typeof when !== 'number') {
      throw new TypeError(`unsupported operand type(s) for -: '${pyTypeName(when)}' and 'float'`);
    }
    if (Number.isNaN(when)) throw new ValueError('Invalid when: NaN (not a number)');
    this.#checkClosed();
    if (this.#debug) {
      this.#checkThread();
      this.#checkCallback(callback, 'call_at');
    }
    const timer = new TimerHandle(when, callback, args, this);
    const heap = this._scheduled;
    heappush(heap, timer);
    if (heap.length > this.#heapPeak) this.#heapPeak = heap.length;
    timer._scheduled = true;
    if (_tracer !== undefined) _tracer.timerScheduled(timer);
    return timer;
  }

  /** @internal asyncio: loop._timer_handle_cancelled */
  _timerHandleCancelled(handle: TimerHandle): void {
    if (_tracer !== undefined) _tracer.timerCancelled(handle);
    if (handle._scheduled) this._timerCancelledCount++;
  }

  // asyncio: loop._check_thread (debug mode only): only the loop's thread may schedule.
  #checkThread(): void {
    if (this.#threadId === undefined) return;
    if (getIdent() !== this.#threadId) {
      throw new RuntimeError('Non-thread-safe operation invoked on an event loop other than the current one');
    }
  }

  // asyncio: loop._check_callback (debug mode only).
  #checkCallback(callback: unknown, method: string): void {
    if (isCoroutine(callback) || isGeneratorFunction(callback)) {
      throw new TypeError(`coroutines cannot be used with ${method}()`);
    }
    if (typeof callback !== 'function') {
      throw new TypeError(`a callable object was expected by ${method}(), got ${repr(callback)}`);
    }
  }

  #checkClosed(): void {
    if (this.#closed) throw new RuntimeError('Event loop is closed');
    if (_inChild && getProcessId() !== this.#pid) {
      throw new RuntimeError(`${repr(this)} belongs to another process: a process pool job runs in a child process and cannot use it`);
    }
  }

  // ---- futures and tasks ------------------------------------------------------

  /** Create a Future bound to this loop. asyncio: loop.create_future */
  createFuture<T = unknown>(): Future<T> {
    return new Future<T>({ loop: this });
  }

  /**
   * Wrap a coroutine in a Task scheduled on this loop (through the task factory if set).
   *
   * @throws RuntimeError `Event loop is closed`.
   * asyncio: loop.create_task
   */
  createTask<T>(coro: Generator<unknown, T, unknown>, options?: CreateTaskOptions): Task<T> {
    this.#checkClosed();
    if (this.#taskFactory === undefined) {
      return new Task<T>(coro, { loop: this, name: options?.name, context: options?.context });
    }
    const task = (options?.context === undefined
      ? this.#taskFactory(this, coro)
      : this.#taskFactory(this, coro, { context: options.context })) as Task<T>;
    // asyncio 3.13 sets the name even when none was given: such tasks are named 'None'.
    task.setName(options?.name);
    return task;
  }

  /**
   * Set the factory `createTask` uses (`(loop, coro, options?) => Task`), or undefined
   * for the default.
   *
   * @throws TypeError `task factory must be a callable or None`.
   * asyncio: loop.set_task_factory
   */
  setTaskFactory(factory: TaskFactory | undefined | null): void {
    if (factory !== undefined && factory !== null && typeof factory !== 'function') {
      throw new TypeError('task factory must be a callable or None');
    }
    this.#taskFactory = factory ?? undefined;
  }

  /** Return the task factory, or undefined for the default. asyncio: loop.get_task_factory */
  getTaskFactory(): TaskFactory | undefined {
    return this.#taskFactory;
  }

  // ---- running ----------------------------------------------------------------

  /** Return whether the loop is running. asyncio: loop.is_running */
  isRunning(): boolean {
    return this.#threadId !== undefined;
  }

  /** Return whether the loop was closed. asyncio: loop.is_closed */
  isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Stop the loop after the current iteration; if called before `runForever`, that
   * run does one iteration. asyncio: loop.stop
   */
  stop(): void {
    this._stopping = true;
  }

  #checkRunning(driver?: Driver): void {
    if (this.isRunning()) throw _alreadyRunning(this, driver);
    if (_getRunningLoop() !== undefined) throw new RuntimeError('Cannot run the event loop while another loop is running');
  }

  #runForeverSetup(driver?: Driver): void {
    this.#checkClosed();
    this.#checkRunning(driver);
    this.#threadId = getIdent();
    _setRunningLoop(this);
    // While it runs, this loop's clock is the virtual time simulated threads share.
    this.#outerClock = world._attach(this._selector.clockCell);
  }

  #runForeverCleanup(): void {
    this._stopping = false;
    this.#threadId = undefined;
    _setRunningLoop(undefined);
    world._detach(this.#outerClock);
  }

  // asyncio 3.13 exposes these three so that a custom driver can run the loop itself
  // (BaseEventLoop._run_forever_setup / _run_once / _run_forever_cleanup).
  /** @internal Start running the loop on this thread without iterating. */
  _runForeverSetup(): void {
    this.#runForeverSetup();
  }

  /** @internal Run one iteration, as asyncio's `_run_once`. */
  _runOnce(): void {
    this.#runOnce();
  }

  /** @internal Stop running the loop after `_runForeverSetup`. */
  _runForeverCleanup(): void {
    this.#runForeverCleanup();
  }

  /**
   * @internal runForever for async-function coroutines (aiosim/testing's async driver):
   * when a task's step is deferred (its coroutine goes on in microtasks), await
   * `endStep(task)`, which lets the microtasks run and ends the step, then run the rest
   * of the paused iteration. Everything else is runForever's.
   */
  async _runForeverAsync(endStep: (task: object) => Promise<void>): Promise<void> {
    this.#runForeverSetup();
    try {
      for (;;) {
        this.#runOnce();
        while (this._deferredStep !== undefined) {
          await endStep(this._deferredStep);
          if (this._deferredStep !== undefined) continue;
          const rest = this.#pausedRest;
          this.#pausedRest = 0;
          this.#runReady(rest);
        }
        if (this._stopping) break;
      }
    } finally {
      this.#pausedRest = 0;
      this.#runForeverCleanup();
    }
  }

  /**
   * Run iterations until `stop()` is called.
   *
   * @throws RuntimeError `Event loop is closed` / `This event loop is already running` /
   * `Cannot run the event loop while another loop is running`.
   * @throws StalledError when nothing is ready or scheduled, so nothing could ever stop it.
   * asyncio: loop.run_forever
   */
  runForever(): void {
    this.#runForeverSetup();
    try {
      for (;;) {
        this.#runOnce();
        if (this._stopping) break;
      }
    } finally {
      this.#runForeverCleanup();
    }
  }

  /**
   * Run until `future` (a Future, Task or coroutine, wrapped in a task) is done and
   * return its result or throw its exception.
   *
   * @throws RuntimeError `Event loop stopped before Future completed.` if stopped early.
   * @throws StalledError when the future can never complete: nothing is ready, no timer
   * is scheduled; the message names every pending task and what it waits for.
   * @example const value = loop.runUntilComplete(main());
   * asyncio: loop.run_until_complete
   */
  runUntilComplete<T>(future: Future<T> | Generator<unknown, T, unknown>): T {
    this.#checkClosed();
    this.#checkRunning();
    const newTask = !isFuture(future);
    const fut = ensureFuture(future, { loop: this });
    // The caller never sees this task: its failure is reported by the raise below.
    if (newTask) (fut as Task<T>)._logDestroyPending = false;
    fut.addDoneCallback(runUntilCompleteCb);
    const outer = this._awaited;
    this._awaited = fut;
    try {
      this.runForever();
    } catch (e) {
      // The coroutine raised a BaseException; consume it so that nothing logs it again.
      if (newTask && fut.done() && !fut.cancelled()) fut.exception();
      throw e;
    } finally {
      this._awaited = outer;
      fut.removeDoneCallback(runUntilCompleteCb);
    }
    if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
    return fut.result();
  }

  /**
   * Run everything due up to `now + seconds`, then leave the clock exactly there.
   * Timers due later stay scheduled. Not an asyncio API: for driving time from tests.
   *
   * @throws ValueError for a negative or non-finite number of seconds; TypeError for a
   * value that is not a number.
   */
  advance(seconds: number): void {
    checkNumber(seconds, 'advance() needs a finite number of seconds >= 0', finiteNonNegative);
    const selector = this._selector;
    const horizon = selector.now + seconds;
    this.#runForeverSetup(ADVANCE);
    selector.horizon = horizon;
    selector.reachedHorizon = false;
    try {
      for (;;) {
        this.#runOnce();
        if (this._stopping) break;
        // Done when the clock stands at the horizon and nothing is left to run there.
        if (selector.reachedHorizon && this._ready.length === 0) break;
        selector.reachedHorizon = false;
      }
    } finally {
      selector.horizon = undefined;
      this.#runForeverCleanup();
    }
  }

  /**
   * Run until nothing is ready and no timer is scheduled, moving the clock through
   * every timer; in the 'manual' time mode, until nothing is ready or due now, leaving
   * the clock where it is. Not an asyncio API: for tests.
   *
   * @throws RuntimeError when still busy after `maxIterations` iterations.
   * @throws ValueError / TypeError when `maxIterations` is not an integer >= 0 (NaN or
   * infinity would switch the guard against endless rescheduling off).
   */
  runUntilIdle(maxIterations = 1_000_000): void {
    checkNumber(maxIterations, 'runUntilIdle() needs an integer number of iterations >= 0', (n) => Number.isInteger(n) && n >= 0);
    this.#runForeverSetup(RUN_UNTIL_IDLE);
    try {
      for (let i = 0; ; i++) {
        // Manual time: idle when nothing is due now (later timers wait for advance()).
        if (this._ready.length === 0 && !(this._selector.manual ? this.#hasDueWork() : this.#hasLiveTimer())) break;
        if (i >= maxIterations) {
          throw new RuntimeError(`runUntilIdle(): the loop is still busy after ${maxIterations} iterations (t=${pyFloat(this._selector.now)}); something reschedules itself forever`);
        }
        this.#runOnce();
        if (this._stopping) break;
      }
    } finally {
      this.#runForeverCleanup();
    }
  }

  // The cancelled count may run high (asyncio does not decrement it when a cancelled
  // timer leaves the heap as due), so a count at or above the heap size proves nothing.
  #hasLiveTimer(): boolean {
    const heap = this._scheduled;
    return heap.length > this._timerCancelledCount || heap.some((h) => !h._cancelled);
  }

  // Whether a live timer or a simulated thread's step is due now.
  #hasDueWork(): boolean {
    const now = this._selector.now;
    const end = now + this._clockResolution;
    const next = world.nextTime();
    return (next !== undefined && next <= now) || this._scheduled.some((h) => !h._cancelled && h._when < end);
  }

  /**
   * Close the loop: pending callbacks and timers are dropped.
   *
   * @throws RuntimeError `Cannot close a running event loop`.
   * asyncio: loop.close
   */
  close(): void {
    if (this.isRunning()) throw new RuntimeError('Cannot close a running event loop');
    if (this.#closed) return;
    if (this.#debug) logger.debug('Close %r', this);
    this.#closed = true;
    // CPython frees here, by reference counting, the tasks only their queued step refers to.
    const queued = _queuedOwners(this._ready);
    this._ready.clear();
    this._scheduled = [];
    this.#heapPeak = 0;
    // asyncio (unix loop): closing removes the loop's signal handlers.
    for (const sig of this.#signals.signals()) this.removeSignalHandler(sig);
    this.#executor.close();
    this._selector.close();
    // A collection point: what CPython reports when it frees this loop's objects.
    _collectClosedLoop(this, queued);
  }

  // ---- signals -------------------------------------------------------------------

  /**
   * Run `callback(...args)` in the loop whenever signal `sig` arrives (main thread only).
   *
   * @throws TypeError `sig must be an int, not …` / for a coroutine callback.
   * @throws ValueError `invalid signal number …`.
   * @throws RuntimeError from another thread (`set_wakeup_fd only works in main thread of
   * the main interpreter`), or `sig 9 cannot be caught`.
   * asyncio: loop.add_signal_handler
   */
  addSignalHandler(sig: number, callback: Callback, ...args: unknown[]): void {
    if (isCoroutine(callback) || isGeneratorFunction(callback)) {
      throw new TypeError('coroutines cannot be used with add_signal_handler()');
    }
    checkSignal(sig);
    this.#checkClosed();
    this.#signals.add(sig, callback, args);
  }

  /**
   * Stop handling `sig` in the loop; return whether a handler was removed.
   * asyncio: loop.remove_signal_handler
   */
  removeSignalHandler(sig: number): boolean {
    checkSignal(sig);
    return this.#signals.remove(sig);
  }

  // ---- executors ---------------------------------------------------------------

  /**
   * Run `fn(...args)` on `executor` (undefined: the default ThreadPoolExecutor, made on
   * first use with thread names `asyncio_N`) and return a Future of its result; the
   * worker's completion reaches the loop through callSoonThreadsafe.
   *
   * @throws RuntimeError `Event loop is closed` / `Executor shutdown has been called`.
   * @example const data = yield* loop.runInExecutor(undefined, blockingIo, 'file');
   * asyncio: loop.run_in_executor
   */
  runInExecutor<T>(executor: ThreadPoolExecutor | undefined | null, fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): Future<T> {
    this.#checkClosed();
    // Generator functions are jobs that interleave (an aiosim extra), not coroutines.
    // A coroutine() function is refused as asyncio refuses coroutine functions.
    if (this.#debug && (typeof fn !== 'function' || _isCoroutineFunction(fn))) this.#checkCallback(fn, 'run_in_executor');
    const pool = executor ?? this.#executor.get();
    return wrapFuture(pool.submit(fn, ...args), { loop: this });
  }

  /**
   * Set the executor runInExecutor(undefined, …) uses.
   * @throws TypeError `executor must be ThreadPoolExecutor instance`.
   * asyncio: loop.set_default_executor
   */
  setDefaultExecutor(executor: ThreadPoolExecutor): void {
    this.#executor.set(executor);
  }

  /**
   * Finish the asynchronous generators the loop tracks (aiosim has none yet: async
   * generators are out of scope), and refuse new ones. asyncio: loop.shutdown_asyncgens
   */
  *shutdownAsyncgens(): Coro<void> {
    this.#asyncgensShutdownCalled = true;
  }

  /**
   * Shut the default executor down from a separate thread and wait (at most `timeout`
   * seconds) until its workers finished; refuse to make a new one afterwards. On
   * timeout, a RuntimeWarning says so and the executor is left to finish.
   * asyncio: loop.shutdown_default_executor
   */
  *shutdownDefaultExecutor(timeout?: number | null): Coro<void> {
    yield* this.#executor.shutdown(this, timeout);
  }

  // ---- debug ------------------------------------------------------------------

  /** Return whether debug mode is on. asyncio: loop.get_debug */
  getDebug(): boolean {
    return this.#debug;
  }

  /** Turn debug mode on or off. asyncio: loop.set_debug */
  setDebug(enabled: boolean): void {
    this.#debug = enabled;
    if (_getRunningLoop() === this) _refreshOriginTracking();
  }

  /** Return how the clock moves: 'auto' or 'manual'. Not an asyncio API: for tests. */
  getTimeMode(): TimeMode {
    return this._selector.manual ? 'manual' : 'auto';
  }

  /**
   * Set how the clock moves: 'auto' jumps to the next timer when idle; 'manual' moves it
   * only in `advance()`. Not an asyncio API: for tests.
   * @throws ValueError for any other mode.
   */
  setTimeMode(mode: TimeMode): void {
    if (mode !== 'auto' && mode !== 'manual') throw new ValueError(`time mode must be 'auto' or 'manual', got ${repr(mode)}`);
    this._selector.manual = mode === 'manual';
  }

  // ---- exception handling -----------------------------------------------------

  /**
   * Set the handler for errors the loop catches (`(loop, context) => void`), or
   * undefined for the default (log through the 'asyncio' logger).
   *
   * @throws TypeError `A callable object or None is expected, got …`.
   * asyncio: loop.set_exception_handler
   */
  setExceptionHandler(handler: ExceptionHandler | undefined | null): void {
    if (handler !== undefined && handler !== null && typeof handler !== 'function') {
      throw new TypeError(`A callable object or None is expected, got ${repr(handler)}`);
    }
    this.#exceptionHandler = handler ?? undefined;
  }

  /** Return the custom exception handler, or undefined. asyncio: loop.get_exception_handler */
  getExceptionHandler(): ExceptionHandler | undefined {
    return this.#exceptionHandler;
  }

  /**
   * Log the context as asyncio's default handler does: one ERROR record on the
   * 'asyncio' logger. asyncio: loop.default_exception_handler
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    logExceptionContext(context, this._currentHandle);
  }

  /**
   * Report an error: to the custom handler if set, else to the default handler.
   * A failing handler is itself reported; SystemExit and KeyboardInterrupt propagate.
   * asyncio: loop.call_exception_handler
   */
  callExceptionHandler(context: ExceptionContext): void {
    const handler = this.#exceptionHandler;
    if (handler === undefined) {
      try {
        this.defaultExceptionHandler(context);
      } catch (e) {
        if (isExitException(e)) throw e;
        logger.errorWithException(_asException(e), 'Exception in default exception handler');
      }
      return;
    }
    try {
      handler(this, context);
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      try {
        this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: _asException(exc), context });
      } catch (e) {
        if (isExitException(e)) throw e;
        logger.errorWithException(_asException(e), 'Exception in default exception handler while handling an unexpected error in custom exception handler');
      }
    }
  }

  // ---- one iteration ----------------------------------------------------------

  // asyncio: BaseEventLoop._run_once. The phase order is the specification.
  #runOnce(): void {
    const scheduled = this._scheduled;
    // 1. Drop cancelled timers: all of them when they are many, else those at the head.
    const schedCount = scheduled.length;
    if (schedCount > MIN_SCHEDULED_TIMER_HANDLES && this._timerCancelledCount / schedCount > MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      const kept: TimerHandle[] = [];
      for (const h of scheduled) {
        if (h._cancelled) h._scheduled = false;
        else kept.push(h);
      }
      heapify(kept);
      this._scheduled = kept;
      this.#heapPeak = kept.length;
      this._timerCancelledCount = 0;
    } else {
      while (scheduled.length > 0 && scheduled[0]!._cancelled) {
        this._timerCancelledCount--;
        heappop(scheduled)._scheduled = false;
      }
    }

    // 2. How long the selector may wait: 0 when work is ready or we are stopping.
    let timeout: number | null = null;
    if (this._ready.length > 0 || this._stopping) {
      timeout = 0;
    } else if (this._scheduled.length > 0) {
      timeout = this._scheduled[0]!._when - this._selector.now;
      if (timeout > MAXIMUM_SELECT_TIMEOUT) timeout = MAXIMUM_SELECT_TIMEOUT;
      else if (timeout < 0) timeout = 0;
    }

    // 3. "Wait" in the selector: the virtual clock moves by the timeout (nothing registers
    // a reader or writer yet, so no I/O event comes back to process).
    this._selector.select(timeout);
    if (_tracer !== undefined) _tracer.iteration(this);

    // 4. Timers due before now + resolution become ready.
    const endTime = this._selector.now + this._clockResolution;
    const heap = this._scheduled;
    if (this._tieChooser !== undefined) {
      // Schedule exploration: equal deadlines run "in an undefined order" (asyncio's docs).
      for (const h of popDueChoosing(heap, endTime, this._tieChooser)) {
        h._scheduled = false;
        this._ready.append(h);
      }
    }
    while (heap.length > 0) {
      const h = heap[0]!;
      if (h._when >= endTime) break;
      heappop(heap);
      h._scheduled = false;
      this._ready.append(h);
    }

    // 5. Run the handles ready now; those they schedule wait for the next iteration.
    this.#runReady(this._ready.length);

    // 6. (aiosim) Give memory back after a burst, as CPython's lists and deques do: a
    // timer heap down to a quarter of its peak is copied, the ready queue shrinks.
    if (this.#heapPeak > SHRINK_HEAP_ABOVE && this._scheduled.length < this.#heapPeak >> 2) this.#shrinkTimerHeap();
    this._ready.shrink();
  }

  // A copy has the capacity of its items only. Amortised O(1): the heap lost at least
  // three quarters of its peak since it was last allocated.
  #shrinkTimerHeap(): void {
    this._scheduled = this._scheduled.slice();
    this.#heapPeak = this._scheduled.length;
  }

  // Run the first `ntodo` ready handles (phase 5). A step an async-function coroutine
  // deferred goes on in microtasks after its handle: the iteration pauses there, and
  // _runForeverAsync runs the rest once the step has ended.
  #runReady(ntodo: number): void {
    const ready = this._ready;
    for (let i = 0; i < ntodo; i++) {
      const handle = ready.popleft();
      if (handle._cancelled) continue;
      if (_tracer !== undefined) _tracer.handleRun(handle);
      if (this.#debug) this.#runDebug(handle);
      else handle._run();
      if (_tracer !== undefined) _tracer.handleEnd(handle);
      if (this._deferredStep !== undefined) {
        this.#pausedRest = ntodo - i - 1;
        return;
      }
    }
  }

  #runDebug(handle: Handle): void {
    try {
      this._currentHandle = handle;
      const t0 = this._selector.now;
      const r0 = this.#measureRealTime ? realSeconds() : 0;
      handle._run();
      let dt = this._selector.now - t0;
      if (this.#measureRealTime) dt += realSeconds() - r0;
      if (dt >= this.slowCallbackDuration) {
        logger.warning('Executing %s took %.3f seconds', formatHandle(handle), dt);
      }
    } finally {
      this._currentHandle = undefined;
    }
  }

}
_libraryCoroutineMethods(EventLoop.prototype, {
  shutdownAsyncgens: 'BaseEventLoop.shutdown_asyncgens', shutdownDefaultExecutor: 'BaseEventLoop.shutdown_default_executor',
});

/**
 * Return the running event loop.
 *
 * @throws RuntimeError `no running event loop` when called outside a running loop.
 * @example const loop = getRunningLoop();
 * asyncio: asyncio.get_running_loop
 */
export function getRunningLoop(): EventLoop {
  return _getRunningLoopOrThrow() as EventLoop;
}

/**
 * Return the running loop, else the current loop, creating and setting one if none
 * was ever set.
 *
 * @throws RuntimeError when `setEventLoop(undefined)` was called and no loop runs.
 * asyncio: asyncio.get_event_loop
 */
export function getEventLoop(): EventLoop {
  return _getEventLoop() as EventLoop;
}

/** Create a new event loop. asyncio: asyncio.new_event_loop */
export function newEventLoop(options?: EventLoopOptions): EventLoop {
  return new EventLoop(options);
}

// The load-time bindings: the only edges that go up the layers (docs/architecture.md).
// Through them the loop basics create the policy's loop and name the current thread.
_setLoopFactory(() => new EventLoop());
_setThreadNameLookup(() => currentThread().name);
