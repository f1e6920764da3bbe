// Refusing to drive a loop that runs already: CPython's message, and, when one of
// aiosim's own drivers (advance(), runUntilIdle(), aiosim/testing's) is called from
// inside that loop, a hint saying why (CPython has no such call to explain).
// asyncio: BaseEventLoop._check_running

import { RuntimeError } from '../errors/exceptions.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { _getRunningLoop } from '../events/running-loop.js';

/** One of aiosim's drivers: its name, and what to do instead inside the loop. */
export interface Driver {
  readonly name: string;
  readonly instead: string;
}

/** @internal advance(): time passes inside the loop with sleep(). */
export const ADVANCE: Driver = { name: 'advance', instead: 'let time pass there with yield* sleep(seconds)' };
/** @internal runUntilIdle(): inside the loop, wait for what is needed. */
export const RUN_UNTIL_IDLE: Driver = { name: 'runUntilIdle', instead: 'wait there for what you need with yield* (a task, a future, sleep())' };

/**
 * @internal The error for running `loop`, which runs already: `This event loop is
 * already running`, with a hint when `driver` (one of aiosim's) was called by a task or
 * callback of `loop` itself.
 */
export function _alreadyRunning(loop: AbstractEventLoop, driver?: Driver): RuntimeError {
  let message = 'This event loop is already running';
  if (driver !== undefined && _getRunningLoop() === loop) {
    message += ` (${driver.name}() was called from inside the loop, by one of its tasks or callbacks, such as a withLoop() or withLoopAsync() test body, which runs as the loop's main task: ${driver.instead})`;
  }
  return new RuntimeError(message);
}
