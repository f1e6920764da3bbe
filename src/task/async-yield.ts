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
 * What `emit(value)` yields: the value for the consumer of an async generator. Its own
 * iterator, for `yield*`: it yields itself once, then returns what the consumer sent.
 */
export class AsyncYield<Y, S = undefined> implements Iterator<AsyncYield<Y, S>, S | undefined, unknown> {
  /** The value given to the consumer. */
  readonly value: Y;
  #yielded = false;
  declare readonly [sentType]?: (sent: S) => void;

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

  throw(e: unknown): never {
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
 * consumer sends next (`asend(v)`), undefined for `anext()`. Only the body of a function
 * made by `asyncGenerator()` may emit: a task that meets the value refuses it (`Task got
 * bad yield`).
 *
 * @example
 * const ticker = asyncGenerator(function* ticker(n: number): AsyncGen<number> { for (let i = 0; i < n; i++) yield* emit(i); });
 * asyncio: yield (in an asynchronous generator)
 */
export function emit<Y, S = undefined>(value: Y): AsyncYield<Y, S> {
  return new AsyncYield<Y, S>(value);
}

/** @internal Whether `x` is emit()'s marker. */
export function _isAsyncYield(x: unknown): x is AsyncYield<unknown, unknown> {
  return x instanceof AsyncYield;
}
