// The actions (operations without await, in bodies and callbacks): one handler each, in
// the order of language.ts. interpreter.py's ACTIONS table is the twin, key for key.

import {
  blockingSleep, InvalidStateError, KeyboardInterrupt, repr, RuntimeError, SystemExit, threading, ValueError,
  type Barrier, type Condition, type Event, type Future, type Lock, type Queue, type Semaphore, type Task,
} from '../../src/index.js';
import { run_job, type Frame, type Interp, type SyncObject } from './interp.js';
import type { Action, ExcName } from './language.js';

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

/** Call call(obj) on the synchronisation object `ref`, then log `name ref` and what shown makes of the result (or log it missing). */
function syncCall<T extends SyncObject>(interp: Interp, name: string, ref: string, who: string, call: (obj: T) => unknown, shown = nothing, kinds = 'LSCEQB'): void {
  const obj = interp.syncObj<T>(ref, who, kinds);
  if (obj !== undefined) interp.log(who, `${name} ${ref}${shown(call(obj))}`);
}

/** Set future i's result or exception with `settle`, logging `name f:i` (or the InvalidStateError). */
function settle(interp: Interp, name: string, i: number, who: string, apply: (fut: Future<unknown>) => void): void {
  if (!interp.present(i < interp.futures.length, who, `f:${i}`)) return;
  try {
    apply(interp.futures[i]!);
    interp.log(who, `${name} f:${i}`);
  } catch (e) {
    if (!(e instanceof InvalidStateError)) throw e;
    interp.log(who, `${name} f:${i} -> ${repr(e)}`);
  }
}

type ActionOf<K extends Action[0]> = Extract<Action, readonly [K, ...unknown[]]>;
type ActionTable = { readonly [K in Action[0]]: (interp: Interp, frame: Frame, op: ActionOf<K>) => void };

export const ACTIONS: ActionTable = {
  log(interp, { who }, [, text]) {
    interp.log(who, `log ${text}`);
  },
  spawn(interp, { who }, [name, b, label]) {
    interp.spawn(name, b, label, who, interp.loop);
  },
  cancel(interp, { who }, [, ref, msg]) {
    const [found, target] = interp.resolveExisting(ref, who, ['self', 't', 'f', 'x']);
    if (!found) return;
    const fut = target as Future<unknown>;
    const r = msg === null ? fut.cancel() : fut.cancel(msg);
    interp.log(who, `cancel ${ref} -> ${repr(r)}`);
  },
  uncancel(interp, { who }, [, ref]) {
    const [found, target] = interp.resolveExisting(ref, who, ['self', 't']);
    if (found) interp.log(who, `uncancel ${ref} -> ${repr((target as Task<unknown>).uncancel())}`);
  },
  setResult(interp, { who }, [name, i, value]) {
    settle(interp, name, i, who, (fut) => fut.setResult(value));
  },
  setException(interp, { who }, [name, i, exc, msg]) {
    settle(interp, name, i, who, (fut) => fut.setException(new EXC[exc](msg)));
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
    interp.log(who, `cancelHandle h${h}`);
  },
  cancelHandles(interp, { who }, [, start, stop]) {
    const end = Math.min(stop, interp.handles.length);
    for (let i = start; i < end; i++) interp.handles[i]!.cancel();
    interp.log(who, `cancelHandles h${start}..h${end}`);
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
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.putNowait(item), () => ` ${repr(item)}`);
  },
  getNowait(interp, { who }, [name, q]) {
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.getNowait(), arrow);
  },
  taskDone(interp, { who }, [name, q]) {
    syncCall<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.taskDone());
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
};
