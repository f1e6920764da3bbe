// asyncio.sleep: a bare yield for delays <= 0, else a timer completing a future.
// asyncio: tasks.sleep

import { ValueError } from '../errors/exceptions.js';
import { pyTypeName } from '../format/py-repr.js';
import { _setResultUnlessCancelled } from '../future/set-result-unless-cancelled.js';
import { getRunningLoop } from '../loop/events.js';
import type { Coro } from './coroutine.js';

/**
 * Suspend the calling task for `delay` seconds of virtual time, then return `result`.
 *
 * A delay of 0 or less gives up exactly one loop iteration (a bare yield), without a
 * timer or a future. A positive delay schedules a timer; cancelling the task cancels
 * the wait (and the timer).
 *
 * @throws ValueError `Invalid delay: NaN (not a number)`.
 * @throws TypeError for a delay that is not a number.
 * @throws RuntimeError `no running event loop` outside a running loop.
 * @example const v = yield* sleep(1.5, 'done'); // 'done', at t+1.5
 * asyncio: asyncio.sleep
 */
export function* sleep<T = undefined>(delay: number, result?: T): Coro<T> {
  if (typeof delay !== 'number') {
    throw new TypeError(`'<=' not supported between instances of '${pyTypeName(delay)}' and 'int'`);
  }
  if (delay <= 0) {
    yield;
    return result as T;
  }
  if (Number.isNaN(delay)) throw new ValueError('Invalid delay: NaN (not a number)');
  const loop = getRunningLoop();
  const future = loop.createFuture<T>();
  const h = loop.callLater(delay, _setResultUnlessCancelled, future, result);
  try {
    return yield* future;
  } finally {
    h.cancel();
  }
}
