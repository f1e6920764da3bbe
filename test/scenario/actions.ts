// The actions (operations without await, in bodies and callbacks): one handler each, in
// the order of language.ts. interpreter.py's ACTIONS table is the twin, key for key.

import {
  blockingSleep, InvalidStateError, KeyboardInterrupt, repr, RuntimeError, SystemExit, Task, threading, ValueError,
  type Barrier, type Condition, type Event, type Future, type Lock, type Queue, type Semaphore,
} from '../../src/index.js';
import { CONTEXT_ACTIONS } from './context-actions.js';
import { NET_ACTIONS } from './net.js';
import { run_job, type Frame, type Interp, type SyncObject } from './interp.js';
import type { Action, ExcName, Ref } from './language.js';
import { describeState, type Fact } from './observers.js';

/** Python's KeyError, as scenarios raise it. */
export class KeyError extends Error {
  readonly args: unknown[];
  constructor(...args: unknown[]) {
    super(args.length === 0 ? '' : String(args[0]));
    this.args = args;
  }
}

export const EXC: Record<ExcName, new (msg: string) => Error> = {
  ValueError, KeyError, RuntimeError, KeyboardInterrupt, SystemExit,
};

// What a logged operation shows of its result: ` -> repr`, or nothing.
export const arrow = (r: unknown): string => ` -> ${repr(r)}`;
export const nothing = (_r: unknown): string => '';

/** What the records learn from an operation on a synchronisation object: its result as data. */
export type SyncFact<T> = (obj: T, result: unknown) => Fact;

/** The records' fact for a queue operation: the item put or got, and the size after it. */
export const queueFact = (op: string, queue: string, item?: unknown): SyncFact<Queue> =>
  (q, result) => ({ kind: 'queue', op, queue, item: item ?? result, qsize: q.qsize() });

/** Call call(obj) on the synchronisation object `ref`, then log `name ref` and what shown makes of the result (or log it missing). */
function syncCall<T extends SyncObject>(interp: Interp, name: string, ref: string, who: string, call: (obj: T) => unknown, shown = nothing, kinds = 'LSCEQB', fact?: SyncFact<T>): void {
  const obj = interp.syncObj<T>(ref, who, kinds);
  if (obj === undefined) return;
  const result = call(obj);
  interp.log(who, `${name} ${ref}${shown(result)}`, fact?.(obj, result));
}

// Future i, or (TypeScript only) the future a reference names; undefined when missing (logged).
function futureIndex(interp: Interp, future: number | Ref, who: string): number | undefined {
  if (typeof future === 'number') return interp.present(future < interp.futures.length, who, `f:${future}`) ? future : undefined;
  const [found, target] = interp.resolveExisting(future, who, ['f']);
  return found ? interp.futures.indexOf(target as Future<unknown>) : undefined;
}

/** Set a future's result or exception with `apply`, logging `name f:i` (or the InvalidStateError). */
function settle(interp: Interp, [name, future]: Action, who: string, apply: (fut: Future<unknown>) => void): void {
  const i = futureIndex(interp, future as number | Ref, who);
  if (i === undefined) return;
  const how = name === 'setResult' ? 'result' : 'exception';
  try {
    apply(interp.futures[i]!);
    interp.log(who, `${name} f:${i}`, { kind: 'settle', future: i, how, ok: true });
  } catch (e) {
    if (!(e instanceof InvalidStateError)) throw e;
    interp.log(who, `${name} f:${i} -> ${repr(e)}`, { kind: 'settle', future: i, how, ok: false });
  }
}

// What a cancel() did, as data: a handle cancelled, a future (not a task) settled or not.
function cancelFact(interp: Interp, target: unknown, r: unknown): Fact | undefined {
  const h = interp.handles.indexOf(target as { cancel(): void });
  if (h >= 0) return { kind: 'cancelHandles', handles: [h] };
  const i = interp.futures.indexOf(target as Future<unknown>);
  return i >= 0 && !(target instanceof Task) ? { kind: 'settle', future: i, how: 'cancel', ok: r === true } : undefined;
}

// How many done callbacks each task or future has been given (TypeScript only).
const registrations = new WeakMap<object, number>();

type ActionOf<K extends Action[0]> = Extract<Action, readonly [K, ...unknown[]]>;
type ActionTable = { readonly [K in Action[0]]: (interp: Interp, frame: Frame, op: ActionOf<K>) => void };

export const ACTIONS: ActionTable = {
  ...NET_ACTIONS,
  log(interp, { who }, [, text]) {
    interp.log(who, `log ${text}`);
  },
  spawn(interp, { who }, [name, b, label]) {
    interp.spawn(name, b, label, who, interp.loop);
  },
  cancel(interp, { who }, [, ref, msg]) {
    const [found, target] = interp.resolveExisting(ref, who, ['self', 't', 'f', 'x', 'h']);
    if (!found) return;
    const fut = target as Future<unknown>;
    const r = msg === null ? fut.cancel() : fut.cancel(msg);
    interp.log(who, `cancel ${ref} -> ${repr(r)}`, cancelFact(interp, target, r));
  },
  uncancel(interp, { who }, [, ref]) {
    const [found, target] = interp.resolveExisting(ref, who, ['self', 't']);
    if (found) interp.log(who, `uncancel ${ref} -> ${repr((target as Task<unknown>).uncancel())}`);
  },
  setResult(interp, { who }, op) {
    settle(interp, op, who, (fut) => fut.setResult(op[2]));
  },
  setException(interp, { who }, op) {
    settle(interp, op, who, (fut) => fut.setException(new EXC[op[2]](op[3])));
  },
  callSoon(interp, { who }, [name, cb]) {
    interp.scheduleCallback(name, cb, who, (fn) => interp.loop.callSoon(fn));
  },
  callLater(interp, { who }, [name, delay, cb]) {
    interp.scheduleCallback(name, cb, who, (fn) => interp.loop.callLater(delay, fn));
  },
  callAt(interp, { who }, [name, when, cb]) {
    interp.scheduleCallback(name, cb, who, (fn) => interp.loop.callAt(when, fn));
  },
  cancelHandle(interp, { who }, [, h]) {
    if (!interp.present(h < interp.handles.length, who, `h${h}`)) return;
    interp.handles[h]!.cancel();
    interp.log(who, `cancelHandle h${h}`, { kind: 'cancelHandles', handles: [h] });
  },
  cancelHandles(interp, { who }, [, start, stop]) {
    const end = Math.min(stop, interp.handles.length);
    const handles = Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k);
    for (const i of handles) interp.handles[i]!.cancel();
    interp.log(who, `cancelHandles h${start}..h${end}`, { kind: 'cancelHandles', handles });
  },
  repeat(interp, frame, [, n, ops]) {
    for (let i = 0; i < n; i++) for (const sub of ops) interp.action(sub, frame);
  },
  stop(interp, { who }) {
    interp.loop.stop();
    interp.log(who, 'stop');
  },
  blockingSleep(interp, { who }, [, seconds]) {
    blockingSleep(seconds);
    interp.log(who, `blockingSleep ${repr(seconds)}`);
  },
  raise(_interp, _frame, [, exc, msg]) {
    throw new EXC[exc](msg);
  },
  release(interp, { who }, [name, ref]) {
    syncCall<Lock | Semaphore | Condition>(interp, name, ref, who, (o) => o.release(), nothing, 'LSC');
  },
  eventSet(interp, { who }, [name, e]) {
    syncCall<Event>(interp, name, `E:${e}`, who, (ev) => ev.set());
  },
  eventClear(interp, { who }, [name, e]) {
    syncCall<Event>(interp, name, `E:${e}`, who, (ev) => ev.clear());
  },
  notify(interp, { who }, [name, c, n]) {
    syncCall<Condition>(interp, name, `C:${c}`, who, (cond) => cond.notify(n));
  },
  notifyAll(interp, { who }, [name, c]) {
    syncCall<Condition>(interp, name, `C:${c}`, who, (cond) => cond.notifyAll());
  },
  putNowait(interp, { who }, [name, q, item]) {
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.putNowait(item), () => ` ${repr(item)}`, undefined, queueFact(name, `Q:${q}`, item));
  },
  getNowait(interp, { who }, [name, q]) {
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.getNowait(), arrow, undefined, queueFact(name, `Q:${q}`));
  },
  taskDone(interp, { who }, [name, q]) {
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.taskDone(), nothing, undefined, queueFact(name, `Q:${q}`));
  },
  shutdown(interp, { who }, [name, q, immediate]) {
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.shutdown(immediate));
  },
  show(interp, { who }, [, ref]) {
    const obj = interp.syncObj<SyncObject | Barrier>(ref, who);
    if (obj !== undefined) interp.log(who, `show ${repr(obj)}`);
  },
  startThread(interp, { who }, [, j, name]) {
    if (!interp.jobOk(j, who)) return;
    new threading.Thread({ target: run_job, args: [interp, j], name }).start();
    interp.log(who, `startThread ${name}`);
  },
  poolShutdown(interp, { who }, [, i, wait, cancelFutures]) {
    const [found, pool] = interp.pool(i, who);
    if (!found || pool === undefined) return;
    pool.shutdown({ wait, cancelFutures });
    interp.log(who, `poolShutdown P${i}`);
  },
  newFuture(interp, { who }) {
    const i = interp.futures.length;
    interp.futures.push(interp.loop.createFuture());
    interp.log(who, `newFuture f:${i}`, { kind: 'newFuture', future: i });
  },
  addDoneCallback(interp, { who }, [, ref]) {
    const [found, target] = interp.resolveExisting(ref, who, ['t', 'f']);
    if (!found) return;
    const fut = target as Future<unknown>;
    const name = interp.nameOf(fut);
    const reg = registrations.get(fut) ?? 0;
    registrations.set(fut, reg + 1);
    fut.addDoneCallback((f) => {
      const state = describeState(f);
      interp.log('done', `${name}#${reg} ${state}`, { kind: 'doneCallback', target: name, reg, state });
    });
    interp.log(who, `addDoneCallback ${ref} -> ${name}#${reg}`, { kind: 'addDoneCallback', target: name, reg });
  },
  // Context variables and contexts: context-actions.ts.
  ...CONTEXT_ACTIONS,
};
