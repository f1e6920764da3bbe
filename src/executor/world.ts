// The simulation of concurrent threads on one virtual clock. Simulated threads do not
// run in parallel with JavaScript: their steps are events at virtual times, run in
// order when the loop's thread waits (in the loop's selector, or blocked in
// blockingSleep or a blocking wait). The rule for events at the same instant: the order
// they were scheduled in (FIFO), unless a scheduling seed asks to explore other orders.

import { heapify, heappop, heappush } from '../loop/heapq.js';

/** A step of a simulated thread, due at a virtual time. */
interface SimEvent {
  readonly time: number;
  // Tie-break among equal times: the scheduling order, or a seeded random key.
  readonly key: number;
  readonly run: () => void;
}

const eventLess = (a: SimEvent, b: SimEvent): boolean => a.time < b.time || (a.time === b.time && a.key < b.key);

/** Where the current virtual time lives: the running loop's clock, or the world's own. */
export interface ClockCell {
  get(): number;
  set(t: number): void;
}

// mulberry32: a small seeded PRNG, so that exploring orders stays reproducible.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A loop waiting in its selector, which a blocked simulated thread can let run. */
export interface IdleLoop {
  /** When the loop next has something to do (Infinity: nothing, or it is stopping). */
  nextWake(): number;
  /** Run one iteration of the loop (re-entrantly, below the blocked thread). */
  iterate(): void;
}

/**
 * The virtual time and the pending steps of simulated threads. One per process.
 * While a loop runs on the main thread, the world's time is that loop's clock.
 */
export class World {
  #own = 0;
  #clock: ClockCell | undefined;
  #events: SimEvent[] = [];
  #seq = 0;
  #random: (() => number) | undefined;
  /** @internal The loop waiting in its selector below the running thread step, if any. */
  _idleLoop: IdleLoop | undefined;

  /** The current virtual time. */
  get now(): number {
    return this.#clock === undefined ? this.#own : this.#clock.get();
  }

  set now(t: number) {
    if (this.#clock === undefined) this.#own = t;
    else this.#clock.set(t);
  }

  /** @internal A loop starts running on the main thread: its clock is the world's time. */
  _attach(clock: ClockCell): ClockCell | undefined {
    const previous = this.#clock;
    this.#clock = clock;
    return previous;
  }

  /** @internal The loop stopped: the world keeps its time, or gives it back to the outer clock. */
  _detach(previous: ClockCell | undefined): void {
    const t = this.now;
    this.#clock = previous;
    if (previous === undefined) this.#own = t;
  }

  /**
   * Order events at the same virtual instant by a seeded random permutation (for
   * exploring interleavings), or FIFO again with undefined. The same seed gives the
   * same run.
   */
  setSchedulingSeed(seed: number | undefined): void {
    this.#random = seed === undefined ? undefined : mulberry32(seed);
  }

  /** Schedule `run` at virtual time `time` (not before now). */
  schedule(time: number, run: () => void): void {
    const key = this.#random === undefined ? ++this.#seq : this.#random();
    heappush(this.#events, { time: Math.max(time, this.now), key, run }, eventLess);
  }

  /** Whether any thread step is pending. */
  get hasEvents(): boolean {
    return this.#events.length > 0;
  }

  /** The time of the next pending step, if any. */
  nextTime(): number | undefined {
    return this.#events[0]?.time;
  }

  /**
   * Run the pending steps due at or before `deadline`, in order, moving the time to
   * each one's; stop as soon as `stop()` is true (checked before each step).
   * Returns whether it stopped because of `stop`.
   */
  runUntil(deadline: number, stop: () => boolean = () => false): boolean {
    for (;;) {
      if (stop()) return true;
      const next = this.#events[0];
      if (next === undefined || next.time > deadline) return false;
      heappop(this.#events, eventLess);
      if (next.time > this.now) this.now = next.time;
      next.run();
    }
  }

  /** Run the next pending step (the caller checks there is one). */
  runNext(): void {
    const next = heappop(this.#events, eventLess);
    if (next.time > this.now) this.now = next.time;
    next.run();
  }

  /** @internal Forget every pending step (tests start from a clean world). */
  _reset(): void {
    this.#events = [];
    heapify(this.#events, eventLess);
    this.#clock = undefined;
    this.#own = 0;
    this.#random = undefined;
    this._idleLoop = undefined;
  }
}

/** The process's world. */
export const world = new World();
