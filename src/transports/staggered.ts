// Run coroutines with staggered starts and keep the first that succeeds: create_connection's
// happy eyeballs (each address tried `delay` seconds after the previous one, or at once
// when it failed).
// asyncio: staggered.staggered_race

import { ExceptionGroup } from '../errors/exception-group.js';
import { CancelledError, isExitException, TimeoutError } from '../errors/exceptions.js';
import { named } from '../format/named.js';
import type { Future } from '../future/future.js';
import type { EventLoop } from '../loop/event-loop.js';
import { Event } from '../sync/event.js';
import type { Coro } from '../task/coroutine.js';
import { currentTask } from '../task/current-task.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';
import type { Task } from '../task/task.js';
import { waitFor } from '../task/wait-for.js';

/** `[winner result, winner index, exceptions]`, the winner's exception entry undefined. */
export type StaggeredResult<T> = [result: T | undefined, index: number | undefined, exceptions: unknown[]];

/**
 * @internal Start the first coroutine function's coroutine now, each next one when the
 * previous one failed or `delay` seconds after it started (undefined: only when it failed);
 * the first to succeed wins and the others are cancelled.
 * @throws ExceptionGroup `staggered race failed` when a started task failed outside its coroutine.
 * asyncio: staggered.staggered_race
 */
export function* staggeredRace<T>(coroFns: Iterable<() => Coro<T>>, delay: number | null | undefined, loop: EventLoop): Coro<StaggeredResult<T>> {
  const enumCoroFns = coroFns[Symbol.iterator]();
  let nextIndex = 0;
  let winnerResult: T | undefined;
  let winnerIndex: number | undefined;
  const unhandledExceptions: unknown[] = [];
  const exceptions: unknown[] = [];
  // Python's set iterates in an order of its own; aiosim cancels in insertion order.
  const runningTasks = new Set<Task<void>>();
  let onCompletedFut: Future<void> | undefined;

  const taskDone = named('staggered_race.<locals>.task_done', (task: Task<void>): void => {
    runningTasks.delete(task);
    if (onCompletedFut !== undefined && !onCompletedFut.done() && runningTasks.size === 0) onCompletedFut.setResult(undefined);
    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === undefined || exc === null) return;
    unhandledExceptions.push(exc);
  });

  const runOneCoro = _libraryCoroutine('staggered_race.<locals>.run_one_coro', function* runOneCoro(okToStart: Event, previousFailed: Event | undefined): Coro<void> {
    yield* okToStart.wait();
    if (previousFailed !== undefined) {
      try {
        yield* waitFor(previousFailed.wait(), delay);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
    }
    const step = enumCoroFns.next();
    if (step.done) return;
    const thisIndex = nextIndex++;
    const coroFn = step.value;
    const thisFailed = new Event();
    const nextOkToStart = new Event();
    const nextTask = loop.createTask(runOneCoro(nextOkToStart, thisFailed));
    runningTasks.add(nextTask);
    nextTask.addDoneCallback(taskDone);
    nextOkToStart.set();
    exceptions.push(undefined);
    let result: T;
    try {
      result = yield* coroFn();
    } catch (e) {
      if (isExitException(e)) throw e;
      exceptions[thisIndex] = e;
      // Kickstart the next coroutine.
      thisFailed.set();
      return;
    }
    winnerIndex = thisIndex;
    winnerResult = result;
    const current = currentTask(loop);
    for (const t of runningTasks) if (t !== current) t.cancel();
  });

  const okToStart = new Event();
  const firstTask = loop.createTask(runOneCoro(okToStart, undefined));
  runningTasks.add(firstTask);
  firstTask.addDoneCallback(taskDone);
  okToStart.set();
  let propagateCancellationError: CancelledError | undefined;
  while (runningTasks.size > 0) {
    onCompletedFut = loop.createFuture<void>();
    try {
      yield* onCompletedFut;
    } catch (ex) {
      if (!(ex instanceof CancelledError)) throw ex;
      propagateCancellationError = ex;
      for (const task of runningTasks) task.cancel(...(ex.args as [unknown?]));
    }
    onCompletedFut = undefined;
  }
  if (unhandledExceptions.length > 0) throw new ExceptionGroup('staggered race failed', unhandledExceptions);
  if (propagateCancellationError !== undefined) throw propagateCancellationError;
  return [winnerResult, winnerIndex, exceptions];
}
