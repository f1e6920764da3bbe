// The loop's FIFO of ready handles: a growable ring buffer, so append and popleft are
// O(1) without shifting arrays. asyncio: the collections.deque in BaseEventLoop._ready

import type { Handle } from './handle.js';

// Below this capacity the buffer is never shrunk (a few KB at most).
const MIN_SHRINK_CAPACITY = 1024;

/** A FIFO of handles (append at the tail, pop from the head). */
export class ReadyQueue {
  #items: (Handle | undefined)[] = new Array(16);
  // Invariant: #mask = #items.length - 1, and #items.length is a power of two.
  #mask = 15;
  #head = 0;
  #size = 0;

  get length(): number {
    return this.#size;
  }

  /** Add a handle at the tail. */
  append(handle: Handle): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = handle;
    this.#size++;
  }

  /** Remove and return the handle at the head (the caller checks the queue is not empty). */
  popleft(): Handle {
    const handle = this.#items[this.#head]!;
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    return handle;
  }

  /** Return the handle at position `i` from the head, without removing it. */
  at(i: number): Handle | undefined {
    return i < this.#size ? this.#items[(this.#head + i) & this.#mask] : undefined;
  }

  /**
   * Give memory back after a burst: once at most a quarter of the buffer is used (and it
   * is large), move the handles to one twice their number. Amortised O(1).
   */
  shrink(): void {
    const capacity = this.#items.length;
    if (capacity <= MIN_SHRINK_CAPACITY || this.#size > capacity >> 2) return;
    let n = 16;
    while (n < this.#size * 2) n *= 2;
    this.#resize(n);
  }

  clear(): void {
    this.#items = new Array(16);
    this.#mask = 15;
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    this.#resize(this.#items.length * 2);
  }

  #resize(capacity: number): void {
    const old = this.#items;
    const items: (Handle | undefined)[] = new Array(capacity);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = items.length - 1;
    this.#head = 0;
  }
}
