// The iterator behind `yield* future`: yield the future while it is pending, then
// return its result. asyncio: the C FutureIter (Future.__await__ / __iter__)

import { RuntimeError } from '../errors/exceptions.js';
import type { Future } from './future.js';
import { inheritGeneratorPrototype } from './generator-like.js';

// A Generator by declaration merging, not `implements`: newer type libraries add members to
// Generator (`[Symbol.dispose]` with @types/node 24+), which the prototype chain supplies.
export interface FutureIter<T> extends Generator<Future<unknown>, T, unknown> {}
/** @internal The iterator `yield* fut` drives; one per await. */
export class FutureIter<T> {
  #future: Future<T> | undefined;

  constructor(future: Future<T>) {
    this.#future = future;
  }

  next(): IteratorResult<Future<unknown>, T> {
    const fut = this.#future;
    if (fut === undefined) return { done: true, value: undefined as T };
    if (!fut.done()) {
      // asyncio: the task clears the flag when it takes the future; a second resume while
      // the flag is still set means something other than a task drove this await.
      if (!fut._asyncioFutureBlocking) {
        fut._asyncioFutureBlocking = true;
        return { done: false, value: fut as Future<unknown> };
      }
      throw new RuntimeError("await wasn't used with future");
    }
    this.#future = undefined;
    return { done: true, value: fut.result() };
  }

  throw(e: unknown): IteratorResult<Future<unknown>, T> {
    this.#future = undefined;
    throw e;
  }

  return(value: T): IteratorResult<Future<unknown>, T> {
    this.#future = undefined;
    return { done: true, value };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
inheritGeneratorPrototype(FutureIter);
