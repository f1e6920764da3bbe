// Event: a flag tasks can wait for. asyncio: locks.Event

import { objectId, reprSymbol } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { Coro } from '../task/coroutine.js';
import { LoopBound } from './loop-bound.js';
import { WaiterList } from './waiters.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';

/**
 * A flag, initially false; `wait()` blocks until it is set. Setting it wakes every
 * waiter (in the order they started waiting).
 *
 * @example
 * const ev = new Event();
 * loop.callLater(1, () => ev.set());
 * yield* ev.wait(); // at t=1
 * asyncio: asyncio.Event
 */
export class Event extends LoopBound {
  /** @internal */ readonly _waiters = new WaiterList<Future<boolean>>();
  /** @internal */ _value = false;

  /** asyncio's repr: `<asyncio.locks.Event object at 0x1 [unset, waiters:1]>`. */
  override toString(): string {
    let extra = this._value ? 'set' : 'unset';
    if (this._waiters.length > 0) extra = `${extra}, waiters:${this._waiters.length}`;
    return `<asyncio.locks.Event object at ${objectId(this)} [${extra}]>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  /** Return whether the flag is set. asyncio: Event.is_set */
  isSet(): boolean {
    return this._value;
  }

  /** Set the flag and wake every waiter. asyncio: Event.set */
  set(): void {
    if (this._value) return;
    this._value = true;
    for (let node = this._waiters.firstNode; node !== undefined; node = node.next) {
      if (!node.value.done()) node.value.setResult(true);
    }
  }

  /** Clear the flag. asyncio: Event.clear */
  clear(): void {
    this._value = false;
  }

  /** Wait until the flag is set (at once if it is); returns true. asyncio: Event.wait */
  *wait(): Coro<true> {
    if (this._value) return true;
    const fut = this._getLoop().createFuture<boolean>();
    if (_tracer !== undefined) _tracer.futureRole(fut, 'Event.wait');
    const node = this._waiters.push(fut);
    try {
      yield* fut;
      return true;
    } finally {
      this._waiters.remove(node);
    }
  }
}
_libraryCoroutineMethods(Event.prototype, { wait: 'Event.wait' });
