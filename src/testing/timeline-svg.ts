// A trace drawn as an SVG timeline by aiosim itself: tasks (and the loop's callbacks,
// and simulated threads) down the side, virtual time across, steps as boxes, waits as
// bars, wake-ups as arrows, a legend below. Self-contained (no scripts, fonts or links)
// and deterministic.
// asyncio: none (an aiosim testing extra)

import { buildTimeline, trackTitle, type Timeline, type TimelineFlow, type TimelineSlice } from './timeline.js';
import { axisOf, TICK_CHAR, tickLabels, type Axis } from './timeline-axis.js';
import { legendSvg, markPath, type LegendKey } from './timeline-legend.js';
import { controls, freePlace, samplesOf, type Curve, type Point } from './timeline-route.js';
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
const RIGHT = 24;
// Width of a character in the rows' titles (12 px).
const CHAR = 7.2;
// Room for the legend's first entries beside each other, however short the trace.
const MIN_WIDTH = 560;

/** @internal Escape text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Pixel values with one decimal at most, so the text is stable.
const px = (v: number): string => String(Math.round(v * 10) / 10 + 0);

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
  '.flow.resume { stroke: #17807e; }',
  '.flow.call { stroke: #777; }',
  '.flow.timer { stroke: #d9731a; stroke-dasharray: 3 2; }',
  '.mark.done { fill: #edc948; stroke: #333; stroke-width: 0.5; }',
  // A cancelled timer's cross takes the timers' colour: red is for failures.
  '.mark.cancel { fill: none; stroke: #d9731a; stroke-width: 1.8; }',
  '.mark.raise { fill: #e15759; stroke: #7a1f20; stroke-width: 0.5; }',
  '.mark.log { fill: #e15759; }',
  '.mark.warning { fill: #c9a227; }',
].join('\n');

// Only pictures with network events carry these (the others stay as they were).
const NETWORK_STYLE = [
  '.connection { fill: #76b7b2; }',
  '.message { fill: #9c755f; }',
  '.message.lost { fill: #e15759; }',
  '.fault { fill: #b6244f; }',
  '.flow.message { stroke: #9c755f; stroke-width: 1.5; }',
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

// What a box's class says after its kind: how the task stood after a step (a step still
// waiting, ready or cut by the end of the trace looks like any step), a message lost.
function outcomeClass(slice: TimelineSlice, events: readonly TraceEvent[]): string {
  const e = events[slice.first];
  if (e?.kind === 'message' && e.action === 'lost') return 'message lost';
  const o = slice.outcome;
  return o === 'done' || o === 'failed' || o === 'cancelled' ? `${slice.kind} ${o}` : slice.kind;
}

function sliceSvg(slice: TimelineSlice, events: readonly TraceEvent[], axis: Axis, y: number, decimals: number): string {
  const x1 = axis.x(slice.first);
  const x2 = sliceEnd(slice, axis);
  return `<rect class="slice ${outcomeClass(slice, events)}" x="${px(x1 + 0.5)}" y="${px(y + 7)}" width="${px(Math.max(2, x2 - x1 - 1))}" height="16"` +
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

// Everything one drawing needs: the timeline, the axis, how times print, where the arrows
// run, the wait labels placed so far and what the legend must explain.
interface Drawing {
  timeline: Timeline;
  axis: Axis;
  decimals: number;
  arrows: Point[];
  labels: string[];
  shown: Set<LegendKey>;
}

// A wait's dashed bar, and its label at the first place along it that no arrow crosses
// (none where the bar is too short or every place is crossed: the bar's tooltip says it).
function waitSvg(d: Drawing, w: Timeline['waits'][number], y: number): string | undefined {
  const x1 = sliceEnd(d.timeline.slices[w.after]!, d.axis);
  const x2 = w.until === undefined ? d.axis.right : d.axis.x(d.timeline.slices[w.until]!.first);
  if (x2 - x1 < 2) return undefined;
  d.shown.add('wait');
  const label = w.awaits === 'yield' ? 'yield' : `await ${w.awaits}`;
  const x = freePlace(d.arrows, x1 + 4, x2 - 4, y + 5, y + 18, label.length * 6);
  if (x !== undefined) d.labels.push(`<text class="wait-label" x="${px(x)}" y="${px(y + 15)}">${xmlEscape(label)}</text>`);
  return `<line class="wait" x1="${px(x1 + 1)}" y1="${px(y + 19)}" x2="${px(x2 - 1)}" y2="${px(y + 19)}"><title>${xmlEscape(label)}</title></line>`;
}

function trackSvg(d: Drawing, index: number, own: TrackParts, labelWidth: number): string {
  const { timeline, axis, decimals } = d;
  const track = timeline.tracks[index]!;
  const y = TOP + index * ROW;
  const title = trackTitle(track);
  const shown = title.length * CHAR > labelWidth - 12 ? `${title.slice(0, Math.floor((labelWidth - 12) / CHAR) - 1)}…` : title;
  const parts = [
    `<g class="track" data-kind="${track.kind}" data-name="${xmlEscape(track.name)}" data-title="${xmlEscape(title)}">`,
    `<rect class="lane" x="0" y="${px(y + 2)}" width="${px(axis.right + RIGHT)}" height="${ROW - 4}"/>`,
    `<text x="6" y="${px(y + 19)}">${xmlEscape(shown)}<title>${xmlEscape(title)}</title></text>`,
  ];
  for (const w of own.waits) {
    const bar = waitSvg(d, w, y);
    if (bar !== undefined) parts.push(bar);
  }
  for (const s of own.slices) {
    d.shown.add(outcomeClass(s, timeline.events) as LegendKey);
    parts.push(sliceSvg(s, timeline.events, axis, y, decimals));
  }
  for (const m of own.marks) {
    d.shown.add(`mark ${m.kind}`);
    const tip = `<title>${xmlEscape(`${m.text} (t=${formatTime(timeline.events[m.at]!.time, decimals)})`)}</title>`;
    parts.push(`<path class="mark ${m.kind}" d="${markPath(m.kind, axis.x(m.at) + axis.slot / 2, y + 15)}">${tip}</path>`);
  }
  parts.push('</g>');
  return parts.join('\n');
}

// An arrow leaves its box through the edge facing the row it points to, at the slot of the
// event that scheduled the step or callback, and enters the first slot of that one's box.
function curveOf(timeline: Timeline, f: TimelineFlow, axis: Axis): Curve {
  const from = timeline.slices[f.from]!;
  const to = timeline.slices[f.to]!;
  const down = to.track > from.track;
  return {
    from: { x: axis.x(f.at) + axis.slot / 2, y: TOP + from.track * ROW + (down ? 23 : 7) },
    to: { x: axis.x(to.first) + Math.max(0.5, axis.slot / 2), y: TOP + to.track * ROW + (down ? 7 : 23) },
  };
}

function flowSvg(timeline: Timeline, f: TimelineFlow, c: Curve): string {
  const [p1, p2] = controls(c);
  return `<path class="flow ${f.kind}" d="M${px(c.from.x)} ${px(c.from.y)}C${px(p1.x)} ${px(p1.y)} ${px(p2.x)} ${px(p2.y)} ${px(c.to.x)} ${px(c.to.y)}"` +
    ` marker-end="url(#arrow)"><title>${xmlEscape(`${f.kind}: ${timeline.slices[f.to]!.name}`)}</title></path>`;
}

/** @internal The SVG of a built timeline, and its size in pixels. */
export function timelineSvg(timeline: Timeline, options?: TimelineOptions): { svg: string; width: number; height: number } {
  const titles = timeline.tracks.map(trackTitle);
  const labelWidth = Math.min(280, titles.reduce((w, t) => Math.max(w, t.length * CHAR + 16), 110));
  const axis = axisOf(timeline, labelWidth + 10, options);
  const decimals = timeDecimals(timeline.clockResolution);
  const ticks = tickLabels(axis, decimals);
  // Wide enough for the last tick's label as well as the rows.
  const lastTick = ticks[ticks.length - 1];
  const width = Math.max(axis.right + RIGHT, lastTick === undefined ? 0 : lastTick.x + lastTick.text.length * TICK_CHAR + 8, MIN_WIDTH);
  const rowsEnd = TOP + timeline.tracks.length * ROW;
  const title = options?.title ?? 'aiosim timeline';
  const flows = timeline.flows.filter((f) => timeline.slices[f.from]!.track !== timeline.slices[f.to]!.track);
  const curves = flows.map((f) => curveOf(timeline, f, axis));
  const d: Drawing = { timeline, axis, decimals, arrows: samplesOf(curves), labels: [], shown: new Set() };
  const body: string[] = [
    `<line class="axis" x1="${px(labelWidth + 10)}" y1="${TOP - 6}" x2="${px(axis.right)}" y2="${TOP - 6}"/>`,
    ...axis.ticks.map((tick) => `<line class="grid" x1="${px(tick.x)}" y1="${TOP - 6}" x2="${px(tick.x)}" y2="${rowsEnd}"/>`),
    ...ticks.map((tick) => `<text class="tick" x="${px(tick.x)}" y="${TOP - 12}">${tick.text}</text>`),
  ];
  const own = partsByTrack(timeline);
  timeline.tracks.forEach((_, i) => body.push(trackSvg(d, i, own[i]!, labelWidth)));
  for (const f of flows) d.shown.add(`flow ${f.kind}`);
  body.push(`<g class="flows">\n${flows.map((f, k) => flowSvg(timeline, f, curves[k]!)).join('\n')}\n</g>`);
  body.push(`<g class="wait-labels">\n${d.labels.join('\n')}\n</g>`);
  const legend = legendSvg(d.shown, 6, rowsEnd + 12, width - 6);
  const height = rowsEnd + 12 + legend.height + 8;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="aiosim-timeline" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" role="img" aria-label="${xmlEscape(title)}">`,
    `<title>${xmlEscape(title)}</title>`,
    `<style>\n${timeline.tracks.some((t) => t.kind === 'host' || t.kind === 'network') ? `${STYLE}\n${NETWORK_STYLE}` : STYLE}\n</style>`,
    '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" fill="#555"/></marker></defs>',
    `<text class="title" x="6" y="18">${xmlEscape(title)}</text>`,
    `<text class="tick" x="6" y="${TOP - 12}">virtual time (s)</text>`,
    ...body,
    legend.svg,
    '</svg>',
  ].join('\n');
  return { svg, width, height };
}

/**
 * Return a trace drawn as a self-contained SVG timeline (no scripts, external fonts or
 * links; the same text for the same program).
 *
 * Rows: the loop's plain callbacks, then each task, then each simulated thread, in order
 * of first appearance. Across: virtual time, each instant widened so that every event in
 * it gets a slot, in the order the loop took them (the axis is labelled with the virtual
 * times, rounded to the clock resolution; the last one always). Task steps, callback and
 * timer runs and thread turns are boxes (a step's colour tells how the task stood after
 * it: waiting, done, failed, cancelled); what a task awaits between two steps is a
 * dashed bar, labelled where no arrow crosses it; arrows go from where a future was
 * completed (or a callback scheduled) to the step or callback it made run, between rows
 * (a row's own sequence is its bars), leaving and entering boxes vertically. Futures
 * done, timers cancelled, exceptions raised in coroutines awaited inline, log records and
 * warnings are marks; every box and mark has a tooltip with its events. A legend under
 * the rows explains every kind of box, bar, arrow and mark the picture draws.
 *
 * @example
 * writeFileSync('timeline.svg', toTimelineSvg(trace, { title: 'retry with backoff' }));
 * @throws ValueError / TypeError when `pxPerSecond` or `slotPx` is not a finite number >= 0.
 * asyncio: none (aiosim testing)
 */
export function toTimelineSvg(source: Trace | readonly TraceEvent[], options?: TimelineOptions): string {
  return timelineSvg(buildTimeline(source, options), options).svg;
}
