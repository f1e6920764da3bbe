// Handle and TimerHandle: a scheduled callback, as returned by callSoon/callLater/callAt.
// asyncio: events.Handle, events.TimerHandle

import { isExitException } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { formatCallbackSource } from '../format/format-callback.js';
import { pyFloat, pyTypeName, reprSymbol } from '../format/py-repr.js';
import { extractStack, lastFrameSite, type StackFrame } from '../format/stack.js';
import type { AbstractEventLoop, Callback, ExceptionContext } from './abstract-loop.js';

/** @internal The arguments of a callback that takes none (shared: never mutated). */
export const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * A callback scheduled on an event loop, with its arguments.
 *
 * Cancelling a handle that has not run yet means it never runs. In debug mode the
 * handle remembers where it was created (`created at file:line` in its repr).
 * asyncio: asyncio.Handle
 */
export class Handle {
  /** @internal */ _callback: Callback | undefined;
  /** @internal */ _args: readonly unknown[] | undefined;
  /** @internal */ _cancelled = false;
  /** @internal */ readonly _loop: AbstractEventLoop;
  /** @internal Frames of the creation site (debug mode only). */ _sourceTraceback: StackFrame[] | undefined;
  /** @internal The repr frozen by `cancel()` in debug mode. */ _repr: string | undefined;

  constructor(callback: Callback, args: readonly unknown[], loop: AbstractEventLoop) {
    this._loop = loop;
    this._callback = callback;
    this._args = args.length === 0 ? NO_ARGS : args;
    this._sourceTraceback = loop.getDebug() ? extractStack() : undefined;
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
   * @internal Run the callback. Exceptions go to the loop's exception handler, except
   * SystemExit and KeyboardInterrupt, which propagate out of the loop.
   */
  _run(): void {
    const cb = this._callback!;
    const args = this._args!;
    try {
      if (args.length === 0) cb();
      else if (args.length === 1) cb(args[0]);
      else cb(...args);
    } catch (thrown) {
      if (isExitException(thrown)) throw thrown;
      const exc = typeof cb === 'function' ? _asException(thrown) : new TypeError(`'${pyTypeName(cb)}' object is not callable`);
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

  constructor(when: number, callback: Callback, args: readonly unknown[], loop: AbstractEventLoop) {
    super(callback, args, loop);
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
