// `async for` for generator coroutines: asyncFor(aiterable, body), with break, continue
// and an early return of the enclosing coroutine expressed by what the body returns.
// asyncio: the async for statement (PEP 492)

import { StopAsyncIteration } from '../errors/exceptions.js';
import { pyTypeName, repr } from '../format/py-repr.js';
import type { AsyncIterableLike, AsyncIteratorLike } from './aiter.js';
import { AsyncGeneratorObject } from './async-generator.js';
import { isAwaitable, type Coro, type Suspend } from './coroutine.js';
import { _libraryCoroutine } from './library-coroutine.js';

const BREAK: unique symbol = Symbol('asyncFor.BREAK');
const CONTINUE: unique symbol = Symbol('asyncFor.CONTINUE');

/** What the body returns to leave the enclosing coroutine: `{ return: value }`. */
export interface LoopReturn<R> {
  readonly return: R;
}

/**
 * What an `asyncFor` body may return: nothing (or `asyncFor.CONTINUE`) to go on with the
 * next item, `asyncFor.BREAK` to leave the loop, `{ return: value }` to leave the loop and
 * have the enclosing coroutine return `value`.
 */
export type LoopExit<R> = void | undefined | typeof BREAK | typeof CONTINUE | LoopReturn<R>;

function isLoopReturn(x: unknown): x is LoopReturn<unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype && Object.keys(x).length === 1 && 'return' in x;
}

// asyncio (the interpreter): GET_AITER, with its messages.
function getAiter<T>(aiterable: AsyncIterableLike<T>): AsyncIteratorLike<T> {
  const method = (aiterable as { aiter?: unknown } | null | undefined)?.aiter;
  if (typeof method !== 'function') throw new TypeError(`'async for' requires an object with __aiter__ method, got ${pyTypeName(aiterable)}`);
  const it: unknown = method.call(aiterable);
  if (typeof (it as { anext?: unknown } | null | undefined)?.anext !== 'function') {
    throw new TypeError(`'async for' received an object from __aiter__ that does not implement __anext__: ${pyTypeName(it)}`);
  }
  return it as AsyncIteratorLike<T>;
}

// asyncio (the interpreter): GET_ANEXT, with its message.
function getAnext<T>(it: AsyncIteratorLike<T>): Iterable<Suspend, T> {
  const aw: unknown = it.anext();
  if (!isAwaitable(aw)) throw new TypeError(`'async for' received an invalid object from __anext__: ${pyTypeName(aw)}`);
  return aw as Iterable<Suspend, T>;
}

type AsyncForFn = <T, R = never>(aiterable: AsyncIterableLike<T>, body: (item: T) => Coro<LoopExit<R>>) => Coro<LoopReturn<R> | undefined>;

/**
 * Run `body` for each item of `aiterable`, as Python's `async for item in aiterable:`:
 * get its iterator (`aiter()`), await `anext()` for each item, stop when that raises
 * StopAsyncIteration. The body (a generator function, which may await) returns nothing
 * to go on, `asyncFor.BREAK` to leave the loop, `asyncFor.CONTINUE` to go on, or `{ return:
 * value }`, which asyncFor returns (the enclosing coroutine returns `value`: `if (r) return
 * r.return`); asyncFor returns undefined otherwise. An exception in the body propagates.
 * Leaving early does not close an async generator, as in Python: it is finished by
 * `aclose()`, by a collection point, or by `shutdownAsyncgens()` at the end of `run()`.
 *
 * @throws TypeError `'async for' requires an object with __aiter__ method, got int` (and
 * asyncio's other two messages for a bad iterator), or for a body result of another kind.
 * @example
 * const r = yield* asyncFor(ticker(10), function* (i) {
 *   if (i === 2) return asyncFor.CONTINUE;
 *   if (i === 5) return { return: i };
 * });
 * if (r) return r.return;
 * asyncio: the async for statement
 */
export const asyncFor: AsyncForFn & { readonly BREAK: typeof BREAK; readonly CONTINUE: typeof CONTINUE } = Object.assign(
  _libraryCoroutine('asyncFor', function* asyncFor<T, R>(aiterable: AsyncIterableLike<T>, body: (item: T) => Coro<LoopExit<R>>): Coro<LoopReturn<R> | undefined> {
    const it = getAiter(aiterable);
    // While the loop runs it holds the generator, which a collection point must not free.
    const held = it instanceof AsyncGeneratorObject ? it : undefined;
    if (held !== undefined) held._heldBy++;
    try {
      for (;;) {
        const next = getAnext(it);
        let item: T;
        try {
          item = yield* next;
        } catch (e) {
          if (e instanceof StopAsyncIteration) return undefined;
          throw e;
        }
        const exit = yield* body(item);
        if (exit === undefined || exit === CONTINUE) continue;
        if (exit === BREAK) return undefined;
        if (isLoopReturn(exit)) return exit as LoopReturn<R>;
        throw new TypeError(`an asyncFor body returns nothing, asyncFor.BREAK, asyncFor.CONTINUE or { return: value }, not ${repr(exit)}`);
      }
    } finally {
      if (held !== undefined) held._heldBy--;
    }
  }) as AsyncForFn,
  { BREAK, CONTINUE } as const,
);
