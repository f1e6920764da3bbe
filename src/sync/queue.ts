// Queue, PriorityQueue and LifoQueue, with 3.13's shutdown().
// asyncio: queues.Queue / PriorityQueue / LifoQueue

import { QueueEmpty, QueueFull, QueueShutDown, ValueError } from '../errors/exceptions.js';
import { objectId, repr, reprSymbol, reprTuple } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import { Deque } from '../runtime/deque.js';
import { heappop, heappush } from '../runtime/heapq.js';
import type { Coro } from '../task/coroutine.js';
import { Event } from './event.js';
import { LoopBound } from './loop-bound.js';
import { checkOrderable, pyLess } from './py-compare.js';
import { WaiterList } from './waiters.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';

// asyncio: Queue._wakeup_next — wake the first waiter that is not done.
function wakeupNext(waiters: WaiterList<Future<unknown>>): void {
  while (waiters.length > 0) {
    const waiter = waiters.shift()!;
    if (!waiter.done()) {
      waiter.setResult(undefined);
      break;
    }
  }
}

/**
 * A FIFO queue for tasks. With `maxsize > 0`, `put()` waits while the queue is full;
 * `get()` waits while it is empty. Waiters are served in the order they arrived; a
 * cancelled waiter passes its wake-up on. `join()` waits until every item put has been
 * marked done with `taskDone()`. After `shutdown()`, puts fail with QueueShutDown and
 * gets fail once the queue is empty (at once with `shutdown(true)`).
 *
 * @example
 * const q = new Queue<number>(2);
 * yield* q.put(1);
 * const item = yield* q.get();
 * asyncio: asyncio.Queue
 */
export class Queue<T = unknown> extends LoopBound {
  readonly #maxsize: number;
  /** @internal */ readonly _getters = new WaiterList<Future<unknown>>();
  /** @internal */ readonly _putters = new WaiterList<Future<unknown>>();
  /** @internal */ _unfinishedTasks = 0;
  readonly #finished = new Event();
  /** @internal */ _isShutdown = false;
  /**
   * @internal The items, laid out for `_get`: a deque here and in LifoQueue (O(1) at
   * both ends), a heap array in PriorityQueue.
   */
  _queue: Deque<T> | T[] = new Deque<T>();

  /** A queue holding at most `maxsize` items (0 or less: no limit). */
  constructor(maxsize: number | { maxsize?: number } = 0) {
    super();
    this.#maxsize = typeof maxsize === 'object' && maxsize !== null ? (maxsize.maxsize === undefined ? 0 : maxsize.maxsize) : maxsize;
    this.#finished.set();
  }

  /** @internal Add an item (FIFO here; subclasses change the discipline). */
  _put(item: T): void {
    this._queue.push(item);
  }

  /** @internal Remove the next item. */
  _get(): T {
    return this._queue.shift()!;
  }

  /** @internal The repr of the items, as `list(self._queue)` prints. */
  _reprItems(): string {
    return repr([...this._queue]);
  }

  #format(): string {
    let result = `maxsize=${repr(this.#maxsize)}`;
    if (this._queue.length > 0) result += ` _queue=${this._reprItems()}`;
    if (this._getters.length > 0) result += ` _getters[${this._getters.length}]`;
    if (this._putters.length > 0) result += ` _putters[${this._putters.length}]`;
    if (this._unfinishedTasks) result += ` tasks=${this._unfinishedTasks}`;
    if (this._isShutdown) result += ' shutdown';
    return result;
  }

  /** Python's `str(q)`: `<Queue maxsize=0 _queue=[1]>`. */
  override toString(): string {
    return `<${this.constructor.name} ${this.#format()}>`;
  }

  /** Python's `repr(q)`: `<Queue at 0x1 maxsize=0>`. */
  [reprSymbol](): string {
    return `<${this.constructor.name} at ${objectId(this)} ${this.#format()}>`;
  }

  /** Return the number of items. asyncio: Queue.qsize */
  qsize(): number {
    return this._queue.length;
  }

  /** The maximum number of items (0 or less: no limit). asyncio: Queue.maxsize */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Return whether the queue is empty. asyncio: Queue.empty */
  empty(): boolean {
    return this._queue.length === 0;
  }

  /**
   * Return whether the queue holds `maxsize` items (never, without a limit).
   * @throws TypeError `'<=' not supported between instances of 'str' and 'int'` (and so on)
   * for a maxsize that is not a number: asyncio takes any maxsize and fails here, in every
   * put.
   * asyncio: Queue.full
   */
  full(): boolean {
    const max = this.#maxsize;
    if (typeof max !== 'number') checkOrderable('<=', max, 0);
    return max <= 0 ? false : this.qsize() >= max;
  }

  /**
   * Put an item, waiting while the queue is full.
   * @throws QueueShutDown if the queue was shut down.
   * asyncio: Queue.put
   */
  *put(item: T): Coro<void> {
    while (this.full()) {
      if (this._isShutdown) throw new QueueShutDown();
      const putter = this._getLoop().createFuture<unknown>();
      if (_tracer !== undefined) _tracer.futureRole(putter, 'Queue.put');
      const node = this._putters.push(putter);
      try {
        yield* putter;
      } catch (e) {
        putter.cancel();
        // A wake-up may have taken it off the list already.
        this._putters.remove(node);
        // Woken but cancelled before running: pass the free slot on.
        if (!this.full() && !putter.cancelled()) wakeupNext(this._putters);
        throw e;
      }
    }
    this.putNowait(item);
  }

  /**
   * Put an item at once.
   * @throws QueueFull if the queue is full; QueueShutDown if it was shut down.
   * asyncio: Queue.put_nowait
   */
  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this._put(item);
    this._unfinishedTasks++;
    this.#finished.clear();
    wakeupNext(this._getters);
  }

  /**
   * Remove and return an item, waiting while the queue is empty.
   * @throws QueueShutDown if the queue was shut down and is empty.
   * asyncio: Queue.get
   */
  *get(): Coro<T> {
    while (this.empty()) {
      if (this._isShutdown && this.empty()) throw new QueueShutDown();
      const getter = this._getLoop().createFuture<unknown>();
      if (_tracer !== undefined) _tracer.futureRole(getter, 'Queue.get');
      const node = this._getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        getter.cancel();
        // A wake-up may have taken it off the list already.
        this._getters.remove(node);
        // Woken but cancelled before running: pass the item on.
        if (!this.empty() && !getter.cancelled()) wakeupNext(this._getters);
        throw e;
      }
    }
    return this.getNowait();
  }

  /**
   * Remove and return an item at once.
   * @throws QueueEmpty if the queue is empty; QueueShutDown if it is also shut down.
   * asyncio: Queue.get_nowait
   */
  getNowait(): T {
    if (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown();
      throw new QueueEmpty();
    }
    const item = this._get();
    wakeupNext(this._putters);
    return item;
  }

  /**
   * Mark one item taken from the queue as processed.
   * @throws ValueError `task_done() called too many times`.
   * asyncio: Queue.task_done
   */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) throw new ValueError('task_done() called too many times');
    this._unfinishedTasks--;
    if (this._unfinishedTasks === 0) this.#finished.set();
  }

  /** Wait until every item put has been marked done. asyncio: Queue.join */
  *join(): Coro<void> {
    if (this._unfinishedTasks > 0) yield* this.#finished.wait();
  }

  /**
   * Shut the queue down: puts fail from now on, gets once the queue is empty, and every
   * blocked put and get is woken. With `immediate`, the items are dropped (each counted
   * as done, which may release `join()`), so gets fail at once.
   * asyncio: Queue.shutdown
   */
  shutdown(immediate: boolean | null | { immediate?: boolean | null } = false): void {
    const now = typeof immediate === 'object' && immediate !== null ? immediate.immediate === true : immediate;
    this._isShutdown = true;
    if (now) {
      while (!this.empty()) {
        this._get();
        if (this._unfinishedTasks > 0) this._unfinishedTasks--;
      }
      if (this._unfinishedTasks === 0) this.#finished.set();
    }
    while (this._getters.length > 0) {
      const getter = this._getters.shift()!;
      if (!getter.done()) getter.setResult(undefined);
    }
    while (this._putters.length > 0) {
      const putter = this._putters.shift()!;
      if (!putter.done()) putter.setResult(undefined);
    }
  }
}
_libraryCoroutineMethods(Queue.prototype, { put: 'Queue.put', get: 'Queue.get', join: 'Queue.join' });

/**
 * A queue that returns the smallest item first, ordered by Python's rules (arrays
 * stand for tuples: `[priority, data]`). Equal items come out in heapq's order.
 * asyncio: asyncio.PriorityQueue
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /** @internal The heap, as heapq lays it out. */
  override _queue: T[] = [];

  // Items that are arrays stand for Python tuples: shown as `(1, 'a')`.
  /** @internal */
  override _reprItems(): string {
    return `[${this._queue.map((item) => (Array.isArray(item) ? reprTuple(item) : repr(item))).join(', ')}]`;
  }

  /** @internal */
  override _put(item: T): void {
    heappush(this._queue, item, pyLess);
  }

  /** @internal */
  override _get(): T {
    return heappop(this._queue, pyLess);
  }
}

/** A queue that returns the most recently put item first. asyncio: asyncio.LifoQueue */
export class LifoQueue<T = unknown> extends Queue<T> {
  /** @internal */
  override _get(): T {
    return this._queue.pop()!;
  }
}
