// The events of a loop trace and their one-line text. Each event carries the virtual
// time and the loop iteration it happened in (0: outside any iteration), so that other
// renderings (timelines, pictures) can be built from the same list.
// asyncio: none (an aiosim testing extra)

import type { ConnectionRecord, FaultRecord, MessageRecord } from '../net/net-trace.js';
import { DEFAULT_CLOCK_RESOLUTION, formatTime, timeDecimals } from './trace-time.js';

/** What a trace can record; `TraceOptions.kinds` selects among them. */
export type TraceKind =
  | 'iteration' | 'run' | 'timer' | 'step' | 'suspend' | 'done' | 'raise' | 'thread' | 'log' | 'warning' | 'observerError'
  | 'connection' | 'message' | 'fault';

/** Every event's common fields. */
export interface TraceEventBase {
  kind: TraceKind;
  /** The traced loop's virtual time. */
  time: number;
  /** The loop iteration (counted from the trace's attachment), or 0 outside one. */
  iteration: number;
}

/**
 * Where a span (a task step, a callback's run, a simulated thread's turn) ends: set on
 * the event that opens it when it ends. Pictures (`toChromeTrace`, `toTimelineSvg`) use
 * them; the text ignores them.
 */
export interface SpanEnd {
  /** Index in the trace's events just past the last one recorded during the span. */
  endIndex?: number;
  /** The virtual time the span ended (for a thread's turn: when the sleeping it did ends). */
  endTime?: number;
}

/**
 * What scheduled a handle (a callback, a timer, a task's step or wake-up): set on the
 * event of its run when the scheduling happened during a recorded span.
 */
export interface ScheduledBy {
  /** Index of the event that opened the span (step, callback, thread turn) that scheduled it. */
  scheduledBy?: number;
  /**
   * Index of the last event recorded before it was scheduled (within that span): the
   * timer's `scheduled` event, the `done` event of the future whose callback it is, …
   */
  scheduledAfter?: number;
}

/** A loop iteration starts running its ready handles. */
export interface IterationEvent extends TraceEventBase {
  kind: 'iteration';
}

/** A ready callback runs (not a timer, not a task's own step or wake-up). */
export interface RunEvent extends TraceEventBase, SpanEnd, ScheduledBy {
  kind: 'run';
  callback: string;
}

/** A timer is scheduled, cancelled before it ran, or fires (its callback runs). */
export interface TimerEvent extends TraceEventBase, SpanEnd, ScheduledBy {
  kind: 'timer';
  action: 'scheduled' | 'cancelled' | 'fired';
  timer: string;
  when: number;
  callback: string;
}

/** A task step begins: its coroutine starts, resumes, or gets an exception thrown in. */
export interface StepEvent extends TraceEventBase, SpanEnd, ScheduledBy {
  kind: 'step';
  task: string;
  action: 'start' | 'resume';
  /** The future whose completion woke the task, if that is how it resumed. */
  after?: string;
  /** The exception thrown into the coroutine, if any. */
  thrown?: string;
}

/** A task step ends with the task still pending: it awaits a future, or yielded. */
export interface SuspendEvent extends TraceEventBase {
  kind: 'suspend';
  task: string;
  /** The awaited future; undefined when the next step is already scheduled (a bare yield). */
  awaits?: string;
}

/** A future becomes done, or a task step ends with the task done. */
export interface DoneEvent extends TraceEventBase {
  kind: 'done';
  future: string;
  isTask: boolean;
  /** `result=…`, `exception=…` or `cancelled`. */
  outcome: string;
}

/**
 * During a task's step, an exception was raised inside a coroutine the task awaits inline
 * (`yield* other()`), whether the task then catches it or not: recorded for coroutines made
 * by `coroutine(fn)` functions, where it leaves the innermost one (a plain generator's
 * frames cannot be watched), once per exception and step. An exception thrown into a
 * coroutine and passing through it is not raised there; the task's own coroutine's
 * exception is its `done` event.
 */
export interface RaiseEvent extends TraceEventBase {
  kind: 'raise';
  task: string;
  /** The coroutine function's name. */
  coroutine: string;
  /** The exception, as its repr (`ValueError('boom')`). */
  exception: string;
}

/**
 * A simulated thread's turn: its body starts, or resumes after giving its turn away (a
 * `yield*` of a blocking wait or sleep). The turn's span ends when the sleeping done in
 * it ends (`endTime`), so an executor job that sleeps 2 seconds is busy for 2 seconds.
 */
export interface ThreadEvent extends TraceEventBase, SpanEnd {
  kind: 'thread';
  /** The thread's name (`ThreadPoolExecutor-0_0`); a second thread of the same name is `name#2`. */
  thread: string;
  action: 'start' | 'resume';
}

/** A logger emitted a record. */
export interface LogEvent extends TraceEventBase {
  kind: 'log';
  level: string;
  logger: string;
  message: string;
}

/** A warning was shown, or raised by an `error` filter. */
export interface WarningEvent extends TraceEventBase {
  kind: 'warning';
  category: string;
  message: string;
  raised: boolean;
}

/**
 * The trace itself failed while recording (a bug, or a value whose getters throw): what
 * it missed is not recorded, and the run went on exactly as without the trace. Recorded
 * whatever `kinds` says.
 */
export interface ObserverErrorEvent extends TraceEventBase {
  kind: 'observerError';
  /** The hook that failed (`futureDone`, `stepEnd`, `logRecord`, …). */
  hook: string;
  /** The error, as the last line of a Python traceback shows it (`TypeError: message`). */
  error: string;
}

/**
 * A connection's event on the network (docs/network.md, "Traces"): `connected`,
 * `accepted`, `refused`, `timed out`, a `fin` or a `reset` sent. `from` is the host where
 * it happens, `to` the other end's (undefined: no host has the address).
 */
export interface ConnectionEvent extends TraceEventBase, Omit<ConnectionRecord, '_ends'> {
  kind: 'connection';
  /** The trace's name for the connection, numbered in order of first mention (`connection 1`). */
  connection: string;
}

/**
 * A TCP segment or a UDP datagram sent, delivered to the receiving socket, or lost
 * (`reason`); `message` is the network's number for it, the same in every run.
 */
export interface MessageEvent extends TraceEventBase, MessageRecord {
  kind: 'message';
}

/** A fault set on the network (`partition a -> b`, `hold a -> b`, `drop 1 datagram a -> b`). */
export interface FaultEvent extends TraceEventBase, FaultRecord {
  kind: 'fault';
}

/** One recorded decision of the loop, or event of the network. */
export type TraceEvent =
  | IterationEvent | RunEvent | TimerEvent | StepEvent | SuspendEvent | DoneEvent | RaiseEvent | ThreadEvent | LogEvent
  | WarningEvent | ObserverErrorEvent | ConnectionEvent | MessageEvent | FaultEvent;

const CONNECTION_WORDS: Record<ConnectionEvent['action'], string> = {
  connected: 'connected', accepted: 'accepted', refused: 'refused', 'timed out': 'timed out', fin: 'FIN sent', reset: 'RST sent',
};

function connectionText(e: ConnectionEvent): string {
  const to = e.to === undefined ? e.toAddress : `${e.to} ${e.toAddress}`;
  return `${e.connection} ${e.from} ${e.fromAddress} -> ${to}: ${CONNECTION_WORDS[e.action]}`;
}

function messageText(e: MessageEvent): string {
  const what = e.transport === 'udp' ? `datagram of ${e.bytes} bytes` : `${e.bytes} bytes`;
  const reason = e.reason === undefined ? '' : ` (${e.reason})`;
  return `message ${e.message} ${e.from} -> ${e.to ?? e.toAddress}: ${what} ${e.action}${reason}`;
}

function stepText(e: StepEvent): string {
  let text = `${e.task}: ${e.action}`;
  if (e.after !== undefined) text += ` after ${e.after}`;
  if (e.thrown !== undefined) text += `, throw ${e.thrown}`;
  return text;
}

// Multi-line messages show their first line: the rest (reprs, tracebacks) is in the event.
function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : `${text.slice(0, nl)} …`;
}

/** How the text of events prints times. */
export interface TimeTextOptions {
  /**
   * The clock resolution times are rounded to (default 1e-9 s, CPython's): times print
   * with as many decimals as the resolution needs, without float noise (`0.9`, not
   * `0.8999999999999999`). A Trace passes its loop's `clockResolution`.
   */
  clockResolution?: number;
}

/** @internal How many decimals times print with, for these options. */
export function _decimalsOf(options: TimeTextOptions | undefined): number {
  return timeDecimals(options?.clockResolution ?? DEFAULT_CLOCK_RESOLUTION);
}

/**
 * Return the event's text, without its time. Times in it (a timer's deadline, the end of
 * a thread's busy turn) are rounded to the clock resolution (`options.clockResolution`).
 */
export function eventText(e: TraceEvent, options?: TimeTextOptions): string {
  return _eventText(e, _decimalsOf(options));
}

/** @internal The event's text, times printed with `decimals` decimals. */
export function _eventText(e: TraceEvent, decimals: number): string {
  switch (e.kind) {
    case 'iteration':
      return `iteration ${e.iteration}`;
    case 'run':
      return `run ${e.callback}`;
    case 'timer':
      if (e.action === 'scheduled') return `${e.timer} scheduled at ${formatTime(e.when, decimals)}: ${e.callback}`;
      if (e.action === 'fired') return `${e.timer} fires: ${e.callback}`;
      return `${e.timer} cancelled`;
    case 'step':
      return stepText(e);
    case 'suspend':
      return e.awaits === undefined ? `${e.task}: yield` : `${e.task}: await ${e.awaits}`;
    case 'done':
      return e.outcome === 'cancelled' ? `${e.future}: cancelled` : `${e.future}: done, ${e.outcome}`;
    case 'raise':
      return `${e.task}: ${e.coroutine}() raised ${e.exception}`;
    case 'thread':
      return e.endTime !== undefined && e.endTime > e.time
        ? `thread ${e.thread}: ${e.action}, busy until ${formatTime(e.endTime, decimals)}`
        : `thread ${e.thread}: ${e.action}`;
    case 'log':
      return `log ${e.level} ${e.logger}: ${firstLine(e.message)}`;
    case 'warning':
      return `warning ${e.category}${e.raised ? ' (raised)' : ''}: ${firstLine(e.message)}`;
    case 'observerError':
      return `observer error in ${e.hook}: ${firstLine(e.error)}`;
    case 'connection':
      return connectionText(e);
    case 'message':
      return messageText(e);
    case 'fault':
      return `fault ${e.text}`;
  }
}

/**
 * Return the events as lines: the virtual time (padded to the widest, rounded to the
 * clock resolution), then the event, indented under its iteration when iterations are
 * recorded.
 */
export function formatTrace(events: readonly TraceEvent[], options?: TimeTextOptions): string[] {
  const decimals = _decimalsOf(options);
  const times = events.map((e) => formatTime(e.time, decimals));
  const width = times.reduce((w, t) => Math.max(w, t.length), 0);
  const nested = events.some((e) => e.kind === 'iteration');
  return events.map((e, i) => {
    const indent = !nested || e.kind === 'iteration' || e.iteration === 0 ? '' : '  ';
    return `${times[i]!.padEnd(width)} ${indent}${_eventText(e, decimals)}`;
  });
}
