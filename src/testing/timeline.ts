// A trace as a timeline: one track for the loop's plain callbacks, one per task, one per
// simulated thread and one per host of the network; spans (task steps, callback runs,
// thread turns) and network events as slices; what a task awaits between two steps as
// waits; what scheduled a step or callback, and messages between hosts, as flows.
// The pictures (chrome-trace.ts, timeline-svg.ts) are drawn from it.
// asyncio: none (an aiosim testing extra)

import { _eventText, type TimeTextOptions, type TraceEvent } from './trace-event.js';
import { DEFAULT_CLOCK_RESOLUTION, timeDecimals } from './trace-time.js';
import type { Trace } from './trace.js';

/**
 * A row of the timeline: the loop's plain callbacks, a task, a simulated thread, a host
 * of the network (its network events), or the network itself (faults of no one host).
 */
export interface TimelineTrack {
  kind: 'loop' | 'task' | 'thread' | 'host' | 'network';
  /** The task's or thread's trace label, the host's name; `loop`, `network` for those. */
  name: string;
}

/** A track's title in pictures: `loop callbacks`, the task's label, `thread <name>`, `host <name>`, `network`. */
export function trackTitle(track: TimelineTrack): string {
  if (track.kind === 'loop') return 'loop callbacks';
  if (track.kind === 'host') return `host ${track.name}`;
  return track.kind === 'thread' ? `thread ${track.name}` : track.name;
}

/**
 * A span on a track: a task step, a callback's or timer's run, a thread's turn. `first`
 * and `last` are the indices of its opening event and of the last event recorded during
 * it (nested spans of other tracks included); `start` and `end` are virtual times.
 */
export interface TimelineSlice {
  track: number;
  /** A span, or a network event (one event long, on its host's track). */
  kind: 'step' | 'callback' | 'timer' | 'thread' | 'connection' | 'message' | 'fault';
  /** The opening event's text (`main: resume after future 1`, `run cb()`, `timer 1 fires: cb()`). */
  name: string;
  first: number;
  last: number;
  start: number;
  end: number;
  /**
   * For a step, how the task stood after it: `waiting` (awaits a future), `ready` (a bare
   * yield), `done`, `failed`, `cancelled`; `open` when the trace ends inside the span.
   */
  outcome: 'waiting' | 'ready' | 'done' | 'failed' | 'cancelled' | 'open' | undefined;
}

/** A task between two steps: from the step that suspended it to the step that resumes it. */
export interface TimelineWait {
  track: number;
  /** The slice of the step that ended with the task suspended. */
  after: number;
  /** The slice of the next step, or undefined when the trace ends first. */
  until: number | undefined;
  /** What the task awaits (`future 1`, `worker`), or `yield` for a bare yield. */
  awaits: string;
}

/**
 * What made a span run: `from` (a slice) scheduled `to` (a slice) at the event `at`.
 * `wake`: a future's completion woke a task; `start`: a task's first step; `resume`: a
 * task's step after a bare yield (or with an exception thrown in); `call`: a callback
 * scheduled with callSoon (or callSoonThreadsafe); `timer`: a timer's run; `message`: a
 * segment or datagram, from its `sent` event to its `delivered` one (twice for a datagram
 * delivered twice).
 */
export interface TimelineFlow {
  kind: 'wake' | 'start' | 'resume' | 'call' | 'timer' | 'message';
  from: number;
  at: number;
  to: number;
}

/**
 * A point event on a track: a future done, a timer cancelled, an exception raised in a
 * coroutine a task awaits inline, a log record, a warning.
 */
export interface TimelineMark {
  track: number;
  kind: 'done' | 'cancel' | 'raise' | 'log' | 'warning';
  /** The event's index. */
  at: number;
  text: string;
}

/** Everything a picture of a trace shows. */
export interface Timeline {
  events: readonly TraceEvent[];
  /** The clock resolution the texts round times to (the option's, else the trace's). */
  clockResolution: number;
  tracks: TimelineTrack[];
  slices: TimelineSlice[];
  waits: TimelineWait[];
  flows: TimelineFlow[];
  marks: TimelineMark[];
}

function isSpanStart(e: TraceEvent): boolean {
  return e.kind === 'step' || e.kind === 'run' || e.kind === 'thread' || (e.kind === 'timer' && e.action === 'fired');
}

function stepOutcome(e: TraceEvent | undefined): TimelineSlice['outcome'] {
  if (e?.kind === 'suspend') return e.awaits === undefined ? 'ready' : 'waiting';
  if (e?.kind !== 'done') return 'open';
  if (e.outcome === 'cancelled') return 'cancelled';
  return e.outcome.startsWith('exception=') ? 'failed' : 'done';
}

// The track key of a network event: the host where it happens (a message's sending host
// for `sent`, its receiving one otherwise), the network's for a fault of no one host.
function networkTrack(e: TraceEvent): string | undefined {
  if (e.kind === 'connection') return `host:${e.from}`;
  if (e.kind === 'message') return `host:${e.action === 'sent' ? e.from : e.to ?? e.from}`;
  if (e.kind === 'fault') return e.host === undefined ? 'network:network' : `host:${e.host}`;
  return undefined;
}

// Tracks in order: the loop's (unless every event is the network's), then tasks, threads,
// and hosts (the network's own track with them), each in order of first appearance.
function tracksOf(events: readonly TraceEvent[]): { tracks: TimelineTrack[]; index: Map<string, number> } {
  const tasks = new Set<string>();
  const threads = new Set<string>();
  const hosts = new Set<string>();
  for (const e of events) {
    if (e.kind === 'step') tasks.add(e.task);
    if (e.kind === 'thread') threads.add(e.thread);
    const host = networkTrack(e);
    if (host !== undefined) hosts.add(host);
  }
  // A trace of the network alone (attachNetwork()) has no loop to show.
  const loop = events.length === 0 || events.some((e) => networkTrack(e) === undefined);
  const tracks: TimelineTrack[] = [
    ...(loop ? [{ kind: 'loop' as const, name: 'loop' }] : []),
    ...[...tasks].map((name) => ({ kind: 'task' as const, name })),
    ...[...threads].map((name) => ({ kind: 'thread' as const, name })),
    ...[...hosts].map((key) => (key.startsWith('host:') ? { kind: 'host' as const, name: key.slice(5) } : { kind: 'network' as const, name: 'network' })),
  ];
  return { tracks, index: new Map(tracks.map((t, i) => [`${t.kind}:${t.name}`, i])) };
}

function sliceOf(e: TraceEvent, i: number, events: readonly TraceEvent[], track: (key: string) => number, decimals: number): TimelineSlice {
  const span = e as TraceEvent & { endIndex?: number; endTime?: number };
  const last = Math.max(i, (span.endIndex ?? events.length) - 1);
  const end = span.endTime ?? events[last]!.time;
  const base = { first: i, last, start: e.time, end: Math.max(end, e.time), name: _eventText(e, decimals), outcome: undefined };
  if (e.kind === 'step') return { ...base, track: track(`task:${e.task}`), kind: 'step', outcome: span.endIndex === undefined ? 'open' : stepOutcome(events[last]) };
  if (e.kind === 'thread') return { ...base, track: track(`thread:${e.thread}`), kind: 'thread' };
  return { ...base, track: 0, kind: e.kind === 'timer' ? 'timer' : 'callback' };
}

function flowKind(e: TraceEvent): TimelineFlow['kind'] {
  if (e.kind === 'timer') return 'timer';
  if (e.kind !== 'step') return 'call';
  if (e.after !== undefined) return 'wake';
  return e.action === 'start' ? 'start' : 'resume';
}

function markOf(e: TraceEvent): TimelineMark['kind'] | undefined {
  if (e.kind === 'done' && !e.isTask) return 'done';
  if (e.kind === 'timer' && e.action === 'cancelled') return 'cancel';
  if (e.kind === 'raise' || e.kind === 'log' || e.kind === 'warning') return e.kind;
  return undefined;
}

/**
 * Build the timeline of a trace (or of its events). Spans come from the events' span
 * fields (`endIndex`, `endTime`), flows from `scheduledBy`/`scheduledAfter`: record every
 * kind (the default) for a complete picture. Marks and waits sit on the track of the span
 * they happened in (the loop's track outside any span). Texts round times to the clock
 * resolution: `options.clockResolution`, else the trace's, else 1e-9 s.
 *
 * @example
 * const { tracks, slices } = buildTimeline(trace);
 * asyncio: none (aiosim testing)
 */
export function buildTimeline(source: Trace | readonly TraceEvent[], options?: TimeTextOptions): Timeline {
  const events: readonly TraceEvent[] = 'events' in source ? source.events : source;
  const clockResolution = options?.clockResolution ?? ('events' in source ? source.clockResolution : DEFAULT_CLOCK_RESOLUTION);
  const decimals = timeDecimals(clockResolution);
  const { tracks, index } = tracksOf(events);
  const track = (key: string): number => index.get(key)!;
  const slices: TimelineSlice[] = [];
  const waits: TimelineWait[] = [];
  const marks: TimelineMark[] = [];
  const sliceAt = new Map<number, number>();
  const waiting = new Map<number, TimelineWait>();
  const open: number[] = [];
  events.forEach((e, i) => {
    while (open.length > 0 && slices[open[open.length - 1]!]!.last < i) open.pop();
    const host = networkTrack(e);
    if (host !== undefined) {
      // A network event is a slice one event long on its host's track, inside no span.
      sliceAt.set(i, slices.length);
      slices.push({ track: track(host), kind: e.kind as 'connection' | 'message' | 'fault', name: _eventText(e, decimals), first: i, last: i, start: e.time, end: e.time, outcome: undefined });
      return;
    }
    if (isSpanStart(e)) {
      const slice = sliceOf(e, i, events, track, decimals);
      sliceAt.set(i, slices.length);
      open.push(slices.push(slice) - 1);
      if (slice.kind === 'step') {
        const wait = waiting.get(slice.track);
        if (wait !== undefined) wait.until = slices.length - 1;
        waiting.delete(slice.track);
      }
    }
    const inside = open[open.length - 1];
    const here = inside === undefined ? 0 : slices[inside]!.track;
    if (e.kind === 'suspend' && inside !== undefined && slices[inside]!.kind === 'step') {
      const wait: TimelineWait = { track: here, after: inside, until: undefined, awaits: e.awaits ?? 'yield' };
      waits.push(wait);
      waiting.set(here, wait);
    }
    const mark = markOf(e);
    if (mark !== undefined) marks.push({ track: here, kind: mark, at: i, text: _eventText(e, decimals) });
  });
  const flows: TimelineFlow[] = [];
  slices.forEach((slice, to) => {
    const e = events[slice.first] as TraceEvent & { scheduledBy?: number; scheduledAfter?: number };
    const from = e.scheduledBy === undefined ? undefined : sliceAt.get(e.scheduledBy);
    if (from === undefined) return;
    let at = Math.max(e.scheduledAfter ?? slices[from]!.first, slices[from]!.first);
    // A task wakes its awaiters before its step records it done: point at that event.
    const end = events[slices[from]!.last];
    if (e.kind === 'step' && e.after !== undefined && end?.kind === 'done' && end.future === e.after) at = slices[from]!.last;
    flows.push({ kind: flowKind(e), from, at, to });
  });
  flows.push(...messageFlows(events, sliceAt));
  return { events, clockResolution, tracks, slices, waits, flows, marks };
}

// A flow from each message's `sent` event to each of its `delivered` ones, in the order
// they were delivered.
function messageFlows(events: readonly TraceEvent[], sliceAt: ReadonlyMap<number, number>): TimelineFlow[] {
  const sent = new Map<number, number>();
  const flows: TimelineFlow[] = [];
  events.forEach((e, i) => {
    if (e.kind !== 'message') return;
    if (e.action === 'sent') sent.set(e.message, i);
    const at = sent.get(e.message);
    if (e.action !== 'delivered' || at === undefined) return;
    flows.push({ kind: 'message', from: sliceAt.get(at)!, at, to: sliceAt.get(i)! });
  });
  return flows;
}

/** @internal A run of consecutive events at the same virtual time. */
export interface Instant {
  time: number;
  /** Index of its first event, and how many events it holds. */
  first: number;
  count: number;
}

/** @internal Group the events into instants; `of[i]` is the instant of event i. */
export function instantsOf(events: readonly TraceEvent[]): { instants: Instant[]; of: number[] } {
  const instants: Instant[] = [];
  const of: number[] = [];
  events.forEach((e, i) => {
    const last = instants[instants.length - 1];
    if (last !== undefined && last.time === e.time) last.count++;
    else instants.push({ time: e.time, first: i, count: 1 });
    of.push(instants.length - 1);
  });
  return { instants, of };
}
