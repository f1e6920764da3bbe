// toThread(): run a blocking function in the default executor and await its result.
// asyncio: threads.to_thread

import { getRunningLoop } from '../events/running-loop.js';
import type { Coro } from '../task/coroutine.js';
import type { Future } from '../future/future.js';
import type { ThreadPoolExecutor } from './thread-pool.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';

/** A loop with an executor. */
interface ExecutorLoop {
  runInExecutor<T>(executor: ThreadPoolExecutor | undefined, fn: (...args: any[]) => T, ...args: unknown[]): Future<T>;
}

/**
 * Run `fn(...args)` on a worker thread of the running loop's default executor and
 * return its result (aiosim has no contextvars to propagate).
 *
 * @example const data = yield* toThread(readFile, 'a.txt');
 * asyncio: asyncio.to_thread
 */
export const toThread = _libraryCoroutine('to_thread', function* toThread<T>(fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): Coro<T> {
  const loop = getRunningLoop() as unknown as ExecutorLoop;
  return (yield* loop.runInExecutor(undefined, fn as (...a: unknown[]) => T, ...args)) as T;
});
