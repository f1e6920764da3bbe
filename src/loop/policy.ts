// The asyncio functions that hand out loops, typed with the concrete EventLoop: the
// running loop, the current loop (made by the policy's factory, bound at the end of
// event-loop.ts, when none was set), and a new loop.
// asyncio: events.get_running_loop / get_event_loop / new_event_loop

import { getEventLoop as _getEventLoop, getRunningLoop as _getRunningLoop } from '../events/running-loop.js';
import { EventLoop } from './event-loop.js';
import type { EventLoopOptions } from './loop-options.js';

/**
 * Return the running event loop.
 *
 * @throws RuntimeError `no running event loop` when called outside a running loop.
 * @example const loop = getRunningLoop();
 * asyncio: asyncio.get_running_loop
 */
export function getRunningLoop(): EventLoop {
  return _getRunningLoop() as EventLoop;
}

/**
 * Return the running loop, else the current loop, creating and setting one if none
 * was ever set.
 *
 * @throws RuntimeError when `setEventLoop(undefined)` was called and no loop runs.
 * asyncio: asyncio.get_event_loop
 */
export function getEventLoop(): EventLoop {
  return _getEventLoop() as EventLoop;
}

/** Create a new event loop. asyncio: asyncio.new_event_loop */
export function newEventLoop(options?: EventLoopOptions): EventLoop {
  return new EventLoop(options);
}
