// Checks a run's result against what a correct run produces, so that a fast wrong run
// fails instead of being reported; the agreement check between implementations; the
// targets of issue 8 (shown, not enforced).

import type { Params, Result, Workload } from '../workloads/workload.js';
import type { Impl } from './spawn.js';

/** Return why `r` is wrong for this implementation, or undefined when it is right. */
export function verify(impl: Impl, w: Workload<unknown>, p: Params, data: unknown, r: Result): string | undefined {
  const e = impl === 'fake' ? w.fake!.expected(p, data) : w.expected(p, data);
  if (r.count !== e.count) return `count ${r.count}, expected ${e.count}`;
  if (e.check !== undefined && r.check !== e.check) return `check ${r.check}, expected ${e.check}`;
  // The stock loop's clock is real time.
  if (impl !== 'stock' && !(Math.abs(r.time - e.time) <= e.tolerance)) return `final time ${r.time}, expected ${e.time}`;
  return undefined;
}

/** How many times faster than CPython's virtual-clock loop aiosim should be (issue 8). */
export const CPYTHON_TARGETS: Readonly<Record<string, number>> = { W1: 30, W2: 7, W3: 10, W4: 8, W5: 20, W6: 25, W7: 10, W8: 6, W9: 15 };
/** How many times faster than @sinonjs/fake-timers, where it can run the workload. */
export const FAKE_TARGET = 5;
/** Bytes a pending timer should cost at most. */
export const TIMER_BYTES_TARGET = 150;

/**
 * Return how two exact implementations disagree, or undefined when they agree: same
 * count, same checksum, same final virtual time (to the clock's resolution).
 */
export function disagreement(a: Result, b: Result): string | undefined {
  if (a.count !== b.count) return `count ${a.count} vs ${b.count}`;
  if (a.check !== b.check) return `check ${a.check} vs ${b.check}`;
  if (!(Math.abs(a.time - b.time) <= 1e-9)) return `final time ${a.time} vs ${b.time}`;
  return undefined;
}
