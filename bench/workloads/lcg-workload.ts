// What the workloads over LCG delays (W3, W4, W7) share: their preparation and expected
// results, which follow from the delays of the timers that fire, and the timer run of W3
// and W4 (every timer kept, or all but every tenth cancelled at once).

import type { Clock } from '@sinonjs/fake-timers';
import type { Loop } from './api.js';
import { foldCheck, lcgDelays, maxDelay, sortedCheck } from './lcg.js';
import type { Params, Result, Workload } from './workload.js';
import { EXACT, fakeCb } from './workload.js';

type Fake = NonNullable<Workload<Float64Array>['fake']>;

/** The indices 0..n-1. */
export const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** What an LCG-delay workload defines: `fired(n)` are the indices whose timers fire. */
export interface LcgSpec {
  readonly id: string;
  readonly title: string;
  readonly full: Params;
  readonly quick: Params;
  fired(n: number): number[];
  run: Workload<Float64Array>['run'];
  /** The fake-timers run and how far its final time may be from the exact one (whole milliseconds). */
  fake: { run: Fake['run']; tolerance: number };
}

/** A workload over the first n LCG delays: one operation per delay; exact implementations fire in ascending deadlines. */
export function lcgWorkload(spec: LcgSpec): Workload<Float64Array> {
  const { fired, fake } = spec;
  return {
    id: spec.id,
    title: spec.title,
    full: spec.full,
    quick: spec.quick,
    ops: (p) => p.n,
    prepare: (p) => lcgDelays(p.n),
    run: spec.run,
    expected: (p, delays) => ({ count: fired(p.n).length, check: sortedCheck(delays, fired(p.n)), time: maxDelay(delays, fired(p.n)), tolerance: EXACT }),
    fake: {
      run: fake.run,
      expected: (p, delays) => ({ count: fired(p.n).length, check: undefined, time: maxDelay(delays, fired(p.n)), tolerance: fake.tolerance }),
    },
    stock: false,
  };
}

/** The sizes and name of a timer workload (W3, W4) and which timers it keeps: one in `every`. */
export interface TimerSpec {
  readonly id: string;
  readonly title: string;
  readonly full: Params;
  readonly quick: Params;
  readonly every: number;
}

/** W3 and W4: runTimers as a workload; the timers that fire are those at multiples of `every`. */
export function timerWorkload(spec: TimerSpec): Workload<Float64Array> {
  const { every } = spec;
  return lcgWorkload({
    id: spec.id,
    title: spec.title,
    full: spec.full,
    quick: spec.quick,
    fired: (n) => Array.from({ length: Math.ceil(n / every) }, (_, k) => k * every),
    run: (_api, loop, p, delays) => runTimers(loop, p.n, delays, every),
    // Whole milliseconds: deadlines are truncated, ties run in insertion order.
    fake: { run: (clock, p, delays) => fakeTimers(clock, p.n, delays, every), tolerance: 0.001 },
  });
}

/**
 * W3 and W4 on a loop: n callLater timers with the delays, of which all but every
 * `every`-th are cancelled at once; the loop stops when the kept ones have fired.
 */
export function runTimers(loop: Loop, n: number, delays: Float64Array, every: number): Result {
  const keep = Math.ceil(n / every);
  let count = 0;
  let check = 0;
  const fire = (i: number): void => {
    count++;
    check = foldCheck(check, i);
    if (count === keep) loop.stop();
  };
  // Nothing cancelled: no handle kept and no test per timer (W3 times callLater alone).
  if (every === 1) for (let i = 0; i < n; i++) loop.callLater(delays[i]!, fire, i);
  else {
    for (let i = 0; i < n; i++) {
      const h = loop.callLater(delays[i]!, fire, i);
      if (i % every !== 0) h.cancel();
    }
  }
  loop.runForever();
  return { count, check, time: loop.time() };
}

/** runTimers with fake timers: setTimeout in whole milliseconds, clearTimeout. */
export function fakeTimers(clock: Clock, n: number, delays: Float64Array, every: number): Result {
  let count = 0;
  let check = 0;
  const fire = (i: number): void => {
    count++;
    check = foldCheck(check, i);
  };
  if (every === 1) for (let i = 0; i < n; i++) clock.setTimeout(fakeCb(fire), delays[i]! * 1000, i);
  else {
    for (let i = 0; i < n; i++) {
      const id = clock.setTimeout(fakeCb(fire), delays[i]! * 1000, i);
      if (i % every !== 0) clock.clearTimeout(id);
    }
  }
  clock.runAll();
  return { count, check, time: clock.now / 1000 };
}
