// Condition: wait until notified, holding a lock. asyncio: locks.Condition

import { CancelledError, RuntimeError } from '../errors/exceptions.js';
import { pyTypeName } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { Coro } from '../task/coroutine.js';
import { AcquireReleaseContext, Lock } from './lock.js';
import { WaiterList } from './waiters.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';

/**
 * A condition variable: tasks holding its lock `wait()` until another task `notify()`s
 * them; a woken task re-acquires the lock before `wait()` returns. Built on its own
 * Lock or a given one.
 *
 * @example
 * yield* asyncWith(cond, function* () { yield* cond.waitFor(() => ready); });
 * asyncio: asyncio.Condition
 */
export class Condition extends AcquireReleaseContext {
  /** @internal */ readonly _lock: Lock;
  /** @internal */ readonly _waiters = new WaiterList<Future<boolean>>();

  constructor(lock?: Lock | null | { lock?: Lock | null }) {
    super();
    const given = lock instanceof Lock ? lock : lock?.lock;
    this._lock = given ?? new Lock();
  }

  protected reprExtra(): string {
    const extra = this.locked() ? 'locked' : 'unlocked';
    return this._waiters.length > 0 ? `${extra}, waiters:${this._waiters.length}` : extra;
  }

  /** Return whether the underlying lock is held. */
  locked(): boolean {
    return this._lock.locked();
  }

  /** Acquire the underlying lock. */
  acquire(): Coro<true> {
    return this._lock.acquire();
  }

  /** Release the underlying lock. */
  release(): void {
    this._lock.release();
  }

  /**
   * Release the lock, wait until notified, re-acquire the lock; returns true. If the
   * wait is cancelled, the lock is still re-acquired before CancelledError is thrown (a
   * cancel during re-acquisition is re-thrown after it); a failing waiter passes its
   * notification on to the next one.
   *
   * @throws RuntimeError `cannot wait on un-acquired lock`.
   * asyncio: Condition.wait
   */
  *wait(): Coro<true> {
    if (!this.locked()) throw new RuntimeError('cannot wait on un-acquired lock');
    const fut = this._getLoop().createFuture<boolean>();
    if (_tracer !== undefined) _tracer.futureRole(fut, 'Condition.wait');
    this.release();
    try {
      try {
        const node = this._waiters.push(fut);
        try {
          yield* fut;
          return true;
        } finally {
          this._waiters.remove(node);
        }
      } finally {
        let err: CancelledError | undefined;
        for (;;) {
          try {
            yield* this.acquire();
            break;
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            err = e;
          }
        }
        // The most recent cancellation, re-raised as the same instance.
        if (err !== undefined) throw err;
      }
    } catch (e) {
      this._notify(1);
      throw e;
    }
  }

  /**
   * Wait until `predicate()` is truthy (checking it first, then after each wake-up);
   * return its value. asyncio: Condition.wait_for
   */
  *waitFor<T>(predicate: () => T): Coro<T> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  /**
   * Wake up to `n` waiters (they run once they re-acquire the lock).
   * @throws RuntimeError `cannot notify on un-acquired lock`.
   * @throws TypeError `'>=' not supported between instances of 'int' and 'NoneType'` for an
   * `n` that is not a number (null included), when a task waits.
   * asyncio: Condition.notify
   */
  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this._notify(n);
  }

  /** @internal Wake up to `n` waiters that are not done. */
  _notify(n: number): void {
    let idx = 0;
    for (let node = this._waiters.firstNode; node !== undefined; node = node.next) {
      // Python compares `idx >= n` for each waiter: n=None (null) or a string fails there.
      if (typeof n !== 'number') throw new TypeError(`'>=' not supported between instances of 'int' and '${pyTypeName(n)}'`);
      if (idx >= n) break;
      const fut = node.value;
      if (!fut.done()) {
        idx++;
        fut.setResult(false);
      }
    }
  }

  /** Wake every waiter. asyncio: Condition.notify_all */
  notifyAll(): void {
    this.notify(this._waiters.length);
  }
}
_libraryCoroutineMethods(Condition.prototype, { wait: 'Condition.wait', waitFor: 'Condition.wait_for' });
