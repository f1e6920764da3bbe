// shield(): await something without letting the caller's cancellation reach it.
// asyncio: tasks.shield

import type { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { Awaitable } from './coroutine.js';
import { ensureFuture } from './create-task.js';
import { named } from '../format/named.js';

/**
 * Return a future that follows `aw` (wrapped in a task if it is a coroutine), except
 * that cancelling the returned future does not cancel `aw`. If `aw` is already done,
 * it is returned as it is.
 *
 * @example const value = yield* shield(task); // cancelling us leaves `task` running
 * asyncio: asyncio.shield
 */
export function shield<T>(aw: Awaitable<T>): Future<T> {
  const inner = ensureFuture(aw as Future<T>);
  if (inner.done()) return inner;
  const outer = inner._loop.createFuture<T>();
  if (_tracer !== undefined) _tracer.futureRole(outer, 'shield');
  const innerDone = named('shield.<locals>._inner_done_callback', (fut: Future<T>): void => {
    if (outer.cancelled()) {
      // Nobody will see the inner exception now; mark it retrieved.
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (fut.cancelled()) {
      outer.cancel();
      return;
    }
    const exc = fut.exception();
    // Carried as it is: the inner task may have thrown a value that is not an Error.
    if (exc !== undefined) outer._setExceptionCarried(exc);
    else outer.setResult(fut.result());
  });
  const outerDone = named('shield.<locals>._outer_done_callback', (): void => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  });
  inner.addDoneCallback(innerDone);
  outer.addDoneCallback(outerDone);
  return outer;
}
