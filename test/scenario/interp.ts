// The state of one scenario run on aiosim (its tasks, futures, handles, synchronisation
// objects, pools) and the functions that run its code: bodies as coroutines, callbacks,
// jobs on simulated threads. What each action, step and job step does is one small
// handler in actions.ts, steps.ts and jobs.ts; interpreter.py has the same shape.

import {
  Barrier, BoundedSemaphore, Condition, contextvars, currentTask, Event, GeneratorExit, LifoQueue, Lock, PriorityQueue, Queue, repr, Semaphore,
  threading, ThreadPoolExecutor, type ConcurrentFuture, type Coro, type EventLoop, type Future, type Task, type TaskGroup, type TimerHandle,
} from '../../src/index.js';
import { ACTIONS } from './actions.js';
import { partial, reprSymbol } from './internals.js';
import { JOB_STEPS } from './jobs.js';
import type { Action, JobStep, Scenario, Step, Value } from './language.js';
import type { Fact, Observer } from './observers.js';
import { STEPS } from './steps.js';

const BUDGET = 60;

/** Normalise sites, ids and Task-N numbers, as interpreter.py does. */
export function normalise(text: string): string {
  return text.replace(/ at [^\s>()]+:\d+(:\d+)?/g, ' at F:L').replace(/0x[0-9a-f]+/g, '0x?').replace(/Task-\d+/g, 'Task-?');
}

export type Awaitable = Future<unknown> | Coro<unknown>;

export type SyncObject = Lock | Semaphore | Condition | Event | Queue | Barrier;

/** What a `return` step returns from its body: `[value]`; undefined when the steps run to their end. */
export type Returned = [Value] | undefined;

/** Where code runs: who logs, its task groups (innermost last), the exception its handler caught. */
export interface Frame {
  readonly who: string;
  readonly tgStack: readonly TaskGroup[];
  readonly caught: unknown;
}

/** Split a reference 'k:key' (or 'k%n') into its kind and key ('self' has no key). */
export function splitRef(ref: string): [kind: string, key: string] {
  const at = ref.search(/[:%]/);
  return at < 0 ? [ref, ''] : [ref.slice(0, at), ref.slice(at + 1)];
}

const HOW: Record<string, 'soon' | 'later' | 'at'> = { callSoon: 'soon', callSoonThreadsafe: 'soon', callLater: 'later', callAt: 'at', callSoonIn: 'soon' };

const isIndex = (key: string): boolean => /^\d+$/.test(key);

export class Interp {
  sync: Record<string, SyncObject[]> = {};
  readonly tasks = new Map<string, Task<unknown>>();
  /** Every spawned task, in creation order (what 't%<n>' counts). */
  readonly spawned: Task<unknown>[] = [];
  futures: Future<unknown>[] = [];
  readonly handles: { cancel(): void }[] = [];
  loop!: EventLoop;
  budget: number;
  readonly executorFuts = new Map<string, Future<unknown>>();
  pools: ThreadPoolExecutor[] = [];

  constructor(readonly scn: Scenario, readonly observer: Observer) {
    this.budget = scn.budget ?? BUDGET;
  }

  [reprSymbol](): string {
    return '<interp>';
  }

  /** Report that `who` did `event` (`fact`: the same as data, for the records). */
  log(who: string, event: string, fact?: Fact): void {
    // After run() closed the loop, only a collection point runs code (closing suspended
    // coroutines, and the async generators they await): CPython's collector does that
    // after the trace is complete. As interp.py.
    if (this.scn.drive === undefined && this.loop?.isClosed()) return;
    this.observer.event(this, who, event, fact);
  }

  /** The label of a spawned task, or undefined. */
  labelOf(task: unknown): string | undefined {
    for (const [label, t] of this.tasks) if (t === task) return label;
    return undefined;
  }

  spend(who: string, what: string): boolean {
    if (this.budget <= 0) {
      this.log(who, `budget ${what}`);
      return false;
    }
    this.budget--;
    return true;
  }

  /** Return [found, object]; a 'c:' ref gives a fresh coroutine. */
  resolve(ref: string, who: string): [boolean, Awaitable | undefined] {
    if (ref === 'self') {
      const t = currentTask();
      return [t !== undefined, t];
    }
    const [kind, key] = splitRef(ref);
    if (ref.includes('%')) return this.#pick(kind === 't' ? this.#tasksBefore() : kind === 'f' ? this.futures : [], ref, key, who);
    if (kind === 't' && this.tasks.has(key)) return [true, this.tasks.get(key)];
    if (kind === 'f' && isIndex(key) && Number(key) < this.futures.length) return [true, this.futures[Number(key)]];
    if (kind === 'x' && this.executorFuts.has(key)) return [true, this.executorFuts.get(key)];
    if (kind === 'c' && isIndex(key) && Number(key) > 0 && Number(key) < this.scn.bodies.length) {
      if (this.spend(who, ref)) return [true, run_body(this, Number(key), who)];
      return [false, undefined];
    }
    this.log(who, `missing ${ref}`);
    return [false, undefined];
  }

  // TypeScript only: objs[key], or for a '%' reference the (key mod count)-th of them;
  // missing (logged) when there is none.
  #pick<T>(objs: readonly T[], ref: string, key: string, who: string): [boolean, T | undefined] {
    const i = !isIndex(key) || objs.length === 0 ? -1 : ref.includes('%') ? Number(key) % objs.length : Number(key);
    if (i >= 0 && i < objs.length) return [true, objs[i]];
    this.log(who, `missing ${ref}`);
    return [false, undefined];
  }

  // The tasks a 't%<n>' reference counts: inside a task, those spawned before it.
  #tasksBefore(): Task<unknown>[] {
    const current = this.spawned.indexOf(currentTask(this.loop) as Task<unknown>);
    return current < 0 ? this.spawned : this.spawned.slice(0, current);
  }

  /** A future's or task's name in the records: 'f:<i>' or 't:<label>' (or '?'). */
  nameOf(obj: unknown): string {
    const i = this.futures.indexOf(obj as Future<unknown>);
    if (i >= 0) return `f:${i}`;
    const label = this.labelOf(obj);
    return label === undefined ? '?' : `t:${label}`;
  }

  /** Resolve a reference to an existing task or future (TypeScript only: or handle) of one of `kinds`. */
  resolveExisting(ref: string, who: string, kinds: string[]): [boolean, unknown] {
    const [kind, key] = splitRef(ref);
    if (!this.present(kinds.includes(kind), who, ref)) return [false, undefined];
    if (kind === 'h') return this.#pick(this.handles, ref, key, who);
    return this.resolve(ref, who);
  }

  /** Resolve every reference; return the [ref, object] pairs found. */
  resolveAll(refs: string[], who: string): [string, Awaitable][] {
    const pairs: [string, Awaitable][] = [];
    for (const ref of refs) {
      const [found, target] = this.resolve(ref, who);
      if (found) pairs.push([ref, target!]);
    }
    return pairs;
  }

  makeSync(): void {
    const spec = this.scn.sync ?? {};
    const times = <T>(n: number | undefined, make: () => T): T[] => Array.from({ length: n ?? 0 }, make);
    const queueKinds = { fifo: Queue, priority: PriorityQueue, lifo: LifoQueue };
    this.sync = {
      L: times(spec.locks, () => new Lock()),
      S: (spec.semaphores ?? []).map((s) => (s.bounded ? new BoundedSemaphore(s.value) : new Semaphore(s.value))),
      E: times(spec.events, () => new Event()),
      C: times(spec.conditions, () => new Condition()),
      Q: (spec.queues ?? []).map((q) => new queueKinds[q.kind](q.maxsize)),
      B: (spec.barriers ?? []).map((n) => new Barrier(n)),
    };
    this.pools = (this.scn.pools ?? []).map((n, i) => new ThreadPoolExecutor({ maxWorkers: n, threadNamePrefix: `P${i}` }));
  }

  /** Return ok; when it is false, log `missing <what>`. */
  present(ok: boolean, who: string, what: string): boolean {
    if (!ok) this.log(who, `missing ${what}`);
    return ok;
  }

  jobOk(j: number, who: string): boolean {
    return this.present(j >= 0 && j < (this.scn.jobs ?? []).length, who, `j${j}`);
  }

  /** Whether body b can be started (body 0 is main's). */
  bodyOk(b: number, who: string): boolean {
    return this.present(b > 0 && b < this.scn.bodies.length, who, `b${b}`);
  }

  /** Pool i, or undefined (the default executor) for null. */
  pool(i: number | null, who: string): [boolean, ThreadPoolExecutor | undefined] {
    if (i === null) return [true, undefined];
    if (this.present(i >= 0 && i < this.pools.length, who, `P${i}`)) return [true, this.pools[i]];
    return [false, undefined];
  }

  scheduleCallback(name: string, cb: number, who: string, schedule: (fn: () => void) => { cancel(): void }): void {
    if (this.present(cb >= 0 && cb < this.scn.callbacks.length, who, `cb${cb}`) && this.spend(who, 'callback')) {
      const n = this.handles.length;
      const handle = schedule(partial(run_callback, this, cb, n));
      this.handles.push(handle);
      const when = 'when' in handle ? (handle as TimerHandle).when() : undefined;
      this.log(who, `${name} cb${cb} -> h${n}`, { kind: 'schedule', handle: n, how: HOW[name]!, when });
    }
  }

  /** The synchronisation object `ref` ('L:0', ...) of one of `kinds`, or undefined (logged missing). */
  syncObj<T extends SyncObject>(ref: string, who: string, kinds = 'LSCEQB'): T | undefined {
    const [kind, key] = splitRef(ref);
    const objs = kinds.includes(kind) ? (this.sync[kind] ?? []) : [];
    if (this.present(isIndex(key) && Number(key) < objs.length, who, ref)) return objs[Number(key)] as T;
    return undefined;
  }

  /** Start body b as task `label` with owner.createTask (the loop's or a task group's), in `context` if given. */
  spawn(name: string, b: number, label: string, who: string, owner: EventLoop | TaskGroup, context?: contextvars.Context): void {
    if (this.bodyOk(b, who) && this.spend(who, 'spawn')) {
      const coro = run_body(this, b, label);
      const task = owner.createTask(this.observer.watch?.(this, label, coro) ?? coro, { name: label, context });
      this.tasks.set(label, task);
      this.spawned.push(task);
      this.log(who, `${name} ${label}`);
    }
  }

  /** Run one action (no await) in `frame`. */
  action(op: Action, frame: Frame): void {
    const handler = ACTIONS[op[0]] as ((interp: Interp, frame: Frame, op: Action) => void) | undefined;
    if (handler === undefined) throw new Error(`unknown action ${JSON.stringify(op)}`);
    handler(this, frame, op);
  }
}

export function run_callback(interp: Interp, cb: number, n: number): void {
  const who = `cb${cb}`;
  interp.log(who, `run h${n}`, { kind: 'run', handle: n });
  for (const op of interp.scn.callbacks[cb]!) interp.action(op, { who, tgStack: [], caught: undefined });
}

export function* run_body(interp: Interp, b: number, who: string): Coro<Value> {
  interp.log(who, `start b${b}`);
  let returned: Returned;
  try {
    returned = yield* run_steps(interp, interp.scn.bodies[b]!, { who, tgStack: [], caught: undefined });
  } catch (e) {
    // As interpreter.py: a GeneratorExit leaving a body is not logged (CPython's collector
    // closing a coroutine raises it at a moment that is not part of the language).
    if (!(e instanceof GeneratorExit)) interp.log(who, `raise ${repr(e)}`);
    throw e;
  }
  const value = returned === undefined ? null : returned[0];
  interp.log(who, `return ${repr(value)}`);
  return value;
}

/** Run steps in `frame`; return [value] after a `return` step, else undefined. */
export function* run_steps(interp: Interp, steps: readonly Step[], frame: Frame): Coro<Returned> {
  for (const op of steps) {
    const handler = STEPS[op[0] as keyof typeof STEPS] as ((interp: Interp, frame: Frame, op: Step) => Coro<Returned>) | undefined;
    if (handler === undefined) {
      interp.action(op as Action, frame);
      continue;
    }
    const returned = yield* handler(interp, frame, op);
    if (returned !== undefined) return returned;
  }
  return undefined;
}

// A job on a simulated thread: its steps, logged under the thread's name.
export function* run_job(interp: Interp, j: number): Generator<unknown, Value, unknown> {
  const who = threading.currentThread().name;
  interp.log(who, `job j${j}`);
  for (const op of interp.scn.jobs![j]! as JobStep[]) {
    const handler = JOB_STEPS[op[0]] as (interp: Interp, who: string, op: JobStep) => Generator<unknown, Returned, unknown>;
    const returned = yield* handler(interp, who, op);
    if (returned !== undefined) return returned[0];
  }
  interp.log(who, 'job end');
  return null;
}

export function cf_done(interp: Interp, label: string, cf: ConcurrentFuture<unknown>): void {
  const who = threading.currentThread().name;
  if (cf.cancelled()) interp.log(who, `cf ${label} cancelled`);
  else if (cf.exception() !== undefined && cf.exception() !== null) interp.log(who, `cf ${label} raised ${repr(cf.exception())}`);
  else interp.log(who, `cf ${label} -> ${repr(cf.result())}`);
}
