// blockingSleep(): Python's time.sleep() — the calling thread blocks for a while of
// virtual time. On the loop's thread that blocks the whole loop: every task and timer
// is delayed, and debug mode reports the callback as slow.
// asyncio: time.sleep (on the loop's thread)

import { ValueError } from '../errors/exceptions.js';
import { _getRunningLoop } from '../loop/events.js';

/**
 * Block the current (simulated) thread for `seconds` of virtual time. Called from a
 * callback or a task step, it blocks the running loop: its clock moves on by `seconds`
 * before anything else can run.
 *
 * @throws ValueError `sleep length must be non-negative` for a negative duration.
 * @example loop.callSoon(() => blockingSleep(1)); // everything else waits one second
 * asyncio: time.sleep
 */
export function blockingSleep(seconds: number): void {
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) throw new TypeError(`'${typeof seconds}' object cannot be interpreted as an integer`);
  if (seconds < 0) throw new ValueError('sleep length must be non-negative');
  _getRunningLoop()?._blockingSleep(seconds);
}
