// Future: a result that will be set later, with done callbacks scheduled on the loop.
// Semantics and messages are those of CPython 3.13's C `_asyncio.Future`.
// asyncio: futures.Future (_asyncio.Future)

import { _checkContext, type Context } from '../contextvars/context.js';
import { _materialize, _snapshotContext, type CapturedContext } from '../contextvars/snapshot.js';
import { _contextArg } from '../contextvars/in-context.js';
import { CancelledError, InvalidStateError, RuntimeError, StopIteration } from '../errors/exceptions.js';
import { formatCallbackSource } from '../format/format-callback.js';
import { recursiveRepr, repr, reprSymbol } from '../format/py-repr.js';
import { reprlibRepr } from '../format/reprlib.js';
import { extractStack, lastFrameSite, type StackFrame } from '../format/stack.js';
import type { AbstractEventLoop, Callback } from '../events/abstract-loop.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import { _getRunningLoop, getEventLoop } from '../events/running-loop.js';
import { _tracer } from '../log/trace-hook.js';
import { FutureIter } from './future-iter.js';
import { _setCause, _setContext } from '../errors/chaining.js';
import { _markRaised, _markUnraised } from '../errors/raised.js';

/** @internal Future states (asyncio's _PENDING, _CANCELLED, _FINISHED). */
export const PENDING = 0;
/** @internal */ export const CANCELLED = 1;
/** @internal */ export const FINISHED = 2;
type State = typeof PENDING | typeof CANCELLED | typeof FINISHED;
const STATE_NAMES = ['pending', 'cancelled', 'finished'] as const;

/** Options of `new Future()`: the loop it belongs to (default: `getEventLoop()`). */
export interface FutureOptions {
  /** The loop (default, also for null: the current event loop). */
  loop?: AbstractEventLoop | null;
}

/** A done callback: called (through `loop.callSoon`) with the future. */
export type DoneCallback<F> = (future: F) => unknown;

/** Options of `addDoneCallback`. */
export interface DoneCallbackOptions {
  /** The context the callback runs in (default, also for null: a copy of the current one). */
  context?: Context | null;
}

// What then() asks of the running loop's current task (a Task: Task._takeAwait); any
// other current task object (asyncio lets one enter any) takes no await.
interface AwaitTaker {
  _takeAwait?(awaited: object, resolve: (value: any) => void, reject: (reason: unknown) => void): boolean;
}

function isExceptionClass(x: unknown): x is new () => Error {
  return typeof x === 'function' && x.prototype instanceof Error;
}

/**
 * An eventual result, set once with `setResult`, `setException` or `cancel`.
 *
 * Done callbacks are scheduled with `loop.callSoon` in registration order when the
 * future completes (or at once, through callSoon, when added to a done future).
 * `yield* fut` inside a coroutine suspends until the future is done and evaluates to
 * its result (or throws its exception).
 *
 * @example
 * const fut = loop.createFuture<number>();
 * loop.callLater(1, () => fut.setResult(42));
 * const value = yield* fut; // 42, at t=1
 * asyncio: asyncio.Future
 */
export class Future<T = unknown> {
  /** @internal */ _state: State = PENDING;
  /** @internal */ _result: T | undefined = undefined;
  /** @internal */ _exception: unknown = undefined;
  /** @internal */ _loop: AbstractEventLoop;
  // Invariant: _callback0 and _callbacks are set only while the future is pending.
  // As in the C Future, the first callback has a slot of its own (most futures get just
  // one: the awaiting task's wake-up) and the others a list; _callback0 is set only when
  // both are empty, so the registration order is _callback0, then _callbacks. Each
  // callback runs in its context: _context0 is _callback0's; _callbacks holds pairs,
  // a callback then its context (C: a list of (callback, context) tuples).
  /** @internal */ _callback0: Callback | undefined = undefined;
  /** @internal (A snapshot: a copy of the current context, not made yet; see Handle._context.) */
  _context0: CapturedContext | undefined = undefined;
  /** @internal */ _callbacks: (Callback | CapturedContext)[] | undefined = undefined;
  /** @internal */ _cancelMessage: unknown = undefined;
  /** @internal The CancelledError a task was cancelled with, re-raised by result(). */
  _cancelledExc: CancelledError | undefined = undefined;
  // Invariant: a future is in _unretrieved only while _logTraceback is true, so a
  // retrieved exception is not held until the next collection point (memory stays flat
  // over long runs that catch their failures).
  #logTraceback = false;
  /**
   * @internal True while a coroutine awaits this future through `yield*` and the task
   * has not taken it yet (asyncio's `_asyncio_future_blocking`).
   */
  _asyncioFutureBlocking = false;
  /** @internal */ _sourceTraceback: StackFrame[] | undefined;
  /** @internal Creation number: collection points report in creation order. */
  readonly _seq = _nextCreationSeq();

  constructor(options?: FutureOptions) {
    this._loop = options?.loop ?? getEventLoop();
    this._sourceTraceback = this._loop.getDebug() ? extractStack() : undefined;
  }

  /** @internal Whether an exception is set that nobody retrieved yet (C: fut_log_tb). */
  get _logTraceback(): boolean {
    return this.#logTraceback;
  }

  /** @internal */
  set _logTraceback(value: boolean) {
    if (value === this.#logTraceback) return;
    this.#logTraceback = value;
    if (value) _unretrieved.add(this);
    else _unretrieved.delete(this);
  }

  /** Return the loop the future is bound to. asyncio: Future.get_loop */
  getLoop(): AbstractEventLoop {
    return this._loop;
  }

  /** Return whether the future is done (has a result, an exception, or was cancelled). */
  done(): boolean {
    return this._state !== PENDING;
  }

  /** Return whether the future was cancelled. asyncio: Future.cancelled */
  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /**
   * Return the result, or throw the exception that was set.
   *
   * @throws CancelledError if the future was cancelled (with the cancel message).
   * @throws InvalidStateError `Result is not set.` while pending.
   * asyncio: Future.result
   */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state === PENDING) throw new InvalidStateError('Result is not set.');
    this._logTraceback = false;
    if (this._exception !== undefined) {
      _markRaised(this._exception);
      throw this._exception;
    }
    return this._result as T;
  }

  /**
   * Return the exception that was set, or undefined when a result was set.
   *
   * @throws CancelledError if the future was cancelled.
   * @throws InvalidStateError `Exception is not set.` while pending.
   * asyncio: Future.exception
   */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state === PENDING) throw new InvalidStateError('Exception is not set.');
    this._logTraceback = false;
    return this._exception;
  }

  /**
   * Mark the future done with a result and schedule its callbacks.
   *
   * @throws InvalidStateError `invalid state` if it is already done.
   * asyncio: Future.set_result
   */
  setResult(result: T): void {
    if (this._state !== PENDING) throw new InvalidStateError('invalid state');
    this._result = result;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  /**
   * Mark the future done with an exception and schedule its callbacks. An exception
   * class is instantiated with no arguments; a StopIteration is stored as a
   * RuntimeError caused by it, as CPython 3.13 does.
   *
   * @throws InvalidStateError `invalid state` if it is already done.
   * @throws TypeError `invalid exception object` for anything that is not an exception.
   * asyncio: Future.set_exception
   */
  setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError('invalid state');
    const exc = isExceptionClass(exception) ? new exception() : exception;
    if (!(exc instanceof Error)) throw new TypeError('invalid exception object');
    // Set, not raised: a logged traceback shows no frames for it (as Python's, which has none).
    _markUnraised(exc);
    if (exc instanceof StopIteration) {
      const err = new RuntimeError('StopIteration interacts badly with generators and cannot be raised into a Future');
      _setCause(err, exc);
      _setContext(err, exc);
      _markUnraised(err);
      this._setExceptionUnchecked(err);
      return;
    }
    this._setExceptionUnchecked(exc);
  }

  /**
   * @internal Set an exception that aiosim carries from elsewhere (another future, a
   * caught value made an exception by `_asException`), as it is: a thrown value that is
   * not an Error is an ordinary exception in aiosim, which setException refuses only
   * from callers, as CPython does.
   * @throws InvalidStateError `invalid state` if the future is already done.
   */
  _setExceptionCarried(exc: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError('invalid state');
    this._setExceptionUnchecked(exc);
  }

  /** @internal Store any thrown value as the exception (a task's coroutine may throw non-Errors). */
  _setExceptionUnchecked(exc: unknown): void {
    this._exception = exc;
    this._state = FINISHED;
    this._scheduleCallbacks();
    this._logTraceback = true;
  }

  /**
   * Cancel the future and schedule its callbacks. Returns false if it was already done.
   * The message reaches whoever awaits the future, as the CancelledError's message.
   * asyncio: Future.cancel
   */
  cancel(msg?: unknown): boolean {
    this._logTraceback = false;
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
    return true;
  }

  /**
   * Add a callback to run (with the future as its argument) when the future is done;
   * if it is already done, the callback is scheduled at once with `callSoon`. It runs in
   * `options.context`, by default in a copy of the context current now.
   *
   * @throws TypeError `an instance of Context was expected` for another `context`.
   * @example fut.addDoneCallback((f) => console.log(f.result()), { context: ctx });
   * asyncio: Future.add_done_callback
   */
  addDoneCallback(fn: DoneCallback<this>, options?: DoneCallbackOptions): void {
    const context = options?.context;
    if (context === undefined || context === null) this._addDoneCallback(fn as Callback, _snapshotContext());
    else this._addDoneCallback(fn as Callback, _checkContext(context));
  }

  /** @internal addDoneCallback with the context given (a task's wake-up: the task's). */
  _addDoneCallback(fn: Callback, context: CapturedContext): void {
    if (this._state !== PENDING) {
      this.#callSoon(fn, context);
    } else if (this._callbacks === undefined) {
      if (this._callback0 === undefined) {
        this._callback0 = fn;
        this._context0 = context;
      } else {
        this._callbacks = [fn, context];
      }
    } else {
      this._callbacks.push(fn, context);
    }
  }

  /**
   * Remove every registration of `fn` from the done callbacks; return how many were removed.
   * asyncio: Future.remove_done_callback
   */
  removeDoneCallback(fn: DoneCallback<this>): number {
    let removed = 0;
    if (this._callback0 !== undefined && this._callback0 === fn) {
      this._callback0 = undefined;
      this._context0 = undefined;
      removed = 1;
    }
    const callbacks = this._callbacks;
    if (callbacks === undefined) return removed;
    const kept: (Callback | CapturedContext)[] = [];
    for (let i = 0; i < callbacks.length; i += 2) {
      if (callbacks[i] !== fn) kept.push(callbacks[i]!, callbacks[i + 1]!);
    }
    if (kept.length < callbacks.length) {
      removed += (callbacks.length - kept.length) / 2;
      this._callbacks = kept.length === 0 ? undefined : kept;
    }
    return removed;
  }

  /** @internal The done callbacks, in registration order. */
  _doneCallbacks(): Callback[] {
    const out: Callback[] = this._callback0 === undefined ? [] : [this._callback0];
    const rest = this._callbacks;
    if (rest !== undefined) for (let i = 0; i < rest.length; i += 2) out.push(rest[i] as Callback);
    return out;
  }

  /** @internal Schedule every done callback with callSoon, in registration order. */
  _scheduleCallbacks(): void {
    if (_tracer !== undefined) _tracer.futureDone(this);
    const first = this._callback0;
    const callbacks = this._callbacks;
    // Take them first: a callSoon that adds or removes callbacks must not see them.
    this._callback0 = undefined;
    this._callbacks = undefined;
    if (first !== undefined) {
      const context = this._context0!;
      this._context0 = undefined;
      this.#callSoon(first, context);
    }
    if (callbacks === undefined) return;
    for (let i = 0; i < callbacks.length; i += 2) this.#callSoon(callbacks[i] as Callback, callbacks[i + 1] as CapturedContext);
  }

  // loop.callSoon(fn, this, inContext(context)), through the loop's allocation-free path when it has one.
  #callSoon(fn: Callback, context: CapturedContext): void {
    const loop = this._loop;
    if (loop._callSoonWith !== undefined) loop._callSoonWith(fn, this, context);
    else loop.callSoon(fn, this, _contextArg(_materialize(context)));
  }

  /** @internal The CancelledError to raise: the one a task ended with, else a new one. */
  _makeCancelledError(): CancelledError {
    const saved = this._cancelledExc;
    if (saved !== undefined) {
      this._cancelledExc = undefined;
      return saved;
    }
    const msg = this._cancelMessage;
    return msg === undefined || msg === null ? new CancelledError() : new CancelledError(msg);
  }

  /** Await the future: `const value = yield* fut`. asyncio: Future.__await__ */
  [Symbol.iterator](): Generator<Future<unknown>, T, unknown> {
    return new FutureIter<T>(this);
  }

  /**
   * Make the future a thenable. Inside an async-function coroutine (aiosim/testing's
   * `asyncCoroutine`), `await fut` is `yield* fut`: the task waits on the future. Anywhere
   * else the returned promise settles when the future is done (at once if it is: the
   * result, else the exception or a CancelledError, retrieved as `result()` retrieves it),
   * through a done callback while it is pending. `yield* fut` does not use it.
   *
   * @example const value = await fut; // in an asyncCoroutine function
   * asyncio: Future.__await__ (for `await` in async functions; an aiosim extra)
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const settled = new Promise<T>((resolve, reject) => {
      // Inside a task's step that the step driver runs (aiosim/testing's async functions),
      // `await fut` is that task's own await (task/step-driver.ts): the running task takes it.
      const task = _getRunningLoop()?._currentTask as AwaitTaker | undefined;
      if (task?._takeAwait?.(this, resolve, reject) === true) return;
      if (this._state !== PENDING) settleFrom(this, resolve, reject);
      else this.addDoneCallback(settleCallback(resolve, reject));
    });
    return settled.then(onFulfilled, onRejected);
  }

  /** @internal The words of the repr between the class name and `>`. */
  _reprInfo(): string[] {
    const info: string[] = [STATE_NAMES[this._state]];
    if (this._state === FINISHED) {
      if (this._exception !== undefined) info.push(`exception=${repr(this._exception)}`);
      else info.push(`result=${reprlibRepr(this._result)}`);
    }
    if (this._callback0 !== undefined || this._callbacks !== undefined) info.push(formatCallbacks(this._doneCallbacks()));
    if (this._sourceTraceback !== undefined && this._sourceTraceback.length > 0) {
      info.push(`created at ${lastFrameSite(this._sourceTraceback)}`);
    }
    return info;
  }

  /** Return asyncio's repr: `<Future pending cb=[...]>`, `<Future finished result=42>`. */
  toString(): string {
    return recursiveRepr(this, () => `<${this.constructor.name} ${this._reprInfo().join(' ')}>`);
  }

  [reprSymbol](): string {
    return this.toString();
  }
}

function settleFrom<T>(fut: Future<T>, resolve: (v: T) => void, reject: (e: unknown) => void): void {
  let value: T;
  try {
    value = fut.result();
  } catch (e) {
    reject(e);
    return;
  }
  resolve(value);
}

// The done callback of a then() on a pending future (`cb=[Future.then.<locals>.settle() at …]`).
function settleCallback<T>(resolve: (v: T) => void, reject: (e: unknown) => void): (f: Future<T>) => void {
  const settle = (f: Future<T>): void => settleFrom(f, resolve, reject);
  Object.defineProperty(settle, 'name', { value: 'Future.then.<locals>.settle' });
  return settle;
}

// asyncio: base_futures._format_callbacks (callbacks are shown without arguments).
function formatCallbacks(cbs: readonly Callback[]): string {
  const fmt = (cb: Callback): string => formatCallbackSource(cb, [], false);
  if (cbs.length === 1) return `cb=[${fmt(cbs[0]!)}]`;
  if (cbs.length === 2) return `cb=[${fmt(cbs[0]!)}, ${fmt(cbs[1]!)}]`;
  return `cb=[${fmt(cbs[0]!)}, <${cbs.length - 2} more>, ${fmt(cbs[cbs.length - 1]!)}]`;
}

/**
 * @internal Futures whose exception nobody retrieved yet (`_logTraceback`): a collection
 * point reports them, then forgets them; retrieving the exception forgets one at once.
 */
export const _unretrieved = new Set<Future<unknown>>();

/**
 * Return whether `obj` is a Future (or advertises itself as one, as asyncio's duck
 * typing allows, through `_asyncioFutureBlocking`).
 * asyncio: asyncio.isfuture
 */
export function isFuture(obj: unknown): obj is Future<unknown> {
  return obj instanceof Future || (typeof obj === 'object' && obj !== null && typeof (obj as Future)._asyncioFutureBlocking === 'boolean');
}
