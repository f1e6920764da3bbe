// runUntilComplete with a virtual-time limit: run the loop as loop.runUntilComplete does,
// but never past `now + timeLimit`; a future still pending then is a TimeLimitError
// naming what every pending task waits for.
// asyncio: loop.run_until_complete (plus a limit, an aiosim testing extra)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { isExitException, RuntimeError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';
import { isFuture, type Future } from '../future/future.js';
import type { EventLoop } from '../loop/event-loop.js';
import { ensureFuture } from '../task/create-task.js';
import { named } from '../format/named.js';
import type { Task } from '../task/task.js';
import { Labels } from './labels.js';
import { formatLoopState, loopState } from './loop-state.js';
import { _alreadyRunning } from '../loop/already-running.js';

/**
 * The future given to `runUntilComplete(loop, aw, { timeLimit })` was still pending when
 * the loop's clock reached the limit. The message lists the loop's state then.
 */
export class TimeLimitError extends RuntimeError {}

/** Options of the testing `runUntilComplete`. */
export interface RunOptions {
  /** Virtual seconds the loop may run (from its time now); undefined: no limit. */
  timeLimit?: number;
}

/**
 * @internal Check a `timeLimit` option (withLoop checks it before the test runs).
 * @throws ValueError for a negative or non-finite limit, TypeError for one that is not a number.
 */
export function checkTimeLimit(limit: unknown): void {
  checkNumber(limit, 'timeLimit must be a finite number of seconds >= 0', finiteNonNegative);
}

/**
 * Run `loop` until `aw` (a future, task or coroutine, wrapped in a task) is done and
 * return its result or throw its exception, as `loop.runUntilComplete(aw)`; with a
 * `timeLimit`, the clock never goes past `now + timeLimit` (what is due exactly then
 * still runs), even in the 'manual' time mode.
 *
 * @throws TimeLimitError when `aw` is still pending at the limit (the loop is left
 * there, with everything still scheduled).
 * @throws ValueError for a negative or non-finite limit (TypeError: not a number).
 * @example const value = runUntilComplete(loop, main(), { timeLimit: 5 });
 * asyncio: loop.run_until_complete
 */
export function runUntilComplete<T>(loop: EventLoop, aw: Future<T> | Generator<unknown, T, unknown>, options?: RunOptions): T {
  const limit = options?.timeLimit;
  if (limit === undefined) return loop.runUntilComplete(aw);
  if (loop.isRunning()) throw _alreadyRunning(loop, { name: 'runUntilComplete', instead: 'await the coroutine there with yield*' });
  checkTimeLimit(limit);
  const newTask = !isFuture(aw);
  const fut = ensureFuture(aw, { loop });
  // As in loop.runUntilComplete: the caller never sees this task, its outcome is thrown.
  if (newTask) (fut as Task<T>)._logDestroyPending = false;
  // asyncio: base_events._run_until_complete_cb (the same callback, so traces match).
  const stop = named('_run_until_complete_cb', (f: Future<T>): void => {
    if (!f.cancelled() && isExitException(f.exception())) return;
    loop.stop();
  });
  fut.addDoneCallback(stop);
  try {
    loop.advance(limit);
  } catch (e) {
    if (newTask && fut.done() && !fut.cancelled()) fut.exception();
    throw e;
  } finally {
    fut.removeDoneCallback(stop);
  }
  if (!fut.done()) {
    const labels = new Labels();
    const what = labels.of(fut);
    const state = formatLoopState(loopState(loop, { labels }));
    throw new TimeLimitError(`${what} is not done after the time limit of ${pyFloat(limit)} seconds (t=${pyFloat(loop.time())})\n${state}`);
  }
  return fut.result();
}
