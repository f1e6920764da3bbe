// Trace: records a loop's decisions (iterations, callbacks and timers, task steps,
// futures done, simulated threads' turns, log records, warnings) through the tracing
// hook, as events (with where each span ends and what scheduled it, for pictures) and as
// stable text for snapshots.
// asyncio: none (an aiosim testing extra)

import { world } from '../runtime/world.js';
import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import { Future } from '../future/future.js';
import type { LogRecord } from '../log/logging.js';
import { _setTracer, type TraceSink } from '../log/trace-hook.js';
import type { Warning } from '../log/warnings.js';
import type { EventLoop } from '../loop/event-loop.js';
import { _getRunningLoop } from '../events/running-loop.js';
import { TimerHandle, type Handle } from '../events/handle.js';
import { _setNetTracer, type NetRecord, type NetTraceSink } from '../net/net-trace.js';
import type { CoroutineMeta } from '../task/coroutine.js';
import { Task } from '../task/task.js';
import { Labels, normaliseText, normaliseThreadName } from './labels.js';
import { formatTrace, type ScheduledBy, type SpanEnd, type StepEvent, type TraceEvent, type TraceKind } from './trace-event.js';
import { DEFAULT_CLOCK_RESOLUTION } from './trace-time.js';

/** Options of `new Trace()`. */
export interface TraceOptions {
  /** Record only these kinds of events (default: all). */
  kinds?: readonly TraceKind[];
}

type NewEvent = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'time' | 'iteration'> : never) : never;

// A span being recorded: a task step (key: the task), a callback's run (the handle) or a
// thread's turn (the thread); index: its opening event, -1 when its kind is not recorded.
interface OpenSpan {
  key: object;
  index: number;
  isHandle: boolean;
}

// A simulated thread, as the trace sees it (the executor layer stays out of this one).
interface ThreadLike {
  name: string;
  _debt: number;
  _busyUntil: number | undefined;
}

// What #raised holds when nothing was raised in the step running now.
const NOTHING_RAISED: unique symbol = Symbol('nothing raised');

// Every attached trace; the hook slot holds the dispatcher while there is one.
const attached = new Set<Trace>();

// Invariant: a hook never throws. The loop, tasks and futures call it between two of their
// own state changes, so an exception escaping it would skip the second one (a future done
// whose callbacks are never scheduled) or reach the program. Whatever a trace throws (a
// bug, a value whose getters fail) is recorded as an observer error and the run goes on
// exactly as without the trace.
function each(hook: string, record: (t: Trace) => void): void {
  for (const t of attached) {
    try {
      record(t);
    } catch (e) {
      t._observerError(hook, e);
    }
  }
}

const dispatcher: TraceSink = {
  iteration: (loop) => each('iteration', (t) => t._iteration(loop)),
  handleScheduled: (handle) => each('handleScheduled', (t) => t._handleScheduled(handle as Handle)),
  handleRun: (handle) => each('handleRun', (t) => t._handleRun(handle as Handle)),
  handleEnd: (handle) => each('handleEnd', (t) => t._handleEnd(handle as Handle)),
  timerScheduled: (timer) => each('timerScheduled', (t) => t._timer(timer as TimerHandle, 'scheduled')),
  timerCancelled: (timer) => each('timerCancelled', (t) => t._timer(timer as TimerHandle, 'cancelled')),
  stepStart: (task, exc) => each('stepStart', (t) => t._stepStart(task as Task<unknown>, exc)),
  stepEnd: (task) => each('stepEnd', (t) => t._stepEnd(task as Task<unknown>)),
  threadTurn: (thread, phase) => each('threadTurn', (t) => t._threadTurn(thread as ThreadLike, phase)),
  futureRole: (fut, role) => each('futureRole', (t) => t._futureRole(fut as Future<unknown>, role)),
  futureDone: (fut) => each('futureDone', (t) => t._futureDone(fut as Future<unknown>)),
  coroutineRaise: (coro, exc) => each('coroutineRaise', (t) => t._coroutineRaise(coro as CoroutineMeta, exc)),
  logRecord: (record) => each('logRecord', (t) => t._log(record as LogRecord)),
  warning: (message, category, raised) => each('warning', (t) => t._warning(message as Warning, category, raised)),
};

// The network's own hook slot (src/net/net-trace.ts) holds this while a trace is attached.
const networkDispatcher: NetTraceSink = {
  network: (record) => each('network', (t) => t._network(record)),
};

function hook(on: boolean): void {
  _setTracer(on ? dispatcher : undefined);
  _setNetTracer(on ? networkDispatcher : undefined);
}

// Python's last traceback line for a thrown value (`TypeError: message`), never throwing.
function errorLine(e: unknown): string {
  try {
    if (e instanceof Error) {
      const name = e.constructor?.name ?? e.name;
      return e.message === '' ? name : `${name}: ${e.message}`;
    }
    return `${typeof e === 'object' && e !== null ? e.constructor?.name ?? 'object' : typeof e}: ${String(e)}`;
  } catch {
    return '<exception str() failed>';
  }
}

/**
 * A recording of one loop's decisions, in the order the loop takes them.
 *
 * Attach it to a loop (`trace.attach(loop)`, or `withLoop(body, { trace })`), run, and
 * compare `String(trace)` (or the trace itself: it serialises to its text) with a
 * snapshot. Tasks are named by their name or coroutine (`main`, `worker#2`), futures and
 * timers numbered in order of first mention (`future 1`, `timer 1`), values printed as
 * Python reprs without source sites or object ids, so the text is the same on every run.
 * Log records, warnings and simulated threads' turns are recorded while the traced loop
 * runs or no loop runs; the network's events (connections, messages, faults) whenever
 * they happen, the network being the world's. `attachNetwork()` records those alone, for
 * hosts whose loops a test does not hold (a `Simulation`'s).
 *
 * @example
 * const trace = new Trace().attach(loop);
 * loop.runUntilComplete(main());
 * expect(trace).toMatchInlineSnapshot();
 * asyncio: none (aiosim testing)
 */
export class Trace {
  /** The recorded events, oldest first. */
  readonly events: TraceEvent[] = [];
  /**
   * What the trace itself threw while recording, oldest first (each also recorded as an
   * `observerError` event). The traced run is not affected; the trace misses what failed.
   */
  readonly observerErrors: unknown[] = [];
  /** The names used in the events (shared with `loopState(loop, { labels })`). */
  readonly labels = new Labels();
  readonly #kinds: ReadonlySet<TraceKind> | undefined;
  #loop: EventLoop | undefined;
  // Attached with attachNetwork(): the network's events only.
  #networkOnly = false;
  #iteration = 0;
  // Timers whose callback ran: cancelling them later changes nothing.
  readonly #fired = new WeakSet<TimerHandle>();
  // The future whose done callback is waking a task (its step follows at once).
  #wake: { task: Task<unknown>; fut: Future<unknown> } | undefined;
  // The spans being recorded, innermost last (steps of eager tasks and threads' turns nest).
  readonly #open: OpenSpan[] = [];
  // What scheduled each handle not run yet (a task's step handle is scheduled again and again).
  #causes = new WeakMap<object, Required<ScheduledBy>>();
  // The cause of the task step about to start (from its step or wake-up handle).
  #stepCause: { task: Task<unknown>; cause: Required<ScheduledBy> | undefined } | undefined;
  readonly #threadNames = new WeakMap<object, string>();
  readonly #threadCounts = new Map<string, number>();
  #clockResolution = DEFAULT_CLOCK_RESOLUTION;
  // The exception last recorded as raised in the step running now: leaving the coroutines
  // that await the one it came from, it is not raised again.
  #raised: unknown = NOTHING_RAISED;

  constructor(options?: TraceOptions) {
    this.#kinds = options?.kinds === undefined ? undefined : new Set(options.kinds);
  }

  /** The loop the trace records, while attached. */
  get loop(): EventLoop | undefined {
    return this.#loop;
  }

  /**
   * The clock resolution of the loop the trace was last attached to (1e-9 s before any):
   * the text rounds virtual times to it (`0.9`, not `0.8999999999999999`). The events keep
   * the exact times.
   */
  get clockResolution(): number {
    return this.#clockResolution;
  }

  /**
   * Start recording `loop`'s decisions (and the network's events); returns the trace.
   * @throws Error when the trace is already attached (to a loop or to the network).
   */
  attach(loop: EventLoop): this {
    this.#checkDetached();
    this.#loop = loop;
    this.#clockResolution = loop._clockResolution;
    attached.add(this);
    hook(true);
    return this;
  }

  /**
   * Start recording the network's events alone (connections, messages, faults), at the
   * world's virtual time: for the hosts of a `Simulation`, whose loops a test does not
   * hold. Returns the trace.
   * @throws Error when the trace is already attached (to a loop or to the network).
   */
  attachNetwork(): this {
    this.#checkDetached();
    this.#networkOnly = true;
    attached.add(this);
    hook(true);
    return this;
  }

  #checkDetached(): void {
    if (this.#loop !== undefined) throw new Error('this trace is already attached to a loop; detach() it first');
    if (this.#networkOnly) throw new Error('this trace is already attached to the network; detach() it first');
  }

  /** Stop recording (the events stay). */
  detach(): void {
    this.#loop = undefined;
    this.#networkOnly = false;
    attached.delete(this);
    if (attached.size === 0) hook(false);
  }

  /** Forget the recorded events and observer errors (names and the iteration count are kept). */
  clear(): void {
    this.events.length = 0;
    this.observerErrors.length = 0;
    // Spans still open and pending causes point into the forgotten events.
    for (const span of this.#open) span.index = -1;
    this.#causes = new WeakMap();
    this.#stepCause = undefined;
  }

  /**
   * Return the events as text lines: time (rounded to the clock resolution), then the
   * event, indented under its iteration.
   */
  lines(): string[] {
    return formatTrace(this.events, { clockResolution: this.#clockResolution });
  }

  /** Return the whole trace as text, one event per line. */
  toString(): string {
    return this.lines().join('\n');
  }

  /** Snapshots and JSON show the trace as its text. */
  toJSON(): string {
    return this.toString();
  }

  // Record the event; return its index, or -1 when its kind is not recorded.
  #record(event: NewEvent, loop: EventLoop, time = loop.time()): number {
    if (this.#kinds !== undefined && !this.#kinds.has(event.kind)) return -1;
    const iteration = loop.isRunning() ? this.#iteration : 0;
    return this.events.push({ ...event, time, iteration } as TraceEvent) - 1;
  }

  // Close the innermost span if it is `key`'s, noting where and when it ended.
  #close(key: object, endTime: number): void {
    const span = this.#open[this.#open.length - 1];
    if (span?.key !== key) return;
    this.#open.pop();
    if (span.index < 0) return;
    const opener = this.events[span.index] as SpanEnd;
    opener.endIndex = this.events.length;
    opener.endTime = endTime;
  }

  // The span running now and the last event recorded in it, if a recorded span runs.
  #cause(): Required<ScheduledBy> | undefined {
    const span = this.#open[this.#open.length - 1];
    if (span === undefined || span.index < 0) return undefined;
    return { scheduledBy: span.index, scheduledAfter: this.events.length - 1 };
  }

  /** @internal A hook of this trace threw: note it, and never throw from here. */
  _observerError(hook: string, error: unknown): void {
    try {
      this.observerErrors.push(error);
      const loop = this.#loop;
      const time = loop === undefined ? world.now : loop.time();
      const iteration = loop?.isRunning() === true ? this.#iteration : 0;
      this.events.push({ kind: 'observerError', hook, error: errorLine(error), time, iteration });
    } catch {
      // Nothing more can be recorded without risking the run.
    }
  }

  /** @internal */
  _iteration(loop: object): void {
    if (loop !== this.#loop) return;
    // A callback whose run escaped (KeyboardInterrupt, SystemExit) ended with it.
    for (let top = this.#open.at(-1); top?.isHandle === true; top = this.#open.at(-1)) this.#close(top.key, this.#loop.time());
    this.#iteration++;
    this.#record({ kind: 'iteration' }, this.#loop);
  }

  /** @internal */
  _handleScheduled(handle: Handle): void {
    if (handle._loop !== this.#loop) return;
    const cause = this.#cause();
    if (cause === undefined) this.#causes.delete(handle);
    else this.#causes.set(handle, cause);
  }

  /** @internal */
  _handleEnd(handle: Handle): void {
    const loop = this.#loop;
    if (handle._loop !== loop || loop === undefined) return;
    this.#stepCause = undefined;
    this.#close(handle, loop.time());
  }

  /** @internal */
  _handleRun(handle: Handle): void {
    const loop = this.#loop;
    if (handle._loop !== loop || loop === undefined) return;
    const cb = handle._callback;
    const owner = (cb as MarkedCallback | undefined)?.[callbackSelf];
    const cause = this.#causes.get(handle);
    if (owner instanceof Task) {
      // A task's own step or wake-up: the step event that follows says it.
      if (cb === owner._wakeupCb) this.#wake = { task: owner, fut: handle._args![0] as Future<unknown> };
      if (cb === owner._stepCb || cb === owner._wakeupCb) {
        this.#stepCause = { task: owner, cause };
        return;
      }
    }
    let index: number;
    if (handle instanceof TimerHandle) {
      this.#fired.add(handle);
      index = this.#timerEvent(handle, 'fired', loop, cause);
    } else {
      index = this.#record({ kind: 'run', callback: this.labels.callback(cb, handle._args ?? []), ...cause }, loop);
    }
    this.#open.push({ key: handle, index, isHandle: true });
  }

  /** @internal */
  _timer(timer: TimerHandle, action: 'scheduled' | 'cancelled'): void {
    const loop = this.#loop;
    if (timer._loop !== loop || loop === undefined) return;
    if (action === 'cancelled' && this.#fired.has(timer)) return;
    const scheduledBy = action === 'scheduled' ? this.#cause()?.scheduledBy : undefined;
    const index = this.#timerEvent(timer, action, loop);
    // A timer's run points back at its `scheduled` event.
    if (scheduledBy !== undefined && index >= 0) this.#causes.set(timer, { scheduledBy, scheduledAfter: index });
  }

  #timerEvent(timer: TimerHandle, action: 'scheduled' | 'cancelled' | 'fired', loop: EventLoop, cause?: ScheduledBy): number {
    const label = this.labels.of(timer);
    const callback = this.labels.callback(timer._callback, timer._args ?? []);
    return this.#record({ kind: 'timer', action, timer: label, when: timer._when, callback, ...cause }, loop);
  }

  /** @internal */
  _stepStart(task: Task<unknown>, exc: unknown): void {
    const loop = this.#loop;
    if (task._loop !== loop || loop === undefined) return;
    const wake = this.#wake;
    this.#wake = undefined;
    this.#raised = NOTHING_RAISED;
    // Run from its step or wake-up handle, else started eagerly by the span running now.
    const fromHandle = this.#stepCause;
    this.#stepCause = undefined;
    const cause = fromHandle?.task === task ? fromHandle.cause : this.#cause();
    const event: Omit<StepEvent, 'time' | 'iteration'> = { kind: 'step', task: this.labels.of(task), action: task._started ? 'resume' : 'start' };
    if (wake !== undefined && wake.task === task) event.after = this.labels.of(wake.fut);
    if (exc !== undefined) event.thrown = this.labels.exception(exc);
    if (cause !== undefined) Object.assign(event, cause);
    const index = this.#record(event, loop);
    this.#open.push({ key: task, index, isHandle: false });
  }

  /** @internal */
  _stepEnd(task: Task<unknown>): void {
    const loop = this.#loop;
    if (task._loop !== loop || loop === undefined) return;
    // The step's span ends even if its last event cannot be recorded.
    try {
      const label = this.labels.of(task);
      if (task.done()) {
        this.#record({ kind: 'done', future: label, isTask: true, outcome: this.labels.outcome(task) }, loop);
      } else {
        const waiter = task._futWaiter;
        this.#record(waiter === undefined ? { kind: 'suspend', task: label } : { kind: 'suspend', task: label, awaits: this.labels.of(waiter) }, loop);
      }
    } finally {
      this.#close(task, loop.time());
    }
  }

  /** @internal */
  _threadTurn(thread: ThreadLike, phase: 'start' | 'resume' | 'end'): void {
    if (phase === 'end') {
      this.#close(thread, thread._busyUntil ?? world.now + thread._debt);
      return;
    }
    const loop = this.#recordsNow();
    if (loop === undefined) return;
    const index = this.#record({ kind: 'thread', thread: this.#threadName(thread), action: phase }, loop, world.now);
    this.#open.push({ key: thread, index, isHandle: false });
  }

  // A thread's name (process-wide counters taken out), numbered when another thread had
  // it first (`worker#2`), so that the same run traces the same text every time.
  #threadName(thread: ThreadLike): string {
    const known = this.#threadNames.get(thread);
    if (known !== undefined) return known;
    const base = normaliseThreadName(thread.name);
    const n = (this.#threadCounts.get(base) ?? 0) + 1;
    this.#threadCounts.set(base, n);
    const name = n === 1 ? base : `${base}#${n}`;
    this.#threadNames.set(thread, name);
    return name;
  }

  /** @internal */
  _futureRole(fut: Future<unknown>, role: string): void {
    if (fut._loop === this.#loop) this.labels._setRole(fut, role);
  }

  /** @internal */
  _futureDone(fut: Future<unknown>): void {
    const loop = this.#loop;
    // A task's completion is told by the end of its step.
    if (fut._loop !== loop || loop === undefined || fut instanceof Task) return;
    this.#record({ kind: 'done', future: this.labels.of(fut), isTask: false, outcome: this.labels.outcome(fut) }, loop);
  }

  /** @internal */
  _coroutineRaise(coro: CoroutineMeta, exc: unknown): void {
    const loop = this.#loop;
    const task = loop?._currentTask;
    // A coroutine driven outside a task, or the task's own (its done event tells).
    if (loop === undefined || !(task instanceof Task) || task._coro === coro || Object.is(exc, this.#raised)) return;
    this.#raised = exc;
    const name = coro.__name__ ?? '<coroutine>';
    this.#record({ kind: 'raise', task: this.labels.of(task), coroutine: name, exception: this.labels.exception(exc) }, loop);
  }

  #recordsNow(): EventLoop | undefined {
    const loop = this.#loop;
    const running = _getRunningLoop();
    return running === undefined || running === loop ? loop : undefined;
  }

  /** @internal */
  _log(record: LogRecord): void {
    const loop = this.#recordsNow();
    if (loop === undefined) return;
    this.#record({ kind: 'log', level: record.levelname, logger: record.name, message: normaliseText(record.getMessage()) }, loop);
  }

  /** @internal */
  _network(record: NetRecord): void {
    const loop = this.#loop;
    if ((loop === undefined && !this.#networkOnly) || (this.#kinds !== undefined && !this.#kinds.has(record.kind))) return;
    let event: NewEvent;
    if (record.kind === 'connection') {
      const { _ends, ...fields } = record;
      event = { ...fields, connection: this.labels._connection(_ends[0], _ends[1]) };
    } else {
      event = { ...record };
    }
    // The world's time: the traced loop's while it runs (its clock is the world's then).
    const iteration = loop?.isRunning() === true ? this.#iteration : 0;
    this.events.push({ ...event, time: world.now, iteration } as TraceEvent);
  }

  /** @internal */
  _warning(message: Warning, category: Function, raised: boolean): void {
    const loop = this.#recordsNow();
    if (loop === undefined) return;
    this.#record({ kind: 'warning', category: category.name, message: normaliseText(String(message)), raised }, loop);
  }
}
