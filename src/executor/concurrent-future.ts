// concurrent.futures.Future: a result shared between threads. Unlike asyncio's Future,
// its callbacks run at once, in the thread that completes it, and result() blocks the
// calling thread (in virtual time).
// asyncio: concurrent.futures.Future (and its CancelledError)

import { InvalidStateError, PythonError, RuntimeError, TimeoutError } from '../errors/exceptions.js';
import { _setPythonModule } from '../errors/qualified-name.js';
import { _asException } from '../errors/raised.js';
import { objectId, objectIdNumber, pyTypeName, reprSymbol } from '../format/py-repr.js';
import { ERROR, getLogger } from '../log/logging.js';
import { block, wakeWaiters, type Blocking, type WaitRequest } from './thread.js';

/** A concurrent future was cancelled. asyncio: concurrent.futures.CancelledError */
export class ConcurrentCancelledError extends PythonError {
  static {
    Object.defineProperty(this, 'name', { value: 'CancelledError' });
    _setPythonModule(this, 'concurrent.futures._base');
  }
}

type State = 'PENDING' | 'RUNNING' | 'CANCELLED' | 'CANCELLED_AND_NOTIFIED' | 'FINISHED';
const DESCRIPTION: Record<State, string> = {
  PENDING: 'pending', RUNNING: 'running', CANCELLED: 'cancelled', CANCELLED_AND_NOTIFIED: 'cancelled', FINISHED: 'finished',
};

// Python's Condition.wait compares the timeout with 0 first: that is where one that is
// not a number fails.
function checkTimeout(timeout: number | undefined | null): number | undefined {
  if (timeout !== undefined && timeout !== null && typeof timeout !== 'number') {
    throw new TypeError(`'>' not supported between instances of '${pyTypeName(timeout)}' and 'int'`);
  }
  return timeout ?? undefined;
}

/** A done callback of a ConcurrentFuture. */
export type ConcurrentCallback<T> = (future: ConcurrentFuture<T>) => unknown;

/**
 * A future shared between threads (Python's `concurrent.futures.Future`), as executors
 * return. Done callbacks run at once in the completing thread; `result(timeout)` blocks
 * the calling simulated thread until the result is there (in a generator thread body:
 * `yield* fut.wait(timeout)` first).
 * asyncio: concurrent.futures.Future
 */
export class ConcurrentFuture<T = unknown> {
  #state: State = 'PENDING';
  #result: T | undefined;
  #exception: unknown;
  // Typed loosely so that a ConcurrentFuture<number> is a ConcurrentFuture<unknown> too.
  #callbacks: ConcurrentCallback<any>[] = [];

  /** Python's repr: `<Future at 0x1 state=finished returned int>`. */
  toString(): string {
    if (this.#state === 'FINISHED') {
      const what = this.#exception !== undefined
        ? `raised ${pyTypeName(this.#exception)}`
        : `returned ${pyTypeName(this.#result)}`;
      return `<Future at ${objectId(this)} state=${DESCRIPTION[this.#state]} ${what}>`;
    }
    return `<Future at ${objectId(this)} state=${DESCRIPTION[this.#state]}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  #invokeCallbacks(): void {
    for (const cb of this.#callbacks) {
      try {
        cb(this);
      } catch (e) {
        getLogger('concurrent.futures').logWithException(ERROR, _asException(e), 'exception calling callback for %r', this);
      }
    }
    wakeWaiters();
  }

  /** Cancel unless running or done; returns whether it is cancelled. asyncio: Future.cancel */
  cancel(): boolean {
    if (this.#state === 'RUNNING' || this.#state === 'FINISHED') return false;
    if (this.#state === 'CANCELLED' || this.#state === 'CANCELLED_AND_NOTIFIED') return true;
    this.#state = 'CANCELLED';
    this.#invokeCallbacks();
    return true;
  }

  cancelled(): boolean {
    return this.#state === 'CANCELLED' || this.#state === 'CANCELLED_AND_NOTIFIED';
  }

  running(): boolean {
    return this.#state === 'RUNNING';
  }

  done(): boolean {
    return this.#state === 'CANCELLED' || this.#state === 'CANCELLED_AND_NOTIFIED' || this.#state === 'FINISHED';
  }

  /** Add a callback: run at once (in this thread) if done, else when done. asyncio: Future.add_done_callback */
  addDoneCallback(fn: ConcurrentCallback<T>): void {
    if (!this.done()) {
      this.#callbacks.push(fn);
      return;
    }
    try {
      fn(this);
    } catch (e) {
      getLogger('concurrent.futures').logWithException(ERROR, _asException(e), 'exception calling callback for %r', this);
    }
  }

  #outcome(): T {
    if (this.cancelled()) throw new ConcurrentCancelledError();
    if (this.#state === 'FINISHED') {
      if (this.#exception !== undefined) throw this.#exception;
      return this.#result as T;
    }
    throw new TimeoutError();
  }

  /**
   * Wait until done or `timeout` seconds passed. On the main thread and in atomic
   * bodies the call blocks at once; in a generator thread body, `yield* fut.wait(t)`
   * gives the turn away until then.
   */
  wait(timeout?: number | null): Blocking<void> {
    if (!this.done()) checkTimeout(timeout);
    return block(() => this.done(), timeout ?? undefined, () => undefined, `${this.toString()} to be done`, 'yield');
  }

  /**
   * Return the result, waiting for it at most `timeout` seconds (the current simulated
   * thread blocks meanwhile).
   * @throws ConcurrentCancelledError (`CancelledError`) if cancelled; TimeoutError when the time is up.
   * @throws TypeError `'>' not supported between instances of 'str' and 'int'` for a timeout
   * that is not a number (when the future is not done yet).
   * asyncio: concurrent.futures.Future.result
   */
  result(timeout?: number | null): T {
    if (!this.done()) block(() => this.done(), checkTimeout(timeout), () => undefined, `${this.toString()} to be done`, 'now');
    return this.#outcome();
  }

  /** Like result(), but return the exception (undefined if none). asyncio: Future.exception */
  exception(timeout?: number | null): unknown {
    if (!this.done()) block(() => this.done(), checkTimeout(timeout), () => undefined, `${this.toString()} to be done`, 'now');
    if (this.cancelled()) throw new ConcurrentCancelledError();
    if (this.#state !== 'FINISHED') throw new TimeoutError();
    return this.#exception;
  }

  /** Wait and give the result: `const v = yield* fut` in a generator thread body. */
  *[Symbol.iterator](): Generator<WaitRequest, T, unknown> {
    yield* this.wait();
    return this.#outcome();
  }

  /**
   * Mark the future running, unless it was cancelled (then false).
   * @throws RuntimeError `Future in unexpected state`.
   * asyncio: Future.set_running_or_notify_cancel
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === 'CANCELLED') {
      this.#state = 'CANCELLED_AND_NOTIFIED';
      return false;
    }
    if (this.#state === 'PENDING') {
      this.#state = 'RUNNING';
      return true;
    }
    getLogger('concurrent.futures').critical('Future %s in unexpected state: %s', objectIdNumber(this), this.#state);
    throw new RuntimeError('Future in unexpected state');
  }

  #checkSettable(): void {
    if (this.#state === 'CANCELLED' || this.#state === 'CANCELLED_AND_NOTIFIED' || this.#state === 'FINISHED') {
      throw new InvalidStateError(`${this.#state}: ${this.toString()}`);
    }
  }

  /** @throws InvalidStateError if already done. asyncio: Future.set_result */
  setResult(result: T): void {
    this.#checkSettable();
    this.#result = result;
    this.#state = 'FINISHED';
    this.#invokeCallbacks();
  }

  /** @throws InvalidStateError if already done. asyncio: Future.set_exception */
  setException(exception: unknown): void {
    this.#checkSettable();
    this.#exception = exception;
    this.#state = 'FINISHED';
    this.#invokeCallbacks();
  }
}
