// The concrete event loop's heart: CPython's BaseEventLoop scheduling (ready queue, timer
// queue), running, closing and _run_once. Its base class LoopServices (loop-services.ts)
// holds the API around the heart: debug mode, exception handler, task factory, executors,
// signal handlers, aiosim's drivers. Ground rules:
// - the clock belongs to the selector (virtual-selector.ts): only a wait moves it, and the
//   simulated threads that take their turns during one (through the world's clock cell,
//   while the loop runs); time() reads it;
// - an iteration runs to its end before the next one starts, with two exceptions: a
//   simulated thread that blocks in its turn while the selector waits (fut.result(),
//   join()) lets the loop iterate below it, one whole iteration at a time (#idle); and a
//   task whose step an async-function coroutine deferred pauses the iteration after that
//   step until the step driver has ended it (_runPausedRest, task/step-driver.ts).
// asyncio: base_events.BaseEventLoop

import { _materialize, type CapturedContext, type ContextOwner } from '../contextvars/snapshot.js';
import { _contextArg, _takeContextArg } from '../contextvars/in-context.js';
import { isExitException, RuntimeError, ValueError } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import type { AbstractEventLoop, Callback, ExceptionContext } from '../events/abstract-loop.js';
import { _handleIn, Handle, NO_ARGS, TimerHandle } from '../events/handle.js';
import { ReadyQueue } from '../events/ready-queue.js';
import {
  _getRunningLoop, _refreshOriginTracking, _setLoopFactory, _setRunningLoop, _setThreadNameLookup,
} from '../events/running-loop.js';
import type { TieChooser } from '../events/timer-heap.js';
import { TimerQueue } from '../events/timer-queue.js';
import { _threadLag, currentThread } from '../executor/thread.js';
import { named } from '../format/named.js';
import { pyTypeName, repr } from '../format/py-repr.js';
import { Future, isFuture } from '../future/future.js';
import { logger } from '../log/asyncio-logger.js';
import { _tracer } from '../log/trace-hook.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import { _inChild, _setCurrentThreadIdent, getIdent, getProcessId, MAIN_THREAD_IDENT } from '../runtime/thread-ident.js';
import { world, type ClockCell, type IdleLoop } from '../runtime/world.js';
import { ensureFuture, type CreateTaskOptions } from '../task/create-task.js';
import { Task } from '../task/task.js';
import { _alreadyRunning, type Driver } from './already-running.js';
import { _collectClosedLoop, _queuedOwners, _trackLoop } from './collection-points.js';
import { checkCallback, runTimed } from './debug-checks.js';
import { _clockOptions, _debugDefault, type EventLoopOptions } from './loop-options.js';
import { LoopServers } from './loop-servers.js';
import { processEvents } from './readers-writers.js';
import { MAXIMUM_SELECT_TIMEOUT, VirtualSelector } from './virtual-selector.js';

/** A custom exception handler: `(loop, context) => void`. */
export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

// asyncio: base_events._run_until_complete_cb (named as asyncio names it, for reprs)
const runUntilCompleteCb = named('_run_until_complete_cb', (fut: Future<unknown>): void => {
  if (!fut.cancelled()) {
    const exc = fut.exception();
    // run_forever() already stopped because the exception propagated out of it.
    if (isExitException(exc)) return;
  }
  fut.getLoop().stop();
});

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
export class EventLoop extends LoopServers implements AbstractEventLoop {
  /** @internal The selector: it waits, and owns the clock. asyncio: loop._selector */
  readonly _selector: VirtualSelector;
  #closed = false;
  /** @internal Set by stop(): the loop stops after this iteration. asyncio: loop._stopping */
  _stopping = false;
  /** @internal */ readonly _ready = new ReadyQueue();
  readonly #timers = new TimerQueue();
  // The thread running the loop (asyncio's _thread_id); undefined while not running.
  #threadId: number | undefined;
  /** @internal */ readonly _clockResolution: number;
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
      // A registered socket made ready by a delivery is work for now, as a ready handle is.
      if (this._ready.length > 0 || this._selector.hasReadyIO()) return now;
      const timers = this.#timers;
      return timers.empty ? Infinity : Math.max(timers.nextWhen(), now);
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
  // asyncio: BaseEventLoop._add_callback (the ready handle of a reader or a writer).
  readonly #addCallback = (handle: Handle): void => {
    if (handle._cancelled) return;
    this._ready.append(handle);
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
  };
  /** @internal What runUntilComplete waits for (a stall names it). */
  _awaited: Future<unknown> | undefined;
  /** @internal See AbstractEventLoop._deferredStep. */ _deferredStep: Task<unknown> | undefined = undefined;
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
    super(options?.debug ?? _debugDefault());
    const clock = _clockOptions(options);
    this._selector = new VirtualSelector(this, clock.start, this.#idle, options?.logSlowSelector === true);
    this._clockResolution = clock.resolution;
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

  /** @internal See LoopServices. */
  protected override get _self(): EventLoop {
    return this;
  }

  /** @internal The timer heap (heapq order). asyncio: loop._scheduled */
  get _scheduled(): readonly TimerHandle[] {
    return this.#timers.heap;
  }

  /** @internal See TimerQueue.cancelledCount. asyncio: loop._timer_cancelled_count */
  get _timerCancelledCount(): number {
    return this.#timers.cancelledCount;
  }

  /** @internal See TimerQueue.tieChooser (aiosim/testing's schedule exploration). */
  get _tieChooser(): TieChooser | undefined {
    return this.#timers.tieChooser;
  }

  /** @internal */
  set _tieChooser(chooser: TieChooser | undefined) {
    this.#timers.tieChooser = chooser;
  }

  override toString(): string {
    return `<${this.constructor.name} running=${this.isRunning() ? 'True' : 'False'} closed=${this.#closed ? 'True' : 'False'} debug=${this._debug ? 'True' : 'False'}>`;
  }

  // ---- scheduling -------------------------------------------------------------

  /**
   * Schedule `callback(...args)` for the next loop iteration and return its Handle.
   * Callbacks run in the order they were scheduled, each in a copy of the context current
   * now, or in the context given by a last argument `inContext(ctx)` (Python's `context=ctx`).
   *
   * @throws RuntimeError `Event loop is closed`.
   * @throws TypeError (debug mode) for a coroutine or a non-callable; for an `inContext()`
   * marker that is not the last argument.
   * @example loop.callSoon(console.log, 'hello');
   * asyncio: loop.call_soon
   */
  callSoon(callback: Callback, ...args: unknown[]): Handle {
    const context = args.length === 0 ? undefined : _takeContextArg(args, 'call_soon');
    this._checkClosed();
    if (this._debug) {
      this.#checkThread();
      checkCallback(callback, 'call_soon');
    }
    const handle = new Handle(callback, args, this, context);
    this._ready.append(handle);
    // Traces link a handle to the step or callback that scheduled it (wake-up arrows).
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    return handle;
  }

  /** @internal See AbstractEventLoop._callSoonStep: the hot path of every task step. */
  _callSoonStep(handle: Handle | undefined, callback: Callback, owner: ContextOwner): Handle {
    // A callSoon replaced on the loop (a subclass, a test's patch) sees every step, as
    // CPython's tasks call loop.call_soon.
    if (this._debug || this.callSoon !== EventLoop.prototype.callSoon) return this.callSoon(callback, _contextArg(owner.getContext()));
    this._checkClosed();
    // A reused handle is the same task's: it holds the task already.
    if (handle === undefined) handle = _handleIn(callback, NO_ARGS, this, owner);
    // A handle made in debug mode would otherwise keep its creation site.
    else handle._sourceTraceback = undefined;
    this._ready.append(handle);
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    return handle;
  }

  /** @internal See AbstractEventLoop._callSoonWith: every done callback of a future. */
  _callSoonWith(callback: Callback, arg: unknown, context: CapturedContext): Handle {
    if (this._debug || this.callSoon !== EventLoop.prototype.callSoon) return this.callSoon(callback, arg, _contextArg(_materialize(context)));
    this._checkClosed();
    const handle = _handleIn(callback, [arg], this, context);
    this._ready.append(handle);
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    return handle;
  }

  /**
   * Like callSoon (the context copied is the calling thread's); in CPython it may be
   * called from another thread and wakes the loop.
   * asyncio: loop.call_soon_threadsafe
   */
  callSoonThreadsafe(callback: Callback, ...args: unknown[]): Handle {
    const context = args.length === 0 ? undefined : _takeContextArg(args, 'call_soon_threadsafe');
    this._checkClosed();
    if (this._debug) checkCallback(callback, 'call_soon_threadsafe');
    const handle = new Handle(callback, args, this, context);
    if (_tracer !== undefined) _tracer.handleScheduled(handle);
    const thread = currentThread();
    if (thread._debt > 0) {
      // An atomic thread body that slept makes this call that much later.
      world.schedule(world.now + thread._debt, () => this._addCallbackSignalsafe(handle));
    } else {
      this._addCallbackSignalsafe(handle);
    }
    return handle;
  }

  // asyncio: _add_callback_signalsafe, the append and the self-pipe write of
  // call_soon_threadsafe and of a signal's delivery (nothing once the loop is closed).
  /** @internal */
  _addCallbackSignalsafe(handle: Handle): void {
    if (this.#closed) return;
    this._ready.append(handle);
    this._selector.wake();
  }

  /**
   * Schedule `callback(...args)` to run `delay` seconds from now (virtual time).
   * A delay of 0 or less runs it on the next iteration, after ready callbacks. A last
   * argument `inContext(ctx)` is Python's `context=ctx`, as for callSoon.
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
    // Through callAt, as asyncio's call_later calls self.call_at (a subclass may override
    // it); the marker is checked here first so that a misplaced one names call_later.
    const context = args.length === 0 ? undefined : _takeContextArg(args, 'call_later');
    if (context !== undefined) args.push(_contextArg(context));
    return this.callAt(this._selector.now + delay, callback, ...args);
  }

  /**
   * Schedule `callback(...args)` at virtual time `when` (the loop's clock), in a copy of
   * the current context or the one a last argument `inContext(ctx)` gives.
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
    const context = args.length === 0 ? undefined : _takeContextArg(args, 'call_at');
    this._checkClosed();
    if (this._debug) {
      this.#checkThread();
      checkCallback(callback, 'call_at');
    }
    const timer = new TimerHandle(when, callback, args, this, context);
    this._pushTimer(timer);
    return timer;
  }

  /** @internal Put a timer in the heap (ports of CPython's tests push handles they made). asyncio: heapq.heappush(loop._scheduled, timer) */
  _pushTimer(timer: TimerHandle): void {
    this.#timers.push(timer);
    if (_tracer !== undefined) _tracer.timerScheduled(timer);
  }

  /** @internal asyncio: loop._timer_handle_cancelled */
  _timerHandleCancelled(handle: TimerHandle): void {
    if (_tracer !== undefined) _tracer.timerCancelled(handle);
    this.#timers.cancelled(handle);
  }

  // asyncio: loop._check_thread (debug mode only): only the loop's thread may schedule.
  #checkThread(): void {
    if (this.#threadId === undefined) return;
    if (getIdent() !== this.#threadId) {
      throw new RuntimeError('Non-thread-safe operation invoked on an event loop other than the current one');
    }
  }

  /** @internal Refuse a closed loop, or one of another (simulated) process. */
  _checkClosed(): void {
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
    this._checkClosed();
    if (this._taskFactory === undefined) {
      return new Task<T>(coro, { loop: this, name: options?.name, context: options?.context });
    }
    // asyncio: the factory gets `context=` only when one was given.
    const context = options?.context;
    const task = (context === undefined || context === null
      ? this._taskFactory(this, coro)
      : this._taskFactory(this, coro, { context })) as Task<T>;
    // asyncio 3.13 sets the name even when none was given: such tasks are named 'None'.
    task.setName(options?.name);
    return task;
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

  // asyncio 3.13 exposes these so that a custom driver can run the loop itself
  // (BaseEventLoop._run_forever_setup / _run_once / _run_forever_cleanup); aiosim's own
  // drivers (drivers.ts) are built on them.
  /** @internal Start running the loop on this thread without iterating (`driver`: which of aiosim's, for errors). */
  _runForeverSetup(driver?: Driver): void {
    this._checkClosed();
    this.#checkRunning(driver);
    this.#threadId = getIdent();
    this._swapAsyncgenHooks(true);
    _setRunningLoop(this);
    // While it runs, this loop's clock is the virtual time simulated threads share.
    this.#outerClock = world._attach(this._selector.clockCell);
  }

  /** @internal Run one iteration, as asyncio's `_run_once`. */
  _runOnce(): void {
    this.#runOnce();
  }

  /** @internal Run the rest of the iteration a deferred step paused (the async driver). */
  _runPausedRest(): void {
    const rest = this.#pausedRest;
    this.#pausedRest = 0;
    this.#runReady(rest);
  }

  /** @internal Stop running the loop after `_runForeverSetup`. */
  _runForeverCleanup(): void {
    this._stopping = false;
    this.#pausedRest = 0;
    this.#threadId = undefined;
    _setRunningLoop(undefined);
    this._swapAsyncgenHooks(false);
    world._detach(this.#outerClock);
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
    this._runForeverSetup();
    try {
      for (;;) {
        this.#runOnce();
        if (this._stopping) break;
      }
    } finally {
      this._runForeverCleanup();
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
    this._checkClosed();
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
   * Close the loop: pending callbacks and timers are dropped.
   *
   * @throws RuntimeError `Cannot close a running event loop`.
   * asyncio: loop.close
   */
  close(): void {
    if (this.isRunning()) throw new RuntimeError('Cannot close a running event loop');
    if (this.#closed) return;
    if (this._debug) logger.debug('Close %r', this);
    this.#closed = true;
    // CPython frees here, by reference counting, the tasks only their queued step refers to.
    const queued = _queuedOwners(this._ready);
    this._ready.clear();
    this.#timers.clear();
    // The signal handlers go (asyncio's unix loop), the default executor shuts down.
    this._closeServices();
    this._selector.close();
    // A collection point: what CPython reports when it frees this loop's objects.
    _collectClosedLoop(this, queued);
  }

  // ---- one iteration ----------------------------------------------------------

  // asyncio: BaseEventLoop._run_once. The phase order is the specification.
  #runOnce(): void {
    const timers = this.#timers;
    // 1. Drop cancelled timers: all of them when they are many, else those at the head.
    timers.dropCancelled();

    // 2. How long the selector may wait: 0 when work is ready or we are stopping.
    let timeout: number | null = null;
    if (this._ready.length > 0 || this._stopping) {
      timeout = 0;
    } else if (!timers.empty) {
      timeout = timers.nextWhen() - this._selector.now;
      if (timeout > MAXIMUM_SELECT_TIMEOUT) timeout = MAXIMUM_SELECT_TIMEOUT;
      else if (timeout < 0) timeout = 0;
    }

    // 3. "Wait" in the selector: the virtual clock moves by the timeout, or to the
    // delivery that made a registered socket ready; the ready readers and writers are
    // scheduled.
    const events = this._selector.select(timeout);
    if (events.length > 0) processEvents(this, events, this.#addCallback);
    if (_tracer !== undefined) _tracer.iteration(this);

    // 4. Timers due before now + resolution become ready.
    timers.popDue(this._selector.now + this._clockResolution, this._ready);

    // 5. Run the handles ready now; those they schedule wait for the next iteration.
    this.#runReady(this._ready.length);

    // 6. (aiosim) Give memory back after a burst, as CPython's lists and deques do.
    timers.shrink();
    this._ready.shrink();
  }

  // Run the first `ntodo` ready handles (phase 5). A step an async-function coroutine
  // deferred goes on in microtasks after its handle: the iteration pauses there, and the
  // async driver (drivers.ts) runs the rest with _runPausedRest once the step has ended.
  #runReady(ntodo: number): void {
    const ready = this._ready;
    for (let i = 0; i < ntodo; i++) {
      const handle = ready.popleft();
      if (handle._cancelled) continue;
      if (_tracer !== undefined) _tracer.handleRun(handle);
      if (this._debug) runTimed(this, handle, this.#measureRealTime);
      else handle._run();
      if (_tracer !== undefined) _tracer.handleEnd(handle);
      if (this._deferredStep !== undefined) {
        this.#pausedRest = ntodo - i - 1;
        return;
      }
    }
  }
}

// The load-time bindings: the only edges that go up the layers (docs/architecture.md).
// Through them the loop basics create the policy's loop and name the current thread.
_setLoopFactory(() => new EventLoop());
_setThreadNameLookup(() => currentThread().name);
