// The scenario interpreter for aiosim: the twin of interpreter.py, line for line, so that
// both print the same trace when aiosim behaves as CPython does.

import {
  ALL_COMPLETED, asCompleted, asyncWith, Barrier, blockingSleep, warnings, BoundedSemaphore, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue, Semaphore, CancelledError, currentTask, EventLoop, FIRST_COMPLETED, FIRST_EXCEPTION, Future, gather,
  getRunningLoop, InvalidStateError, isException, KeyboardInterrupt, logging, repr, run, RuntimeError, shield, sleep,
  StalledError, SystemExit, Task, TaskGroup, timeout, TimeoutError, ValueError, wait, waitFor, type Coro, type ReturnWhen,
  blockingSleep as tsleep, runCoroutineThreadsafe, threading, ThreadPoolExecutor, toThread, world, type ConcurrentFuture,
} from '../../src/index.js';
import { partial } from '../../src/format/format-callback.js';
import { boundMethod } from '../../src/format/named.js';
import { pyFloat, reprSymbol } from '../../src/format/py-repr.js';
import type { Action, CatchKind, ExcName, JobStep, Scenario, Step, Value } from './scenario.js';
import { captureStderr } from '../_support/stderr.js';

/** Python's KeyError, as scenarios raise it. */
export class KeyError extends Error {
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    super(args.length === 0 ? '' : String(args[0]));
    this.args = args;
  }
}

const EXC: Record<ExcName, new (msg: string) => Error> = {
  ValueError, KeyError, RuntimeError, KeyboardInterrupt, SystemExit,
};

const CATCH: Record<CatchKind, (e: unknown) => boolean> = {
  CancelledError: (e) => e instanceof CancelledError,
  Exception: (e) => isException(e),
  BaseException: () => true,
  TimeoutError: (e) => e instanceof TimeoutError,
  ValueError: (e) => e instanceof ValueError,
};

const RETURN_WHEN: Record<string, ReturnWhen> = { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED };

// Messages CPython logs when it collects an object (see interpreter.py).
const GC_WARNING = /^(coroutine .* was never awaited|unclosed event loop)/;
const GC_MESSAGE = /^(\w+ exception was never retrieved|Task was destroyed but it is pending!)/;
const BUDGET = 60;

/** Normalise sites, ids and Task-N numbers, as interpreter.py does. */
export function normalise(text: string): string {
  return text.replace(/ at [^\s>()]+:\d+(:\d+)?/g, ' at F:L').replace(/0x[0-9a-f]+/g, '0x?').replace(/Task-\d+/g, 'Task-?');
}

type Awaitable = Future<unknown> | Coro<unknown>;

type SyncObject = Lock | Semaphore | Condition | Event | Queue | Barrier;

// What a logged operation shows of its result: ` -> repr`, or nothing.
const arrow = (r: unknown): string => ` -> ${repr(r)}`;
const nothing = (_r: unknown): string => '';

class Interp {
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

  resolve(ref: string, who: string): [boolean, Awaitable | undefined] {
    if (ref === 'self') {
      const t = currentTask();
      return [t !== undefined, t];
    }
    const colon = ref.indexOf(':');
    const kind = colon < 0 ? ref : ref.slice(0, colon);
    const key = colon < 0 ? '' : ref.slice(colon + 1);
    const digits = /^\d+$/.test(key);
    if (kind === 't' && this.tasks.has(key)) return [true, this.tasks.get(key)];
    if (kind === 'f' && digits && Number(key) < this.futures.length) return [true, this.futures[Number(key)]];
    if (kind === 'x' && this.executorFuts.has(key)) return [true, this.executorFuts.get(key)];
    if (kind === 'c' && digits && Number(key) > 0 && Number(key) < this.scn.bodies.length) {
      if (this.spend(who, ref)) return [true, run_body(this, Number(key), who)];
      return [false, undefined];
    }
    this.log(who, `missing ${ref}`);
    return [false, undefined];
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

  syncObj<T extends SyncObject>(ref: string, who: string, kinds = 'LSCEQB'): T | undefined {
    const colon = ref.indexOf(':');
    const kind = colon < 0 ? ref : ref.slice(0, colon);
    const key = colon < 0 ? '' : ref.slice(colon + 1);
    const objs = kinds.includes(kind) ? (this.sync[kind] ?? []) : [];
    if (this.present(/^\d+$/.test(key) && Number(key) < objs.length, who, ref)) return objs[Number(key)] as T;
    return undefined;
  }

  /** Call call(obj) on the synchronisation object `ref`, then log `name ref` and what shown makes of the result (or log it missing). */
  syncCall<T extends SyncObject>(name: string, ref: string, who: string, call: (obj: T) => unknown, shown = nothing, kinds = 'LSCEQB'): void {
    const obj = this.syncObj<T>(ref, who, kinds);
    if (obj !== undefined) this.log(who, `${name} ${ref}${shown(call(obj))}`);
  }

  resolveExisting(ref: string, who: string, kinds: string[]): [boolean, Awaitable | undefined] {
    const colon = ref.indexOf(':');
    if (!this.present(kinds.includes(colon < 0 ? ref : ref.slice(0, colon)), who, ref)) return [false, undefined];
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

  /** Start body b as task `label` with owner.createTask (the loop's or a task group's). */
  spawn(name: string, b: number, label: string, who: string, owner: EventLoop | TaskGroup): void {
    if (this.bodyOk(b, who) && this.spend(who, 'spawn')) {
      this.tasks.set(label, owner.createTask(run_body(this, b, label), { name: label }));
      this.log(who, `${name} ${label}`);
    }
  }

  action(op: Action | Step, who: string, tgStack: TaskGroup[]): void {
    switch (op[0]) {
      case 'log':
        this.log(who, `log ${op[1]}`);
        return;
      case 'spawn':
        this.spawn(op[0], op[1], op[2], who, this.loop);
        return;
      case 'cancel': {
        const [found, target] = this.resolveExisting(op[1], who, ['self', 't', 'f', 'x']);
        if (found) {
          const fut = target as Future<unknown>;
          const r = op[2] === null ? fut.cancel() : fut.cancel(op[2]);
          this.log(who, `cancel ${op[1]} -> ${repr(r)}`);
        }
        return;
      }
      case 'uncancel': {
        const [found, target] = this.resolveExisting(op[1], who, ['self', 't']);
        if (found) this.log(who, `uncancel ${op[1]} -> ${repr((target as Task<unknown>).uncancel())}`);
        return;
      }
      case 'setResult':
      case 'setException': {
        const i = op[1];
        if (!this.present(i < this.futures.length, who, `f:${i}`)) return;
        try {
          if (op[0] === 'setResult') this.futures[i]!.setResult(op[2]);
          else this.futures[i]!.setException(new EXC[op[2]](op[3]));
          this.log(who, `${op[0]} f:${i}`);
        } catch (e) {
          if (!(e instanceof InvalidStateError)) throw e;
          this.log(who, `${op[0]} f:${i} -> ${repr(e)}`);
        }
        return;
      }
      case 'callSoon':
      case 'callLater':
      case 'callAt': {
        const schedule = op[0] === 'callSoon'
          ? (fn: () => void) => this.loop.callSoon(fn)
          : op[0] === 'callLater' ? (fn: () => void) => this.loop.callLater(op[1], fn) : (fn: () => void) => this.loop.callAt(op[1], fn);
        this.scheduleCallback(op[0], op[op.length - 1] as number, who, schedule);
        return;
      }
      case 'cancelHandle':
        if (this.present(op[1] < this.handles.length, who, `h${op[1]}`)) {
          this.handles[op[1]]!.cancel();
          this.log(who, `cancelHandle h${op[1]}`);
        }
        return;
      case 'cancelHandles': {
        const [, start, end] = op;
        for (let i = start; i < Math.min(end, this.handles.length); i++) this.handles[i]!.cancel();
        this.log(who, `cancelHandles h${start}..h${Math.min(end, this.handles.length)}`);
        return;
      }
      case 'repeat':
        for (let i = 0; i < op[1]; i++) for (const sub of op[2]) this.action(sub, who, tgStack);
        return;
      case 'blockingSleep':
        blockingSleep(op[1]);
        this.log(who, `blockingSleep ${repr(op[1])}`);
        return;
      case 'stop':
        this.loop.stop();
        this.log(who, 'stop');
        return;
      case 'raise':
        throw new EXC[op[1]](op[2]);
      case 'release':
        this.syncCall<Lock | Semaphore | Condition>(op[0], op[1], who, (o) => o.release(), nothing, 'LSC');
        return;
      case 'eventSet':
      case 'eventClear': {
        const name = op[0];
        this.syncCall<Event>(name, `E:${op[1]}`, who, (ev) => (name === 'eventSet' ? ev.set() : ev.clear()));
        return;
      }
      case 'notify':
      case 'notifyAll': {
        const [name, c, n] = op;
        this.syncCall<Condition>(name, `C:${c}`, who, (cond) => (name === 'notify' ? cond.notify(n) : cond.notifyAll()));
        return;
      }
      case 'putNowait': {
        const [name, q, item] = op;
        this.syncCall<Queue>(name, `Q:${q}`, who, (queue) => queue.putNowait(item), () => ` ${repr(item)}`);
        return;
      }
      case 'getNowait':
        this.syncCall<Queue>(op[0], `Q:${op[1]}`, who, (q) => q.getNowait(), arrow);
        return;
      case 'taskDone':
        this.syncCall<Queue>(op[0], `Q:${op[1]}`, who, (q) => q.taskDone());
        return;
      case 'shutdown': {
        const immediate = op[2];
        this.syncCall<Queue>(op[0], `Q:${op[1]}`, who, (q) => q.shutdown(immediate));
        return;
      }
      case 'show': {
        const obj = this.syncObj(op[1], who);
        if (obj !== undefined) this.log(who, `show ${repr(obj)}`);
        return;
      }
      case 'startThread':
        if (this.jobOk(op[1], who)) {
          new threading.Thread({ target: run_job, args: [this, op[1]], name: op[2] }).start();
          this.log(who, `startThread ${op[2]}`);
        }
        return;
      case 'poolShutdown': {
        const [found, pool] = this.pool(op[1], who);
        if (found && pool !== undefined) {
          pool.shutdown({ wait: op[2], cancelFutures: op[3] });
          this.log(who, `poolShutdown P${op[1]}`);
        }
        return;
      }
      case 'tgSpawn':
        if (this.present(tgStack.length > 0, who, 'taskGroup')) this.spawn(op[0], op[1], op[2], who, tgStack[tgStack.length - 1]!);
        return;
      default:
        throw new Error(`unknown action ${JSON.stringify(op)}`);
    }
  }
}

function run_callback(interp: Interp, cb: number, n: number): void {
  const who = `cb${cb}`;
  interp.log(who, `run h${n}`);
  for (const op of interp.scn.callbacks[cb]!) interp.action(op, who, []);
}

// A job on a simulated thread: its steps, logged under the thread's name.
function* run_job(interp: Interp, j: number): Generator<unknown, Value, unknown> {
  const who = threading.currentThread().name;
  interp.log(who, `job j${j}`);
  const loop = interp.loop;
  for (const op of interp.scn.jobs![j]! as JobStep[]) {
    switch (op[0]) {
      case 'log':
        interp.log(who, `log ${op[1]}`);
        break;
      case 'tsleep':
        yield* tsleep(op[1]);
        interp.log(who, `tslept ${repr(op[1])}`);
        break;
      case 'callSoonThreadsafe':
      case 'callSoon': {
        const schedule = op[0] === 'callSoonThreadsafe' ? (fn: () => void) => loop.callSoonThreadsafe(fn) : (fn: () => void) => loop.callSoon(fn);
        interp.scheduleCallback(op[0], op[1], who, schedule);
        break;
      }
      case 'cancelThreadsafe': {
        const [found, target] = interp.resolveExisting(op[1], who, ['t', 'f', 'x']);
        if (found) {
          const fut = target as Future<unknown>;
          // CPython's callback is the bound builtin method: `Task.cancel()` in reprs.
          loop.callSoonThreadsafe(boundMethod(fut instanceof Task ? 'Task.cancel' : 'Future.cancel', () => fut.cancel()));
          interp.log(who, `cancelThreadsafe ${op[1]}`);
        }
        break;
      }
      case 'setResultThreadsafe':
        if (interp.present(op[1] < interp.futures.length, who, `f:${op[1]}`)) {
          const fut = interp.futures[op[1]]!;
          loop.callSoonThreadsafe(boundMethod('Future.set_result', (v: Value) => fut.setResult(v)), op[2]);
          interp.log(who, `setResultThreadsafe f:${op[1]}`);
        }
        break;
      case 'runCoroutineThreadsafe': {
        const [, b, label] = op;
        if (interp.bodyOk(b, who) && interp.spend(who, 'spawn')) {
          const cf = runCoroutineThreadsafe(run_body(interp, b, label), loop);
          cf.addDoneCallback(partial(cf_done, interp, label));
          interp.log(who, `runCoroutineThreadsafe ${label}`);
        }
        break;
      }
      case 'return':
        interp.log(who, `job return ${repr(op[1])}`);
        return op[1];
      case 'raise':
        interp.log(who, `job raise ${op[1]}`);
        throw new EXC[op[1]](op[2]);
    }
  }
  interp.log(who, 'job end');
  return null;
}

function cf_done(interp: Interp, label: string, cf: ConcurrentFuture<unknown>): void {
  const who = threading.currentThread().name;
  if (cf.cancelled()) interp.log(who, `cf ${label} cancelled`);
  else if (cf.exception() !== undefined && cf.exception() !== null) interp.log(who, `cf ${label} raised ${repr(cf.exception())}`);
  else interp.log(who, `cf ${label} -> ${repr(cf.result())}`);
}

function* run_body(interp: Interp, b: number, who: string): Coro<Value> {
  interp.log(who, `start b${b}`);
  let value: Value;
  try {
    [, value] = yield* run_steps(interp, interp.scn.bodies[b]!, who, [], undefined);
  } catch (e) {
    interp.log(who, `raise ${repr(e)}`);
    throw e;
  }
  interp.log(who, `return ${repr(value)}`);
  return value;
}

/** Resolve `ref`, await wrap(object) and log `name ref -> result` (or log it missing). */
function* awaitRef(interp: Interp, name: string, ref: string, who: string, wrap: (target: Awaitable) => Awaitable): Coro<void> {
  const [found, target] = interp.resolve(ref, who);
  if (found) interp.log(who, `${name} ${ref}${arrow(yield* wrap(target!))}`);
}

/** Await call(obj) on the synchronisation object `ref`, then log `name ref` and what shown makes of the result (or log it missing). */
function* syncAwait<T extends SyncObject>(interp: Interp, name: string, ref: string, who: string, call: (obj: T) => Coro<unknown>, shown = arrow, kinds = 'LSCEQB'): Coro<void> {
  const obj = interp.syncObj<T>(ref, who, kinds);
  if (obj !== undefined) interp.log(who, `${name} ${ref}${shown(yield* call(obj))}`);
}

function label(obj: unknown, refs: [string, Awaitable][]): string {
  return refs.find(([, o]) => o === obj)?.[0] ?? '?';
}

// Python sorts labels as strings (by code point); these are ASCII.
const sortLabels = (xs: string[]): string => repr(xs.sort());

function* run_steps(interp: Interp, steps: Step[], who: string, tgStack: TaskGroup[], caught: unknown): Coro<[boolean, Value]> {
  for (const op of steps) {
    switch (op[0]) {
      case 'sleep':
        yield* sleep(op[1]);
        interp.log(who, `slept ${repr(op[1])}`);
        break;
      case 'yield':
        yield* sleep(0);
        interp.log(who, 'yielded');
        break;
      case 'await':
        yield* awaitRef(interp, op[0], op[1], who, (t) => t);
        break;
      case 'return':
        return [true, op[1]];
      case 'try': {
        let outcome: [boolean, Value];
        try {
          outcome = yield* run_steps(interp, op[1], who, tgStack, caught);
        } catch (e) {
          if (!CATCH[op[2]](e)) throw e;
          interp.log(who, `caught ${repr(e)}`);
          outcome = yield* run_steps(interp, op[3], who, tgStack, e);
        }
        if (outcome[0]) return outcome;
        break;
      }
      case 'reraise':
        if (interp.present(caught !== undefined, who, 'reraise')) throw caught;
        break;
      case 'gather':
      case 'wait': {
        const refs = interp.resolveAll(op[1], who);
        if (op[0] === 'gather') {
          const r = yield* gather(...refs.map(([, t]) => t), { returnExceptions: op[2] });
          interp.log(who, `gather -> ${repr(r)}`);
        } else {
          const [done, pending] = yield* wait(refs.map(([, t]) => t as Future<unknown>), {
            returnWhen: RETURN_WHEN[op[2]]!,
            timeout: op[3] ?? undefined,
          });
          const d = [...done].map((f) => label(f, refs));
          const p = [...pending].map((f) => label(f, refs));
          interp.log(who, `wait -> done=${sortLabels(d)} pending=${sortLabels(p)}`);
        }
        break;
      }
      case 'asCompleted': {
        const targets = interp.resolveAll(op[1], who).map(([, t]) => t);
        for (const c of asCompleted(targets, { timeout: op[2] ?? undefined })) interp.log(who, `asCompleted -> ${repr(yield* c)}`);
        break;
      }
      case 'shield':
        yield* awaitRef(interp, op[0], op[1], who, shield);
        break;
      case 'waitFor': {
        const t = op[2] ?? undefined;
        yield* awaitRef(interp, op[0], op[1], who, (target) => waitFor(target, t));
        break;
      }
      case 'timeout': {
        const outcome = (yield* asyncWith(timeout(op[1] ?? undefined), function* () {
          return yield* run_steps(interp, op[2], who, tgStack, caught);
        }))!;
        if (outcome[0]) return outcome;
        interp.log(who, 'timeout exit');
        break;
      }
      case 'repeatSteps':
        for (let i = 0; i < op[1]; i++) {
          const outcome = yield* run_steps(interp, op[2], who, tgStack, caught);
          if (outcome[0]) return outcome;
        }
        break;
      case 'with': {
        const obj = interp.syncObj<Lock | Semaphore | Condition | Barrier>(op[1], who, 'LSCB');
        if (obj !== undefined) {
          const outcome = (yield* asyncWith(obj, function* (v: unknown) {
            interp.log(who, `with ${op[1]} enter ${repr(v)}`);
            return yield* run_steps(interp, op[2], who, tgStack, caught);
          }))!;
          if (outcome[0]) return outcome;
          interp.log(who, `with ${op[1]} exit`);
        }
        break;
      }
      case 'acquire':
        yield* syncAwait<Lock | Semaphore | Condition>(interp, op[0], op[1], who, (o) => o.acquire(), arrow, 'LSC');
        break;
      case 'eventWait':
      case 'condWait': {
        const obj = interp.syncObj<Event | Condition>(`${op[0] === 'eventWait' ? 'E' : 'C'}:${op[1]}`, who);
        if (obj !== undefined) interp.log(who, `${op[0]} ${op[1]} -> ${repr(yield* obj.wait())}`);
        break;
      }
      case 'put': {
        const [name, q, item] = op;
        yield* syncAwait<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.put(item), () => ` ${repr(item)}`);
        break;
      }
      case 'get':
        yield* syncAwait<Queue>(interp, op[0], `Q:${op[1]}`, who, (q) => q.get());
        break;
      case 'join':
        yield* syncAwait<Queue>(interp, op[0], `Q:${op[1]}`, who, (q) => q.join(), nothing);
        break;
      case 'barrierWait':
      case 'barrierReset':
      case 'barrierAbort': {
        const name = op[0];
        yield* syncAwait<Barrier>(interp, name, `B:${op[1]}`, who, (b) => (name === 'barrierWait' ? b.wait() : name === 'barrierReset' ? b.reset() : b.abort()));
        break;
      }
      case 'runInExecutor': {
        const [found, pool] = interp.pool(op[1], who);
        if (found && interp.jobOk(op[2], who) && interp.spend(who, 'job')) {
          interp.executorFuts.set(op[3], interp.loop.runInExecutor(pool, run_job, interp, op[2]));
          interp.log(who, `runInExecutor x:${op[3]}`);
        }
        break;
      }
      case 'toThread':
        if (interp.jobOk(op[1], who) && interp.spend(who, 'job')) {
          const r = yield* toThread(run_job, interp, op[1]);
          interp.log(who, `toThread j${op[1]} -> ${repr(r)}`);
        }
        break;
      case 'shutdownDefaultExecutor':
        yield* interp.loop.shutdownDefaultExecutor();
        interp.log(who, 'shutdownDefaultExecutor');
        break;
      case 'taskGroup': {
        const outcome = (yield* asyncWith(new TaskGroup(), function* (tg) {
          return yield* run_steps(interp, op[1], who, [...tgStack, tg], caught);
        }))!;
        if (outcome[0]) return outcome;
        interp.log(who, 'taskGroup exit');
        break;
      }
      default:
        interp.action(op, who, tgStack);
    }
  }
  return [false, null];
}

function* scenario_main(interp: Interp): Coro<Value> {
  interp.loop = getRunningLoop() as EventLoop;
  interp.futures = Array.from({ length: interp.scn.futures }, () => interp.loop.createFuture());
  interp.makeSync();
  return yield* run_body(interp, 0, 'main');
}

/** Run one scenario with run() on a fresh loop; return its trace. */
export function runScenario(scenario: Scenario): string[] {
  const interp = new Interp(scenario);
  const handler: logging.Handler = {
    handle(record) {
      const first = record.getMessage().split('\n')[0]!;
      if (!GC_MESSAGE.test(first)) interp.trace.push(`log ${record.levelname} ${normalise(first)}`);
    },
  };
  const logger = logging.getLogger('asyncio');
  logger.addHandler(handler);
  warnings.catchWarnings({ record: true }, (shown) => {
    warnings.simplefilter('always');
    try {
      // What threads print to stderr ("Exception in thread …") is not traced on either side.
      let result: Value;
      captureStderr(() => {
        result = run(scenario_main(interp), { debug: scenario.debug === true });
      });
      interp.trace.push(`end result ${repr(result!)}`);
    } catch (e) {
      interp.trace.push(e instanceof StalledError ? 'end stalled' : `end raised ${normalise(repr(e))}`);
    } finally {
      logger.removeHandler(handler);
      // Threads still waiting belong to this scenario only (virtual_threads.py unwinds them).
      if (scenario.threads === true) world._reset();
    }
    for (const w of shown) {
      const text = String(w.message);
      if (!GC_WARNING.test(text)) interp.trace.push(`warn ${w.category.name}: ${normalise(text)}`);
    }
  });
  return interp.trace;
}
