// Coroutines in aiosim are generator objects: `yield*` is `await`, a bare `yield` is
// one loop iteration. This file holds their type, the coroutine test, their repr and the
// hint for a promise given where a coroutine is needed.
// asyncio: coroutines.iscoroutine / _format_coroutine

import { pyTypeName } from '../format/py-repr.js';
import { generatorInfo, generatorName } from '../format/source-location.js';
import { type Future, isFuture } from '../future/future.js';
import { _isAsyncYield } from './async-yield.js';

/** What a coroutine may yield to its task: a Future it awaits, or nothing (a bare yield). */
export type Suspend = Future<unknown> | undefined;

/**
 * A coroutine returning `T`: the generator a `function*` produces.
 *
 * @example
 * function* fetchValue(): Coro<number> { yield* sleep(1); return 42; }
 */
export type Coro<T> = Generator<Suspend, T, unknown>;

/** Anything `yield*` accepts as an await: a Future, a Task or a coroutine. */
export type Awaitable<T> = { [Symbol.iterator](): Iterator<unknown, T, unknown> };

// Containers iterate over values they hold; they await nothing (Python's list, dict, set,
// str, bytes and arrays are not awaitable either).
const BUILTIN_ITERABLES = [Array, Map, Set, String, ArrayBuffer, Object.getPrototypeOf(Int8Array)];

/**
 * Return whether `yield*` can await `obj`: a coroutine, a Future or Task, or another
 * object whose `[Symbol.iterator]()` drives an await (Python's `__await__`). Containers
 * (arrays, maps, sets, strings, typed arrays) and plain iterators (objects with their own
 * `next` that are not coroutines, such as `[1, 2].values()`) are not awaitable.
 * asyncio: inspect.isawaitable
 */
export function isAwaitable(obj: unknown): obj is Awaitable<unknown> {
  if (typeof obj !== 'object' || obj === null) return false;
  if (isCoroutine(obj)) return true;
  if (BUILTIN_ITERABLES.some((c) => obj instanceof c)) return false;
  const o = obj as { [Symbol.iterator]?: unknown; next?: unknown };
  return typeof o[Symbol.iterator] === 'function' && typeof o.next !== 'function';
}

/**
 * Check that `obj` can be awaited, as Python's `await obj` does before awaiting.
 *
 * @throws TypeError `object int can't be used in 'await' expression`.
 */
export function checkAwaitable(obj: unknown): void {
  if (!isAwaitable(obj)) throw new TypeError(`object ${pyTypeName(obj)} can't be used in 'await' expression`);
}

/** The generator a tracked coroutine (`coroutine(fn)`) drives, read by reprs. */
export const coroutineTarget: unique symbol = Symbol('aiosim.coroutineTarget');

/**
 * @internal A coroutine object without code of its own (an async generator's `asend` or
 * `athrow` awaitable) says how a task's repr shows it, as asyncio's `_format_coroutine`
 * shows a built-in coroutine type: its name only.
 */
export const coroutineText: unique symbol = Symbol('aiosim.coroutineText');

// %GeneratorPrototype%: the prototype of every generator function's `prototype`.
const GENERATOR_PROTOTYPE: object = Object.getPrototypeOf(function* () {}.prototype) as object;

/** Extra facts a coroutine object may carry (set by `coroutine(fn)` wrappers). */
export interface CoroutineMeta {
  /** The coroutine function's name, as asyncio prints `__qualname__`. */
  __name__?: string;
}

/**
 * Return whether `obj` is a coroutine object: a generator (anything with `next`,
 * `throw` and `return` that is its own iterator).
 * asyncio: asyncio.iscoroutine
 */
export function isCoroutine(obj: unknown): obj is Generator<unknown, unknown, unknown> {
  if (typeof obj !== 'object' || obj === null) return false;
  // A generator function's generator (the common case) is one without looking further.
  if (Object.getPrototypeOf(Object.getPrototypeOf(obj)) === GENERATOR_PROTOTYPE) return true;
  const g = obj as Partial<Generator>;
  return typeof g.next === 'function' && typeof g.throw === 'function' && typeof g.return === 'function' && typeof g[Symbol.iterator] === 'function';
}

/**
 * @internal What to add to asyncio's message when a thenable (an async function's
 * promise, most likely) was given where a coroutine is needed, or a task met an async
 * generator's emit(): only JavaScript has them, so the hint says what to do. Empty for
 * anything else, whose message stays CPython's.
 */
export function _promiseHint(obj: unknown): string {
  if (_isAsyncYield(obj)) {
    return ' (yield* emit() belongs in the body of a function made by asyncGenerator(): iterate its objects with asyncFor() or anext(), do not run the body as a coroutine)';
  }
  // Futures are thenables too, and Python-expressible: their messages stay CPython's.
  const isThenable = typeof obj === 'object' && obj !== null && typeof (obj as { then?: unknown }).then === 'function' && !isFuture(obj);
  return isThenable
    ? " (a promise, which no task can run: make the async function a coroutine function with asyncCoroutine() from 'aiosim/testing', or write it as a generator function)"
    : '';
}

/**
 * Return asyncio's text for a coroutine inside a Task repr:
 * `name() running at file:line` while it can still run, `name() done, defined at file:line`
 * once it has finished.
 * asyncio: coroutines._format_coroutine
 */
export function formatCoroutine(coro: object): string {
  const text = (coro as { [coroutineText]?: () => string })[coroutineText];
  if (text !== undefined) return text.call(coro);
  // A tracked coroutine (coroutine(fn)) is a wrapper: inspect the generator it drives.
  const target = (coro as { [coroutineTarget]?: object })[coroutineTarget];
  const info = generatorInfo(target ?? coro);
  const name = (coro as CoroutineMeta).__name__ ?? generatorName(info) ?? `<${coro.constructor?.name || 'coroutine'} without __name__>`;
  return info.closed ? `${name}() done, defined at ${info.site}` : `${name}() running at ${info.site}`;
}
