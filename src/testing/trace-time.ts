// How traces and pictures print virtual times: rounded to the clock's resolution, so that
// float noise (0.1 + 0.2 is 0.30000000000000004) never shows, written as Python floats.
// asyncio: none (an aiosim testing extra; the resolution is BaseEventLoop._clock_resolution)

import { pyFloat } from '../format/py-repr.js';

/** The clock resolution traces assume when none is known: CPython's monotonic clock's, 1e-9 s. */
export const DEFAULT_CLOCK_RESOLUTION = 1e-9;

/**
 * Return how many decimals times of a clock with this resolution print with: as many as
 * writing the resolution takes, to 3 significant digits (1e-9: 9, 0.25: 2, 0.001: 3, 1: 0).
 * Times a resolution apart stay apart; what lies below it is float noise the loop ignores
 * (a timer is due when its deadline is within one resolution of the clock).
 */
export function timeDecimals(resolution: number): number {
  if (!Number.isFinite(resolution) || resolution <= 0) return timeDecimals(DEFAULT_CLOCK_RESOLUTION);
  const [digits, exp] = Number(resolution.toPrecision(3)).toExponential().split('e') as [string, string];
  const fraction = digits.split('.')[1]?.length ?? 0;
  // toFixed takes at most 100 decimals.
  return Math.min(100, Math.max(0, fraction - Number(exp)));
}

/** Return a virtual time rounded to `decimals` decimals (`+ 0`: never -0). */
export function roundTime(t: number, decimals: number): number {
  return Number.isFinite(t) ? Number(t.toFixed(decimals)) + 0 : t;
}

/** Return a virtual time as text: rounded to `decimals` decimals, as a Python float (`0.9`, `2.0`). */
export function formatTime(t: number, decimals: number): string {
  return pyFloat(roundTime(t, decimals));
}
