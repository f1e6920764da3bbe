// What debug mode checks about a callback: before the loop takes it, that it is no
// coroutine, no coroutine function, and callable; when it runs, how long it takes.
// asyncio: BaseEventLoop._check_callback, and _run_once's slow-callback warning

import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import { repr } from '../format/py-repr.js';
import type { Handle } from '../events/handle.js';
import { logger } from '../log/asyncio-logger.js';
import { Task } from '../task/task.js';
import type { EventLoop } from './event-loop.js';
import { isCoroutine } from '../task/coroutine.js';
import { _isCoroutineFunction } from '../task/tracked-coroutine.js';

/** @internal Whether `fn` is a generator function, or a coroutine() function (which is a coroutine function too). */
export function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn.constructor?.name === 'GeneratorFunction' || _isCoroutineFunction(fn));
}

/**
 * @internal Refuse a coroutine, a coroutine function or a non-callable as `method`'s callback.
 * @throws TypeError `coroutines cannot be used with …()` / `a callable object was expected by …(), got …`.
 */
export function checkCallback(callback: unknown, method: string): void {
  if (isCoroutine(callback) || isGeneratorFunction(callback)) {
    throw new TypeError(`coroutines cannot be used with ${method}()`);
  }
  if (typeof callback !== 'function') {
    throw new TypeError(`a callable object was expected by ${method}(), got ${repr(callback)}`);
  }
}

// Real time, only for the opt-in measureRealTime mode.
function realSeconds(): number {
  return (globalThis as { performance?: { now(): number } }).performance!.now() / 1000;
}

// asyncio: base_events._format_handle — a task's step is shown as the task.
function formatHandle(handle: Handle): string {
  const owner = (handle._callback as MarkedCallback | undefined)?.[callbackSelf];
  return owner instanceof Task ? repr(owner) : String(handle);
}

/**
 * @internal Run `handle` as debug mode does: as the loop's current handle, logging a
 * WARNING when it took `slowCallbackDuration` or more (virtual time, plus real time
 * with `measureRealTime`).
 */
export function runTimed(loop: EventLoop, handle: Handle, measureRealTime: boolean): void {
  try {
    loop._currentHandle = handle;
    const t0 = loop._selector.now;
    const r0 = measureRealTime ? realSeconds() : 0;
    handle._run();
    let dt = loop._selector.now - t0;
    if (measureRealTime) dt += realSeconds() - r0;
    if (dt >= loop.slowCallbackDuration) {
      logger.warning('Executing %s took %.3f seconds', formatHandle(handle), dt);
    }
  } finally {
    loop._currentHandle = undefined;
  }
}
