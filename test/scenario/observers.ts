// The two observers of a run: TraceObserver prints the trace text (what is compared with
// CPython's) and RecordsObserver also keeps structured records (the events as data,
// every callback handle, future and task), which the property tests check invariants on.
// The records are TypeScript-only: interpreter.py prints the trace only.

import { currentTask, repr, type Coro, type Future } from '../../src/index.js';
import { pyFloat } from './internals.js';
import { normalise, type Interp } from './interp.js';
import type { Value } from './language.js';

/** What an event says as data, for the records (a plain event is a 'note'). */
export type Fact =
  | { kind: 'note' }
  | { kind: 'schedule'; handle: number; how: 'soon' | 'later' | 'at'; when: number | undefined }
  | { kind: 'run'; handle: number }
  | { kind: 'cancelHandles'; handles: number[] }
  | { kind: 'newFuture'; future: number }
  | { kind: 'settle'; future: number; how: 'result' | 'exception' | 'cancel'; ok: boolean }
  | { kind: 'addDoneCallback'; target: string; reg: number }
  | { kind: 'doneCallback'; target: string; reg: number; state: string }
  | { kind: 'queue'; op: string; queue: string; item?: unknown; qsize: number }
  | { kind: 'exception' }
  /** A task's coroutine resumes (or starts); `done`: the task was already done. */
  | { kind: 'step'; done: boolean }
  /** A task's coroutine has ended (returned, raised or was closed). */
  | { kind: 'end' };

/** What the interpreter reports as it runs. */
export interface Observer {
  /** `who` did `text` now; `fact` says it as data. */
  event(interp: Interp, who: string, text: string, fact?: Fact): void;
  /** A line outside the events: an asyncio log record, a warning, the end of the run. */
  line(text: string): void;
  /** Wrap the coroutine of the task `label` (the records watch its steps). */
  watch?(interp: Interp, label: string, coro: Coro<Value>): Coro<Value>;
  /** The run is over (drive mode: before the loop is closed); later events are not kept. */
  finish?(interp: Interp): void;
}

/** The trace text: `<time> <who>: <event>` lines and the other lines, in order. */
export class TraceObserver implements Observer {
  readonly lines: string[] = [];

  event(interp: Interp, who: string, text: string): void {
    this.lines.push(`${pyFloat(interp.loop.time())} ${who}: ${normalise(text)}`);
  }

  line(text: string): void {
    this.lines.push(text);
  }
}

/** One event as data: when, who, what, and the task running it. */
export interface EventRecord {
  t: number;
  who: string;
  text: string;
  /** currentTask() as a label ('none' outside tasks, 'foreign-task' for one the scenario did not spawn). */
  current: string;
  /** Whether a watched task's coroutine was executing (for a step: already, before it). */
  overlaps: boolean;
  fact: Fact;
}

/** A callback handle: when it was scheduled, ran, was cancelled. */
export interface HandleRecord {
  id: number;
  kind: 'soon' | 'later' | 'at';
  /** The timer's deadline (`handle.when()`); undefined for callSoon handles. */
  when: number | undefined;
  /** Loop time and event index at which it was scheduled. */
  scheduledAt: number;
  scheduledEv: number;
  /** Event indices and loop times of its runs. */
  runEvs: number[];
  runTimes: number[];
  cancelled: boolean;
  /** Whether the first cancel came before the handle ran. */
  cancelledBeforeRun: boolean;
}

/** A future ('f:<i>') or task ('t:<label>'). */
export interface FutureRecord {
  name: string;
  /** setResult, setException and cancel on a future: what was tried and whether it took effect. */
  settles: { how: 'result' | 'exception' | 'cancel'; ok: boolean }[];
  /** State after the run: `pending`, `cancelled`, `result=…` or `exception=…`. */
  final: string;
  /** For each addDoneCallback registration, in registration order: its runs. */
  doneCbs: { ev: number; state: string }[][];
}

/** `pending`, `cancelled`, `result=<repr>` or `exception=<repr>` (reading it marks an exception retrieved). */
export function describeState(f: Future<unknown>): string {
  if (!f.done()) return 'pending';
  if (f.cancelled()) return 'cancelled';
  const exc = f.exception();
  return exc === undefined ? `result=${repr(f.result())}` : `exception=${repr(exc)}`;
}

/** The trace text, and the events, handles, futures and tasks as data. */
export class RecordsObserver extends TraceObserver {
  readonly events: EventRecord[] = [];
  readonly handles: HandleRecord[] = [];
  readonly futures: FutureRecord[] = [];
  readonly tasks: FutureRecord[] = [];
  /** currentTask() once the run is over: 'none' or a label. */
  currentAfterRun = 'none';
  // The task whose coroutine is executing, if any (to detect overlapping steps).
  #active: string | undefined;
  #finished = false;

  override event(interp: Interp, who: string, text: string, fact: Fact = { kind: 'note' }): void {
    if (this.#finished) return;
    super.event(interp, who, text);
    const t = interp.loop.time();
    const task = currentTask(interp.loop);
    const current = task === undefined ? 'none' : (interp.labelOf(task) ?? 'foreign-task');
    this.events.push({ t, who, text, current, overlaps: this.#active !== undefined, fact });
    this.#record(this.events.length - 1, fact);
  }

  #record(ev: number, fact: Fact): void {
    const t = this.events[ev]!.t;
    switch (fact.kind) {
      case 'schedule':
        this.handles[fact.handle] = {
          id: fact.handle, kind: fact.how, when: fact.when, scheduledAt: t, scheduledEv: ev,
          runEvs: [], runTimes: [], cancelled: false, cancelledBeforeRun: false,
        };
        return;
      case 'run':
        this.handles[fact.handle]!.runEvs.push(ev);
        this.handles[fact.handle]!.runTimes.push(t);
        return;
      case 'cancelHandles':
        for (const h of fact.handles.map((i) => this.handles[i]!).filter((rec) => !rec.cancelled)) {
          h.cancelled = true;
          h.cancelledBeforeRun = h.runEvs.length === 0;
        }
        return;
      case 'newFuture':
        this.#future(fact.future);
        return;
      case 'settle':
        this.#future(fact.future).settles.push({ how: fact.how, ok: fact.ok });
        return;
      case 'addDoneCallback':
        this.#target(fact.target).doneCbs.push([]);
        return;
      case 'doneCallback':
        this.#target(fact.target).doneCbs[fact.reg]!.push({ ev, state: fact.state });
        return;
    }
  }

  #future(i: number): FutureRecord {
    return (this.futures[i] ??= { name: `f:${i}`, settles: [], final: 'pending', doneCbs: [] });
  }

  #target(name: string): FutureRecord {
    return name.startsWith('f:') ? this.#future(Number(name.slice(2))) : this.tasks.find((r) => r.name === name)!;
  }

  watch(interp: Interp, label: string, coro: Coro<Value>): Coro<Value> {
    this.tasks.push({ name: `t:${label}`, settles: [], final: 'pending', doneCbs: [] });
    return watched(coro, {
      enter: () => {
        const done = interp.tasks.get(label)?.done() ?? false;
        const overlap = this.#active !== undefined;
        this.event(interp, label, `step${overlap ? ' OVERLAP' : ''}${done ? ' DONE' : ''}`, { kind: 'step', done });
        this.#active = label;
      },
      leave: () => {
        this.#active = undefined;
      },
      end: () => this.event(interp, label, 'ends', { kind: 'end' }),
    });
  }

  finish(interp: Interp): void {
    interp.futures.forEach((f, i) => { this.#future(i).final = describeState(f); });
    for (const rec of this.tasks) rec.final = describeState(interp.tasks.get(rec.name.slice(2))!);
    for (const rec of [...this.futures, ...this.tasks]) this.line(`final ${rec.name} ${rec.final}`);
    const task = currentTask(interp.loop);
    this.currentAfterRun = task === undefined ? 'none' : (interp.labelOf(task) ?? 'foreign-task');
    this.#finished = true;
  }
}

/**
 * `coro`, with `enter` called each time the task resumes it (or starts it), `leave` each
 * time it suspends or ends, `end` once it has ended. Closing or throwing into the wrapper
 * reaches `coro` as it would unwrapped.
 */
function* watched(coro: Coro<Value>, hooks: { enter(): void; leave(): void; end(): void }): Coro<Value> {
  let send: { threw: boolean; value: unknown } = { threw: false, value: undefined };
  let finished = false;
  try {
    for (;;) {
      hooks.enter();
      let r: IteratorResult<unknown, Value>;
      try {
        r = send.threw ? coro.throw(send.value) : coro.next(send.value);
      } finally {
        hooks.leave();
      }
      if (r.done === true) {
        finished = true;
        return r.value;
      }
      try {
        send = { threw: false, value: yield r.value as Future<unknown> | undefined };
      } catch (e) {
        send = { threw: true, value: e };
      }
    }
  } finally {
    hooks.end();
    if (!finished) coro.return(null);
  }
}
