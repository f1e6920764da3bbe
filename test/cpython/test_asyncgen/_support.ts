// Port of CPython 3.13's Lib/test/test_asyncgen.py (issue 19): async generators written
// with asyncGenerator() and emit(), consumed with asyncFor(), anext() and their methods.
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: the module's helpers (awaitable, run_until_complete, to_list, py_anext) and
// the loop AsyncGenAsyncioTest sets up for each test.

import { afterEach, beforeEach, expect } from 'vitest';
import {
  asyncFor, coroutine, EventLoop, setEventLoop, StopAsyncIteration, type AsyncIterableLike, type AsyncIteratorLike, type Coro,
} from '../../../src/index.js';

/** The module's AwaitException: what run_until_complete throws in on ('throw',). */
export class AwaitException extends Error {}

/**
 * `@types.coroutine def awaitable(*, throw=False)`: yields ('result',) or ('throw',) to
 * whoever drives the coroutine (run_until_complete, or a test by hand).
 */
export function* awaitable(options?: { throw?: boolean }): Generator<never, void, unknown> {
  yield (options?.throw === true ? ['throw'] : ['result']) as never;
}

/**
 * The module's run_until_complete: drive `coro` by hand, throwing AwaitException in after
 * it yields ('throw',); return what it returns.
 */
export function runUntilComplete<T>(coro: Generator<unknown, T, unknown>): T {
  let exc = false;
  for (;;) {
    const r = exc ? coro.throw(new AwaitException()) : coro.next();
    exc = false;
    if (r.done === true) return r.value;
    if (Array.isArray(r.value) && r.value[0] === 'throw') exc = true;
  }
}

/** The module's to_list: iterate `gen` with `async for`, driven by run_until_complete. */
export function toList<T>(gen: AsyncIterableLike<T>): T[] {
  function* iterate(): Coro<T[]> {
    const res: T[] = [];
    yield* asyncFor(gen, function* (i) {
      res.push(i);
    });
    return res;
  }
  return runUntilComplete(iterate());
}

/** Python's StopIteration(value) out of `send`/`next`: the value of a finished step. */
export function stopValue(r: IteratorResult<unknown, unknown>): unknown {
  expect(r.done).toBe(true);
  return r.value;
}

const NO_DEFAULT = Symbol('no default');

/**
 * The module's py_anext: anext() in Python terms (`type(it).__anext__`, and with a
 * default a coroutine that turns StopAsyncIteration into it).
 */
export function pyAnext<T, D>(iterator: AsyncIteratorLike<T>, defaultValue: D | typeof NO_DEFAULT = NO_DEFAULT): Coro<T | D> {
  const method = (iterator as { anext?: unknown }).anext;
  if (typeof method !== 'function') throw new TypeError(`${String(iterator)} is not an async iterator`);
  if (defaultValue === NO_DEFAULT) return method.call(iterator) as Coro<T>;
  return anextImpl(iterator, method, defaultValue);
}

// py_anext's `async def anext_impl()`: a tracked coroutine, so that a finished one cannot be
// awaited again, as a Python coroutine.
const anextImpl = coroutine(function* anextImpl<T, D>(iterator: unknown, method: Function, defaultValue: D): Coro<T | D> {
  try {
    return yield* (method.call(iterator) as Coro<T>);
  } catch (e) {
    if (e instanceof StopAsyncIteration) return defaultValue;
    throw e;
  }
});

/** AsyncGenAsyncioTest.setUp/tearDown: a new loop per test, no current loop; closed after. */
export function loopPerTest(set: (loop: EventLoop) => void): void {
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    set(loop);
    setEventLoop(undefined);
  });
  afterEach(() => {
    loop.close();
  });
}
