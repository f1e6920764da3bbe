// The state of one scenario run on aiosim (its tasks, futures, handles, synchronisation
// objects, pools) and the functions that run its code: bodies as coroutines, callbacks,
// jobs on simulated threads. What each action, step and job step does is one small
// handler in actions.ts, steps.ts and jobs.ts; interpreter.py has the same shape.

import {
  Barrier, BoundedSemaphore, Condition, currentTask, Event, LifoQueue, Lock, PriorityQueue, Queue, repr, Semaphore,
  threading, ThreadPoolExecutor, type ConcurrentFuture, type Coro, type EventLoop, type Future, type Task, type TaskGroup,
} from '../../src/index.js';
import { ACTIONS } from './actions.js';
import { partial, pyFloat, reprSymbol } from './internals.js';
import { JOB_STEPS } from './jobs.js';
import type { Action, JobStep, Scenario, Step, Value } from './language.js';
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

/** Split a reference 'k:key' into its kind and key ('self' has no key). */
export function splitRef(ref: string): [kind: string, key: string] {
  const colon = ref.indexOf(':');
  return colon < 0 ? [ref, ''] : [ref.slice(0, colon), ref.slice(colon + 1)];
}

const isIndex = (key: string): boolean => /^\d+$/.test(key);

export class Interp {
  readonly trace: string[] = [];
  sync: Record<string, SyncObject[]> = {};
  readonly tasks = new Map<string, Task<unknown>>();
  futures: Future<unknown>[] = [];
  readonly handles: { cancel(): void }[] = [];
  loop!: EventLoop;
  budget: number;
  readonly executorFuts = new Map<string, Future<unknown>>();
  pools: ThreadPoolExecutor[] = [];

  constructor(readonly scn: Scenario) {
    this.budget = scn.budget ?? BUDGET;
  }

  [reprSymbol](): string {
    return '<interp>';
  }

  log(who: string, event: string): void {
    this.trace.push(`${pyFloat(this.loop.time())} ${who}: ${normalise(event)}`);
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

  /** Resolve a reference to an existing task or future of one of `kinds`. */
  resolveExisting(ref: string, who: string, kinds: string[]): [boolean, Awaitable | undefined] {
    if (!this.present(kinds.includes(splitRef(ref)[0]), who, ref)) return [false, undefined];
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
      this.handles.push(schedule(partial(run_callback, this, cb, n)));
      this.log(who, `${name} cb${cb} -> h${n}`);
    }
  }

  /** The synchronisation object `ref` ('L:0', ...) of one of `kinds`, or undefined (logged missing). */
  syncObj<T extends SyncObject>(ref: string, who: string, kinds = 'LSCEQB'): T | undefined {
    const [kind, key] = splitRef(ref);
    const objs = kinds.includes(kind) ? (this.sync[kind] ?? []) : [];
    if (this.present(isIndex(key) && Number(key) < objs.length, who, ref)) return objs[Number(key)] as T;
    return undefined;
  }

  /** Start body b as task `label` with owner.createTask (the loop's or a task group's). */
  spawn(name: string, b: number, label: string, who: string, owner: EventLoop | TaskGroup): void {
    if (this.bodyOk(b, who) && this.spend(who, 'spawn')) {
      this.tasks.set(label, owner.createTask(run_body(this, b, label), { name: label }));
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
  interp.log(who, `run h${n}`);
  for (const op of interp.scn.callbacks[cb]!) interp.action(op, { who, tgStack: [], caught: undefined });
}

export function* run_body(interp: Interp, b: number, who: string): Coro<Value> {
  interp.log(who, `start b${b}`);
  let returned: Returned;
  try {
    returned = yield* run_steps(interp, interp.scn.bodies[b]!, { who, tgStack: [], caught: undefined });
  } catch (e) {
    interp.log(who, `raise ${repr(e)}`);
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
