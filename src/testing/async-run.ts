// The asynchronous driver for async-function coroutines: runUntilCompleteAsync runs the
// loop as runUntilComplete does, but awaits between the loop's callbacks wherever a task's
// step goes on in microtasks, and withLoopAsync is withLoop for an async test body. While
// it runs a loop it is the step driver (task/step-driver.ts): the one seam through which
// this mode reaches futures, tasks and the loop.
// asyncio: loop.run_until_complete (driven from a JavaScript async function)

import { isExitException, RuntimeError, ValueError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import { isFuture, type Future } from '../future/future.js';
import { _getRunningLoop } from '../events/running-loop.js';
import type { EventLoop } from '../loop/event-loop.js';
import { ensureFuture } from '../task/create-task.js';
import { named } from '../format/named.js';
import type { Task } from '../task/task.js';
import { _registerStepDriver, type StepDriver } from '../task/step-driver.js';
import { asyncCoroutine, takeAwait } from './async-coroutine.js';
import { _activeDrive, _beginDrive, _endDrive, _stepTaken } from './async-drive.js';
import { TestLoop, type TestLoopOptions } from './test-loop.js';
import { _alreadyRunning } from '../loop/already-running.js';

// One turn of the host's event loop: every queued microtask has run when it comes. Taken
// at import, so that fake timers installed later (vi.useFakeTimers) do not stop the driver.
const macrotask: () => Promise<void> = (() => {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown; setTimeout: (cb: () => void, ms: number) => unknown };
  const setImmediate = g.setImmediate;
  const setTimeout = g.setTimeout;
  return setImmediate !== undefined
    ? () => new Promise<void>((resolve) => { setImmediate(resolve); })
    : () => new Promise<void>((resolve) => { setTimeout(resolve, 0); });
})();

// asyncio: base_events._run_until_complete_cb (the same name, so traces read the same).
const runUntilCompleteCb = named('_run_until_complete_cb', (fut: Future<unknown>): void => {
  if (!fut.cancelled() && isExitException(fut.exception())) return;
  (fut.getLoop() as EventLoop).stop();
});

// A deferred step's microtasks run (a foreign promise may hold them for a while) until the
// step has an outcome; then the task takes it.
async function endStep(task: Task<unknown>): Promise<void> {
  const drive = _activeDrive();
  if (drive === undefined) throw new RuntimeError(`${repr(task)} deferred a step while no loop is driven asynchronously`);
  for (;;) {
    await macrotask();
    if (drive.ready) break;
    await new Promise<void>((resolve) => {
      drive.wake = resolve;
    });
  }
  _stepTaken(drive);
  task._endDeferredStep();
}

const stepDriver: StepDriver = { takeAwait, endStep };

/**
 * Run `loop` until `aw` (a future, a task, a generator coroutine or an AsyncCoroutine,
 * wrapped in a task) is done; resolve with its result or reject with its exception, as
 * `loop.runUntilComplete(aw)` returns or throws.
 *
 * Callbacks and steps run in CPython's order, as with `loop.runUntilComplete`. When a
 * task's step is an async function running (from an await to the next), the driver lets
 * the host's microtasks run before the loop's next callback: the step ends when the
 * function awaits an aiosim awaitable that is pending, returns or throws. A foreign
 * promise (a real timer, I/O) holds the step, and the whole loop, until it settles, as a
 * blocking call does in CPython; virtual time does not move meanwhile.
 *
 * @throws RuntimeError `Event loop is closed`, `This event loop is already running`,
 * `Cannot run the event loop while another loop is running`, `Event loop stopped before
 * Future completed.`; StalledError as `runUntilComplete`.
 * @example const value = await runUntilCompleteAsync(loop, main());
 * asyncio: loop.run_until_complete
 */
export async function runUntilCompleteAsync<T>(loop: EventLoop, aw: Future<T> | Generator<unknown, T, unknown>): Promise<T> {
  if (loop.isClosed()) throw new RuntimeError('Event loop is closed');
  if (loop.isRunning()) throw _alreadyRunning(loop, { name: 'runUntilCompleteAsync', instead: 'await the coroutine there' });
  if (_getRunningLoop() !== undefined) throw new RuntimeError('Cannot run the event loop while another loop is running');
  const newTask = !isFuture(aw);
  const fut = ensureFuture(aw, { loop });
  // The caller never sees this task: its failure is reported by the rejection.
  if (newTask) (fut as Task<T>)._logDestroyPending = false;
  fut.addDoneCallback(runUntilCompleteCb);
  const drive = _beginDrive(loop);
  _registerStepDriver(stepDriver);
  try {
    await loop._runForeverAsync();
  } catch (e) {
    // The coroutine raised a BaseException; consume it so that nothing logs it again.
    if (newTask && fut.done() && !fut.cancelled()) fut.exception();
    throw e;
  } finally {
    _registerStepDriver(undefined);
    _endDrive(drive);
    fut.removeDoneCallback(runUntilCompleteCb);
  }
  if (!fut.done()) throw new RuntimeError('Event loop stopped before Future completed.');
  return fut.result();
}

/**
 * Run an async test body on a fresh loop, as `withLoop` runs a generator body: the body
 * is the test's main coroutine (an async-function coroutine), run with
 * `runUntilCompleteAsync`; then the loop is closed and the test fails (LoopCheckError) if
 * it left a task pending, an exception never retrieved, a loop unclosed or a simulated
 * thread running.
 *
 * @throws what the body throws (the checks are skipped then), LoopCheckError; ValueError
 * for a `timeLimit` option (not supported here).
 * @example
 * it('sleeps', () => withLoopAsync(async (loop) => {
 *   await awaitable(sleep(1));
 *   expect(loop.time()).toBe(1);
 * }));
 * asyncio: none (aiosim testing)
 */
export async function withLoopAsync<T>(body: (loop: EventLoop) => Promise<T>, options?: TestLoopOptions): Promise<T> {
  // The time limit rides on loop.advance(), which has no asynchronous form.
  if (options?.timeLimit !== undefined) throw new ValueError('withLoopAsync() takes no timeLimit: it runs the body with runUntilCompleteAsync(), which has none');
  const test = new TestLoop(options);
  let result: T;
  try {
    const main = asyncCoroutine(body);
    result = await runUntilCompleteAsync(test.loop, main(test.loop));
  } catch (e) {
    test.finish({ testFailed: true });
    throw e;
  }
  test.finish();
  return result;
}
