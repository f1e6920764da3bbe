// A trace drawn as an SVG timeline by aiosim itself: tasks (and the loop's callbacks,
// and simulated threads) down the side, virtual time across, steps as marks, waits as
// bars, wake-ups as arrows. Self-contained (no scripts, fonts or links) and deterministic.
// asyncio: none (an aiosim testing extra)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { buildTimeline, instantsOf, trackTitle, type Timeline, type TimelineFlow, type TimelineSlice } from './timeline.js';
import { _eventText, type TimeTextOptions, type TraceEvent } from './trace-event.js';
import { formatTime, timeDecimals } from './trace-time.js';
import type { Trace } from './trace.js';

/**
 * Options of `toTimelineSvg` and `toTimelineHtml`. `clockResolution` (default: the
 * trace's) is what times in labels, tooltips and data attributes are rounded to.
 */
export interface TimelineOptions extends TimeTextOptions {
  /** The picture's title (default `aiosim timeline`). */
  title?: string;
  /** Pixels per virtual second (default: the trace's time span takes 480 pixels). */
  pxPerSecond?: number;
  /** Pixels each event takes within its instant (default 10). */
  slotPx?: number;
}

const ROW = 30;
const TOP = 56;
const GAP = 8;
const RIGHT = 24;
const CHAR = 7.2;
const LEGEND = 44;

/** @internal Escape text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Pixel values with one decimal at most, so the text is stable.
const px = (v: number): string => String(Math.round(v * 10) / 10 + 0);

/**
 * The horizontal axis: virtual time, with every instant widened to give each of its
 * events a slot (in the order the loop took them) and a gap after it.
 */
interface Axis {
  /** Left edge of event i's slot. */
  x(i: number): number;
  /** Where virtual time t starts (before the events at t). */
  at(t: number): number;
  slot: number;
  right: number;
  ticks: { time: number; x: number }[];
}

function axisOf(timeline: Timeline, left: number, options: TimelineOptions | undefined): Axis {
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

const STYLE = [
  'text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; fill: #222; }',
  '.title { font-size: 14px; font-weight: bold; }',
  '.tick, .wait-label, .legend text { font-size: 10px; fill: #555; }',
  '.grid { stroke: #eee; }',
  '.axis { stroke: #888; }',
  '.lane { fill: #fafafa; }',
  '.slice { stroke: #222; stroke-width: 0.5; }',
  '.step { fill: #4e79a7; }',
  '.step.done { fill: #1f4e79; }',
  '.step.failed { fill: #e15759; }',
  '.step.cancelled { fill: #b07aa1; }',
  '.callback { fill: #a0a0a0; }',
  '.timer { fill: #f28e2b; }',
  '.thread { fill: #59a14f; }',
  '.wait { stroke: #9bb7d4; stroke-width: 2; stroke-dasharray: 4 2; }',
  '.flow { fill: none; stroke-width: 1.2; }',
  '.flow.wake { stroke: #7a4fa0; }',
  '.flow.start { stroke: #2b8a3e; }',
  '.flow.call, .flow.resume { stroke: #777; }',
  '.flow.timer { stroke: #d9731a; stroke-dasharray: 3 2; }',
  '.mark.done { fill: #edc948; stroke: #333; stroke-width: 0.5; }',
  '.mark.cancel { stroke: #b00; stroke-width: 1.5; }',
  '.mark.log, .mark.warning { fill: #e15759; }',
].join('\n');

function titleOf(slice: TimelineSlice, events: readonly TraceEvent[], decimals: number): string {
  const time = (t: number): string => formatTime(t, decimals);
  const when = slice.end > slice.start ? `t=${time(slice.start)} to ${time(slice.end)}` : `t=${time(slice.start)}`;
  const own = events.slice(slice.first + 1, slice.last + 1).map((e) => _eventText(e, decimals));
  const shown = own.length > 20 ? [...own.slice(0, 20), '…'] : own;
  return [`${slice.name} (${when}, iteration ${events[slice.first]!.iteration})`, ...shown].join('\n');
}

// A slice ends with its last event's slot, or at its end time if later (it blocked or slept).
function sliceEnd(slice: TimelineSlice, axis: Axis): number {
  return Math.max(axis.x(slice.last) + axis.slot, axis.at(slice.end));
}

function sliceSvg(slice: TimelineSlice, events: readonly TraceEvent[], axis: Axis, y: number, decimals: number): string {
  const x1 = axis.x(slice.first);
  const x2 = sliceEnd(slice, axis);
  const cls = slice.outcome === undefined || slice.outcome === 'waiting' || slice.outcome === 'ready' ? slice.kind : `${slice.kind} ${slice.outcome}`;
  return `<rect class="slice ${cls}" x="${px(x1 + 0.5)}" y="${px(y + 7)}" width="${px(Math.max(2, x2 - x1 - 1))}" height="16"` +
    ` data-start="${formatTime(slice.start, decimals)}" data-end="${formatTime(slice.end, decimals)}"><title>${xmlEscape(titleOf(slice, events, decimals))}</title></rect>`;
}

// What each track shows: its waits, slices and marks.
interface TrackParts {
  waits: Timeline['waits'];
  slices: TimelineSlice[];
  marks: Timeline['marks'];
}

function partsByTrack(timeline: Timeline): TrackParts[] {
  const parts: TrackParts[] = timeline.tracks.map(() => ({ waits: [], slices: [], marks: [] }));
  for (const w of timeline.waits) parts[w.track]!.waits.push(w);
  for (const s of timeline.slices) parts[s.track]!.slices.push(s);
  for (const m of timeline.marks) parts[m.track]!.marks.push(m);
  return parts;
}

function trackSvg(timeline: Timeline, index: number, own: TrackParts, axis: Axis, labelWidth: number): string {
  const track = timeline.tracks[index]!;
  const decimals = timeDecimals(timeline.clockResolution);
  const y = TOP + index * ROW;
  const title = trackTitle(track);
  const shown = title.length * CHAR > labelWidth - 12 ? `${title.slice(0, Math.floor((labelWidth - 12) / CHAR) - 1)}…` : title;
  const parts = [
    `<g class="track" data-kind="${track.kind}" data-name="${xmlEscape(track.name)}" data-title="${xmlEscape(title)}">`,
    `<rect class="lane" x="0" y="${px(y + 2)}" width="${px(axis.right + RIGHT)}" height="${ROW - 4}"/>`,
    `<text x="6" y="${px(y + 19)}">${xmlEscape(shown)}<title>${xmlEscape(title)}</title></text>`,
  ];
  for (const w of own.waits) {
    const x1 = sliceEnd(timeline.slices[w.after]!, axis);
    const x2 = w.until === undefined ? axis.right : axis.x(timeline.slices[w.until]!.first);
    if (x2 - x1 < 2) continue;
    const label = w.awaits === 'yield' ? 'yield' : `await ${w.awaits}`;
    parts.push(`<line class="wait" x1="${px(x1 + 1)}" y1="${px(y + 19)}" x2="${px(x2 - 1)}" y2="${px(y + 19)}"><title>${xmlEscape(label)}</title></line>`);
    if (label.length * 6 + 8 < x2 - x1) parts.push(`<text class="wait-label" x="${px(x1 + 4)}" y="${px(y + 15)}">${xmlEscape(label)}</text>`);
  }
  for (const s of own.slices) parts.push(sliceSvg(s, timeline.events, axis, y, decimals));
  for (const m of own.marks) {
    const cx = axis.x(m.at) + axis.slot / 2;
    const cy = y + 15;
    const tip = `<title>${xmlEscape(`${m.text} (t=${formatTime(timeline.events[m.at]!.time, decimals)})`)}</title>`;
    if (m.kind === 'done') parts.push(`<path class="mark done" d="M${px(cx)} ${px(cy - 5)}l4 5l-4 5l-4 -5z">${tip}</path>`);
    else if (m.kind === 'cancel') parts.push(`<path class="mark cancel" d="M${px(cx - 3)} ${px(cy - 3)}l6 6m0 -6l-6 6">${tip}</path>`);
    else parts.push(`<path class="mark ${m.kind}" d="M${px(cx)} ${px(cy - 6)}l5 10h-10z">${tip}</path>`);
  }
  parts.push('</g>');
  return parts.join('\n');
}

function flowSvg(timeline: Timeline, f: TimelineFlow, axis: Axis): string {
  const from = timeline.slices[f.from]!;
  const to = timeline.slices[f.to]!;
  const x1 = axis.x(f.at) + axis.slot / 2;
  const y1 = TOP + from.track * ROW + 15;
  const x2 = axis.x(to.first) + 0.5;
  const y2 = TOP + to.track * ROW + (to.track > from.track ? 7 : 23);
  const dx = Math.max(6, (x2 - x1) / 2);
  return `<path class="flow ${f.kind}" d="M${px(x1)} ${px(y1)}C${px(x1 + dx)} ${px(y1)} ${px(x2 - dx)} ${px(y2)} ${px(x2)} ${px(y2)}"` +
    ` marker-end="url(#arrow)"><title>${xmlEscape(`${f.kind}: ${to.name}`)}</title></path>`;
}

function legendSvg(y: number): string {
  const items: [string, string][] = [
    ['<rect class="slice step" x="0" y="-9" width="10" height="10"/>', 'task step'],
    ['<rect class="slice callback" x="0" y="-9" width="10" height="10"/>', 'callback'],
    ['<rect class="slice timer" x="0" y="-9" width="10" height="10"/>', 'timer'],
    ['<rect class="slice thread" x="0" y="-9" width="10" height="10"/>', 'thread turn'],
    ['<line class="wait" x1="0" y1="-4" x2="14" y2="-4"/>', 'waits'],
    ['<path class="flow wake" d="M0 -4h14" marker-end="url(#arrow)"/>', 'wakes'],
    ['<path class="mark done" d="M5 -9l4 5l-4 5l-4 -5z"/>', 'future done'],
  ];
  const parts = items.map(([shape, text], i) => `<g transform="translate(${6 + i * 110} ${px(y)})">${shape}<text x="20" y="0">${text}</text></g>`);
  return `<g class="legend">\n${parts.join('\n')}\n</g>`;
}

/** @internal The SVG of a built timeline. */
export function timelineSvg(timeline: Timeline, options?: TimelineOptions): string {
  const titles = timeline.tracks.map(trackTitle);
  const labelWidth = Math.min(280, titles.reduce((w, t) => Math.max(w, t.length * CHAR + 16), 110));
  const axis = axisOf(timeline, labelWidth + 10, options);
  const width = Math.max(axis.right + RIGHT, 6 + 7 * 110);
  const rowsEnd = TOP + timeline.tracks.length * ROW;
  const height = rowsEnd + LEGEND;
  const title = options?.title ?? 'aiosim timeline';
  const decimals = timeDecimals(timeline.clockResolution);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="aiosim-timeline" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" role="img" aria-label="${xmlEscape(title)}">`,
    `<title>${xmlEscape(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" fill="#555"/></marker></defs>',
    `<text class="title" x="6" y="18">${xmlEscape(title)}</text>`,
    `<text class="tick" x="6" y="${TOP - 12}">virtual time (s)</text>`,
    `<line class="axis" x1="${px(labelWidth + 10)}" y1="${TOP - 6}" x2="${px(axis.right)}" y2="${TOP - 6}"/>`,
  ];
  let labelEnd = -Infinity;
  for (const tick of axis.ticks) {
    parts.push(`<line class="grid" x1="${px(tick.x)}" y1="${TOP - 6}" x2="${px(tick.x)}" y2="${rowsEnd}"/>`);
    const text = formatTime(tick.time, decimals);
    if (tick.x < labelEnd + 6) continue;
    parts.push(`<text class="tick" x="${px(tick.x)}" y="${TOP - 12}">${text}</text>`);
    labelEnd = tick.x + text.length * 6;
  }
  const own = partsByTrack(timeline);
  timeline.tracks.forEach((_, i) => parts.push(trackSvg(timeline, i, own[i]!, axis, labelWidth)));
  const flows = timeline.flows.filter((f) => timeline.slices[f.from]!.track !== timeline.slices[f.to]!.track);
  parts.push(`<g class="flows">\n${flows.map((f) => flowSvg(timeline, f, axis)).join('\n')}\n</g>`);
  parts.push(legendSvg(rowsEnd + 26), '</svg>');
  return parts.join('\n');
}

/**
 * Return a trace drawn as a self-contained SVG timeline (no scripts, external fonts or
 * links; the same text for the same program).
 *
 * Rows: the loop's plain callbacks, then each task, then each simulated thread, in order
 * of first appearance. Across: virtual time, each instant widened so that every event in
 * it gets a slot, in the order the loop took them (the axis is labelled with the virtual
 * times). Task steps, callback and timer runs and thread turns are boxes (a step's colour
 * tells how the task stood after it: waiting, done, failed, cancelled); what a task
 * awaits between two steps is a dashed bar, labelled; arrows go from where a future was
 * completed (or a callback scheduled) to the step or callback it made run, between
 * rows (a row's own sequence is its bars). Futures done, timers cancelled and log
 * records are marks; every box and mark has a tooltip with its events.
 *
 * @example
 * writeFileSync('timeline.svg', toTimelineSvg(trace, { title: 'retry with backoff' }));
 * @throws ValueError / TypeError when `pxPerSecond` or `slotPx` is not a finite number >= 0.
 * asyncio: none (aiosim testing)
 */
export function toTimelineSvg(source: Trace | readonly TraceEvent[], options?: TimelineOptions): string {
  return timelineSvg(buildTimeline(source, options), options);
}
