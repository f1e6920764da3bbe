// asyncio.run(main()) on a host's main thread, one loop iteration at a time: a generator
// that yields, between two iterations, when the loop next has something to do, so that
// the host's driver (host-process.ts) runs each iteration as a world event and every
// host's loop goes on as the one virtual clock moves. The order of what runs is
// runners.run's, line for line (Runner.__enter__, Runner.run, Runner.close).
// asyncio: runners.run / Runner.run / Runner.close / _cancel_all_tasks, run_until_complete

import { copyContext } from '../contextvars/context.js';
import { RuntimeError, ValueError } from '../errors/exceptions.js';
import { setEventLoop } from '../events/running-loop.js';
import { repr } from '../format/py-repr.js';
import { isFuture, type Future } from '../future/future.js';
import { _runUntilCompleteCb, EventLoop } from '../loop/event-loop.js';
import { _promiseHint, isCoroutine } from '../task/coroutine.js';
import { ensureFuture } from '../task/create-task.js';
import { allTasks } from '../task/current-task.js';
import { gather } from '../task/gather.js';
import type { Task } from '../task/task.js';

/**
 * A stepped run: each yield is the virtual time of the next iteration (Infinity: when a
 * wake-up comes), the return value what the run returns.
 */
export type SteppedRun<T> = Generator<number, T, undefined>;

// asyncio: BaseEventLoop.run_forever, an iteration per resumption.
function* runForever(loop: EventLoop): SteppedRun<void> {
  loop._runForeverSetup();
  try {
    for (;;) {
      loop._runOnce();
      if (loop._stopping) break;
      yield loop._nextWake();
    }
  } finally {
    loop._runForeverCleanup();
  }
}

// asyncio: BaseEventLoop.run_until_complete (its run_forever stepped).
function* runUntilComplete<T>(loop: EventLoop, future: Future<T> | Generator<unknown, T, unknown>): SteppedRun<T> {
  loop._checkClosed();
  const newTask = !isFuture(future);
  const fut = ensureFuture(future, { loop });
  if (newTask) (fut as Task<T>)._logDestroyPending = false;
  fut.addDoneCallback(_runUntilCompleteCb);
  const outer = loop._awaited;
  loop._awaited = fut;
  try {
    yield* runForever(loop);
  } catch (e) {
    if (newTask && fut.done() && !fut.cancelled()) fut.exception();
    throw e;
  } finally {
    loop._awaited = outer;
    fut.removeDoneCallback(_runUntilCompleteCb);
  }
  if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
  return fut.result();
}

// asyncio: runners._cancel_all_tasks
function* cancelAllTasks(loop: EventLoop): SteppedRun<void> {
  const toCancel = [...allTasks(loop)] as Task<unknown>[];
  if (toCancel.length === 0) return;
  for (const task of toCancel) task.cancel();
  yield* runUntilComplete(loop, gather(toCancel, { returnExceptions: true }));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    if (task.exception() !== undefined) {
      loop.callExceptionHandler({ message: 'unhandled exception during asyncio.run() shutdown', exception: task.exception(), task });
    }
  }
}

/** Options of a host's run: asyncio.run's keyword arguments. */
export interface HostRunOptions {
  /** asyncio.run's `debug` (undefined or null: the loop's default). */
  debug?: boolean | null;
}

/**
 * Run `main()` as `asyncio.run(main())` does, stepped: `onLoop` is told the loop once it
 * exists (the driver watches its wake-ups). The loop is world-driven: its clock is the
 * world's, and its selector never waits (the driver waits between the steps).
 * @throws ValueError `a coroutine was expected, got …` when `main()` returns something else.
 */
export function* steppedRun<T>(main: () => Generator<unknown, T, unknown>, options: HostRunOptions, onLoop: (loop: EventLoop) => void): SteppedRun<T> {
  // asyncio.run(main()): the coroutine is made first, then the Runner enters.
  const coro = main();
  const loop = new EventLoop();
  loop._selector._worldDriven = true;
  onLoop(loop);
  setEventLoop(loop);
  if (options.debug !== undefined && options.debug !== null) loop.setDebug(options.debug);
  const context = copyContext();
  try {
    if (!isCoroutine(coro)) throw new ValueError(`a coroutine was expected, got ${repr(coro)}${_promiseHint(coro)}`);
    const task = loop.createTask(coro, { context });
    return yield* runUntilComplete(loop, task);
  } finally {
    // asyncio: Runner.close
    try {
      yield* cancelAllTasks(loop);
      yield* runUntilComplete(loop, loop.shutdownAsyncgens());
      yield* runUntilComplete(loop, loop.shutdownDefaultExecutor(300));
    } finally {
      setEventLoop(undefined);
      loop.close();
    }
  }
}
