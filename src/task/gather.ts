// gather(): run awaitables concurrently and collect their results in argument order.
// asyncio: tasks.gather / tasks._GatheringFuture

import { CancelledError } from '../errors/exceptions.js';
import { Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { getEventLoop } from '../events/running-loop.js';
import type { Awaitable } from './coroutine.js';
import { ensureFuture } from './create-task.js';
import { named } from '../format/named.js';

/** Options of `gather`. */
export interface GatherOptions {
  /** Put exceptions (and CancelledErrors) in the result list instead of failing. */
  returnExceptions?: boolean | null;
}

/** The result type of awaiting `A` (a Future, a Task or a coroutine). */
export type AwaitResult<A> = A extends Awaitable<infer T> ? T : never;

/**
 * The future `gather` returns. Cancelling it cancels every child that is not done yet;
 * it is marked cancelled only once the children have finished.
 * asyncio: tasks._GatheringFuture
 */
export class GatheringFuture<T> extends Future<T> {
  static {
    Object.defineProperty(this, 'name', { value: '_GatheringFuture' });
  }

  /** @internal */ readonly _children: Future<unknown>[];
  /** @internal */ _cancelRequested = false;

  constructor(children: Future<unknown>[], loop: AbstractEventLoop) {
    super({ loop });
    this._children = children;
  }

  /** Cancel every child still running; returns whether any child accepted. */
  override cancel(msg?: unknown): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) if (child.cancel(msg)) ret = true;
    if (ret) this._cancelRequested = true;
    return ret;
  }
}

function isOptions(x: unknown): x is GatherOptions {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Run the awaitables concurrently and resolve to the list of their results, in the
 * order given (coroutines are wrapped in tasks, scheduled in argument order; the same
 * object passed twice runs once).
 *
 * Without `returnExceptions`, the first exception (a cancelled child counts as raising
 * CancelledError) is set on the returned future at once; the other children keep
 * running. With it, exceptions are results. Cancelling the returned future cancels the
 * children; it then ends cancelled (with a CancelledError exception) once they finish.
 * With no awaitables, the result is an empty list, already set.
 *
 * The awaitables may also come as one array, `gather(aws, options?)`: the same as
 * `gather(...aws, options?)` (Python's `gather(*aws)`), for lists too long to spread
 * (JavaScript limits a call to about 10^5 arguments). An array is never an awaitable, so
 * the two forms cannot be confused.
 *
 * @throws TypeError `An asyncio.Future, a coroutine or an awaitable is required` for an
 * argument that is none of them; `unhashable type: 'list'` for an array among other
 * arguments.
 * @example
 * const [a, b] = yield* gather(fetch(1), fetch(2));
 * const all = yield* gather(tasks, { returnExceptions: true });
 * asyncio: asyncio.gather
 */
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options?: GatherOptions & { returnExceptions?: false | null }): GatheringFuture<{ -readonly [K in keyof A]: AwaitResult<A[K]> }>;
export function gather<const A extends readonly Awaitable<unknown>[]>(aws: A, options: GatherOptions): GatheringFuture<{ -readonly [K in keyof A]: AwaitResult<A[K]> | unknown }>;
export function gather<const A extends readonly Awaitable<unknown>[]>(...aws: A): GatheringFuture<{ -readonly [K in keyof A]: AwaitResult<A[K]> }>;
export function gather<const A extends readonly Awaitable<unknown>[]>(...args: [...A, GatherOptions & { returnExceptions?: false | null }]): GatheringFuture<{ -readonly [K in keyof A]: AwaitResult<A[K]> }>;
export function gather<const A extends readonly Awaitable<unknown>[]>(...args: [...A, GatherOptions]): GatheringFuture<{ -readonly [K in keyof A]: AwaitResult<A[K]> | unknown }>;
export function gather(...given: unknown[]): Future<unknown[]> {
  const last = given[given.length - 1];
  const options = given.length > 0 && isOptions(last) ? (given.pop() as GatherOptions) : undefined;
  const returnExceptions = options?.returnExceptions === true;
  // The array form, copied as `gather(*aws)` copies: an eager task started below may
  // change the caller's array.
  const args: readonly unknown[] = given.length === 1 && Array.isArray(given[0]) ? (given[0] as unknown[]).slice() : given;
  if (args.length === 0) {
    const outer = getEventLoop().createFuture<unknown[]>();
    if (_tracer !== undefined) _tracer.futureRole(outer, 'gather');
    outer.setResult([]);
    return outer;
  }

  let outer: GatheringFuture<unknown[]> | undefined;
  const children: Future<unknown>[] = [];
  let nfuts = 0;
  let nfinished = 0;

  const doneCallback = named('gather.<locals>._done_callback', (fut: Future<unknown>): void => {
    nfinished++;
    if (outer === undefined || outer.done()) {
      // Mark the exception retrieved: gather already reported (or was cancelled).
      if (!fut.cancelled()) fut.exception();
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer.setException(fut._makeCancelledError());
        return;
      }
      const exc = fut.exception();
      if (exc !== undefined) {
        // Carried as it is: a child may have thrown a value that is not an Error.
        outer._setExceptionCarried(exc);
        return;
      }
    }
    if (nfinished === nfuts) {
      const results = children.map((child) => {
        if (child.cancelled()) {
          const msg = child._cancelMessage;
          return new CancelledError(msg === undefined || msg === null ? '' : msg);
        }
        const exc = child.exception();
        return exc === undefined ? child.result() : exc;
      });
      if (outer._cancelRequested) {
        // asyncio: the error comes from the last child, whatever the one that finished.
        outer.setException(children[children.length - 1]!._makeCancelledError());
      } else {
        outer.setResult(results);
      }
    }
  });

  const argToFut = new Map<unknown, Future<unknown>>();
  const doneFuts: Future<unknown>[] = [];
  let loop: AbstractEventLoop | undefined;
  for (const arg of args) {
    // asyncio: gather looks each argument up in a dict, and a list cannot be a key.
    if (Array.isArray(arg)) throw new TypeError("unhashable type: 'list'");
    let fut = argToFut.get(arg);
    if (fut === undefined) {
      fut = ensureFuture(arg as Awaitable<unknown> as Future<unknown>, loop === undefined ? undefined : { loop });
      loop ??= fut._loop;
      // A task gather made itself is awaited through gather; don't report it separately.
      if (fut !== arg) (fut as Future<unknown> & { _logDestroyPending?: boolean })._logDestroyPending = false;
      nfuts++;
      argToFut.set(arg, fut);
      if (fut.done()) doneFuts.push(fut);
      else fut.addDoneCallback(doneCallback);
    }
    children.push(fut);
  }
  outer = new GatheringFuture<unknown[]>(children, loop!);
  // Children that were already done complete gather now (3.12+), not a loop iteration later.
  for (const fut of doneFuts) doneCallback(fut);
  return outer;
}
