// Task: runs a coroutine (a generator) step by step on the loop, as a Future of its
// result. Stepping follows CPython 3.13's C `_asyncio.Task` (task_step / task_wakeup).
// asyncio: tasks.Task (_asyncio.Task)

import { ProcessCounter } from '../runtime/thread-ident.js';
import { _checkContext, Context } from '../contextvars/context.js';
import {
  _holderContext, _materialize, _snapshotContext, type ContextSnapshot,
} from '../contextvars/snapshot.js';
import { _contextArg } from '../contextvars/in-context.js';
import { CancelledError, InvalidStateError, isExitException, RuntimeError } from '../errors/exceptions.js';
import { _escapeCoroutine } from '../errors/pep479.js';
import { _asException } from '../errors/raised.js';
import { callbackSelf, callbackText } from '../format/format-callback.js';
import { objectId, pyStr, repr } from '../format/py-repr.js';
import { generatorInfo } from '../format/source-location.js';
import type { StackFrame } from '../format/stack.js';
import { FINISHED, Future, isFuture, PENDING } from '../future/future.js';
import type { AbstractEventLoop, Callback } from '../events/abstract-loop.js';
import type { Handle } from '../events/handle.js';
import { _tracer } from '../log/trace-hook.js';
import { _promiseHint, formatCoroutine, isCoroutine } from './coroutine.js';
import { _driverTakesAwait, _enterEagerStep, _leaveEagerStep, DEFERRED_STEP } from './step-driver.js';
import {
  _enterTask, _leaveTask, _registerEagerTask, _registerOrphanTask, _registerTask, _swapCurrentTask, _unregisterEagerTask,
  _unregisterTask,
} from './current-task.js';

/** Options of `new Task()`. */
export interface TaskOptions {
  loop?: AbstractEventLoop | null;
  /** The task's name (default `Task-N`). */
  name?: unknown;
  /** The context every step runs in (default, also for null: a copy of the current one). */
  context?: Context | null;
  /** Run the first step synchronously inside the constructor when the loop is running. */
  eagerStart?: boolean | null;
}

// asyncio: one process-wide counter names unnamed tasks Task-1, Task-2, ... (each host's
// process has its own).
const taskNameCounter = new ProcessCounter();

// The C task's step callback shows as a TaskStepMethWrapper object (one shared text
// function: a closure per task would be one more allocation per task).
function stepWrapperText(this: Function): string {
  return `<_asyncio.TaskStepMethWrapper object at ${objectId(this)}>`;
}

/**
 * A coroutine scheduled to run on a loop, as a Future of its return value.
 *
 * Each step resumes the coroutine once (`next()`, or `throw()` to raise inside it), in
 * the task's context: a copy of the context current when the task was made, or the
 * `context` option (tasks given one context share it). A
 * `yield* future` suspends the task until the future is done; a bare `yield` gives up
 * one loop iteration; yielding anything else fails the step with asyncio's error.
 * `cancel()` throws CancelledError into the coroutine at its next step; the coroutine
 * may catch it and go on.
 *
 * @example
 * const task = createTask(work(), { name: 'worker' });
 * const value = yield* task;
 * asyncio: asyncio.Task
 */
export class Task<T = unknown> extends Future<T> {
  /** @internal The coroutine; undefined once an eager first step completed the task. */
  _coro: Generator<unknown, T, unknown> | undefined;
  /** @internal A string, or the counter value of a default `Task-N` name (formatted lazily). */
  _name: string | number;
  /** @internal */ _numCancelsRequested = 0;
  // Invariant (asyncio): while the task is pending, either _futWaiter is set and not done
  // and no step is scheduled (waiting), or a step is scheduled (ready), or neither and
  // the step is running. _mustCancel asks the next step to throw CancelledError.
  /** @internal */ _mustCancel = false;
  /** @internal */ _futWaiter: Future<unknown> | undefined = undefined;
  /** @internal Whether a step ran (collection points tell a started task from a new one). */
  _started = false;
  /** @internal False when nobody should be told the task was destroyed while pending. */
  _logDestroyPending = true;
  /** @internal The step callback (C: TaskStepMethWrapper), scheduled with callSoon. */
  readonly _stepCb: Callback;
  /** @internal The wake-up callback (C: Task.task_wakeup), added to awaited futures. */
  readonly _wakeupCb: Callback;
  /** @internal The handle of the last bare step (reused by the loop outside debug mode). */
  _stepHandle: Handle | undefined = undefined;
  /**
   * @internal The context every step runs in (its step handles and wake-ups hold the task
   * and read it when they run). Until something needs the Context itself (getContext(),
   * a step that sets a variable), the copy of the creator's context is only a snapshot.
   */
  _context: Context | ContextSnapshot;
  // The pending-task registry's links (current-task.ts), declared so every task has one shape.
  /** @internal */ _regPrev: Task<unknown> | undefined = undefined;
  /** @internal */ _regNext: Task<unknown> | undefined = undefined;
  /** @internal */ _regIn = false;

  constructor(coro: Generator<unknown, T, unknown>, options?: TaskOptions) {
    super(options?.loop == null ? undefined : { loop: options.loop });
    const step = (exc?: unknown): void => this.#step(exc);
    (step as Callback & { [callbackText]?: (this: Function) => string })[callbackText] = stepWrapperText;
    (step as Callback & { [callbackSelf]?: object })[callbackSelf] = this;
    const wakeup = (fut: Future<unknown>): void => this.#wakeup(fut);
    (wakeup as Callback & { [callbackText]?: string })[callbackText] = 'Task.task_wakeup';
    (wakeup as Callback & { [callbackSelf]?: object })[callbackSelf] = this;
    this._stepCb = step;
    this._wakeupCb = wakeup;
    this._coro = coro;
    if (!isCoroutine(coro)) {
      this._logDestroyPending = false;
      throw new TypeError(`a coroutine was expected, got ${repr(coro)}${_promiseHint(coro)}`);
    }
    const context = options?.context;
    if (context === undefined || context === null) {
      this._context = _snapshotContext();
    } else {
      if (!(context instanceof Context)) this._logDestroyPending = false;
      this._context = _checkContext(context);
    }
    const name = options?.name;
    this._name = name === undefined || name === null ? taskNameCounter.next() : pyStr(name);
    if (options?.eagerStart === true && this._loop.isRunning()) {
      this.#eagerStart();
    } else {
      try {
        this._stepHandle = this.#scheduleStep(this._loop);
      } catch (e) {
        // asyncio: the half-made task is freed at once and reported as destroyed pending.
        _registerOrphanTask(this);
        throw e;
      }
      _registerTask(this);
    }
  }

  /** Return the task's name. asyncio: Task.get_name */
  getName(): string {
    return typeof this._name === 'number' ? `Task-${this._name}` : this._name;
  }

  /** Set the task's name (`str(value)`: undefined gives 'None', as in Python). asyncio: Task.set_name */
  setName(value: unknown): void {
    this._name = pyStr(value);
  }

  /** Return the context the task's steps run in. asyncio: Task.get_context */
  getContext(): Context {
    return _holderContext(this);
  }

  /** Return the coroutine, or undefined once an eager first step finished it. asyncio: Task.get_coro */
  getCoro(): Generator<unknown, T, unknown> | undefined {
    return this._coro;
  }

  /**
   * Return the task's frames: the one frame where the coroutine is suspended while
   * pending (CPython also returns only one), the exception's frames if it failed, else none.
   * asyncio: Task.get_stack
   */
  getStack(): StackFrame[] {
    if (!this.done() && this._coro !== undefined) {
      const info = generatorInfo(this._coro);
      const colon = info.site.lastIndexOf(':');
      return [{ file: info.site.slice(0, colon), line: Number(info.site.slice(colon + 1)), name: info.name ?? '<unknown>' }];
    }
    if (this._state === FINISHED && this._exception instanceof Error && typeof this._exception.stack === 'string') {
      const frames: StackFrame[] = [];
      for (const line of this._exception.stack.split('\n')) {
        const m = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/.exec(line);
        if (m && m[2] !== undefined) frames.push({ file: m[2], line: Number(m[3]), name: m[1] ?? '<module>' });
      }
      return frames.reverse();
    }
    return [];
  }

  /** @throws RuntimeError a Task's result comes from its coroutine. asyncio: Task.set_result */
  override setResult(_result: T): never {
    throw new RuntimeError('Task does not support set_result operation');
  }

  /** @throws RuntimeError a Task's exception comes from its coroutine. asyncio: Task.set_exception */
  override setException(_exception: unknown): never {
    throw new RuntimeError('Task does not support set_exception operation');
  }

  /**
   * Request cancellation: the awaited future is cancelled (with `msg`), or, if the task
   * is not waiting, CancelledError is thrown in at its next step. Returns false only if
   * the task is already done. Each call adds one to `cancelling()`.
   * asyncio: Task.cancel
   */
  override cancel(msg?: unknown): boolean {
    this._logTraceback = false;
    if (this._state !== PENDING) return false;
    this._numCancelsRequested++;
    // The waiter keeps its place: a task that swallows the cancellation may need it again.
    if (this._futWaiter !== undefined && this._futWaiter.cancel(msg)) return true;
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /** Return the number of pending cancellation requests. asyncio: Task.cancelling */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /**
   * Withdraw one cancellation request and return how many remain; at zero a pending
   * "cancel at next step" is withdrawn too (3.13).
   * asyncio: Task.uncancel
   */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested--;
      if (this._numCancelsRequested === 0) this._mustCancel = false;
    }
    return this._numCancelsRequested;
  }

  // asyncio: Task.__eager_start — the first step runs now, inside createTask, in the
  // task's context; the creator's context is current again afterwards.
  #eagerStart(): void {
    const loop = this._loop;
    // (An eager task makes its Context at once: a snapshot's would be made by most first
    // steps anyway, and this path is not the loop's hot one.)
    const ctx = this._context instanceof Context ? this._context : (this._context = _materialize(this._context));
    try {
      // CPython 3.13 enters the context after making this the current task, and leaves
      // that state behind when it fails: aiosim enters first (docs/divergences.md).
      ctx._enter();
    } catch (e) {
      _registerOrphanTask(this);
      throw e;
    }
    const prev = _swapCurrentTask(loop, this);
    _registerEagerTask(this);
    const outer = _enterEagerStep(this);
    try {
      this.#stepBody(undefined);
    } finally {
      _leaveEagerStep(outer);
      if (_tracer !== undefined) _tracer.stepEnd(this);
      _swapCurrentTask(loop, prev);
      _unregisterEagerTask(this);
      ctx._exit();
      if (this._state !== PENDING) this._coro = undefined;
      else _registerTask(this);
    }
  }

  // asyncio: Task.__step — called through the loop with no argument, or with the
  // exception to throw into the coroutine.
  #step(exc?: unknown): void {
    if (this._state !== PENDING) {
      throw new InvalidStateError(`_step(): already done: ${repr(this)} ${repr(exc)}`);
    }
    if (this._mustCancel) {
      if (!(exc instanceof CancelledError)) exc = this._makeCancelledError();
      this._mustCancel = false;
    }
    this._futWaiter = undefined;
    const loop = this._loop;
    _enterTask(loop, this);
    try {
      this.#stepBody(exc);
    } finally {
      // A deferred step is still running: _endDeferredStep leaves the task.
      if (loop._deferredStep !== this) {
        _leaveTask(loop, this);
        if (_tracer !== undefined) _tracer.stepEnd(this);
      }
    }
  }

  /**
   * @internal `await awaited` in JavaScript (a Future's then()) while this task is the
   * running one: the step driver takes it as the step's own await, or not (no driver, or
   * no deferred step of the driver's running). See step-driver.ts.
   */
  _takeAwait(awaited: object, resolve: (value: any) => void, reject: (reason: unknown) => void): boolean {
    return _driverTakesAwait(awaited, resolve, reject);
  }

  /**
   * @internal End a step its coroutine deferred (DEFERRED_STEP, step-driver.ts): take the outcome the
   * coroutine has now (what it awaits, its result or its exception), as the step would
   * have had it. The outcome may defer the step again.
   */
  _endDeferredStep(): void {
    const loop = this._loop;
    if (loop._deferredStep !== this) throw new RuntimeError(`_endDeferredStep(): no deferred step of ${repr(this)}`);
    loop._deferredStep = undefined;
    try {
      // (The async driver holds the task's context while the step is deferred.)
      let r: IteratorResult<unknown, T>;
      try {
        r = this._coro!.next();
      } catch (thrown) {
        this.#finishWithError(thrown);
        return;
      }
      this.#afterResume(r);
    } finally {
      if (loop._deferredStep !== this) {
        _leaveTask(loop, this);
        if (_tracer !== undefined) _tracer.stepEnd(this);
      }
    }
  }

  // One resume of the coroutine and what follows from its outcome.
  #stepBody(exc: unknown): void {
    const coro = this._coro!;
    if (_tracer !== undefined) _tracer.stepStart(this, exc);
    this._started = true;
    let r: IteratorResult<unknown, T>;
    try {
      r = exc === undefined ? coro.next() : coro.throw(exc);
    } catch (thrown) {
      this.#finishWithError(thrown);
      return;
    }
    this.#afterResume(r);
  }

  // The coroutine returned or yielded: finish the task or suspend it.
  #afterResume(r: IteratorResult<unknown, T>): void {
    if (r.done === true) {
      _unregisterTask(this);
      if (this._mustCancel) {
        // Cancelled right before the coroutine returned.
        this._mustCancel = false;
        super.cancel(this._cancelMessage);
      } else {
        super.setResult(r.value);
      }
      return;
    }
    this.#handleYield(r.value);
  }

  #finishWithError(thrown: unknown): void {
    _unregisterTask(this);
    if (thrown instanceof CancelledError) {
      // Kept so that result() re-raises this very exception (its chain included).
      this._cancelledExc = thrown;
      super.cancel();
      return;
    }
    // Any thrown value is the task's exception, as it is (undefined and null, which
    // cannot be told from no exception, become TypeError; a stack overflow RecursionError;
    // a StopIteration, which escaped the coroutine's frame, RuntimeError as PEP 479 says).
    const exc = _escapeCoroutine(_asException(thrown));
    this._setExceptionUnchecked(exc);
    if (isExitException(exc)) throw exc;
  }

  // What the coroutine yielded decides how the task resumes (C: task_step_handle_result_impl).
  #handleYield(result: unknown): void {
    const loop = this._loop;
    if (result === this) {
      this.#stepSoonWith(new RuntimeError(`Task cannot await on itself: ${repr(this)}`));
    } else if (result === undefined || result === null) {
      // A bare yield gives up one loop iteration.
      this._stepHandle = this.#scheduleStep(loop);
    } else if (isFuture(result)) {
      if (result._loop !== loop) {
        this.#stepSoonWith(new RuntimeError(`Task ${repr(this)} got Future ${repr(result)} attached to a different loop`));
      } else if (!result._asyncioFutureBlocking) {
        this.#stepSoonWith(new RuntimeError(`yield was used instead of yield from in task ${repr(this)} with ${repr(result)}`));
      } else {
        result._asyncioFutureBlocking = false;
        // The wake-up runs in the task's context (as the C Task, through the internal
        // path unless the future's addDoneCallback was replaced).
        if (result.addDoneCallback === Future.prototype.addDoneCallback) result._addDoneCallback(this._wakeupCb, this);
        else result.addDoneCallback(this._wakeupCb, { context: this.getContext() });
        this._futWaiter = result;
        // The wake-up schedules its own handle: a task waiting on a future need not hold
        // its last step's (88 bytes per pending task; a later bare yield makes one again).
        this._stepHandle = undefined;
        if (this._mustCancel && result.cancel(this._cancelMessage)) this._mustCancel = false;
      }
    } else if (isCoroutine(result)) {
      // asyncio: a coroutine object yielded is a bad yield (its "instead of yield from"
      // message is for generators, which a translated program cannot have). `yield` for
      // `yield*` is a JavaScript slip: a hint follows asyncio's text.
      this.#stepSoonWith(new RuntimeError(`Task got bad yield: ${repr(result)} (await a coroutine with yield*, not yield)`));
    } else if (result === DEFERRED_STEP) {
      // An async-function coroutine's step goes on in microtasks: the loop pauses after this handle.
      loop._deferredStep = this;
    } else {
      this.#stepSoonWith(new RuntimeError(`Task got bad yield: ${repr(result)}${_promiseHint(result)}`));
    }
  }

  // callSoon(step, inContext(task's context)), through the loop's allocation-free path when it has one.
  #scheduleStep(loop: AbstractEventLoop): Handle {
    return loop._callSoonStep === undefined
      ? loop.callSoon(this._stepCb, _contextArg(this.getContext()))
      : loop._callSoonStep(this._stepHandle, this._stepCb, this);
  }

  // The next step throws `exc` in (C: task_call_step_soon with an argument).
  #stepSoonWith(exc: RuntimeError): void {
    const loop = this._loop;
    if (loop._callSoonWith !== undefined) loop._callSoonWith(this._stepCb, exc, this);
    else loop.callSoon(this._stepCb, exc, _contextArg(this.getContext()));
  }

  // asyncio: Task.__wakeup — the awaited future is done; resume with its outcome.
  #wakeup(fut: Future<unknown>): void {
    if (fut._state === FINISHED && fut._exception === undefined) {
      this.#step();
      return;
    }
    let exc: unknown;
    try {
      fut.result();
    } catch (e) {
      // A future-like object's result() may throw undefined: it must not resume as a result.
      exc = _asException(e);
    }
    this.#step(exc);
  }

  /** @internal asyncio: base_tasks._task_repr_info */
  override _reprInfo(): string[] {
    const info = super._reprInfo();
    if (this._numCancelsRequested > 0 && this._state === PENDING) info[0] = 'cancelling';
    info.splice(1, 0, `name=${repr(this.getName())}`);
    if (this._futWaiter !== undefined) info.splice(2, 0, `wait_for=${repr(this._futWaiter)}`);
    if (this._coro !== undefined) info.splice(2, 0, `coro=<${formatCoroutine(this._coro)}>`);
    return info;
  }
}
