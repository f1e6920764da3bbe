// A loop's timers: the heap (heapq order, timer-heap.ts), the count of cancelled timers
// still in it, and CPython's rules for dropping those (the first step of _run_once) and
// for taking the due ones (its fourth). aiosim adds giving memory back after a burst.
// asyncio: BaseEventLoop._scheduled / _timer_cancelled_count and the heapq calls of _run_once

import type { TimerHandle } from './handle.js';
import type { ReadyQueue } from './ready-queue.js';
import { popDueChoosing, TimerHeap, type TieChooser } from './timer-heap.js';

// asyncio: base_events constants.
const MIN_SCHEDULED_TIMER_HANDLES = 100;
const MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5;

/** @internal The timers of one loop. */
export class TimerQueue {
  readonly #heap = new TimerHeap<TimerHandle>();
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

  /** The heap, in heapq order (a new array after a compaction, a shrink or a clear). */
  get heap(): readonly TimerHandle[] {
    return this.#heap.items;
  }

  /** Whether no timer is scheduled. */
  get empty(): boolean {
    return this.#heap.length === 0;
  }

  /** The earliest deadline (some timer is scheduled). */
  nextWhen(): number {
    return this.#heap.peekWhen();
  }

  /** Schedule `timer`. */
  push(timer: TimerHandle): void {
    this.#heap.push(timer);
    timer._scheduled = true;
  }

  /** A timer was cancelled: count it if it is still in the heap. asyncio: loop._timer_handle_cancelled */
  cancelled(timer: TimerHandle): void {
    if (timer._scheduled) this.cancelledCount++;
  }

  /** Drop cancelled timers: all of them when they are many, else those at the head. */
  dropCancelled(): void {
    const heap = this.#heap;
    const count = heap.length;
    if (count > MIN_SCHEDULED_TIMER_HANDLES && this.cancelledCount / count > MIN_CANCELLED_TIMER_HANDLES_FRACTION) {
      const kept: TimerHandle[] = [];
      for (const h of heap.items) {
        if (h._cancelled) h._scheduled = false;
        else kept.push(h);
      }
      heap.heapify(kept);
      this.cancelledCount = 0;
    } else {
      while (heap.length > 0 && heap.items[0]!._cancelled) {
        this.cancelledCount--;
        heap.pop()._scheduled = false;
      }
    }
  }

  /** Move the timers due before `endTime` to `ready`, in heapq order. */
  popDue(endTime: number, ready: ReadyQueue): void {
    const heap = this.#heap;
    if (this.tieChooser !== undefined) {
      // Schedule exploration: equal deadlines run "in an undefined order" (asyncio's docs).
      for (const h of popDueChoosing(heap, endTime, this.tieChooser)) {
        h._scheduled = false;
        ready.append(h);
      }
    }
    while (heap.length > 0 && heap.peekWhen() < endTime) {
      const h = heap.pop();
      h._scheduled = false;
      ready.append(h);
    }
  }

  /** Give memory back after a burst (see TimerHeap.shrink). */
  shrink(): void {
    this.#heap.shrink();
  }

  /** Drop every timer (the loop closes). */
  clear(): void {
    this.#heap.clear();
  }
}
