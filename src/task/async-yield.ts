// emit(): how an async generator written as a generator function gives a value to its
// consumer (Python's `yield` inside an `async def`), as opposed to awaiting (`yield*` of a
// future or coroutine, whose yields go to the driving task). `yield* emit(v)` yields a
// marker the generator object recognises, and evaluates to what `asend()` sent.
// asyncio: the interpreter's async_generator_wrapped_value

import { reprSymbol, repr } from '../format/py-repr.js';
import type { Suspend } from './coroutine.js';

// Only in types: makes S part of AsyncYield<Y, S>, so that the body's declared type tells
// `yield* emit(v)` what asend() sends.
declare const sentType: unique symbol;

/**
 * What a body yields to give `value` to the consumer of its async generator (`yield*
 * emit(value)` yields it). `S` is what the consumer may send back (`asend`).
 */
export interface AsyncYield<Y, S = undefined> {
  /** The value given to the consumer. */
  readonly value: Y;
  readonly [sentType]?: (sent: S) => void;
}

/** What `emit()` returns: `yield*` of it yields the AsyncYield and evaluates to what was sent. */
export interface Emit<Y, S = undefined> extends AsyncYield<Y, S> {
  [Symbol.iterator](): Iterator<AsyncYield<Y, S>, S | undefined, unknown>;
}

// emit()'s object: the marker and its own iterator, which yields it once, then returns
// what the consumer sent.
class AsyncYieldMarker<Y, S> implements Iterator<AsyncYield<Y, S>, S | undefined, unknown> {
  readonly value: Y;
  #yielded = false;

  constructor(value: Y) {
    this.value = value;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(sent?: unknown): IteratorResult<AsyncYield<Y, S>, S | undefined> {
    if (this.#yielded) return { done: true, value: sent as S | undefined };
    this.#yielded = true;
    return { done: false, value: this };
  }

  throw(e: unknown): IteratorResult<AsyncYield<Y, S>, S | undefined> {
    throw e;
  }

  return(value?: S): IteratorResult<AsyncYield<Y, S>, S | undefined> {
    return { done: true, value };
  }

  toString(): string {
    return `emit(${repr(this.value)})`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}

/**
 * The generator type of an async generator's body yielding values of type `Y` (with
 * `yield* emit(value)`), to which `asend()` sends values of type `S`. Its other yields are
 * awaits (`yield* sleep(1)`). It returns nothing: Python's async generators cannot return
 * a value.
 *
 * @example
 * function* ticker(n: number): AsyncGen<number> { for (let i = 0; i < n; i++) { yield* sleep(1); yield* emit(i); } }
 */
export type AsyncGen<Y, S = undefined> = Generator<Suspend | AsyncYield<Y, S>, void, unknown>;

/**
 * Give `value` to the consumer of the async generator whose body this is: `yield*
 * emit(value)` is Python's `yield value` inside an `async def`. It evaluates to what the
 * consumer sends next (`asend(v)`), undefined for `anext()`: typed `unknown` unless the
 * call says what is sent, `emit<Y, S>(value)` in an `AsyncGen<Y, S>` body. Only the body
 * of a function made by `asyncGenerator()` may emit: a task that meets the value refuses
 * it (`Task got bad yield`).
 *
 * @example
 * const ticker = asyncGenerator(function* ticker(n: number): AsyncGen<number> { for (let i = 0; i < n; i++) yield* emit(i); });
 * asyncio: yield (in an asynchronous generator)
 */
export function emit<Y, S = unknown>(value: Y): Emit<Y, S> {
  return new AsyncYieldMarker<Y, S>(value);
}

/** @internal Whether `x` is emit()'s marker. */
export function _isAsyncYield(x: unknown): x is AsyncYield<unknown, never> {
  return x instanceof AsyncYieldMarker;
}
