// Which loop is running, and the current ("set") loop with its implicit creation.
// asyncio: events.get_running_loop / _get_running_loop / _set_running_loop /
// get_event_loop / set_event_loop / new_event_loop (the default policy, one thread).

import { RuntimeError } from '../errors/exceptions.js';
import type { AbstractEventLoop } from './abstract-loop.js';
import { getIdent } from './thread-ident.js';

// The running loop belongs to the (simulated) thread that runs it, as in CPython.
let runningLoop: AbstractEventLoop | undefined;
let runningThread = 0;
let currentLoop: AbstractEventLoop | undefined;
let setCalled = false;
let loopFactory: (() => AbstractEventLoop) | undefined;

/** @internal Return the running loop, or undefined. asyncio: events._get_running_loop */
export function _getRunningLoop(): AbstractEventLoop | undefined {
  return runningThread === getIdent() ? runningLoop : undefined;
}

/** @internal Set (or clear) the running loop. asyncio: events._set_running_loop */
export function _setRunningLoop(loop: AbstractEventLoop | undefined): void {
  runningLoop = loop;
  runningThread = getIdent();
}

/**
 * @internal Run `fn` as in a freshly started child process: no loop is running or set
 * there (a process pool job cannot reach its parent's loops).
 */
export function _inChildProcess<T>(fn: () => T): T {
  const saved = [runningLoop, currentLoop, setCalled] as const;
  runningLoop = undefined;
  currentLoop = undefined;
  setCalled = false;
  try {
    return fn();
  } finally {
    [runningLoop, currentLoop, setCalled] = saved;
  }
}

/** @internal Install how `getEventLoop` creates a loop when none is set (the policy's factory). */
export function _setLoopFactory(factory: () => AbstractEventLoop): void {
  loopFactory = factory;
}

/**
 * Return the running event loop.
 *
 * @throws RuntimeError `no running event loop` when called outside a running loop.
 * @example const loop = getRunningLoop();
 * asyncio: asyncio.get_running_loop
 */
export function getRunningLoop(): AbstractEventLoop {
  const loop = _getRunningLoop();
  if (loop === undefined) throw new RuntimeError('no running event loop');
  return loop;
}

/**
 * Return the running loop, else the current loop, creating and setting one if none
 * was ever set (CPython 3.13 also warns 'There is no current event loop' then).
 *
 * @throws RuntimeError when `setEventLoop(undefined)` was called and no loop runs.
 * asyncio: asyncio.get_event_loop
 */
export function getEventLoop(): AbstractEventLoop {
  const running = _getRunningLoop();
  if (running !== undefined) return running;
  if (currentLoop === undefined && !setCalled && loopFactory !== undefined) {
    setEventLoop(loopFactory());
  }
  if (currentLoop === undefined) {
    throw new RuntimeError("There is no current event loop in thread 'MainThread'.");
  }
  return currentLoop;
}

/** @internal The current (set) loop, without creating one. */
export function _getCurrentLoop(): AbstractEventLoop | undefined {
  return currentLoop;
}

/** Set the current event loop (undefined clears it). asyncio: asyncio.set_event_loop */
export function setEventLoop(loop: AbstractEventLoop | undefined): void {
  setCalled = true;
  currentLoop = loop;
}
