// What the asynchronous driver (async-run.ts) and async-function coroutines
// (async-coroutine.ts) share: which loop is driven, whether the deferred step has an
// outcome yet, and which coroutine's code the pending microtasks belong to.
// asyncio: none (the bridge between JavaScript's microtasks and a task's steps)

import { RuntimeError } from '../errors/exceptions.js';
import { world } from '../runtime/world.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { _getRunningLoop } from '../events/running-loop.js';
import type { AsyncCoroutine } from './async-coroutine.js';

/** @internal The state of one asynchronous run of a loop. */
export interface Drive {
  loop: AbstractEventLoop;
  /** Whether the deferred step has an outcome (its task can take it). */
  ready: boolean;
  /** Set while the driver waits for a foreign promise: called when the outcome is there. */
  wake: (() => void) | undefined;
}

let drive: Drive | undefined;

/**
 * @internal `active`: the async-function coroutine whose code the pending microtasks run
 * (its task's step is deferred); an `await` of an aiosim awaitable then is its await.
 */
export const shared: { active: AsyncCoroutine<unknown> | undefined } = { active: undefined };

/** @internal Start driving `loop` asynchronously (one driver at a time: one loop runs at a time). */
export function _beginDrive(loop: AbstractEventLoop): Drive {
  if (drive !== undefined) throw new RuntimeError('Cannot run the event loop while another loop is running');
  drive = { loop, ready: false, wake: undefined };
  shared.active = undefined;
  return drive;
}

/** @internal The run of a loop under way, if any. */
export function _activeDrive(): Drive | undefined {
  return drive;
}

/** @internal */
export function _endDrive(d: Drive): void {
  if (drive === d) drive = undefined;
  shared.active = undefined;
}

/** @internal The task took the deferred step's outcome: the next step starts afresh. */
export function _stepTaken(d: Drive): void {
  d.ready = false;
  shared.active = undefined;
}

/** @internal The deferred step has its outcome (the coroutine suspended, returned or threw). */
export function outcomeReady(): void {
  const d = drive;
  if (d === undefined) return;
  d.ready = true;
  const wake = d.wake;
  d.wake = undefined;
  wake?.();
}

/**
 * @internal Check that the running loop is driven asynchronously before a coroutine's
 * step may go on in microtasks.
 * @throws RuntimeError naming the coroutine and runUntilCompleteAsync (or the blocked thread).
 */
export function checkDriven(name: string): void {
  const loop = _getRunningLoop();
  if (loop === undefined || drive === undefined || drive.loop !== loop) {
    throw new RuntimeError(`${name}() is an async-function coroutine: run its loop with runUntilCompleteAsync(), which lets its awaits go on between the loop's callbacks`);
  }
  // A simulated thread blocked in an atomic body lets the loop iterate below it: the
  // JavaScript stack is not empty there, so no microtask can run until the thread's body returns.
  if (world._idleLoop !== undefined) {
    throw new RuntimeError(`${name}() is an async-function coroutine: it cannot run while a simulated thread blocks in an atomic body (fut.result(), thread.join()) and the loop iterates under it`);
  }
}
