// The loop's timer queue: a binary min-heap on `when`, sifting exactly as CPython's
// heapq (heappush, heappop, heapify). This is deliberate: heapq is not stable, so
// timers with equal deadlines fire in heapq's order, not FIFO, and aiosim must fire
// them in the same order as CPython. Do not replace it with a stable priority queue.
// asyncio: the heapq calls in base_events.py on `_scheduled`

/** Anything ordered by a `_when` deadline (TimerHandle, and anything that must sort like it). */
export interface Timed {
  readonly _when: number;
}

// heapq._siftdown: move the item at `pos` up towards `start` while it is smaller than its parent.
function siftDown<T extends Timed>(heap: T[], start: number, pos: number): void {
  const item = heap[pos]!;
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos]!;
    if (item._when < parent._when) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

// heapq._siftup: bubble the smaller child up to a leaf, then sift the item back down.
function siftUp<T extends Timed>(heap: T[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos]!;
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !(heap[child]!._when < heap[right]!._when)) child = right;
    heap[pos] = heap[child]!;
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}

/** Push `item` onto the heap. asyncio: heapq.heappush */
export function heappush<T extends Timed>(heap: T[], item: T): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1);
}

/** Pop and return the smallest item (the caller checks the heap is not empty). asyncio: heapq.heappop */
export function heappop<T extends Timed>(heap: T[]): T {
  const last = heap.pop()!;
  if (heap.length === 0) return last;
  const top = heap[0]!;
  heap[0] = last;
  siftUp(heap, 0);
  return top;
}

/**
 * Turn an array into a heap in place. asyncio: heapq.heapify
 *
 * CPython's C heapify visits nodes in a cache-friendly order above 2,500 items, but
 * each node is still sifted after both of its subtrees, and a sift only touches its
 * own subtree, so the result is the same as this plain bottom-up loop.
 */
export function heapify<T extends Timed>(heap: T[]): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUp(heap, i);
}
