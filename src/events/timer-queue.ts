// A loop's timers: the heap (heapq order, timer-heap.ts), the count of cancelled timers
// still in it, and CPython's rules for dropping those (the first step of _run_once) and
// for taking the due ones (its fourth). aiosim adds giving memory back after a burst.
// asyncio: BaseEventLoop._scheduled / _timer_cancelled_count and the heapq calls of _run_once

import type { TimerHandle } from './handle.js';
import type { ReadyQueue } from './ready-queue.js';
import { heapify, heappop, heappush, popDueChoosing, type TieChooser } from './timer-heap.js';

// asyncio: base_events constants.
const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;
// A JavaScript array keeps its capacity when items are popped: below this peak size the
// heap is never copied to give memory back (see shrink).
const SHRINK_HEAP_ABOVE = 1024;

/** @internal The timers of one loop. */
export class TimerQueue {
  /** The heap, in heapq order (a new array after a compaction, a shrink or a clear). */
  heap: TimerHandle[] = [];
  /**
   * Cancelled timers counted for compaction. As in asyncio it is not decremented when a
   * cancelled timer leaves the heap by becoming due, so it can run high.
   */
  cancelledCount = 0;
  /**
   * Set by aiosim/testing's schedule exploration: orders timers due with exactly the
   * same deadline (undefined in asyncio); unset, they fire in heapq order as in CPython.
   */
  tieChooser: TieChooser | undefined;
  // The largest size the heap reached since it was last allocated.
  #peak = 0;

  /** Schedule `timer`. */
  push(timer: TimerHandle): void {
    const heap = this.heap;
    heappush(heap, timer);
    if (heap.length > this.#peak) this.#peak = heap.length;
    timer._scheduled = true;
  }

  /** A timer was cancelled: count it if it is still in the heap. asyncio: loop._timer_handle_cancelled */
  cancelled(timer: TimerHandle): void {
    if (timer._scheduled) this.cancelledCount++;
  }

  /** Drop cancelled timers: all of them when they are many, else those at the head. */
  dropCancelled(): void {
    const heap = this.heap;
    const count = heap.length;
    if (count > MIN_SCHEDULED_TIMER_HANDLES && this.cancelledCount / count > MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      const kept: TimerHandle[] = [];
      for (const h of heap) {
        if (h._cancelled) h._scheduled = false;
        else kept.push(h);
      }
      heapify(kept);
      this.heap = kept;
      this.#peak = kept.length;
      this.cancelledCount = 0;
    } else {
      while (heap.length > 0 && heap[0]!._cancelled) {
        this.cancelledCount--;
        heappop(heap)._scheduled = false;
      }
    }
  }

  /** Move the timers due before `endTime` to `ready`, in heapq order. */
  popDue(endTime: number, ready: ReadyQueue): void {
    const heap = this.heap;
    if (this.tieChooser !== undefined) {
      // Schedule exploration: equal deadlines run "in an undefined order" (asyncio's docs).
      for (const h of popDueChoosing(heap, endTime, this.tieChooser)) {
        h._scheduled = false;
        ready.append(h);
      }
    }
    while (heap.length > 0) {
      const h = heap[0]!;
      if (h._when >= endTime) break;
      heappop(heap);
      h._scheduled = false;
      ready.append(h);
    }
  }

  /**
   * Give memory back after a burst, as CPython's lists do: a heap down to a quarter of its
   * peak is copied (amortised O(1): it lost three quarters of its peak since the last copy).
   */
  shrink(): void {
    if (this.#peak > SHRINK_HEAP_ABOVE && this.heap.length < this.#peak >> 2) {
      this.heap = this.heap.slice();
      this.#peak = this.heap.length;
    }
  }

  /** Drop every timer (the loop closes). */
  clear(): void {
    this.heap = [];
    this.#peak = 0;
  }
}
