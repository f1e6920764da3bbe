// Linking an asyncio Future and a concurrent future across threads: wrapFuture and the
// callback chain behind runInExecutor and runCoroutineThreadsafe.
// asyncio: futures._chain_future / wrap_future / _copy_future_state /
// _set_concurrent_future_state / _convert_future_exc

import { CancelledError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import { Future, isFuture } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { getEventLoop } from '../events/running-loop.js';
import { named } from '../format/named.js';
import { ConcurrentCancelledError, ConcurrentFuture } from './concurrent-future.js';

type AnyFuture = Future<unknown> | ConcurrentFuture<unknown>;

// asyncio: futures._convert_future_exc
function convertFutureExc(exc: unknown): unknown {
  if (exc instanceof ConcurrentCancelledError) return new CancelledError(...exc.args);
  return exc;
}

// asyncio: futures._set_concurrent_future_state
function setConcurrentFutureState(concurrent: ConcurrentFuture<unknown>, source: AnyFuture): void {
  if (source.cancelled()) concurrent.cancel();
  if (!concurrent.setRunningOrNotifyCancel()) return;
  const exception = source.exception();
  if (exception !== undefined) concurrent.setException(convertFutureExc(exception));
  else concurrent.setResult(source.result());
}

// asyncio: futures._copy_future_state
function copyFutureState(source: AnyFuture, dest: Future<unknown>): void {
  if (dest.cancelled()) return;
  if (source.cancelled()) {
    dest.cancel();
    return;
  }
  const exception = source.exception();
  // Carried as it is: a job or a coroutine may have thrown a value that is not an Error.
  if (exception !== undefined) dest._setExceptionCarried(convertFutureExc(exception));
  else dest.setResult(source.result());
}

/**
 * @internal Make `destination` follow `source` (either kind of future, on any loop or
 * thread); cancelling `destination` cancels `source`. asyncio: futures._chain_future
 */
export function _chainFuture(source: AnyFuture, destination: AnyFuture): void {
  const sourceLoop = isFuture(source) ? (source as Future<unknown>)._loop : undefined;
  const destLoop = isFuture(destination) ? (destination as Future<unknown>)._loop : undefined;

  const setState = named('_chain_future.<locals>._set_state', (future: AnyFuture, other: AnyFuture): void => {
    if (isFuture(future)) copyFutureState(other, future as Future<unknown>);
    else setConcurrentFutureState(future as ConcurrentFuture<unknown>, other);
  });
  const callCheckCancel = named('_chain_future.<locals>._call_check_cancel', (dest: AnyFuture): void => {
    if (!dest.cancelled()) return;
    if (sourceLoop === undefined || sourceLoop === destLoop) source.cancel();
    else sourceLoop.callSoonThreadsafe!(() => source.cancel());
  });
  const callSetState = named('_chain_future.<locals>._call_set_state', (src: AnyFuture): void => {
    if (destination.cancelled() && destLoop !== undefined && destLoop.isClosed()) return;
    if (destLoop === undefined || destLoop === sourceLoop) {
      setState(destination, src);
    } else {
      if (destLoop.isClosed()) return;
      destLoop.callSoonThreadsafe!(setState, destination, src);
    }
  });
  (destination as Future<unknown>).addDoneCallback(callCheckCancel as never);
  (source as Future<unknown>).addDoneCallback(callSetState as never);
}

/**
 * Return an asyncio Future (of `loop`, default the current one) that follows a
 * concurrent future; a Future is returned as it is.
 * asyncio: asyncio.wrap_future
 */
export function wrapFuture<T>(future: ConcurrentFuture<T> | Future<T>, options?: { loop?: AbstractEventLoop | null }): Future<T> {
  if (isFuture(future)) return future as Future<T>;
  if (!(future instanceof ConcurrentFuture)) {
    throw new TypeError(`concurrent.futures.Future is expected, got ${repr(future)}`);
  }
  const loop = options?.loop ?? getEventLoop();
  const newFuture = loop.createFuture<T>();
  if (_tracer !== undefined) _tracer.futureRole(newFuture, 'wrap_future');
  _chainFuture(future as ConcurrentFuture<unknown>, newFuture as Future<unknown>);
  return newFuture;
}
