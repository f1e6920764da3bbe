// The asynchronous iteration protocol: an async iterable has `aiter()` (Python's
// `__aiter__`), an async iterator `anext()` (`__anext__`, an awaitable that raises
// StopAsyncIteration at the end); the free functions aiter() and anext(), with anext()'s
// default.
// asyncio: builtins.aiter / builtins.anext (and the anext_awaitable type)

import { StopAsyncIteration } from '../errors/exceptions.js';
import { objectId, pyTypeName, reprSymbol } from '../format/py-repr.js';
import { inheritGeneratorPrototype } from '../future/generator-like.js';
import { isFuture } from '../future/future.js';
import { isAwaitable, isCoroutine, type Awaitable, type Suspend } from './coroutine.js';

/** An async iterator: `anext()` returns an awaitable of the next item, raising StopAsyncIteration at the end. */
export interface AsyncIteratorLike<T> {
  anext(): Awaitable<T>;
}

/** An async iterable: `aiter()` returns its async iterator. */
export interface AsyncIterableLike<T> {
  aiter(): AsyncIteratorLike<T>;
}

/**
 * Return the async iterator of `aiterable` (its `aiter()`).
 *
 * @throws TypeError `'int' object is not an async iterable`; `aiter() returned not an
 * async iterator of type 'int'`.
 * @example const it = aiter(ticker(3));
 * asyncio: builtins.aiter
 */
export function aiter<I extends AsyncIteratorLike<unknown>>(aiterable: { aiter(): I }): I {
  if (arguments.length !== 1) throw new TypeError(`aiter expected 1 argument, got ${arguments.length}`);
  const method = (aiterable as { aiter?: unknown } | null | undefined)?.aiter;
  if (typeof method !== 'function') throw new TypeError(`'${pyTypeName(aiterable)}' object is not an async iterable`);
  const it: unknown = method.call(aiterable);
  if (typeof (it as { anext?: unknown } | null | undefined)?.anext !== 'function') {
    throw new TypeError(`aiter() returned not an async iterator of type '${pyTypeName(it)}'`);
  }
  return it as I;
}

// Python's `await x` of something that cannot be awaited fails at the await: this stands
// for such an x until then.
function* notAwaitable(x: unknown): Generator<Suspend, never, unknown> {
  throw new TypeError(`object ${pyTypeName(x)} can't be used in 'await' expression`);
}

/**
 * Return an awaitable of the next item of the async iterator `aiterator` (what its
 * `anext()` returns). With a default, the awaitable gives the default instead of
 * raising StopAsyncIteration at the end.
 *
 * @throws TypeError `'int' object is not an async iterator`; (when awaited) `object int
 * can't be used in 'await' expression` if `anext()` returned something not awaitable.
 * @example const first = yield* anext(ag, 'none');
 * asyncio: builtins.anext
 */
export function anext<T>(aiterator: AsyncIteratorLike<T>): Iterable<Suspend, T, unknown>;
export function anext<T, D>(aiterator: AsyncIteratorLike<T>, defaultValue: D): AnextAwaitable<T, D>;
export function anext<T, D>(aiterator: AsyncIteratorLike<T>, ...rest: [D?]): Iterable<Suspend, T, unknown> | AnextAwaitable<T, D> {
  if (arguments.length === 0) throw new TypeError('anext expected at least 1 argument, got 0');
  if (arguments.length > 2) throw new TypeError(`anext expected at most 2 arguments, got ${arguments.length}`);
  const method = (aiterator as { anext?: unknown } | null | undefined)?.anext;
  if (typeof method !== 'function') throw new TypeError(`'${pyTypeName(aiterator)}' object is not an async iterator`);
  const awaitable: unknown = method.call(aiterator);
  if (rest.length === 0) return awaited(awaitable) as Iterable<Suspend, T, unknown>;
  return new AnextAwaitable<T, D>(awaitable, rest[0] as D);
}

// What `await x` awaits, checked as Python checks it when it awaits: a coroutine or a
// future as it is; another awaitable through its iterator (Python's `__await__()`), which
// must be an iterator.
function awaited(x: unknown): Awaitable<unknown> {
  if (!isAwaitable(x)) return notAwaitable(x);
  if (isCoroutine(x) || isFuture(x)) return x;
  return checkedAwait(x);
}

function* checkedAwait(x: Awaitable<unknown>): Generator<Suspend, unknown, unknown> {
  const it = awaitIter(x);
  return yield* { [Symbol.iterator]: () => it };
}

// The iterator `yield*` would take from an awaitable, checked (Python's `__await__()`).
function awaitIter<T>(x: Awaitable<T>): Iterator<Suspend, T, unknown> {
  const it: unknown = x[Symbol.iterator]();
  if (typeof (it as { next?: unknown } | null | undefined)?.next !== 'function') {
    throw new TypeError(`__await__() returned non-iterator of type '${pyTypeName(it)}'`);
  }
  return it as Iterator<Suspend, T, unknown>;
}

type Outcome<T> = IteratorResult<Suspend, T>;

// A Generator by declaration merging (see tracked-coroutine.ts).
export interface AnextAwaitable<T, D> extends Generator<Suspend, T | D, unknown> {}
/**
 * What `anext(aiterator, default)` returns: awaits what the iterator's `anext()` returned,
 * giving the default where that raises StopAsyncIteration.
 * asyncio: anext_awaitable
 */
export class AnextAwaitable<T, D> {
  readonly #wrapped: unknown;
  readonly #default: D;
  #iter: Iterator<Suspend, T, unknown> | undefined;

  /** @internal */
  constructor(wrapped: unknown, defaultValue: D) {
    this.#wrapped = wrapped;
    this.#default = defaultValue;
  }

  // The awaitable's iterator (Python's `__await__()`), taken once.
  #getIter(): Iterator<Suspend, T, unknown> {
    if (this.#iter !== undefined) return this.#iter;
    const wrapped = this.#wrapped;
    if (!isAwaitable(wrapped)) throw new TypeError(`object ${pyTypeName(wrapped)} can't be used in 'await' expression`);
    return (this.#iter = awaitIter(wrapped as Awaitable<T>));
  }

  #proxy(call: (it: Iterator<Suspend, T, unknown>) => Outcome<T>): Outcome<T | D> {
    const it = this.#getIter();
    try {
      return call(it);
    } catch (e) {
      if (e instanceof StopAsyncIteration) return { done: true, value: this.#default };
      throw e;
    }
  }

  next(value?: unknown): Outcome<T | D> {
    return this.#proxy((it) => it.next(value));
  }

  throw(exc: unknown): Outcome<T | D> {
    return this.#proxy((it) => {
      if (it.throw === undefined) throw exc;
      return it.throw(exc);
    });
  }

  /** Close it (Python's `close()`): closes what it awaits. */
  return(value: T | D): Outcome<T | D> {
    return this.#proxy((it) => (it.return === undefined ? { done: true, value: value as T } : it.return(value as T)));
  }

  [Symbol.iterator](): AnextAwaitable<T, D> {
    return this;
  }

  toString(): string {
    return `<anext_awaitable object at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}
inheritGeneratorPrototype(AnextAwaitable);
