// blockingSleep(): Python's time.sleep() — the calling thread blocks for a while of
// virtual time. On the loop's thread that blocks the whole loop: every task and timer
// is delayed, while other simulated threads go on.
// asyncio: time.sleep

import { ValueError } from '../errors/exceptions.js';
import { pyTypeName } from '../format/py-repr.js';
import { _rootMainThread, Blocking, block, currentThread } from './thread.js';
import { globalDelay } from '../runtime/process-clock.js';
import { world } from '../runtime/world.js';

/**
 * Block the current (simulated) thread for `seconds` of virtual time.
 *
 * - On the loop's thread (inside a callback or a task step) the loop is blocked: its
 *   clock moves on by `seconds`, other simulated threads run meanwhile, and every task
 *   and timer waits. In debug mode the callback is then reported as slow. On a host's
 *   main thread, the other hosts' loops go on meanwhile too.
 * - In a simulated thread with a plain-function body (atomic), the thread's end (and
 *   any thread-safe call it makes afterwards) comes `seconds` later.
 * - In a generator body, `yield* blockingSleep(s)` gives the turn away for `seconds`.
 *
 * @throws ValueError `sleep length must be non-negative`.
 * @example loop.callSoon(() => blockingSleep(1)); // everything else waits one second
 * asyncio: time.sleep
 */
export function blockingSleep(seconds: number): Blocking<void> {
  if (typeof seconds !== 'number') throw new TypeError(`'${pyTypeName(seconds)}' object cannot be interpreted as an integer`);
  if (Number.isNaN(seconds)) throw new ValueError('Invalid value NaN (not a number)');
  if (seconds < 0) throw new ValueError('sleep length must be non-negative');
  const thread = currentThread();
  // A thread on a host sleeps seconds of the host's clock (docs/network.md, "Clocks").
  if (thread !== _rootMainThread()) seconds = globalDelay(seconds, world.now + thread._debt);
  // A host's main thread blocks as another thread does in a plain call: the loops and
  // threads of the other processes go on meanwhile (docs/network.md, "Several hosts").
  if (thread._isProcessMain) return block(() => false, seconds, () => undefined, 'the end of a sleep', 'now');
  if (thread === _rootMainThread()) {
    const end = world.now + seconds;
    world.runUntil(end);
    world.now = end;
    return new Blocking(undefined, () => undefined);
  }
  thread._debt += seconds;
  return new Blocking(thread._interleaving ? { kind: 'aiosim.wait', until: undefined, deadline: undefined } : undefined, () => undefined);
}
