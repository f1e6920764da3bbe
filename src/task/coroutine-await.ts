// `await coro` in JavaScript: aiosim's own coroutine objects (sleep()'s, those of its
// other coroutine functions, and `coroutine(fn)` ones) are thenables, so that `await
// sleep(1)` inside an async-function coroutine (aiosim/testing) awaits the coroutine,
// and anywhere else fails loudly instead of giving back the coroutine object.
// asyncio: await (of a coroutine); plain generators cannot be given a then() and are not thenables

import { RuntimeError } from '../errors/exceptions.js';
import { _driverTakesAwait } from './step-driver.js';

/**
 * @internal Await `awaited` (a coroutine or another `yield*` awaitable) in the task whose
 * async-function coroutine is running: it runs inline there, as `await` in Python. With
 * none running, the promise rejects: only a task can drive a coroutine.
 */
export function _awaitInTask<T>(awaited: object, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!_driverTakesAwait(awaited, resolve, reject)) {
      reject(new RuntimeError(`await ${what} outside a task: only an asyncCoroutine function running in a task can await a coroutine (run it with runUntilCompleteAsync())`));
    }
  });
}

/** @internal The then() of a tracked coroutine object named `name`. */
export function _coroutineThen<T, R1, R2>(
  coro: object,
  name: string,
  onFulfilled: ((value: T) => R1 | PromiseLike<R1>) | null | undefined,
  onRejected: ((reason: unknown) => R2 | PromiseLike<R2>) | null | undefined,
): Promise<R1 | R2> {
  return _awaitInTask<T>(coro, `${name}()`).then(onFulfilled, onRejected);
}
