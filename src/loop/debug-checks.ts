// What debug mode checks about a callback before the loop takes it: no coroutine, no
// coroutine function, something callable.
// asyncio: BaseEventLoop._check_callback

import { repr } from '../format/py-repr.js';
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
