// asCompleted(): awaitables in the order they complete. It lives in the sync layer
// because it is built on Queue, as CPython's is. asyncio: tasks.as_completed /
// tasks._AsCompletedIterator (3.13: eager, at call time)

import { StopAsyncIteration, TimeoutError } from '../errors/exceptions.js';
import { pyTypeName } from '../format/py-repr.js';
import { isFuture, type Future } from '../future/future.js';
import type { TimerHandle } from '../events/handle.js';
import { getEventLoop } from '../events/running-loop.js';
import { isCoroutine, type Awaitable, type Coro } from '../task/coroutine.js';
import { ensureFuture } from '../task/create-task.js';
import type { AwaitResult } from '../task/gather.js';
import { boundMethod } from '../format/named.js';
import { Queue } from './queue.js';
import { _libraryCoroutine, _libraryCoroutineMethods } from '../task/library-coroutine.js';
import type { AsyncIterableLike, AsyncIteratorLike } from '../task/aiter.js';

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /** Seconds after which the remaining awaits throw TimeoutError (undefined: never). */
  timeout?: number | null;
}

/**
 * The iterator `asCompleted` returns. As a plain iterator, each step gives a coroutine
 * that waits for the next awaitable to complete and returns its result (or throws its
 * exception). As an async iterator (`asyncFor`), each item is the next awaitable to
 * complete, as a future: the very future or task given, or the task made of a coroutine.
 * asyncio: tasks._AsCompletedIterator
 */
export class AsCompletedIterator<T> implements IterableIterator<Coro<T>>, AsyncIterableLike<Future<T>>, AsyncIteratorLike<Future<T>> {
  // Completed futures in completion order; undefined marks the timeout.
  readonly #done = new Queue<Future<T> | undefined>();
  #timeoutHandle: TimerHandle | undefined;
  // Insertion order stands for CPython's set order, which depends on addresses.
  readonly #todo: Set<Future<T>>;
  #todoLeft: number;

  constructor(aws: Iterable<Awaitable<T>>, timeout: number | undefined) {
    const loop = getEventLoop();
    this.#todo = new Set([...new Set(aws)].map((aw) => ensureFuture(aw as Future<T>, { loop })));
    for (const f of this.#todo) f.addDoneCallback(this.#handleCompletion);
    if (this.#todo.size > 0 && timeout !== undefined && timeout !== null) {
      this.#timeoutHandle = loop.callLater(timeout, this.#handleTimeout);
    }
    this.#todoLeft = this.#todo.size;
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** The next coroutine to await, until every awaitable was handed out. */
  next(): IteratorResult<Coro<T>, undefined> {
    if (this.#todoLeft === 0) return { done: true, value: undefined };
    this.#todoLeft--;
    return { done: false, value: waitForOne(this.#done, true) as Coro<T> };
  }

  /** Return itself, its own async iterator. asyncio: _AsCompletedIterator.__aiter__ */
  aiter(): this {
    return this;
  }

  /**
   * Wait for the next awaitable to complete and return it as a future; raise
   * StopAsyncIteration once every awaitable was handed out.
   *
   * @throws TimeoutError when the timeout passes first.
   * asyncio: _AsCompletedIterator.__anext__
   */
  *anext(): Coro<Future<T>> {
    if (this.#todoLeft === 0) throw new StopAsyncIteration();
    this.#todoLeft--;
    return (yield* waitForOne(this.#done, false)) as Future<T>;
  }

  #handleTimeout = boundMethod('_AsCompletedIterator._handle_timeout', (): void => {
    for (const f of this.#todo) {
      f.removeDoneCallback(this.#handleCompletion);
      this.#done.putNowait(undefined);
    }
    this.#todo.clear();
  });

  #handleCompletion = boundMethod('_AsCompletedIterator._handle_completion', (f: Future<T>): void => {
    // The timeout came first.
    if (this.#todo.size === 0) return;
    this.#todo.delete(f);
    this.#done.putNowait(f);
    if (this.#todo.size === 0) this.#timeoutHandle?.cancel();
  });
}

// asyncio: _AsCompletedIterator._wait_for_one (the next completed future, or with
// `resolve` its outcome).
const waitForOne = _libraryCoroutine('_AsCompletedIterator._wait_for_one', function* waitForOne<T>(done: Queue<Future<T> | undefined>, resolve: boolean): Coro<T | Future<T>> {
  const f = yield* done.get();
  if (f === undefined) throw new TimeoutError();
  return resolve ? f.result() : f;
});
_libraryCoroutineMethods(AsCompletedIterator.prototype, { anext: '_AsCompletedIterator.__anext__' });

/**
 * Run the awaitables concurrently (coroutines become tasks now) and return an iterator
 * of coroutines: awaiting the k-th gives the result of the k-th awaitable to complete.
 * With a timeout, the awaits still pending when it passes throw TimeoutError.
 *
 * Iterated with `asyncFor` (3.13's `async for`), it gives the awaitables themselves as
 * they complete (as futures: a task made of a coroutine stands for it).
 *
 * @throws TypeError `expects an iterable of awaitables, not …` for a single awaitable.
 * @example
 * for (const next of asCompleted([a, b, c])) console.log(yield* next);
 * yield* asyncFor(asCompleted([t1, t2]), function* (t) { console.log(t.result()); });
 * asyncio: asyncio.as_completed
 */
export function asCompleted<A extends Awaitable<unknown>>(aws: Iterable<A>, options?: AsCompletedOptions): AsCompletedIterator<AwaitResult<A>> {
  if (isFuture(aws) || isCoroutine(aws)) {
    throw new TypeError(`expects an iterable of awaitables, not ${isCoroutine(aws) ? 'coroutine' : pyTypeName(aws)}`);
  }
  return new AsCompletedIterator(aws as Iterable<Awaitable<AwaitResult<A>>>, options?.timeout ?? undefined);
}
