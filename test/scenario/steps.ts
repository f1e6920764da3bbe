// The steps (operations only coroutine bodies have: they may suspend): one handler each,
// in the order of language.ts. A handler returns [value] when the body returns, else
// undefined. interpreter.py's STEPS table is the twin, key for key; a step with no
// handler here is an action (actions.ts).

import {
  ALL_COMPLETED, asCompleted, asyncWith, CancelledError, FIRST_COMPLETED, FIRST_EXCEPTION, gather, isException, repr, shield,
  sleep, TaskGroup, timeout, TimeoutError, toThread, ValueError, wait, waitFor,
  type Barrier, type Condition, type Coro, type Event, type Future, type Lock, type Queue, type ReturnWhen, type Semaphore,
} from '../../src/index.js';
import { arrow, nothing, queueFact, type SyncFact } from './actions.js';
import { run_job, run_steps, type Awaitable, type Frame, type Interp, type Returned, type SyncObject } from './interp.js';
import type { Action, CatchKind, Step } from './language.js';
import { _setCatches, AGEN_CATCH, AGEN_STEPS } from './agens.js';
import { NET_STEPS } from './net.js';

const CATCH: Record<CatchKind, (e: unknown) => boolean> = {
  CancelledError: (e) => e instanceof CancelledError,
  Exception: (e) => isException(e),
  BaseException: () => true,
  TimeoutError: (e) => e instanceof TimeoutError,
  ValueError: (e) => e instanceof ValueError,
  ...AGEN_CATCH,
};
_setCatches(CATCH);

const RETURN_WHEN: Record<string, ReturnWhen> = { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED };

/** Resolve `ref`, await wrap(object) and log `name ref -> result` (or log it missing). */
function* awaitRef(interp: Interp, name: string, ref: string, who: string, wrap: (target: Awaitable) => Awaitable): Coro<void> {
  const [found, target] = interp.resolve(ref, who);
  if (found) interp.log(who, `${name} ${ref}${arrow(yield* wrap(target!))}`);
}

/** Await call(obj) on the synchronisation object `ref`, then log `name ref` and what shown makes of the result (or log it missing). */
function* syncAwait<T extends SyncObject>(interp: Interp, name: string, ref: string, who: string, call: (obj: T) => Coro<unknown>, shown = arrow, kinds = 'LSCEQB', fact?: SyncFact<T>): Coro<void> {
  const obj = interp.syncObj<T>(ref, who, kinds);
  if (obj === undefined) return;
  const result = yield* call(obj);
  interp.log(who, `${name} ${ref}${shown(result)}`, fact?.(obj, result));
}

/** Wait for the Event or Condition `ref` and log `name i -> result` (or log it missing). */
function* waitOn(interp: Interp, name: string, ref: string, i: number, who: string): Coro<void> {
  const obj = interp.syncObj<Event | Condition>(ref, who);
  if (obj !== undefined) interp.log(who, `${name} ${i} -> ${repr(yield* obj.wait())}`);
}

function label(obj: unknown, refs: [string, Awaitable][]): string {
  return refs.find(([, o]) => o === obj)?.[0] ?? '?';
}

// Python sorts labels as strings (by code point); these are ASCII.
const sortLabels = (xs: string[]): string => repr(xs.sort());

type StepName = Exclude<Step[0], Action[0]>;
type StepOf<K extends StepName> = Extract<Step, readonly [K, ...unknown[]]>;
type StepTable = { readonly [K in StepName]: (interp: Interp, frame: Frame, op: StepOf<K>) => Coro<Returned> };

export const STEPS: StepTable = {
  *sleep(interp, { who }, [, delay]) {
    yield* sleep(delay);
    interp.log(who, `slept ${repr(delay)}`);
    return undefined;
  },
  *yield(interp, { who }) {
    yield* sleep(0);
    interp.log(who, 'yielded');
    return undefined;
  },
  *await(interp, { who }, [name, ref]) {
    yield* awaitRef(interp, name, ref, who, (t) => t);
    return undefined;
  },
  *return(_interp, _frame, [, value]) {
    return [value];
  },
  *try(interp, frame, [, body, kind, handler]) {
    try {
      return yield* run_steps(interp, body, frame);
    } catch (e) {
      if (!CATCH[kind](e)) throw e;
      interp.log(frame.who, `caught ${repr(e)}`);
      return yield* run_steps(interp, handler, { ...frame, caught: e });
    }
  },
  *reraise(interp, { who, caught }) {
    if (interp.present(caught !== undefined, who, 'reraise')) throw caught;
    return undefined;
  },
  *gather(interp, { who }, [, refs, returnExceptions]) {
    const targets = interp.resolveAll(refs, who).map(([, t]) => t);
    const r = yield* gather(...targets, { returnExceptions });
    interp.log(who, `gather -> ${repr(r)}`);
    return undefined;
  },
  *shield(interp, { who }, [name, ref]) {
    yield* awaitRef(interp, name, ref, who, shield);
    return undefined;
  },
  *asCompleted(interp, { who }, [, refs, t]) {
    const targets = interp.resolveAll(refs, who).map(([, target]) => target);
    for (const c of asCompleted(targets, { timeout: t ?? undefined })) interp.log(who, `asCompleted -> ${repr(yield* c)}`);
    return undefined;
  },
  *waitFor(interp, { who }, [name, ref, t]) {
    yield* awaitRef(interp, name, ref, who, (target) => waitFor(target, t ?? undefined));
    return undefined;
  },
  *wait(interp, { who }, [, refs, returnWhen, t]) {
    const pairs = interp.resolveAll(refs, who);
    const [done, pending] = yield* wait(pairs.map(([, target]) => target as Future<unknown>), {
      returnWhen: RETURN_WHEN[returnWhen]!,
      timeout: t ?? undefined,
    });
    const d = [...done].map((f) => label(f, pairs));
    const p = [...pending].map((f) => label(f, pairs));
    interp.log(who, `wait -> done=${sortLabels(d)} pending=${sortLabels(p)}`);
    return undefined;
  },
  *timeout(interp, frame, [, delay, body]) {
    const returned = yield* asyncWith(timeout(delay ?? undefined), function* () {
      return yield* run_steps(interp, body, frame);
    });
    if (returned !== undefined) return returned;
    interp.log(frame.who, 'timeout exit');
    return undefined;
  },
  *taskGroup(interp, frame, [, body]) {
    const returned = yield* asyncWith(new TaskGroup(), function* (tg) {
      return yield* run_steps(interp, body, { ...frame, tgStack: [...frame.tgStack, tg] });
    });
    if (returned !== undefined) return returned;
    interp.log(frame.who, 'taskGroup exit');
    return undefined;
  },
  *tgSpawn(interp, { who, tgStack }, [name, b, label]) {
    if (interp.present(tgStack.length > 0, who, 'taskGroup')) interp.spawn(name, b, label, who, tgStack[tgStack.length - 1]!);
    return undefined;
  },
  *repeatSteps(interp, frame, [, n, body]) {
    for (let i = 0; i < n; i++) {
      const returned = yield* run_steps(interp, body, frame);
      if (returned !== undefined) return returned;
    }
    return undefined;
  },
  *with(interp, frame, [, ref, body]) {
    const obj = interp.syncObj<Lock | Semaphore | Condition | Barrier>(ref, frame.who, 'LSCB');
    if (obj === undefined) return undefined;
    const returned = yield* asyncWith(obj, function* (v: unknown) {
      interp.log(frame.who, `with ${ref} enter ${repr(v)}`);
      return yield* run_steps(interp, body, frame);
    });
    if (returned !== undefined) return returned;
    interp.log(frame.who, `with ${ref} exit`);
    return undefined;
  },
  *acquire(interp, { who }, [name, ref]) {
    yield* syncAwait<Lock | Semaphore | Condition>(interp, name, ref, who, (o) => o.acquire(), arrow, 'LSC');
    return undefined;
  },
  *eventWait(interp, { who }, [name, e]) {
    yield* waitOn(interp, name, `E:${e}`, e, who);
    return undefined;
  },
  *condWait(interp, { who }, [name, c]) {
    yield* waitOn(interp, name, `C:${c}`, c, who);
    return undefined;
  },
  *put(interp, { who }, [name, q, item]) {
    yield* syncAwait<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.put(item), () => ` ${repr(item)}`, undefined, queueFact(name, `Q:${q}`, item));
    return undefined;
  },
  *get(interp, { who }, [name, q]) {
    yield* syncAwait<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.get(), arrow, undefined, queueFact(name, `Q:${q}`));
    return undefined;
  },
  *join(interp, { who }, [name, q]) {
    yield* syncAwait<Queue>(interp, name, `Q:${q}`, who, (queue) => queue.join(), nothing, undefined, queueFact(name, `Q:${q}`));
    return undefined;
  },
  *barrierWait(interp, { who }, [name, b]) {
    yield* syncAwait<Barrier>(interp, name, `B:${b}`, who, (barrier) => barrier.wait());
    return undefined;
  },
  *barrierReset(interp, { who }, [name, b]) {
    yield* syncAwait<Barrier>(interp, name, `B:${b}`, who, (barrier) => barrier.reset());
    return undefined;
  },
  *barrierAbort(interp, { who }, [name, b]) {
    yield* syncAwait<Barrier>(interp, name, `B:${b}`, who, (barrier) => barrier.abort());
    return undefined;
  },
  *runInExecutor(interp, { who }, [, p, j, label]) {
    const [found, pool] = interp.pool(p, who);
    if (found && interp.jobOk(j, who) && interp.spend(who, 'job')) {
      interp.executorFuts.set(label, interp.loop.runInExecutor(pool, run_job, interp, j));
      interp.log(who, `runInExecutor x:${label}`);
    }
    return undefined;
  },
  *toThread(interp, { who }, [, j]) {
    if (interp.jobOk(j, who) && interp.spend(who, 'job')) {
      const r = yield* toThread(run_job, interp, j);
      interp.log(who, `toThread j${j} -> ${repr(r)}`);
    }
    return undefined;
  },
  *shutdownDefaultExecutor(interp, { who }) {
    yield* interp.loop.shutdownDefaultExecutor();
    interp.log(who, 'shutdownDefaultExecutor');
    return undefined;
  },
  // Async generators and try/finally (agens.ts).
  ...AGEN_STEPS,
  ...NET_STEPS,
};
