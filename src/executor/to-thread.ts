// toThread(): run a blocking function in the default executor and await its result.
// asyncio: threads.to_thread

import { getRunningLoop } from '../events/running-loop.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';

/**
 * Run `fn(...args)` on a worker thread of the running loop's default executor and
 * return its result (aiosim has no contextvars to propagate).
 *
 * @example const data = yield* toThread(readFile, 'a.txt');
 * asyncio: asyncio.to_thread
 */
export const toThread = _libraryCoroutine('to_thread', function* toThread<T>(fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): Coro<T> {
  return yield* getRunningLoop().runInExecutor!(undefined, fn, ...args);
});
