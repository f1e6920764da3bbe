// The simulation of concurrent threads on one virtual clock. Simulated threads do not
// run in parallel with JavaScript: their steps are events at virtual times, run in
// order when the loop's thread waits (in the loop's selector, or blocked in
// blockingSleep or a blocking wait). The rule for events at the same instant: the order
// they were scheduled in (FIFO), unless a scheduling seed or aiosim/testing's exploration
// picks another order; either way one thread's own steps keep their order.

import { heappop, heappush } from './heapq.js';
import { checkNumber } from '../errors/check-number.js';
import { getIdent } from './thread-ident.js';
import type { TieChooser } from '../events/timer-heap.js';
import { mulberry32 } from './mulberry32.js';

/** A step of a simulated thread, due at a virtual time. */
interface SimEvent {
  readonly time: number;
  // Tie-break among equal times: the scheduling order.
  readonly key: number;
  readonly run: () => void;
  // Whose step it is (a thread's ident, a signal's arrival): only steps of different
  // owners due at the same instant may be reordered.
  readonly owner: unknown;
}

const eventLess = (a: SimEvent, b: SimEvent): boolean => a.time < b.time || (a.time === b.time && a.key < b.key);

/** Where the current virtual time lives: the running loop's clock, or the world's own. */
export interface ClockCell {
  get(): number;
  set(t: number): void;
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
  // Steps to run now, before any step already pending (FIFO among themselves): a host's
  // loop woken by a delivery or a thread-safe call goes on right after the step that woke
  // it, as a loop waiting in its selector does (runners/host-process.ts).
  #urgent: SimEvent[] = [];
  // The largest size #events reached since it was allocated (see #pop).
  #peak = 0;
  #seq = 0;
  // Picks among the owners' next steps due at the same instant; undefined: FIFO.
  #chooser: TieChooser | undefined;
  /** @internal The loop waiting in its selector below the running thread step, if any. */
  _idleLoop: IdleLoop | undefined;
  /**
   * @internal What else waits in the world and would be named in a stall report: the
   * hosts' processes alive (each gives its lines: `host 'server' (pid 2):`, then what it
   * waits for).
   */
  readonly _stallNotes = new Set<() => string[]>();

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
   * Order events at the same virtual instant in a seeded random order (for exploring
   * interleavings), or FIFO again with undefined. The same seed gives the same run. The
   * steps of one thread keep their order (CPython runs them in program order).
   * @throws TypeError / ValueError for a seed that is not an integer (NaN or a fraction
   * would silently become another seed).
   */
  setSchedulingSeed(seed: number | undefined): void {
    if (seed === undefined) {
      this.#chooser = undefined;
      return;
    }
    checkNumber(seed, 'the scheduling seed must be an integer', Number.isInteger);
    const random = mulberry32(seed);
    this.#chooser = (n) => Math.floor(random() * n);
  }

  /**
   * @internal aiosim/testing: pick among the steps of different owners due at the same
   * instant with `chooser` (undefined: FIFO). Returns the chooser it replaces.
   */
  _setTieChooser(chooser: TieChooser | undefined): TieChooser | undefined {
    const previous = this.#chooser;
    this.#chooser = chooser;
    return previous;
  }

  /**
   * Schedule `run` at virtual time `time` (not before now), as a step of `owner` (by
   * default the current thread): steps of one owner due at the same instant run FIFO.
   */
  schedule(time: number, run: () => void, owner: unknown = getIdent()): void {
    const events = this.#events;
    heappush(events, { time: Math.max(time, this.now), key: ++this.#seq, run, owner }, eventLess);
    if (events.length > this.#peak) this.#peak = events.length;
  }

  /**
   * Schedule `run` now, before every step already pending (FIFO with the other urgent
   * ones), as a step of `owner`.
   */
  scheduleUrgent(run: () => void, owner: unknown = getIdent()): void {
    this.#urgent.push({ time: this.now, key: ++this.#seq, run, owner });
  }

  // The next step: an urgent one first, else the heap's.
  #pop(): SimEvent {
    if (this.#urgent.length > 0) return this.#urgent.shift()!;
    const step = this.#popNext();
    // An array keeps its capacity as items leave: after a burst of steps, copy the heap
    // once it is down to a quarter of its peak (amortised O(1)), so memory stays flat.
    if (this.#peak > 1024 && this.#events.length < this.#peak >> 2) {
      this.#events = this.#events.slice();
      this.#peak = this.#events.length;
    }
    return step;
  }

  // The next step: the earliest, FIFO among equal times, unless a chooser picks among
  // the first steps of each owner due at that instant.
  #popNext(): SimEvent {
    const chooser = this.#chooser;
    if (chooser === undefined) return heappop(this.#events, eventLess);
    const events = this.#events;
    const first = heappop(events, eventLess);
    const ties = [first];
    while (events.length > 0 && events[0]!.time === first.time) ties.push(heappop(events, eventLess));
    const heads = ties.filter((e, i) => ties.findIndex((o) => o.owner === e.owner) === i);
    // The chooser sees the time of the tie (the caller moves there anyway).
    if (heads.length > 1 && first.time > this.now) this.now = first.time;
    const chosen = heads.length > 1 ? heads[chooser(heads.length, heads.map((e) => e.owner))]! : first;
    for (const e of ties) if (e !== chosen) heappush(events, e, eventLess);
    return chosen;
  }

  /** Whether any thread step is pending. */
  get hasEvents(): boolean {
    return this.#events.length > 0 || this.#urgent.length > 0;
  }

  /** The time of the next pending step, if any. */
  nextTime(): number | undefined {
    return this.#urgent.length > 0 ? this.#urgent[0]!.time : this.#events[0]?.time;
  }

  /**
   * Run the pending steps due at or before `deadline`, in order, moving the time to
   * each one's; stop as soon as `stop()` is true (checked before each step).
   * Returns whether it stopped because of `stop`.
   */
  runUntil(deadline: number, stop: () => boolean = () => false): boolean {
    for (;;) {
      if (stop()) return true;
      const next = this.#urgent.length > 0 ? this.#urgent[0] : this.#events[0];
      if (next === undefined || next.time > deadline) return false;
      const step = this.#pop();
      if (step.time > this.now) this.now = step.time;
      step.run();
    }
  }

  /** Run the next pending step (the caller checks there is one). */
  runNext(): void {
    const next = this.#pop();
    if (next.time > this.now) this.now = next.time;
    next.run();
  }

  /** @internal Forget every pending step (tests start from a clean world). */
  _reset(): void {
    // Only what was used is replaced (fixtures reset the world before and after each test).
    if (this.#events.length > 0 || this.#peak > 0) this.#events = [];
    if (this.#urgent.length > 0) this.#urgent = [];
    this.#peak = 0;
    this.#clock = undefined;
    this.#own = 0;
    this.#chooser = undefined;
    this._idleLoop = undefined;
    if (this._stallNotes.size > 0) this._stallNotes.clear();
  }

  /** @internal The lines of every stall note (what the hosts wait for). */
  _stallLines(): string[] {
    const lines: string[] = [];
    for (const note of this._stallNotes) lines.push(...note());
    return lines;
  }
}

/** The process's world. */
export const world = new World();
