// The loop's FIFO of ready handles: a growable ring buffer, so append and popleft are
// O(1) without shifting arrays. asyncio: the collections.deque in BaseEventLoop._ready

import type { Handle } from './handle.js';

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

  clear(): void {
    this.#items = new Array(16);
    this.#mask = 15;
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const old = this.#items;
    const items: (Handle | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = items.length - 1;
    this.#head = 0;
  }
}
