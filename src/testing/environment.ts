// fast-check arbitraries for what asyncio leaves to the environment: the order of timers
// due at exactly the same time and of simulated-thread steps at the same instant
// (TieBreaks), and the values a model takes from the world (timer jitter, executor job
// durations, signal arrival times, delays). Each shrinks towards CPython's order and the
// nominal value, so a counterexample reads as "what had to differ".
// asyncio: none (aiosim testing; asyncio's docs leave these undefined or to the OS)

import { ValueError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';
import { fastCheck } from './fast-check-peer.js';
import type { FcArbitrary } from './fc-arbitrary.js';

// fast-check prints a value with this method when it has one (fc.toStringMethod).
const fcToString = Symbol.for('fast-check/toStringMethod');

/**
 * How ties left open by asyncio are broken in one run: one choice per tie, in the order
 * the ties come up. A choice `c` among `n` equally valid next events takes the one at
 * index `c % n` of CPython's order; choices past the end are 0, so `new TieBreaks([])`
 * is CPython's order everywhere. The network's free choices (a message's latency, a
 * datagram's fate, the order of same-instant deliveries) are a second stream, `network`,
 * where 0 is the nominal network: apart, so that shrinking one does not shift the other.
 *
 * @example new TieBreaks([1]) // the first tie goes the other way, every later one as in CPython
 * asyncio: none (aiosim testing)
 */
export class TieBreaks {
  /** The choices, in the order ties come up. */
  readonly choices: readonly number[];
  /** The network's choices, in the order they come up. */
  readonly network: readonly number[];

  constructor(choices: readonly number[] = [], network: readonly number[] = []) {
    checkChoices(choices);
    checkChoices(network);
    this.choices = choices.slice();
    this.network = network.slice();
  }

  toString(): string {
    const network = this.network.length === 0 ? '' : `, network: [${this.network.join(', ')}]`;
    return `TieBreaks([${this.choices.join(', ')}]${network})`;
  }

  [fcToString](): string {
    return this.toString();
  }
}

function checkChoices(choices: readonly number[]): void {
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i]!;
    if (!Number.isInteger(c) || c < 0) throw new ValueError(`a tie choice must be an integer >= 0, got ${String(c)}`);
  }
}

/** One tie broken in a run: where it was, how many could go next, which one did. */
export interface TieDecision {
  /**
   * Timers due at exactly the same time, simulated-thread steps at the same instant, or a
   * free choice of the network (a message's latency, a datagram's fate, the order of
   * deliveries due at the same instant).
   */
  kind: 'timers' | 'threads' | 'network';
  /** The virtual time of the tie. */
  time: number;
  /** How many events could go next (>= 2). */
  candidates: number;
  /** The index of the one that went, in CPython's order (0: as CPython). */
  chosen: number;
  /** For the network's choices: what happened, in words (`message 17 a->b dropped`). */
  what?: string;
}

/** @internal Describe a decision for a report: `t=0.2 timers: #2 of 2 went first (CPython: #1)`. */
export function formatDecision(d: TieDecision): string {
  if (d.what !== undefined) return `t=${pyFloat(d.time)} ${d.what}`;
  return `t=${pyFloat(d.time)} ${d.kind}: #${d.chosen + 1} of ${d.candidates} went first (CPython: #1)`;
}

/** Options of `tieBreaks()`. */
export interface TieBreaksOptions {
  /** Ties explored per run; later ones go CPython's way (default 64). */
  maxDecisions?: number;
}

/**
 * Return an arbitrary of `TieBreaks`: the order of timers due at exactly the same time
 * (asyncio: "callbacks scheduled for exactly the same time run in an undefined order")
 * and of simulated-thread steps at the same virtual instant (the operating system's
 * choice; one thread's own steps keep their order). Shrinks towards CPython's order.
 * The property runner explores it by itself; use it to build your own properties.
 *
 * @example fc.property(tieBreaks(), (ties) => …)
 * asyncio: none (aiosim testing)
 */
export function tieBreaks(options?: TieBreaksOptions): FcArbitrary<TieBreaks> {
  const maxDecisions = options?.maxDecisions ?? 64;
  if (!Number.isInteger(maxDecisions) || maxDecisions < 0) throw new ValueError(`maxDecisions must be an integer >= 0, got ${String(maxDecisions)}`);
  const fc = fastCheck('tieBreaks');
  // Choices up to 15: any of the first 16 candidates of a tie can go first.
  return fc.array(fc.nat({ max: 15 }), { maxLength: maxDecisions, size: 'medium' })
    .map((choices) => new TieBreaks(choices), (v) => {
      if (!(v instanceof TieBreaks)) throw new Error('not a TieBreaks');
      return [...v.choices];
    });
}

/** A range of virtual seconds, on a grid (`resolution`, default 0.001: milliseconds). */
export interface SecondsRange {
  /** The smallest value (default 0); values shrink towards it. */
  min?: number;
  /** The largest value. */
  max: number;
  /** The grid step: 1/n of a second (0.001, 0.25) or whole seconds; default 0.001. */
  resolution?: number;
}

// The grid as integers k with value = k / perSecond (or k * step for whole seconds), so
// values print as written (0.003, never 0.0030000000000000001).
function secondsOnGrid(helper: string, range: SecondsRange): FcArbitrary<number> {
  const min = range.min ?? 0;
  const { max } = range;
  const resolution = range.resolution ?? 0.001;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
    throw new ValueError(`${helper}(): need 0 <= min <= max (finite seconds), got min=${String(min)}, max=${String(max)}`);
  }
  const whole = resolution >= 1 && Number.isInteger(resolution);
  const perSecond = whole ? 1 : Math.round(1 / resolution);
  if (!whole && !(resolution > 0 && Math.abs(perSecond * resolution - 1) < 1e-12)) {
    throw new ValueError(`${helper}(): resolution must be 1/n of a second or a whole number of seconds, got ${String(resolution)}`);
  }
  const toValue = whole ? (k: number) => k * resolution : (k: number) => k / perSecond;
  const scale = whole ? 1 / resolution : perSecond;
  // Bounds within float noise of a grid point are that point (0.05 * 1000 is 50.000000000000007).
  const near = (x: number): number | undefined => (Math.abs(x - Math.round(x)) < 1e-9 ? Math.round(x) : undefined);
  const lo = near(min * scale) ?? Math.ceil(min * scale);
  const hi = near(max * scale) ?? Math.floor(max * scale);
  if (lo > hi) throw new ValueError(`${helper}(): no value on the grid of ${String(resolution)} s between ${String(min)} and ${String(max)}`);
  const fc = fastCheck(helper);
  return fc.integer({ min: lo, max: hi }).map(toValue, (v) => {
    if (typeof v !== 'number') throw new Error('not a number of seconds');
    return Math.round(v * scale);
  });
}

/**
 * Return an arbitrary of how late a timer fires: `[0, bound]` seconds (on time, or up
 * to `bound` late: an event loop never runs a timer early). Add it to a delay in a model
 * (`sleep(1 + jitter)`). Shrinks towards 0.
 *
 * @throws ValueError for a negative or non-finite bound, or a bad resolution.
 * @example checkProperty({ late: timerJitter(0.05) }, function* main({ late }) { yield* sleep(1 + late); })
 * asyncio: none (real clocks make timers late by the OS's scheduling)
 */
export function timerJitter(bound: number, options?: { resolution?: number }): FcArbitrary<number> {
  return secondsOnGrid('timerJitter', { min: 0, max: bound, resolution: options?.resolution });
}

/**
 * Return an arbitrary of an executor job's duration, in `[min, max]` seconds, for a job
 * that `blockingSleep`s that long. Shrinks towards `min`.
 *
 * @throws ValueError unless 0 <= min <= max, or for a bad resolution.
 * @example jobDuration({ min: 0.01, max: 0.5 })
 * asyncio: none (how long run_in_executor work takes is up to the machine)
 */
export function jobDuration(range: SecondsRange): FcArbitrary<number> {
  return secondsOnGrid('jobDuration', range);
}

/**
 * Return an arbitrary of when a signal arrives, in `[min, max]` seconds from now, for
 * `signals.scheduleSignal(sig, delay)`. Shrinks towards `min`. Signals arriving at the
 * same instant are a tie: the runner explores their order.
 *
 * @throws ValueError unless 0 <= min <= max, or for a bad resolution.
 * @example signalArrival({ max: 2 })
 * asyncio: none (signals come from outside the program)
 */
export function signalArrival(range: SecondsRange): FcArbitrary<number> {
  return secondsOnGrid('signalArrival', range);
}

/**
 * Return an arbitrary of a delay in a model of the world (a request's arrival, a
 * service's latency), in `[min, max]` seconds. Shrinks towards `min`.
 *
 * @throws ValueError unless 0 <= min <= max, or for a bad resolution.
 * @example modelDelay({ min: 0.05, max: 0.5, resolution: 0.05 })
 * asyncio: none (aiosim testing)
 */
export function modelDelay(range: SecondsRange): FcArbitrary<number> {
  return secondsOnGrid('modelDelay', range);
}
