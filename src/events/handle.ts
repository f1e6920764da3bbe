// Handle and TimerHandle: a scheduled callback, as returned by callSoon/callLater/callAt.
// asyncio: events.Handle, events.TimerHandle

import { Context } from '../contextvars/context.js';
import {
  _endBorrowed, _enterSnapshot, _exitSnapshot, _heldByCurrent, _isSnapshot, _holderContext, _lend, _snapshotContext,
  type CapturedContext, type ContextOwner, type ContextSnapshot,
} from '../contextvars/snapshot.js';
import { isExitException } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { formatCallbackSource } from '../format/format-callback.js';
import { pyFloat, pyTypeName, reprSymbol } from '../format/py-repr.js';
import { extractStack, lastFrameSite, type StackFrame } from '../format/stack.js';
import type { AbstractEventLoop, Callback, ExceptionContext } from './abstract-loop.js';

/** @internal The arguments of a callback that takes none (shared: never mutated). */
export const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * A callback scheduled on an event loop, with its arguments and the context it runs in.
 *
 * The callback runs in `context`, by default a copy of the context current when the
 * handle is made (so what it sets in context variables stays there). Cancelling a handle
 * that has not run yet means it never runs. In debug mode the handle remembers where it
 * was created (`created at file:line` in its repr).
 * asyncio: asyncio.Handle
 */
export class Handle {
  /** @internal */ _callback: Callback | undefined;
  /** @internal */ _args: readonly unknown[] | undefined;
  /** @internal */ _cancelled = false;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal Frames of the creation site (debug mode only). */ _sourceTraceback: StackFrame[] | undefined;
  /** @internal The repr frozen by `cancel()` in debug mode. */ _repr: string | undefined;
  /**
   * @internal The context the callback runs in; for the copy of the current context made
   * by default, a snapshot of it (the copy is made when asked for, getContext, or when
   * the callback leaves state in it); for a task's steps and wake-ups, the task (its
   * context as it is when the handle runs).
   */
  _context: CapturedContext;

  /**
   * `context` undefined or null (Python's None): a copy of the current context. (Inside
   * aiosim it may also be what `_context` holds: see `_handleIn`.)
   */
  constructor(callback: Callback, args: readonly unknown[], loop: AbstractEventLoop, context?: Context | null) {
    this._loop = loop;
    this._callback = callback;
    this._args = args.length === 0 ? NO_ARGS : args;
    this._sourceTraceback = loop.getDebug() ? extractStack() : undefined;
    this._context = context ?? _snapshotContext();
  }

  /** Return the context the callback runs in. asyncio: Handle.get_context */
  getContext(): Context {
    return _holderContext(this);
  }

  /** @internal The words of the repr between `<` and `>`. */
  _reprInfo(): string[] {
    const info: string[] = [this.constructor.name];
    if (this._cancelled) info.push('cancelled');
    if (this._callback !== undefined) {
      info.push(formatCallbackSource(this._callback, this._args ?? NO_ARGS, this._loop.getDebug()));
    }
    if (this._sourceTraceback !== undefined && this._sourceTraceback.length > 0) {
      info.push(`created at ${lastFrameSite(this._sourceTraceback)}`);
    }
    return info;
  }

  /** Return asyncio's repr: `<Handle cb() at file:line>`. */
  toString(): string {
    return this._repr ?? `<${this._reprInfo().join(' ')}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  /**
   * Cancel the callback. Does nothing if it was already cancelled; a callback that
   * already ran is unaffected.
   * asyncio: Handle.cancel
   */
  cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    // asyncio: debug mode keeps the full repr for "Executing <Handle ...> took N seconds".
    if (this._loop.getDebug()) this._repr = this.toString();
    this._callback = undefined;
    this._args = undefined;
  }

  /** Return whether the handle was cancelled. asyncio: Handle.cancelled */
  cancelled(): boolean {
    return this._cancelled;
  }

  /**
   * @internal Run the callback in the handle's context. Exceptions (entering a context
   * that is already entered included) go to the loop's exception handler, which runs in
   * the caller's context, except SystemExit and KeyboardInterrupt, which propagate out
   * of the loop.
   */
  _run(): void {
    const cb = this._callback!;
    const args = this._args!;
    // Who holds the context: this handle, or the task whose step or wake-up this is.
    let holder: { _context: CapturedContext } = this;
    let captured = this._context;
    // The context to leave afterwards; none for a borrowed run.
    let ctx: Context | undefined;
    // The common case first, with no type test: the snapshot held is the current
    // context's very storage (only a snapshot can be): the run borrows that context,
    // nothing to enter or leave (snapshot.ts).
    let borrowed = _heldByCurrent(captured);
    if (!borrowed && !_isSnapshot(captured) && !(captured instanceof Context)) {
      // (Not a Borrow: a handle runs once, and a task's step never inside its own.)
      holder = captured as ContextOwner;
      captured = holder._context;
      borrowed = _heldByCurrent(captured);
    }
    if (borrowed) {
      _lend(holder);
    } else if (_isSnapshot(captured)) {
      // The copy made by default, of another context: run in a reused context holding
      // it; the holder keeps a Context (as its own from now on) only if the run wrote or
      // asked for it.
      ctx = _enterSnapshot(holder, captured);
    } else {
      ctx = captured as Context;
      try {
        ctx._enter();
      } catch (thrown) {
        this.#report(thrown, cb);
        return;
      }
    }
    // asyncio reports a failure once the context is left (Context.run has returned).
    let failed = false;
    let error: unknown;
    try {
      if (args.length === 0) cb();
      else if (args.length === 1) cb(args[0]);
      else cb(...args);
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
    if (ctx === undefined) _endBorrowed(holder, captured as ContextSnapshot);
    else if (ctx === captured) ctx._exit();
    else _exitSnapshot(holder, ctx, captured as ContextSnapshot);
    if (failed) this.#report(error, cb);
  }

  // The callback (or entering its context) raised `thrown`: asyncio's "Exception in
  // callback", except SystemExit and KeyboardInterrupt, which propagate. (Out of _run,
  // which stays small enough to be inlined in the loop's iteration.)
  #report(thrown: unknown, cb: Callback): void {
    if (isExitException(thrown)) throw thrown;
    // (Entering the context fails with a RuntimeError, calling a non-function with a TypeError.)
    const exc = typeof cb === 'function' || !(thrown instanceof TypeError)
      ? _asException(thrown)
      : new TypeError(`'${pyTypeName(cb)}' object is not callable`);
    // asyncio formats the handle's callback as it is now: a callback that cancelled its
    // own handle shows as `None()`.
    const context: ExceptionContext = {
      message: `Exception in callback ${formatCallbackSource(this._callback, this._args ?? NO_ARGS, this._loop.getDebug())}`,
      exception: exc,
      handle: this,
    };
    if (this._sourceTraceback !== undefined && this._sourceTraceback.length > 0) {
      context.source_traceback = this._sourceTraceback;
    }
    this._loop.callExceptionHandler(context);
  }
}

/**
 * @internal A Handle whose `_context` is `context`: a snapshot or a task (the constructor
 * takes them too, but its declared type is the public one).
 */
export function _handleIn(callback: Callback, args: readonly unknown[], loop: AbstractEventLoop, context: CapturedContext): Handle {
  return new Handle(callback, args, loop, context as Context);
}

/**
 * A callback scheduled for a virtual time (`when`, in the loop's clock).
 *
 * Timers compare by `when` only; equal deadlines fire in the order of CPython's heapq,
 * which is not FIFO.
 * asyncio: asyncio.TimerHandle
 */
export class TimerHandle extends Handle {
  /** @internal */ readonly _when: number;
  /** @internal Whether the timer is in its loop's heap. */ _scheduled = false;

  constructor(when: number, callback: Callback, args: readonly unknown[], loop: AbstractEventLoop, context?: Context | null) {
    super(callback, args, loop, context);
    this._when = when;
  }

  /** @internal */
  override _reprInfo(): string[] {
    const info = super._reprInfo();
    info.splice(this._cancelled ? 2 : 1, 0, `when=${pyFloat(this._when)}`);
    return info;
  }

  /** Return the scheduled time, in the loop's clock. asyncio: TimerHandle.when */
  when(): number {
    return this._when;
  }

  override cancel(): void {
    if (!this._cancelled) this._loop._timerHandleCancelled(this);
    super.cancel();
  }
}
