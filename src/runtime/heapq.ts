// A port of Python's heapq (heappush, heappop, heapify), sifting exactly as CPython's
// C implementation does, with the `<` comparison given as a function. heapq is not
// stable: items that compare equal come out in heapq's order, not FIFO, and aiosim
// must match it (timers with equal deadlines, PriorityQueue items of equal priority).
// asyncio: heapq (used by base_events for timers and by queues.PriorityQueue)

/** Python's `a < b` for the items of one heap. */
export type LessThan<T> = (a: T, b: T) => boolean;

// heapq's siftdown: move the item at `pos` up towards `start` while it is smaller than
// its parent. Like CPython's C code it swaps at every step, so that a comparison that
// throws (PriorityQueue items Python cannot order) leaves a permutation of the items.
function siftDown<T>(heap: T[], start: number, pos: number, lt: LessThan<T>): void {
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const item = heap[pos]!;
    const parent = heap[parentPos]!;
    if (!lt(item, parent)) break;
    heap[parentPos] = item;
    heap[pos] = parent;
    pos = parentPos;
  }
}

// heapq's siftup: bubble the smaller child up to a leaf (swapping), then sift down.
function siftUp<T>(heap: T[], pos: number, lt: LessThan<T>): void {
  const end = heap.length;
  const start = pos;
  const limit = end >> 1;
  while (pos < limit) {
    let child = 2 * pos + 1;
    if (child + 1 < end && !lt(heap[child]!, heap[child + 1]!)) child++;
    const tmp = heap[child]!;
    heap[child] = heap[pos]!;
    heap[pos] = tmp;
    pos = child;
  }
  siftDown(heap, start, pos, lt);
}

/** Push `item` onto the heap. asyncio: heapq.heappush */
export function heappush<T>(heap: T[], item: T, lt: LessThan<T>): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1, lt);
}

/**
 * Pop and return the smallest item (the caller checks the heap is not empty). If a
 * comparison throws, the smallest item is lost, as in CPython's C heappop.
 * asyncio: heapq.heappop
 */
export function heappop<T>(heap: T[], lt: LessThan<T>): T {
  const last = heap.pop()!;
  if (heap.length === 0) return last;
  const top = heap[0]!;
  heap[0] = last;
  siftUp(heap, 0, lt);
  return top;
}

/**
 * Turn an array into a heap in place. asyncio: heapq.heapify
 *
 * CPython's C heapify visits nodes in a cache-friendly order above 2,500 items, but
 * each node is still sifted after both of its subtrees, and a sift only touches its
 * own subtree, so the result is the same as this plain bottom-up loop.
 */
export function heapify<T>(heap: T[], lt: LessThan<T>): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUp(heap, i, lt);
}
