// The loop's timer queue: heapq over TimerHandles ordered by `when` only, so timers
// with equal deadlines fire in heapq's order, exactly as in CPython. This is
// deliberate: do not replace it with a stable priority queue.
// asyncio: the heapq calls in base_events.py on `_scheduled` (TimerHandle.__lt__)

import { heapify as heapifyBy, heappop as heappopBy, heappush as heappushBy } from './heapq.js';

/** Anything ordered by a `_when` deadline (TimerHandle, and anything that must sort like it). */
export interface Timed {
  readonly _when: number;
}

// TimerHandle.__lt__ compares deadlines only.
const whenLess = (a: Timed, b: Timed): boolean => a._when < b._when;

/** Push a timer. asyncio: heapq.heappush(loop._scheduled, timer) */
export function heappush<T extends Timed>(heap: T[], item: T): void {
  heappushBy(heap, item, whenLess);
}

/** Pop the earliest timer (the caller checks the heap is not empty). asyncio: heapq.heappop */
export function heappop<T extends Timed>(heap: T[]): T {
  return heappopBy(heap, whenLess);
}

/** Rebuild the heap in place (after compaction). asyncio: heapq.heapify */
export function heapify<T extends Timed>(heap: T[]): void {
  heapifyBy(heap, whenLess);
}
