// A model of random "programs" over the kernel API (callSoon/callLater/callAt, handle
// cancellation, futures, tasks) and an interpreter that runs one on a fresh loop and
// records what happened, both as trace lines (`t=1.5 cb#3`) and as structured records
// that property tests check invariants on.
//
// Every program terminates: callback bodies are finite trees, task bodies are finite
// step lists, a task only awaits tasks created before it (no cycles), and the loop is run
// with runUntilIdle (which returns when nothing is ready or scheduled, leaving tasks
// that wait for a future nobody completes pending) or with runUntilComplete on a future
// that a timer the program cannot cancel completes.

import {
  EventLoop, Future, StalledError, Task, currentTask,
  type AbstractEventLoop, type ExceptionContext, type ExceptionHandler, type Handle, type TimerHandle,
} from '../../src/index.js';
import { captureAsyncioLogs } from './capture.js';

/** One operation, run at top level (before the loop starts) or inside a callback. */
export type Op =
  | { op: 'callSoon'; body: Op[] }
  | { op: 'callLater'; delay: number; body: Op[] }
  /** `when` is absolute, or added to `loop.time()` when `relative`. */
  | { op: 'callAt'; when: number; relative: boolean; body: Op[] }
  /** Cancel the handle `ref % count` among those created so far (it may have run already). */
  | { op: 'cancelHandle'; ref: number }
  | { op: 'newFuture' }
  /** setResult(value) / setException(Error('E<value>')) / cancel('c<value>') on future `ref % count`. */
  | { op: 'settle'; ref: number; how: 'result' | 'exception' | 'cancel'; value: number }
  | { op: 'addDoneCallback'; target: 'future' | 'task'; ref: number }
  | { op: 'createTask'; steps: Step[] }
  | { op: 'cancelTask'; ref: number; msg: string };

/** One step of a task's coroutine; `guarded` catches what the await throws and goes on. */
export type Step =
  | { s: 'yield'; guarded: boolean }
  | { s: 'awaitFuture'; ref: number; guarded: boolean }
  /** Await task `ref % n` among the n tasks created before this one. */
  | { s: 'awaitTask'; ref: number; guarded: boolean }
  | { s: 'return'; value: number }
  | { s: 'throw'; value: number };

export interface Program {
  ops: Op[];
  /** 'idle': runUntilIdle(); 'complete': runUntilComplete(main) then runUntilIdle(). */
  mode: 'idle' | 'complete';
  /** The delay of the timer that completes `main` in 'complete' mode. */
  mainAt: number;
}

/** What happened, in order; `text` is the trace line without its `t=` prefix. */
export type TraceEvent =
  | { kind: 'schedule'; t: number; text: string; cb: number }
  | { kind: 'run'; t: number; text: string; cb: number; current: string; overlaps: boolean }
  | { kind: 'step'; t: number; text: string; task: number; current: string; overlaps: boolean; done: boolean }
  | { kind: 'end'; t: number; text: string; task: number }
  | { kind: 'doneCb'; t: number; text: string; target: string; reg: number; current: string; overlaps: boolean }
  | { kind: 'exc'; t: number; text: string }
  | { kind: 'note'; t: number; text: string };

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
  /** Whether the first cancel() came before the handle ran. */
  cancelledBeforeRun: boolean;
}

export interface FutureRecord {
  /** `fut#i` or `task#i`. */
  name: string;
  /** settle ops on a program future: what was tried and whether it took effect. */
  settles: { how: 'result' | 'exception' | 'cancel'; ok: boolean }[];
  /** State after the run: `pending`, `cancelled`, `result=…` or `exception=…`. */
  final: string;
  /** For each addDoneCallback registration, in registration order: its runs. */
  doneCbs: { ev: number; state: string }[][];
}

export interface RunResult {
  /** `t=<time> <text>` per event, then `final …` lines and captured `log …` lines. */
  trace: string[];
  events: TraceEvent[];
  handles: HandleRecord[];
  futures: FutureRecord[];
  tasks: FutureRecord[];
  /** currentTask(loop) once the loop returned: `none` or a task name. */
  currentAfterRun: string;
}

/** The loop surface the interpreter drives: EventLoop, or a reference model of it. */
export interface ProgramLoop extends AbstractEventLoop {
  runUntilIdle(): void;
  runUntilComplete<T>(future: Future<T>): T;
  setExceptionHandler(handler: ExceptionHandler | undefined): void;
  close(): void;
}

/** Python-ish description of an exception: `Error('E3')`. */
export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}('${e.message}')` : `<thrown ${String(e)}>`;
}

/** `pending`, `cancelled`, `result=…` or `exception=…` (reading it marks an exception retrieved). */
export function describeState(f: Future<unknown>): string {
  if (!f.done()) return 'pending';
  if (f.cancelled()) return 'cancelled';
  const exc = f.exception();
  return exc === undefined ? `result=${String(f.result())}` : `exception=${describeError(exc)}`;
}

/** Number of operations in a list of ops, nested bodies included. */
export function countOps(ops: readonly Op[]): number {
  let n = 0;
  for (const op of ops) n += 1 + ('body' in op ? countOps(op.body) : 0);
  return n;
}

class Interpreter {
  readonly events: TraceEvent[] = [];
  readonly handles: HandleRecord[] = [];
  readonly #handleObjs: Handle[] = [];
  readonly futures: FutureRecord[] = [];
  readonly #futureObjs: Future<number>[] = [];
  readonly tasks: FutureRecord[] = [];
  readonly #taskObjs: Task<number>[] = [];
  readonly #taskIds = new Map<object, number>();
  // The task whose coroutine code is executing, if any (to detect overlapping steps).
  #active: number | undefined;

  constructor(readonly loop: ProgramLoop) {}

  #finished = false;

  #emit(ev: TraceEvent): number {
    // After finish(), loop.close() closes the coroutines of pending tasks (a collection
    // point): their finally blocks are not part of the run being checked.
    if (this.#finished) return -1;
    this.events.push(ev);
    return this.events.length - 1;
  }

  #note(text: string): void {
    this.#emit({ kind: 'note', t: this.loop.time(), text });
  }

  /** currentTask(loop) as a name. */
  current(): string {
    const t = currentTask(this.loop);
    if (t === undefined) return 'none';
    const id = this.#taskIds.get(t);
    return id === undefined ? 'foreign-task' : `task#${id}`;
  }

  // Suffix for trace lines when something is off (kept out of the line otherwise).
  #anomalies(current: string, expected: string, overlaps: boolean): string {
    return (current === expected ? '' : ` current=${current}`) + (overlaps ? ' OVERLAP' : '');
  }

  recordException(context: ExceptionContext): void {
    this.#emit({ kind: 'exc', t: this.loop.time(), text: `exception-handler ${describeError(context.exception)}` });
  }

  exec(ops: readonly Op[]): void {
    for (const op of ops) this.#execOp(op);
  }

  #execOp(op: Op): void {
    const loop = this.loop;
    switch (op.op) {
      case 'callSoon':
      case 'callLater':
      case 'callAt': {
        const id = this.handles.length;
        const t = loop.time();
        const rec: HandleRecord = {
          id, kind: op.op === 'callSoon' ? 'soon' : op.op === 'callLater' ? 'later' : 'at', when: undefined,
          scheduledAt: t, scheduledEv: -1, runEvs: [], runTimes: [], cancelled: false, cancelledBeforeRun: false,
        };
        this.handles.push(rec);
        const body = op.body;
        const cb = (): void => this.#runCallback(rec, body);
        let handle: Handle;
        let text: string;
        if (op.op === 'callSoon') {
          handle = loop.callSoon(cb);
          text = `cb#${id} <- callSoon`;
        } else {
          const timer: TimerHandle = op.op === 'callLater'
            ? loop.callLater(op.delay, cb)
            : loop.callAt(op.relative ? t + op.when : op.when, cb);
          rec.when = timer.when();
          handle = timer;
          text = op.op === 'callLater'
            ? `cb#${id} <- callLater(${op.delay}) when=${rec.when}`
            : `cb#${id} <- callAt(${rec.when})`;
        }
        this.#handleObjs.push(handle);
        rec.scheduledEv = this.#emit({ kind: 'schedule', t, text, cb: id });
        return;
      }
      case 'cancelHandle': {
        const n = this.handles.length;
        if (n === 0) return this.#note('cancel: no handle');
        const rec = this.handles[op.ref % n]!;
        const before = rec.runEvs.length === 0;
        this.#handleObjs[rec.id]!.cancel();
        if (!rec.cancelled) {
          rec.cancelled = true;
          rec.cancelledBeforeRun = before;
        }
        return this.#note(`cancel cb#${rec.id}${before ? '' : ' (already ran)'}`);
      }
      case 'newFuture': {
        const name = `fut#${this.futures.length}`;
        this.#futureObjs.push(new Future<number>({ loop }));
        this.futures.push({ name, settles: [], final: 'pending', doneCbs: [] });
        return this.#note(`${name} created`);
      }
      case 'settle': {
        const n = this.futures.length;
        if (n === 0) return this.#note(`${op.how}: no future`);
        const i = op.ref % n;
        const fut = this.#futureObjs[i]!;
        const rec = this.futures[i]!;
        let ok: boolean;
        let what: string;
        try {
          if (op.how === 'result') {
            what = `setResult(${op.value})`;
            fut.setResult(op.value);
            ok = true;
          } else if (op.how === 'exception') {
            what = `setException(E${op.value})`;
            fut.setException(new Error(`E${op.value}`));
            ok = true;
          } else {
            what = `cancel(c${op.value})`;
            ok = fut.cancel(`c${op.value}`);
          }
        } catch (e) {
          what = `${op.how}(${op.value}) raised ${describeError(e)}`;
          ok = false;
        }
        rec.settles.push({ how: op.how, ok });
        return this.#note(`${rec.name} ${what}${ok ? '' : ' -> no effect'}`);
      }
      case 'addDoneCallback': {
        const objs: Future<number>[] = op.target === 'future' ? this.#futureObjs : this.#taskObjs;
        const recs = op.target === 'future' ? this.futures : this.tasks;
        if (objs.length === 0) return this.#note(`add-done-cb: no ${op.target}`);
        const i = op.ref % objs.length;
        const rec = recs[i]!;
        const reg = rec.doneCbs.length;
        const runs: { ev: number; state: string }[] = [];
        rec.doneCbs.push(runs);
        objs[i]!.addDoneCallback((f) => {
          const state = describeState(f);
          const current = this.current();
          const overlaps = this.#active !== undefined;
          const text = `${rec.name} done-cb#${reg} ${state}${this.#anomalies(current, 'none', overlaps)}`;
          runs.push({ ev: this.#emit({ kind: 'doneCb', t: loop.time(), text, target: rec.name, reg, current, overlaps }), state });
        });
        return this.#note(`${rec.name} add-done-cb#${reg}`);
      }
      case 'createTask': {
        const id = this.tasks.length;
        const name = `task#${id}`;
        this.tasks.push({ name, settles: [], final: 'pending', doneCbs: [] });
        const task = new Task<number>(this.#taskBody(id, op.steps), { loop });
        this.#taskObjs.push(task);
        this.#taskIds.set(task, id);
        return this.#note(`${name} created`);
      }
      case 'cancelTask': {
        const n = this.#taskObjs.length;
        if (n === 0) return this.#note('cancel: no task');
        const i = op.ref % n;
        const r = this.#taskObjs[i]!.cancel(op.msg);
        return this.#note(`task#${i} cancel(${op.msg}) -> ${r}`);
      }
    }
  }

  #runCallback(rec: HandleRecord, body: readonly Op[]): void {
    const t = this.loop.time();
    const current = this.current();
    const overlaps = this.#active !== undefined;
    const ev = this.#emit({ kind: 'run', t, text: `cb#${rec.id}${this.#anomalies(current, 'none', overlaps)}`, cb: rec.id, current, overlaps });
    rec.runEvs.push(ev);
    rec.runTimes.push(t);
    this.exec(body);
  }

  // A segment of task `id`'s coroutine starts (its first step, or a resumption).
  #enter(id: number): void {
    const overlaps = this.#active !== undefined;
    this.#active = id;
    const current = this.current();
    const done = this.#taskObjs[id]!.done();
    const text = `task#${id} step${this.#anomalies(current, `task#${id}`, overlaps)}${done ? ' DONE' : ''}`;
    this.#emit({ kind: 'step', t: this.loop.time(), text, task: id, current, overlaps, done });
  }

  #leave(): void {
    this.#active = undefined;
  }

  *#taskBody(id: number, steps: readonly Step[]): Generator<unknown, number, unknown> {
    this.#enter(id);
    try {
      for (const st of steps) {
        switch (st.s) {
          case 'return':
            this.#note(`task#${id} return ${st.value}`);
            return st.value;
          case 'throw':
            this.#note(`task#${id} throw T${st.value}`);
            throw new Error(`T${st.value}`);
          case 'yield':
            this.#leave();
            try {
              yield;
            } catch (e) {
              this.#enter(id);
              this.#note(`task#${id} yield raised ${describeError(e)}`);
              if (!st.guarded) throw e;
              break;
            }
            this.#enter(id);
            break;
          case 'awaitFuture':
          case 'awaitTask': {
            let target: Future<number> | undefined;
            let name: string;
            if (st.s === 'awaitFuture') {
              const n = this.#futureObjs.length;
              target = n === 0 ? undefined : this.#futureObjs[st.ref % n];
              name = `fut#${n === 0 ? '?' : st.ref % n}`;
            } else {
              target = id === 0 ? undefined : this.#taskObjs[st.ref % id];
              name = `task#${id === 0 ? '?' : st.ref % id}`;
            }
            if (target === undefined) {
              this.#note(`task#${id} nothing to await`);
              break;
            }
            // A done future does not suspend the coroutine: no new step.
            const suspends = !target.done();
            this.#note(`task#${id} await ${name}`);
            if (suspends) this.#leave();
            try {
              const v = yield* target;
              if (suspends) this.#enter(id);
              this.#note(`task#${id} got ${v} from ${name}`);
            } catch (e) {
              if (suspends) this.#enter(id);
              this.#note(`task#${id} await ${name} raised ${describeError(e)}`);
              if (!st.guarded) throw e;
            }
            break;
          }
        }
      }
      return id;
    } finally {
      this.#leave();
      this.#emit({ kind: 'end', t: this.loop.time(), text: `task#${id} ends`, task: id });
    }
  }

  finish(): void {
    this.#finished = true;
    this.futures.forEach((rec, i) => { rec.final = describeState(this.#futureObjs[i]!); });
    this.tasks.forEach((rec, i) => { rec.final = describeState(this.#taskObjs[i]!); });
  }

  note(text: string): void {
    this.#note(text);
  }
}

/**
 * Run `program` on a fresh loop (`new EventLoop()` unless `makeLoop` says otherwise),
 * then close the loop, and return what happened.
 */
export function runProgram(program: Program, makeLoop: () => ProgramLoop = () => new EventLoop()): RunResult {
  const loop = makeLoop();
  const it = new Interpreter(loop);
  loop.setExceptionHandler((_l, context) => it.recordException(context));
  let currentAfterRun = 'none';
  const logs = captureAsyncioLogs(() => {
    let main: Future<number> | undefined;
    if (program.mode === 'complete') {
      const fut = new Future<number>({ loop });
      main = fut;
      loop.callLater(program.mainAt, () => {
        it.note('main completes');
        fut.setResult(0);
      });
    }
    it.exec(program.ops);
    try {
      if (main !== undefined) {
        loop.runUntilComplete(main);
        it.note('runUntilComplete returned');
      }
      loop.runUntilIdle();
    } catch (e) {
      if (!(e instanceof StalledError)) throw e;
      it.note('stalled');
    }
    currentAfterRun = it.current();
    it.finish();
    // close() is a collection point: its reports (never-retrieved exceptions, pending
    // tasks destroyed) are tested in test/loop/collection-points.test.ts, not here.
    loop.setExceptionHandler(() => {});
    loop.close();
  });
  const trace = it.events.map((e) => `t=${e.t} ${e.text}`);
  for (const rec of [...it.futures, ...it.tasks]) trace.push(`final ${rec.name} ${rec.final}`);
  trace.push(`final current=${currentAfterRun}`);
  for (const r of logs) trace.push(`log ${r.levelname} ${r.getMessage()}`);
  return { trace, events: it.events, handles: it.handles, futures: it.futures, tasks: it.tasks, currentAfterRun };
}
