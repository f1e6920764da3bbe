// The SVG timeline's horizontal axis: virtual time to scale, each instant widened to give
// its events a slot each, and the times it is labelled with.
// asyncio: none (an aiosim testing extra)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { instantsOf, type Timeline } from './timeline.js';
import { formatTime } from './trace-time.js';

// Room after each instant, in pixels.
const GAP = 8;
/** @internal Width of a character of the axis's labels (10 px monospace). */
export const TICK_CHAR = 6;

/**
 * @internal The horizontal axis: virtual time, with every instant widened to give each of its
 * events a slot (in the order the loop took them) and a gap after it.
 */
export interface Axis {
  /** Left edge of event i's slot. */
  x(i: number): number;
  /** Where virtual time t starts (before the events at t). */
  at(t: number): number;
  slot: number;
  right: number;
  ticks: { time: number; x: number }[];
}

/** @internal The axis of a timeline whose rows' titles end at `left`. */
export function axisOf(timeline: Timeline, left: number, options: { pxPerSecond?: number; slotPx?: number } | undefined): Axis {
  const { events, slices } = timeline;
  const slot = options?.slotPx === undefined ? 10 : checkNumber(options.slotPx, 'slotPx must be a finite number of pixels >= 0', finiteNonNegative);
  const { instants, of } = instantsOf(events);
  const t0 = instants.reduce((m, s) => Math.min(m, s.time), instants[0]?.time ?? 0);
  const tEnd = slices.reduce((m, s) => Math.max(m, s.end), instants.reduce((m, s) => Math.max(m, s.time), t0));
  const pps = options?.pxPerSecond === undefined
    ? (tEnd > t0 ? 480 / (tEnd - t0) : 0)
    : checkNumber(options.pxPerSecond, 'pxPerSecond must be a finite number of pixels >= 0', finiteNonNegative);
  // Instants in time order (stable), each with the room of those before it.
  const order = instants.map((_, k) => k).sort((a, b) => instants[a]!.time - instants[b]!.time);
  const before: number[] = new Array<number>(instants.length);
  const times: number[] = [];
  const rooms: number[] = [0];
  for (const k of order) {
    before[k] = rooms[rooms.length - 1]!;
    times.push(instants[k]!.time);
    rooms.push(before[k]! + instants[k]!.count * slot + GAP);
  }
  const base = (t: number): number => left + (t - t0) * pps;
  const at = (t: number): number => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return base(t) + rooms[lo]!;
  };
  return {
    x: (i) => base(events[i]!.time) + before[of[i]!]! + (i - instants[of[i]!]!.first) * slot,
    at,
    slot,
    right: base(tEnd) + rooms[rooms.length - 1]!,
    ticks: order.map((k) => ({ time: instants[k]!.time, x: base(instants[k]!.time) + before[k]! })),
  };
}

/**
 * @internal The axis's labels: every instant's time where there is room, the first and
 * the last always (the last one wins when they collide), none running into the next.
 */
export function tickLabels(axis: Axis, decimals: number): { x: number; text: string }[] {
  const ticks = axis.ticks.map((t) => ({ x: t.x, text: formatTime(t.time, decimals) }));
  const last = ticks[ticks.length - 1];
  const out: { x: number; text: string }[] = [];
  let end = -Infinity;
  for (const tick of ticks.slice(0, -1)) {
    const right = tick.x + tick.text.length * TICK_CHAR;
    if (tick.x < end + 6 || (last !== undefined && right + 6 > last.x)) continue;
    out.push(tick);
    end = right;
  }
  if (last !== undefined) out.push(last);
  return out;
}
