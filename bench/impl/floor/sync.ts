// The plain-JS floor, part 3: asyncio.Queue and asyncio.Lock reduced to their
// algorithm (FIFO waiters as futures, wake the first waiter not done), on ring buffers.

import type { Gen } from '../../workloads/api.js';
import { runningLoop } from './loop.js';
import { FFuture } from './task.js';

/** A ring-buffer deque (asyncio's collections.deque). */
export class Deque<T> {
  buf: (T | undefined)[] = new Array(8);
  head = 0;
  length = 0;

  push(x: T): void {
    if (this.length === this.buf.length) {
      const old = this.buf;
      const buf: (T | undefined)[] = new Array(old.length * 2);
      for (let i = 0; i < this.length; i++) buf[i] = old[(this.head + i) & (old.length - 1)];
      this.buf = buf;
      this.head = 0;
    }
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = x;
    this.length++;
  }

  first(): T | undefined {
    return this.length === 0 ? undefined : this.buf[this.head];
  }

  shift(): T {
    const x = this.buf[this.head]!;
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return x;
  }

  /** deque.remove(x): the first occurrence (at the head in the common case). */
  remove(x: T): void {
    const mask = this.buf.length - 1;
    let i = 0;
    while (i < this.length && this.buf[(this.head + i) & mask] !== x) i++;
    if (i === this.length) return;
    if (i === 0) {
      this.shift();
      return;
    }
    for (let j = i; j < this.length - 1; j++) this.buf[(this.head + j) & mask] = this.buf[(this.head + j + 1) & mask];
    this.buf[(this.head + this.length - 1) & mask] = undefined;
    this.length--;
  }
}

function wakeupNext(waiters: Deque<FFuture<unknown>>): void {
  while (waiters.length > 0) {
    const w = waiters.shift();
    if (!w.done()) {
      w.setResult(undefined);
      return;
    }
  }
}

/** asyncio.Queue: put waits while full, get while empty. */
export class FQueue<T> {
  readonly items = new Deque<T>();
  readonly getters = new Deque<FFuture<unknown>>();
  readonly putters = new Deque<FFuture<unknown>>();
  unfinished = 0;
  readonly maxsize: number;

  constructor(maxsize: number) {
    this.maxsize = maxsize;
  }

  full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  *put(item: T): Gen<void> {
    while (this.full()) {
      const putter = new FFuture<unknown>(runningLoop());
      this.putters.push(putter);
      try {
        yield* putter;
      } catch (e) {
        putter.cancel();
        this.putters.remove(putter);
        if (!this.full() && !putter.cancelled()) wakeupNext(this.putters);
        throw e;
      }
    }
    this.items.push(item);
    this.unfinished++;
    wakeupNext(this.getters);
  }

  *get(): Gen<T> {
    while (this.items.length === 0) {
      const getter = new FFuture<unknown>(runningLoop());
      this.getters.push(getter);
      try {
        yield* getter;
      } catch (e) {
        getter.cancel();
        this.getters.remove(getter);
        if (this.items.length > 0 && !getter.cancelled()) wakeupNext(this.getters);
        throw e;
      }
    }
    const item = this.items.shift();
    wakeupNext(this.putters);
    return item;
  }
}

/** asyncio.Lock: FIFO, no barging past a waiter being woken. */
export class FLock {
  locked = false;
  readonly waiters = new Deque<FFuture<boolean>>();

  private allCancelled(): boolean {
    const w = this.waiters;
    for (let i = 0; i < w.length; i++) if (!w.buf[(w.head + i) & (w.buf.length - 1)]!.cancelled()) return false;
    return true;
  }

  *acquire(): Gen<true> {
    if (!this.locked && (this.waiters.length === 0 || this.allCancelled())) {
      this.locked = true;
      return true;
    }
    const fut = new FFuture<boolean>(runningLoop());
    this.waiters.push(fut);
    try {
      try {
        yield* fut;
      } finally {
        this.waiters.remove(fut);
      }
    } catch (e) {
      if (!this.locked) this.wakeUpFirst();
      throw e;
    }
    this.locked = true;
    return true;
  }

  release(): void {
    if (!this.locked) throw new Error('Lock is not acquired.');
    this.locked = false;
    this.wakeUpFirst();
  }

  private wakeUpFirst(): void {
    const fut = this.waiters.first();
    if (fut !== undefined && !fut.done()) fut.setResult(true);
  }
}
