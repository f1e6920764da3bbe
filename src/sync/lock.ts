// Lock: a mutual-exclusion lock with FIFO waiters, and the acquire/release context
// manager shared by Lock, Condition and Semaphore.
// asyncio: locks.Lock / locks._ContextManagerMixin

import { CancelledError, RuntimeError } from '../errors/exceptions.js';
import { objectId, reprSymbol } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { AsyncContextManager } from '../task/context-manager.js';
import type { Coro } from '../task/coroutine.js';
import { LoopBound } from './loop-bound.js';
import { allCancelled, WaiterList } from './waiters.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';

/**
 * The base of Lock, Condition and Semaphore: `asyncWith(x, body)` acquires before the
 * body and releases after it. asyncio: locks._ContextManagerMixin
 */
export abstract class AcquireReleaseContext extends LoopBound implements AsyncContextManager<undefined> {
  abstract acquire(): Coro<true>;
  abstract release(): void;

  /** The extra words of the repr (`locked, waiters:2`). */
  protected abstract reprExtra(): string;

  override toString(): string {
    return `<asyncio.locks.${this.constructor.name} object at ${objectId(this)} [${this.reprExtra()}]>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  *aenter(): Coro<undefined> {
    yield* this.acquire();
    return undefined;
  }

  *aexit(): Coro<undefined> {
    this.release();
    return undefined;
  }
}
_libraryCoroutineMethods(AcquireReleaseContext.prototype, { aenter: '_ContextManagerMixin.__aenter__', aexit: '_ContextManagerMixin.__aexit__' });

/**
 * A lock tasks acquire one at a time, in the order they asked (FIFO). A lock released
 * while its first waiter is being woken is not taken by a newcomer; a waiter cancelled
 * after being woken passes the wake-up on.
 *
 * @example
 * yield* asyncWith(lock, function* () { yield* sleep(1); });
 * asyncio: asyncio.Lock
 */
export class Lock extends AcquireReleaseContext {
  /** @internal */ _waiters: WaiterList<Future<boolean>> | undefined;
  /** @internal */ _locked = false;

  protected reprExtra(): string {
    const extra = this._locked ? 'locked' : 'unlocked';
    return this._waiters !== undefined && this._waiters.length > 0 ? `${extra}, waiters:${this._waiters.length}` : extra;
  }

  /** Return whether the lock is held. asyncio: Lock.locked */
  locked(): boolean {
    return this._locked;
  }

  /** Wait until the lock is free, then take it; returns true. asyncio: Lock.acquire */
  *acquire(): Coro<true> {
    // Free, and nobody still waiting ahead of us: take it at once.
    if (!this._locked && allCancelled(this._waiters)) {
      this._locked = true;
      return true;
    }
    this._waiters ??= new WaiterList();
    const fut = this._getLoop().createFuture<boolean>();
    if (_tracer !== undefined) _tracer.futureRole(fut, 'Lock.acquire');
    const node = this._waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        this._waiters.remove(node);
      }
    } catch (e) {
      // Woken but cancelled before taking the lock: wake the next waiter instead.
      if (e instanceof CancelledError && !this._locked) this._wakeUpFirst();
      throw e;
    }
    this._locked = true;
    return true;
  }

  /**
   * Release the lock and wake the first waiter.
   * @throws RuntimeError `Lock is not acquired.`
   * asyncio: Lock.release
   */
  release(): void {
    if (!this._locked) throw new RuntimeError('Lock is not acquired.');
    this._locked = false;
    this._wakeUpFirst();
  }

  /** @internal Make sure the first waiter wakes up. */
  _wakeUpFirst(): void {
    const fut = this._waiters?.first;
    if (fut !== undefined && !fut.done()) fut.setResult(true);
  }
}
_libraryCoroutineMethods(Lock.prototype, { acquire: 'Lock.acquire' });
