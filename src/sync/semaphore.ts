// Semaphore and BoundedSemaphore, with 3.13's FIFO wake-ups.
// asyncio: locks.Semaphore / locks.BoundedSemaphore

import { CancelledError, ValueError } from '../errors/exceptions.js';
import type { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { Coro } from '../task/coroutine.js';
import { AcquireReleaseContext } from './lock.js';
import { allCancelled, WaiterList } from './waiters.js';
import { pyLess } from './py-compare.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';

/**
 * A counter tasks decrement with `acquire()` (waiting while it is 0, in FIFO order) and
 * increment with `release()`. A waiter woken and then cancelled gives its unit back.
 *
 * @throws ValueError `Semaphore initial value must be >= 0`; TypeError `'<' not supported
 * between instances of 'NoneType' and 'int'` for a value that is not a number.
 * @example yield* asyncWith(new Semaphore(2), function* () { yield* work(); });
 * asyncio: asyncio.Semaphore
 */
export class Semaphore extends AcquireReleaseContext {
  /** @internal */ _waiters: WaiterList<Future<boolean>> | undefined;
  /** @internal */ _value: number;

  constructor(value: number | { value?: number } = 1) {
    super();
    const v = typeof value === 'object' && value !== null ? (value.value === undefined ? 1 : value.value) : value;
    // asyncio compares the value with 0: that is where None or a string fails.
    if (pyLess(v, 0)) throw new ValueError('Semaphore initial value must be >= 0');
    this._value = v;
  }

  protected reprExtra(): string {
    const extra = this.locked() ? 'locked' : `unlocked, value:${this._value}`;
    return this._waiters !== undefined && this._waiters.length > 0 ? `${extra}, waiters:${this._waiters.length}` : extra;
  }

  /** Return whether `acquire()` would wait. asyncio: Semaphore.locked */
  locked(): boolean {
    return this._value === 0 || !allCancelled(this._waiters);
  }

  /** Take one unit, waiting while none is free; returns true. asyncio: Semaphore.acquire */
  *acquire(): Coro<true> {
    if (!this.locked()) {
      this._value--;
      return true;
    }
    this._waiters ??= new WaiterList();
    const fut = this._getLoop().createFuture<boolean>();
    if (_tracer !== undefined) _tracer.futureRole(fut, 'Semaphore.acquire');
    const node = this._waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        this._waiters.remove(node);
      }
    } catch (e) {
      // Woken (the unit was ours) but cancelled: give the unit back.
      if (e instanceof CancelledError && fut.done() && !fut.cancelled()) this._value++;
      throw e;
    } finally {
      while (this._value > 0) {
        if (!this._wakeUpNext()) break;
      }
    }
    return true;
  }

  /** Give one unit back and wake the first waiter. asyncio: Semaphore.release */
  release(): void {
    this._value++;
    this._wakeUpNext();
  }

  /** @internal Wake the first waiter that is not done, handing it a unit. */
  _wakeUpNext(): boolean {
    for (let node = this._waiters?.firstNode; node !== undefined; node = node.next) {
      const fut = node.value;
      if (!fut.done()) {
        this._value--;
        fut.setResult(true);
        return true;
      }
    }
    return false;
  }
}
_libraryCoroutineMethods(Semaphore.prototype, { acquire: 'Semaphore.acquire' });

/**
 * A Semaphore that refuses to be released above its initial value.
 * asyncio: asyncio.BoundedSemaphore
 */
export class BoundedSemaphore extends Semaphore {
  readonly #bound: number;

  constructor(value: number | { value?: number } = 1) {
    super(value);
    this.#bound = this._value;
  }

  /** @throws ValueError `BoundedSemaphore released too many times`. */
  override release(): void {
    if (this._value >= this.#bound) throw new ValueError('BoundedSemaphore released too many times');
    super.release();
  }
}
