// Which loop is running, and the current ("set") loop with its implicit creation.
// asyncio: events.get_running_loop / _get_running_loop / _set_running_loop /
// get_event_loop / set_event_loop / new_event_loop (the default policy, one thread).

import { RuntimeError } from '../errors/exceptions.js';
import type { AbstractEventLoop } from './abstract-loop.js';
import { pyTypeName, repr } from '../format/py-repr.js';
import { _processMainIdent, getIdent, MAIN_THREAD_IDENT } from '../runtime/thread-ident.js';

// The running loop belongs to the (simulated) thread that runs it, as in CPython: each
// host's main thread runs its own (docs/network.md, "Several hosts"). The last one set is
// kept apart so that the common case (one running loop) is one comparison.
let runningLoop: AbstractEventLoop | undefined;
let runningThread = 0;
const runningLoops = new Map<number, AbstractEventLoop>();
// The current loop of each thread (the default policy's thread-local), and the threads
// that called setEventLoop.
let currentLoops = new Map<number, AbstractEventLoop | undefined>();
let setCalled = new Set<number>();
let threadName: () => string = () => 'MainThread';
// In a process pool job, the worker thread running it stands for the child's main thread.
let childMain = 0;

/** @internal Tell this module how to name the current thread (in its error messages). */
export function _setThreadNameLookup(fn: () => string): void {
  threadName = fn;
}
let loopFactory: (() => AbstractEventLoop) | undefined;

// Whether coroutines made now record where they were made: asyncio's debug mode turns
// CPython's coroutine origin tracking on in the thread running the loop.
let originTracking = false;

/**
 * @internal Whether a coroutine made now records where it was made (a debug loop runs in
 * this thread). asyncio: sys.get_coroutine_origin_tracking_depth() > 0
 */
export function _coroutineOriginTracking(): boolean {
  return originTracking && _getRunningLoop()?.getDebug() === true;
}

/** @internal The running loop's debug mode changed. asyncio: BaseEventLoop._set_coroutine_origin_tracking */
export function _refreshOriginTracking(): void {
  originTracking = false;
  for (const loop of runningLoops.values()) if (loop.getDebug()) originTracking = true;
}

/** @internal Return the running loop, or undefined. asyncio: events._get_running_loop */
export function _getRunningLoop(): AbstractEventLoop | undefined {
  const ident = getIdent();
  if (runningThread === ident) return runningLoop;
  return runningLoops.size === 0 ? undefined : runningLoops.get(ident);
}

/** @internal Set (or clear) the running loop. asyncio: events._set_running_loop */
export function _setRunningLoop(loop: AbstractEventLoop | undefined): void {
  const ident = getIdent();
  if (loop === undefined) runningLoops.delete(ident);
  else runningLoops.set(ident, loop);
  runningLoop = loop;
  runningThread = ident;
  _refreshOriginTracking();
}

/**
 * @internal Run `fn` as in a freshly started child process: no loop is running or set
 * there (a process pool job cannot reach its parent's loops).
 */
export function _inChildProcess<T>(fn: () => T): T {
  const saved = [runningLoop, runningThread, currentLoops, setCalled, childMain] as const;
  // The job runs on its worker thread, which runs no loop: nothing to hide but the cache.
  runningLoop = undefined;
  currentLoops = new Map();
  setCalled = new Set();
  childMain = getIdent();
  try {
    return fn();
  } finally {
    [runningLoop, runningThread, currentLoops, setCalled, childMain] = saved;
  }
}

/**
 * @internal A thread ended: forget its current loop (CPython keeps it in a thread-local,
 * which goes with the thread).
 */
export function _forgetThreadLoop(ident: number): void {
  currentLoops.delete(ident);
  setCalled.delete(ident);
}

/**
 * @internal Forget the running and current loops of every thread but the main one (test
 * fixtures reset the simulated world, hosts' processes included, while no loop runs on it).
 */
export function _resetThreadLoops(): void {
  // Only what was used is cleared (Map.clear() makes a new table in V8; see _resetProcessIds).
  if (runningLoops.size > 0) runningLoops.clear();
  runningLoop = undefined;
  runningThread = 0;
  if (currentLoops.size > 1 || (currentLoops.size === 1 && !currentLoops.has(MAIN_THREAD_IDENT))) {
    for (const ident of [...currentLoops.keys()]) if (ident !== MAIN_THREAD_IDENT) currentLoops.delete(ident);
  }
  if (setCalled.size > 1 || (setCalled.size === 1 && !setCalled.has(MAIN_THREAD_IDENT))) {
    for (const ident of [...setCalled]) if (ident !== MAIN_THREAD_IDENT) setCalled.delete(ident);
  }
  _refreshOriginTracking();
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
  const ident = getIdent();
  // Only the main thread gets a loop made for it, as with asyncio's default policy.
  const isMain = ident === (childMain === 0 ? _processMainIdent() : childMain);
  if (currentLoops.get(ident) === undefined && !setCalled.has(ident) && isMain && loopFactory !== undefined) {
    setEventLoop(loopFactory());
  }
  const loop = currentLoops.get(ident);
  if (loop === undefined) throw new RuntimeError(`There is no current event loop in thread ${repr(isMain ? 'MainThread' : threadName())}.`);
  return loop;
}

/** @internal The current (set) loop, without creating one. */
export function _getCurrentLoop(): AbstractEventLoop | undefined {
  return currentLoops.get(getIdent());
}

/**
 * @internal Save the current thread's current loop (and whether setEventLoop was called
 * there); the returned function restores both, for a test fixture's scope.
 */
export function _saveCurrentLoop(): () => void {
  const ident = getIdent();
  const had = currentLoops.has(ident);
  const loop = currentLoops.get(ident);
  const called = setCalled.has(ident);
  return () => {
    if (had) currentLoops.set(ident, loop);
    else currentLoops.delete(ident);
    if (called) setCalled.add(ident);
    else setCalled.delete(ident);
  };
}

/**
 * Set the current event loop (undefined clears it).
 * @throws TypeError `loop must be an instance of AbstractEventLoop or None, not '…'`.
 * asyncio: asyncio.set_event_loop
 */
export function setEventLoop(loop: AbstractEventLoop | undefined | null): void {
  // asyncio's default policy refuses anything but a loop or None (JavaScript callers bypass types).
  if (loop !== undefined && loop !== null && typeof (loop as Partial<AbstractEventLoop>).callSoon !== 'function') {
    throw new TypeError(`loop must be an instance of AbstractEventLoop or None, not '${pyTypeName(loop)}'`);
  }
  const ident = getIdent();
  setCalled.add(ident);
  currentLoops.set(ident, loop ?? undefined);
}
