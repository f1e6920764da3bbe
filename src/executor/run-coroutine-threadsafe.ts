// runCoroutineThreadsafe(): from another thread, run a coroutine on a loop and get a
// concurrent future of its result. asyncio: tasks.run_coroutine_threadsafe

import { isExitException } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { _promiseHint, isCoroutine } from '../task/coroutine.js';
import { ensureFuture } from '../task/create-task.js';
import { named } from '../format/named.js';
import { _chainFuture } from './chain-future.js';
import { ConcurrentFuture } from './concurrent-future.js';

/**
 * Schedule `coro` on `loop` from any thread (through callSoonThreadsafe) and return a
 * ConcurrentFuture of its result; cancelling that future cancels the task.
 *
 * @throws TypeError `A coroutine object is required`.
 * @example const fut = runCoroutineThreadsafe(fetch(), loop); const v = fut.result(2);
 * asyncio: asyncio.run_coroutine_threadsafe
 */
export function runCoroutineThreadsafe<T>(coro: Generator<unknown, T, unknown>, loop: AbstractEventLoop): ConcurrentFuture<T> {
  if (!isCoroutine(coro)) throw new TypeError(`A coroutine object is required${_promiseHint(coro)}`);
  const future = new ConcurrentFuture<T>();
  const callback = named('run_coroutine_threadsafe.<locals>.callback', (): void => {
    try {
      _chainFuture(ensureFuture(coro, { loop }), future as ConcurrentFuture<unknown>);
    } catch (thrown) {
      if (isExitException(thrown)) throw thrown;
      const exc = _asException(thrown);
      if (future.setRunningOrNotifyCancel()) future.setException(exc);
      throw exc;
    }
  });
  loop.callSoonThreadsafe!(callback);
  return future;
}
