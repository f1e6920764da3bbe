// The loop's timer heap: heapq over TimerHandles ordered by `when` only, so timers with
// equal deadlines fire in heapq's order, exactly as in CPython. This is deliberate: do
// not replace it with a stable priority queue.
// asyncio: the heapq calls in base_events.py on `_scheduled` (TimerHandle.__lt__)

/** Anything ordered by a `_when` deadline (TimerHandle, and anything that must sort like it). */
export interface Timed {
  /** @internal */
  readonly _when: number;
}

// The smallest capacity of the packed deadlines (they grow by doubling).
const MIN_CAPACITY = 16;
// The deadlines of a heap that never held a timer: shared, and never written (a push
// onto a full array, as this one always is, allocates first), so a loop that schedules
// no timer allocates none.
const NO_WHENS = new Float64Array(0);

/**
 * @internal heapq's push, pop and heapify specialised to TimerHandle.__lt__ (which
 * compares `_when` only): the same moves as runtime/heapq.ts makes with that comparison,
 * so the same order. Beside the items, in heap order, it keeps their deadlines packed in
 * a Float64Array, and every comparison reads that array only: a sift never touches the
 * timer objects themselves, which at 10^6 timers are scattered over the heap's memory.
 * Deadlines are numbers, so no comparison can throw, and moving a hole instead of
 * swapping leaves every item where the swaps would.
 */
export class TimerHeap<T extends Timed> {
  /** The items in heapq order (callers only read it; a new array after heapify or clear). */
  items: T[] = [];
  // #whens[i] is items[i]._when, for i < items.length.
  #whens = NO_WHENS;

  /** A heap holding a copy of `items`, which are in heap order already (kept as they are). */
  static fromHeapOrder<T extends Timed>(items: readonly T[]): TimerHeap<T> {
    const heap = new TimerHeap<T>();
    heap.items = items.slice();
    heap.#resize(Math.max(MIN_CAPACITY, items.length));
    for (let i = 0; i < items.length; i++) heap.#whens[i] = items[i]!._when;
    return heap;
  }

  /** The number of items. */
  get length(): number {
    return this.items.length;
  }

  /** The earliest deadline (the heap is not empty). */
  peekWhen(): number {
    return this.#whens[0]!;
  }

  /** Push an item. asyncio: heapq.heappush(loop._scheduled, timer) */
  push(item: T): void {
    const pos = this.items.length;
    if (pos === this.#whens.length) this.#resize(Math.max(MIN_CAPACITY, pos * 2));
    // #siftDown makes no call between its first write and its last: a stack overflow (a
    // too-deep await chain scheduling its timer) strikes before the heap changes or not
    // at all, as with CPython's C heappush.
    this.#siftDown(0, pos, item, item._when);
  }

  /** Pop the earliest item (the heap is not empty). asyncio: heapq.heappop */
  pop(): T {
    const items = this.items;
    const last = items.pop()!;
    const n = items.length;
    if (n === 0) return last;
    const top = items[0]!;
    this.#siftUp(0, last, this.#whens[n]!);
    return top;
  }

  /** Make `items` the heap, in heapq.heapify's order (it is rearranged in place). asyncio: heapq.heapify */
  heapify(items: T[]): void {
    const n = items.length;
    let capacity = MIN_CAPACITY;
    while (capacity < n) capacity *= 2;
    const whens = new Float64Array(capacity);
    for (let i = 0; i < n; i++) whens[i] = items[i]!._when;
    this.items = items;
    this.#whens = whens;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#siftUp(i, items[i]!, whens[i]!);
  }

  /** Drop every item. */
  clear(): void {
    this.items = [];
    this.#whens = NO_WHENS;
  }

  /**
   * Give memory back after a burst, as CPython's lists do: storage down to a quarter
   * used is copied at half its size (amortised O(1): three quarters of it were freed
   * since it last grew or shrank).
   */
  shrink(): void {
    const capacity = this.#whens.length;
    const n = this.items.length;
    if (capacity > MIN_CAPACITY * 64 && n < capacity >> 2) {
      this.items = this.items.slice();
      this.#resize(capacity >> 1);
    }
  }

  #resize(capacity: number): void {
    const whens = new Float64Array(capacity);
    whens.set(this.#whens.subarray(0, this.items.length));
    this.#whens = whens;
  }

  // heapq's _siftup: the hole at `pos` goes down to a leaf along the smaller children,
  // then `item` (deadline `when`) goes into it and back up (_siftdown) as far as it must.
  #siftUp(pos: number, item: T, when: number): void {
    const items = this.items;
    const whens = this.#whens;
    const end = items.length;
    const start = pos;
    const limit = end >> 1;
    while (pos < limit) {
      let child = 2 * pos + 1;
      if (child + 1 < end && !(whens[child]! < whens[child + 1]!)) child++;
      whens[pos] = whens[child]!;
      items[pos] = items[child]!;
      pos = child;
    }
    this.#siftDown(start, pos, item, when);
  }

  // heapq's _siftdown: `item` (deadline `when`) goes into the hole at `pos` and up
  // towards `start` while it is earlier than its parent.
  #siftDown(start: number, pos: number, item: T, when: number): void {
    const items = this.items;
    const whens = this.#whens;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parentWhen = whens[parentPos]!;
      if (!(when < parentWhen)) break;
      whens[pos] = parentWhen;
      items[pos] = items[parentPos]!;
      pos = parentPos;
    }
    whens[pos] = when;
    items[pos] = item;
  }
}

/**
 * @internal Picks one of `candidates` (>= 2) equally valid next events: an index, 0 being
 * the one CPython's own order takes. aiosim/testing's schedule exploration provides it.
 * The world passes the candidates' owners (threads' idents, the network's links).
 */
export type TieChooser = (candidates: number, owners?: readonly unknown[]) => number;

/**
 * @internal Pop every timer due before `endTime`, in heapq order except that each run of
 * live timers with exactly the same deadline is reordered by `choose` (asyncio: "callbacks
 * scheduled for exactly the same time run in an undefined order"). Timers with different
 * deadlines keep deadline order; cancelled ones (skipped when run) take no choice.
 */
export function popDueChoosing<T extends Timed & { readonly _cancelled: boolean }>(heap: TimerHeap<T>, endTime: number, choose: TieChooser): T[] {
  const due: T[] = [];
  while (heap.length > 0 && heap.peekWhen() < endTime) due.push(heap.pop());
  const out: T[] = [];
  for (let i = 0; i < due.length;) {
    const when = due[i]!._when;
    const live: T[] = [];
    for (; i < due.length && due[i]!._when === when; i++) {
      if (due[i]!._cancelled) out.push(due[i]!);
      else live.push(due[i]!);
    }
    while (live.length > 1) out.push(live.splice(choose(live.length), 1)[0]!);
    out.push(...live);
  }
  return out;
}
