// waitFor(): await one awaitable with a deadline (3.12+: built on timeout()).
// asyncio: tasks.wait_for / tasks._cancel_and_wait

import { CancelledError, TimeoutError } from '../errors/exceptions.js';
import { partial } from '../format/format-callback.js';
import { pyTypeName } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { getRunningLoop } from '../events/running-loop.js';
import { asyncWith } from './context-manager.js';
import { checkAwaitable, type Awaitable, type Coro } from './coroutine.js';
import { ensureFuture } from './create-task.js';
import { timeout as makeTimeout } from './timeout.js';
import { _releaseWaiter } from './wait.js';
import { _setCause, _setContext } from '../errors/chaining.js';
import { _tracer } from '../log/trace-hook.js';
import { _libraryCoroutine } from './library-coroutine.js';

/**
 * Await `aw` and return its result, or throw TimeoutError if it takes more than
 * `timeout` seconds (undefined: no limit); on timeout `aw` is cancelled first.
 *
 * A coroutine is awaited in the calling task (no new task) unless the timeout is 0 or
 * less: then it is wrapped in a task that is cancelled (and awaited) at once, unless
 * already done. If `aw` swallows the cancellation and returns, that value is returned.
 * Cancelling the caller cancels `aw`.
 *
 * @throws TimeoutError (its cause is the CancelledError) when the deadline passes.
 * @throws TypeError `object int can't be used in 'await' expression` (or, with a timeout
 * of 0 or less, `An asyncio.Future, a coroutine or an awaitable is required`) for what
 * cannot be awaited; `'<=' not supported between instances of 'str' and 'int'` for a
 * timeout that is not a number.
 * @example const v = yield* waitFor(fetch(), 1.5);
 * asyncio: asyncio.wait_for
 */
export const waitFor = _libraryCoroutine('wait_for', function* waitFor<T>(aw: Awaitable<T>, timeout: number | undefined | null | { timeout?: number | null }): Coro<T> {
  const delay = typeof timeout === 'object' && timeout !== null ? timeout.timeout : timeout;
  if (delay !== undefined && delay !== null && typeof delay !== 'number') {
    throw new TypeError(`'<=' not supported between instances of '${pyTypeName(delay)}' and 'int'`);
  }
  if (delay !== undefined && delay !== null && delay <= 0) {
    const fut = ensureFuture(aw as Future<T>);
    if (fut.done()) return fut.result();
    yield* _cancelAndWait(fut);
    try {
      return fut.result();
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      const te = new TimeoutError();
      _setCause(te, e);
      _setContext(te, e);
      throw te;
    }
  }
  return (yield* asyncWith(makeTimeout(delay), function* () {
    checkAwaitable(aw);
    return yield* aw as Coro<T>;
  })) as T;
});

/** @internal Cancel `fut` and wait until it is done, without waiting on it directly. asyncio: tasks._cancel_and_wait */
export function* _cancelAndWait(fut: Future<unknown>): Coro<void> {
  const loop = getRunningLoop();
  const waiter = loop.createFuture<void>();
  if (_tracer !== undefined) _tracer.futureRole(waiter, '_cancel_and_wait');
  const cb = partial(_releaseWaiter, waiter);
  fut.addDoneCallback(cb);
  try {
    fut.cancel();
    // Waiting on a separate future keeps this function itself cancellable.
    yield* waiter;
  } finally {
    fut.removeDoneCallback(cb);
  }
}
