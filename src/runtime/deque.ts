// A double-ended queue on a growable ring buffer: O(1) push and pop at both ends, where
// JavaScript's Array.shift and unshift copy the whole array once it is large.
// asyncio: collections.deque (Queue storage, executors' work queues)

const MIN_CAPACITY = 16;

/**
 * A sequence with O(1) amortised `push`/`pop` at the tail and `shift`/`unshift` at the
 * head, named as Array's methods so that code reads as it would on an array. The buffer
 * grows by doubling when full and halves when three quarters empty, so a deque that held
 * many items gives the memory back once drained.
 *
 * @example
 * const items = new Deque<number>();
 * items.push(1);
 * items.unshift(0);
 * items.shift(); // 0
 * asyncio: collections.deque
 */
export class Deque<T> implements Iterable<T> {
  // Invariant: #items.length is a power of two >= MIN_CAPACITY and #mask = #items.length - 1;
  // the items are at #items[(#head + i) & #mask] for 0 <= i < #size, every other slot is
  // undefined (nothing kept alive).
  #items: (T | undefined)[] = new Array(MIN_CAPACITY);
  #mask = MIN_CAPACITY - 1;
  #head = 0;
  #size = 0;

  /** A deque holding `items`, first to last. */
  constructor(items?: Iterable<T>) {
    if (items !== undefined) for (const item of items) this.push(item);
  }

  /** The number of items. */
  get length(): number {
    return this.#size;
  }

  /** Add `item` at the tail; return the new length. asyncio: deque.append */
  push(item: T): number {
    if (this.#size === this.#items.length) this.#resize(this.#items.length * 2);
    this.#items[(this.#head + this.#size) & this.#mask] = item;
    return ++this.#size;
  }

  /** Add `item` at the head; return the new length. asyncio: deque.appendleft */
  unshift(item: T): number {
    if (this.#size === this.#items.length) this.#resize(this.#items.length * 2);
    this.#head = (this.#head - 1) & this.#mask;
    this.#items[this.#head] = item;
    return ++this.#size;
  }

  /** Remove and return the item at the head (undefined when empty). asyncio: deque.popleft */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    this.#maybeShrink();
    return item;
  }

  /** Remove and return the item at the tail (undefined when empty). asyncio: deque.pop */
  pop(): T | undefined {
    if (this.#size === 0) return undefined;
    this.#size--;
    const slot = (this.#head + this.#size) & this.#mask;
    const item = this.#items[slot];
    this.#items[slot] = undefined;
    this.#maybeShrink();
    return item;
  }

  /** Return the item at index `i` from the head (negative: from the tail), or undefined. */
  at(i: number): T | undefined {
    const k = i < 0 ? i + this.#size : i;
    return k >= 0 && k < this.#size ? this.#items[(this.#head + k) & this.#mask] : undefined;
  }

  /** Remove every item. asyncio: deque.clear */
  clear(): void {
    this.#items = new Array(MIN_CAPACITY);
    this.#mask = MIN_CAPACITY - 1;
    this.#head = 0;
    this.#size = 0;
  }

  /** The items, head to tail. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.#size; i++) yield this.#items[(this.#head + i) & this.#mask] as T;
  }

  /** @internal The capacity of the ring buffer (tests check that it grows and shrinks). */
  get _capacity(): number {
    return this.#items.length;
  }

  // Halve when three quarters empty: the hysteresis keeps a deque hovering around one
  // size from copying at every push and shift.
  #maybeShrink(): void {
    const capacity = this.#items.length;
    if (capacity > MIN_CAPACITY && this.#size <= capacity >> 2) this.#resize(capacity >> 1);
  }

  #resize(capacity: number): void {
    const old = this.#items;
    const items: (T | undefined)[] = new Array(capacity);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
