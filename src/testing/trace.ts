// Trace: records a loop's decisions (iterations, callbacks and timers, task steps,
// futures done, log records, warnings) through the tracing hook, as events and as
// stable text for snapshots.
// asyncio: none (an aiosim testing extra)

import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import { Future } from '../future/future.js';
import type { LogRecord } from '../log/logging.js';
import { _setTracer, type TraceSink } from '../log/trace-hook.js';
import type { Warning } from '../log/warnings.js';
import type { EventLoop } from '../loop/event-loop.js';
import { _getRunningLoop } from '../loop/events.js';
import { TimerHandle, type Handle } from '../loop/handle.js';
import { Task } from '../task/task.js';
import { Labels, normaliseText } from './labels.js';
import { formatTrace, type StepEvent, type TraceEvent, type TraceKind } from './trace-event.js';

/** Options of `new Trace()`. */
export interface TraceOptions {
  /** Record only these kinds of events (default: all). */
  kinds?: readonly TraceKind[];
}

type NewEvent = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'time' | 'iteration'> : never) : never;

// Every attached trace; the hook slot holds the dispatcher while there is one.
const attached = new Set<Trace>();

const dispatcher: TraceSink = {
  iteration: (loop) => { for (const t of attached) t._iteration(loop); },
  handleRun: (handle) => { for (const t of attached) t._handleRun(handle as Handle); },
  timerScheduled: (timer) => { for (const t of attached) t._timer(timer as TimerHandle, 'scheduled'); },
  timerCancelled: (timer) => { for (const t of attached) t._timer(timer as TimerHandle, 'cancelled'); },
  stepStart: (task, exc) => { for (const t of attached) t._stepStart(task as Task<unknown>, exc); },
  stepEnd: (task) => { for (const t of attached) t._stepEnd(task as Task<unknown>); },
  futureDone: (fut) => { for (const t of attached) t._futureDone(fut as Future<unknown>); },
  logRecord: (record) => { for (const t of attached) t._log(record as LogRecord); },
  warning: (message, category, raised) => { for (const t of attached) t._warning(message as Warning, category, raised); },
};

/**
 * A recording of one loop's decisions, in the order the loop takes them.
 *
 * Attach it to a loop (`trace.attach(loop)`, or `withLoop(body, { trace })`), run, and
 * compare `String(trace)` (or the trace itself: it serialises to its text) with a
 * snapshot. Tasks are named by their name or coroutine (`main`, `worker#2`), futures and
 * timers numbered in order of first mention (`future 1`, `timer 1`), values printed as
 * Python reprs without source sites or object ids, so the text is the same on every run.
 * Log records and warnings are recorded while the traced loop runs or no loop runs.
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
  /** The names used in the events (shared with `loopState(loop, { labels })`). */
  readonly labels = new Labels();
  readonly #kinds: ReadonlySet<TraceKind> | undefined;
  #loop: EventLoop | undefined;
  #iteration = 0;
  // Timers whose callback ran: cancelling them later changes nothing.
  readonly #fired = new WeakSet<TimerHandle>();
  // The future whose done callback is waking a task (its step follows at once).
  #wake: { task: Task<unknown>; fut: Future<unknown> } | undefined;

  constructor(options?: TraceOptions) {
    this.#kinds = options?.kinds === undefined ? undefined : new Set(options.kinds);
  }

  /** The loop the trace records, while attached. */
  get loop(): EventLoop | undefined {
    return this.#loop;
  }

  /**
   * Start recording `loop`'s decisions; returns the trace.
   * @throws Error when the trace is already attached to a loop.
   */
  attach(loop: EventLoop): this {
    if (this.#loop !== undefined) throw new Error('this trace is already attached to a loop; detach() it first');
    this.#loop = loop;
    attached.add(this);
    _setTracer(dispatcher);
    return this;
  }

  /** Stop recording (the events stay). */
  detach(): void {
    this.#loop = undefined;
    attached.delete(this);
    if (attached.size === 0) _setTracer(undefined);
  }

  /** Forget the recorded events (names and the iteration count are kept). */
  clear(): void {
    this.events.length = 0;
  }

  /** Return the events as text lines: time, then the event, indented under its iteration. */
  lines(): string[] {
    return formatTrace(this.events);
  }

  /** Return the whole trace as text, one event per line. */
  toString(): string {
    return this.lines().join('\n');
  }

  /** Snapshots and JSON show the trace as its text. */
  toJSON(): string {
    return this.toString();
  }

  #record(event: NewEvent, loop: EventLoop): void {
    if (this.#kinds !== undefined && !this.#kinds.has(event.kind)) return;
    const iteration = loop.isRunning() ? this.#iteration : 0;
    this.events.push({ ...event, time: loop.time(), iteration } as TraceEvent);
  }

  /** @internal */
  _iteration(loop: object): void {
    if (loop !== this.#loop) return;
    this.#iteration++;
    this.#record({ kind: 'iteration' }, this.#loop);
  }

  /** @internal */
  _handleRun(handle: Handle): void {
    const loop = this.#loop;
    if (handle._loop !== loop || loop === undefined) return;
    const cb = handle._callback;
    const owner = (cb as MarkedCallback | undefined)?.[callbackSelf];
    if (owner instanceof Task) {
      // A task's own step or wake-up: the step event that follows says it.
      if (cb === owner._wakeupCb) this.#wake = { task: owner, fut: handle._args![0] as Future<unknown> };
      if (cb === owner._stepCb || cb === owner._wakeupCb) return;
    }
    if (handle instanceof TimerHandle) {
      this.#fired.add(handle);
      this.#timerEvent(handle, 'fired', loop);
      return;
    }
    this.#record({ kind: 'run', callback: this.labels.callback(cb, handle._args ?? []) }, loop);
  }

  /** @internal */
  _timer(timer: TimerHandle, action: 'scheduled' | 'cancelled'): void {
    const loop = this.#loop;
    if (timer._loop !== loop || loop === undefined) return;
    if (action === 'cancelled' && this.#fired.has(timer)) return;
    this.#timerEvent(timer, action, loop);
  }

  #timerEvent(timer: TimerHandle, action: 'scheduled' | 'cancelled' | 'fired', loop: EventLoop): void {
    const label = this.labels.of(timer);
    const callback = this.labels.callback(timer._callback, timer._args ?? []);
    this.#record({ kind: 'timer', action, timer: label, when: timer._when, callback }, loop);
  }

  /** @internal */
  _stepStart(task: Task<unknown>, exc: unknown): void {
    const loop = this.#loop;
    if (task._loop !== loop || loop === undefined) return;
    const wake = this.#wake;
    this.#wake = undefined;
    const event: Omit<StepEvent, 'time' | 'iteration'> = { kind: 'step', task: this.labels.of(task), action: task._started ? 'resume' : 'start' };
    if (wake !== undefined && wake.task === task) event.after = this.labels.of(wake.fut);
    if (exc !== undefined) event.thrown = this.labels.value(exc);
    this.#record(event, loop);
  }

  /** @internal */
  _stepEnd(task: Task<unknown>): void {
    const loop = this.#loop;
    if (task._loop !== loop || loop === undefined) return;
    const label = this.labels.of(task);
    if (task.done()) {
      this.#record({ kind: 'done', future: label, isTask: true, outcome: this.labels.outcome(task) }, loop);
    } else {
      const waiter = task._futWaiter;
      this.#record(waiter === undefined ? { kind: 'suspend', task: label } : { kind: 'suspend', task: label, awaits: this.labels.of(waiter) }, loop);
    }
  }

  /** @internal */
  _futureDone(fut: Future<unknown>): void {
    const loop = this.#loop;
    // A task's completion is told by the end of its step.
    if (fut._loop !== loop || loop === undefined || fut instanceof Task) return;
    this.#record({ kind: 'done', future: this.labels.of(fut), isTask: false, outcome: this.labels.outcome(fut) }, loop);
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
  _warning(message: Warning, category: Function, raised: boolean): void {
    const loop = this.#recordsNow();
    if (loop === undefined) return;
    this.#record({ kind: 'warning', category: category.name, message: normaliseText(String(message)), raised }, loop);
  }
}
