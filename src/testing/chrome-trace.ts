// A trace in the Chrome Trace Event Format (the JSON object form), for Perfetto
// (ui.perfetto.dev) and chrome://tracing: one track per task, per simulated thread, per
// host and one for the loop's plain callbacks; complete slices for spans and network
// events, flows for wake-ups and for messages between hosts.
// asyncio: none (an aiosim testing extra)

import { checkNumber } from '../errors/check-number.js';
import { buildTimeline, instantsOf, trackTitle, type Timeline } from './timeline.js';
import { _eventText, type TimeTextOptions, type TraceEvent } from './trace-event.js';
import { formatTime, roundTime, timeDecimals } from './trace-time.js';
import type { Trace } from './trace.js';

/**
 * Options of `toChromeTrace`. `clockResolution` (default: the trace's) is what the
 * virtual times in names and `args` are rounded to.
 */
export interface ChromeTraceOptions extends TimeTextOptions {
  /**
   * The room each event gets inside its instant, in microseconds (default 1000): steps take
   * no virtual time, so a slice lasts as many of these as the events it holds. Shrunk
   * where the next instant is closer, so an instant never reaches the next one.
   */
  slotMicros?: number;
  /** The process name the viewer shows (default `aiosim`). */
  name?: string;
}

/** One entry of `traceEvents` (the fields the format defines that aiosim uses). */
export interface ChromeTraceEvent {
  name: string;
  /** `X` complete slice, `i` instant, `s`/`f` flow start/end, `M` metadata. */
  ph: 'X' | 'i' | 's' | 'f' | 'M';
  pid: number;
  tid: number;
  /** Microseconds. */
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  s?: 't';
  args?: Record<string, unknown>;
}

/** The JSON object a trace viewer opens. */
export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string | number>;
}

const PID = 1;

// Microseconds, rounded to the nanosecond (the viewers' resolution) so output is stable.
const us = (seconds: number): number => Math.round(seconds * 1e9) / 1000;
const round = (micros: number): number => Math.round(micros * 1000) / 1000;

// Where event i sits: its instant's time plus its rank times the instant's slot width.
function placement(events: readonly TraceEvent[], slotMicros: number): { at(i: number): number; width(i: number): number } {
  const { instants, of } = instantsOf(events);
  const widths: number[] = new Array<number>(instants.length);
  let next = Infinity;
  for (let k = instants.length - 1; k >= 0; k--) {
    const t = instants[k]!.time;
    const gap = next > t ? us(next) - us(t) : Infinity;
    widths[k] = Math.min(slotMicros, gap / (instants[k]!.count + 1));
    if (t < next) next = t;
  }
  return {
    at: (i) => us(events[i]!.time) + (i - instants[of[i]!]!.first) * widths[of[i]!]!,
    width: (i) => widths[of[i]!]!,
  };
}

function lines(events: readonly TraceEvent[], first: number, last: number, decimals: number): string[] {
  return events.slice(first, last + 1).map((e) => `${formatTime(e.time, decimals)} ${_eventText(e, decimals)}`);
}

// A network event's own fields (hosts, addresses, message number, bytes, reason), for `args`.
function networkArgs(e: TraceEvent): Record<string, unknown> {
  const { kind: _kind, time: _time, iteration: _iteration, ...fields } = e;
  return fields;
}

const NETWORK_KINDS: ReadonlySet<string> = new Set(['connection', 'message', 'fault']);

function metadata(timeline: Timeline, name: string): ChromeTraceEvent[] {
  const out: ChromeTraceEvent[] = [{ name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name } }];
  timeline.tracks.forEach((track, i) => {
    out.push({ name: 'thread_name', ph: 'M', pid: PID, tid: i + 1, args: { name: trackTitle(track) } });
    out.push({ name: 'thread_sort_index', ph: 'M', pid: PID, tid: i + 1, args: { sort_index: i } });
  });
  return out;
}

/**
 * Return a trace as a Chrome Trace Event Format object (`JSON.stringify` it to a `.json`
 * file and open it in https://ui.perfetto.dev or chrome://tracing).
 *
 * - One process, `aiosim`; one track (a `tid`, named by `thread_name` metadata and kept
 *   in order by `thread_sort_index`) for the loop's plain callbacks (`loop callbacks`),
 *   then one per task (its trace label) and per simulated thread (`thread <name>`), in
 *   order of first appearance; then one per host of the network (`host <name>`), and
 *   `network` for faults of no one host, in order of first appearance.
 * - Time: `ts` is the event's virtual time in microseconds, plus its rank within its
 *   instant (the events at the same virtual time, in the order the loop took them) times
 *   `slotMicros`: a zero-time step still shows, and order within an instant is kept.
 *   `args.time` has the virtual time, rounded to the clock resolution (`clockResolution`,
 *   default the trace's) as the texts are.
 * - `X` slices: task steps (`cat: 'step'`), callback and timer runs (`callback`, `timer`),
 *   thread turns (`thread`, lasting until the sleeping they did ends), what a task
 *   awaits between two steps (`wait`), and network events, one slot long on their
 *   host's track (`connection`, `message`, `fault`; `args` holds the event's fields:
 *   hosts, addresses, message number, bytes). `args.events` lists the events of the span.
 * - `s`/`f` flows (`bp: 'e'`): from the point a span scheduled a step or callback to
 *   that step or callback, `cat` saying how: `wake` (a future's completion woke a task),
 *   `start`, `resume`, `call` (callSoon), `timer`; and `message`, from a message's `sent`
 *   slice on the sending host's track to its `delivered` slice on the receiving host's.
 * - `i` instants: futures done, timers cancelled, exceptions raised in coroutines awaited
 *   inline, log records, warnings.
 *
 * Record every kind of event (the default) for a complete picture; the output is the same
 * for the same program.
 *
 * @throws ValueError when `slotMicros` is not a finite number > 0 (TypeError: not a number).
 * @example
 * writeFileSync('trace.json', JSON.stringify(toChromeTrace(trace)));
 * asyncio: none (aiosim testing)
 */
export function toChromeTrace(source: Trace | readonly TraceEvent[], options?: ChromeTraceOptions): ChromeTrace {
  const slotMicros = options?.slotMicros === undefined ? 1000 : checkNumber(options.slotMicros, 'slotMicros must be a finite number of microseconds > 0', (n) => Number.isFinite(n) && n > 0);
  const timeline = buildTimeline(source, options);
  const { events, slices } = timeline;
  const decimals = timeDecimals(timeline.clockResolution);
  const time = (t: number): number => roundTime(t, decimals);
  const pos = placement(events, slotMicros);
  const mid = (i: number): number => round(pos.at(i) + pos.width(i) / 2);
  const out = metadata(timeline, options?.name ?? 'aiosim');
  const ends = slices.map((s) => Math.max(pos.at(s.last) + pos.width(s.last), us(s.end)));
  slices.forEach((s, k) => {
    const ts = round(pos.at(s.first));
    const args: Record<string, unknown> = { time: time(s.start), end: time(s.end), iteration: events[s.first]!.iteration, events: lines(events, s.first, s.last, decimals) };
    if (s.outcome !== undefined) args.outcome = s.outcome;
    if (NETWORK_KINDS.has(s.kind)) Object.assign(args, networkArgs(events[s.first]!));
    out.push({ name: s.name, cat: s.kind, ph: 'X', pid: PID, tid: s.track + 1, ts, dur: round(ends[k]! - ts), args });
  });
  // Where the picture ends: tasks still waiting then wait until there.
  let traceEnd = ends.reduce((a, b) => Math.max(a, b), 0);
  if (events.length > 0) traceEnd = Math.max(traceEnd, pos.at(events.length - 1) + pos.width(events.length - 1));
  for (const w of timeline.waits) {
    const ts = round(ends[w.after]!);
    const end = w.until === undefined ? traceEnd : pos.at(slices[w.until]!.first);
    if (end - ts <= 0) continue;
    const name = w.awaits === 'yield' ? 'yield' : `await ${w.awaits}`;
    out.push({ name, cat: 'wait', ph: 'X', pid: PID, tid: w.track + 1, ts, dur: round(end - ts), args: { awaits: w.awaits, pending: w.until === undefined } });
  }
  timeline.flows.forEach((f, id) => {
    const from = slices[f.from]!;
    const to = slices[f.to]!;
    const name = `${f.kind}: ${to.name}`;
    out.push({ name, cat: f.kind, ph: 's', id: id + 1, pid: PID, tid: from.track + 1, ts: mid(f.at) });
    out.push({ name, cat: f.kind, ph: 'f', bp: 'e', id: id + 1, pid: PID, tid: to.track + 1, ts: mid(to.first) });
  });
  for (const m of timeline.marks) {
    out.push({ name: m.text, cat: m.kind, ph: 'i', s: 't', pid: PID, tid: m.track + 1, ts: mid(m.at), args: { time: time(events[m.at]!.time) } });
  }
  return {
    traceEvents: out,
    displayTimeUnit: 'ms',
    otherData: { generator: 'aiosim', clock: 'virtual time: ts = time in microseconds + rank within the instant × slot', slotMicros },
  };
}
