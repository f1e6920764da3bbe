// The job steps (what a job does on its simulated thread): one handler each, in the order
// of language.ts. A handler returns [value] when the job returns, else undefined.
// interpreter.py's JOB_STEPS table is the twin, key for key.

import { blockingSleep, repr, runCoroutineThreadsafe, Task, type Future } from '../../src/index.js';
import { EXC } from './actions.js';
import { boundMethod, partial } from './internals.js';
import { cf_done, run_body, type Interp, type Returned } from './interp.js';
import type { JobStep, Value } from './language.js';

type JobStepOf<K extends JobStep[0]> = Extract<JobStep, readonly [K, ...unknown[]]>;
type JobStepTable = { readonly [K in JobStep[0]]: (interp: Interp, who: string, op: JobStepOf<K>) => Generator<unknown, Returned, unknown> };

export const JOB_STEPS: JobStepTable = {
  *log(interp, who, [, text]) {
    interp.log(who, `log ${text}`);
    return undefined;
  },
  *tsleep(interp, who, [, seconds]) {
    yield* blockingSleep(seconds);
    interp.log(who, `tslept ${repr(seconds)}`);
    return undefined;
  },
  *callSoonThreadsafe(interp, who, [name, cb]) {
    interp.scheduleCallback(name, cb, who, (fn) => interp.loop.callSoonThreadsafe(fn));
    return undefined;
  },
  *callSoon(interp, who, [name, cb]) {
    interp.scheduleCallback(name, cb, who, (fn) => interp.loop.callSoon(fn));
    return undefined;
  },
  *cancelThreadsafe(interp, who, [, ref]) {
    const [found, target] = interp.resolveExisting(ref, who, ['t', 'f', 'x']);
    if (found) {
      const fut = target as Future<unknown>;
      // CPython's callback is the bound builtin method: `Task.cancel()` in reprs.
      interp.loop.callSoonThreadsafe(boundMethod(fut instanceof Task ? 'Task.cancel' : 'Future.cancel', () => fut.cancel()));
      interp.log(who, `cancelThreadsafe ${ref}`);
    }
    return undefined;
  },
  *setResultThreadsafe(interp, who, [, i, value]) {
    if (interp.present(i < interp.futures.length, who, `f:${i}`)) {
      const fut = interp.futures[i]!;
      interp.loop.callSoonThreadsafe(boundMethod('Future.set_result', (v: Value) => fut.setResult(v)), value);
      interp.log(who, `setResultThreadsafe f:${i}`);
    }
    return undefined;
  },
  *runCoroutineThreadsafe(interp, who, [, b, label]) {
    if (interp.bodyOk(b, who) && interp.spend(who, 'spawn')) {
      const cf = runCoroutineThreadsafe(run_body(interp, b, label), interp.loop);
      cf.addDoneCallback(partial(cf_done, interp, label));
      interp.log(who, `runCoroutineThreadsafe ${label}`);
    }
    return undefined;
  },
  *return(interp, who, [, value]) {
    interp.log(who, `job return ${repr(value)}`);
    return [value];
  },
  *raise(interp, who, [, exc, msg]) {
    interp.log(who, `job raise ${exc}`);
    throw new EXC[exc](msg);
  },
};
