// wait(): wait for a set of futures until the first completes, the first fails, or all
// complete, with an optional timeout. asyncio: tasks.wait / tasks._wait

import { ValueError } from '../errors/exceptions.js';
import { pyStr, pyTypeName } from '../format/py-repr.js';
import { isFuture, type Future } from '../future/future.js';
import { _tracer } from '../log/trace-hook.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import type { TimerHandle } from '../events/handle.js';
import { getRunningLoop } from '../events/running-loop.js';
import { isCoroutine, type Coro } from './coroutine.js';
import { named } from '../format/named.js';
import { _libraryCoroutine } from './library-coroutine.js';

/** Return when any future finishes or is cancelled. asyncio: asyncio.FIRST_COMPLETED */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** Return when any future finishes by raising (or all finish). asyncio: asyncio.FIRST_EXCEPTION */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** Return when all futures finish or are cancelled. asyncio: asyncio.ALL_COMPLETED */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** One of FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of `wait`. */
export interface WaitOptions {
  /** Seconds to wait at most (undefined: no limit). A timeout does not raise. */
  timeout?: number | null;
  returnWhen?: ReturnWhen;
}

/** @internal asyncio: tasks._release_waiter */
export const _releaseWaiter = named('_release_waiter', (waiter: Future<unknown>, ..._args: unknown[]): void => {
  if (!waiter.done()) waiter.setResult(undefined);
});

/**
 * Wait for the futures (or tasks) in `fs` and return `[done, pending]`, two Sets in the
 * order the futures were given (duplicates count once).
 *
 * @throws TypeError for a single future or coroutine, or when `fs` holds coroutines
 * ('Passing coroutines is forbidden, use tasks explicitly.').
 * @throws ValueError `Set of Tasks/Futures is empty.` / `Invalid return_when value: …`.
 * @example const [done, pending] = yield* wait([t1, t2], { returnWhen: FIRST_COMPLETED });
 * asyncio: asyncio.wait
 */
export const wait = _libraryCoroutine('wait', function* wait<T>(fs: Iterable<Future<T>>, options?: WaitOptions): Coro<[Set<Future<T>>, Set<Future<T>>]> {
  if (isFuture(fs) || isCoroutine(fs)) {
    throw new TypeError(`expect a list of futures, not ${isCoroutine(fs) ? 'coroutine' : pyTypeName(fs)}`);
  }
  const set = new Set(fs);
  if (set.size === 0) throw new ValueError('Set of Tasks/Futures is empty.');
  // Python's None is no return_when value (it is refused, as in CPython).
  const returnWhen = options?.returnWhen === undefined ? ALL_COMPLETED : options.returnWhen;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new ValueError(`Invalid return_when value: ${pyStr(returnWhen)}`);
  }
  for (const f of set) {
    if (isCoroutine(f)) throw new TypeError('Passing coroutines is forbidden, use tasks explicitly.');
  }
  const loop = getRunningLoop();
  return yield* _wait(set, options?.timeout ?? undefined, returnWhen, loop);
});

/** @internal asyncio: tasks._wait — `fs` is a non-empty set of futures. */
export function* _wait<T>(fs: Set<Future<T>>, timeout: number | undefined, returnWhen: ReturnWhen, loop: AbstractEventLoop): Coro<[Set<Future<T>>, Set<Future<T>>]> {
  const waiter = loop.createFuture<void>();
  if (_tracer !== undefined) _tracer.futureRole(waiter, '_wait');
  let timeoutHandle: TimerHandle | undefined;
  if (timeout !== undefined && timeout !== null) timeoutHandle = loop.callLater(timeout, _releaseWaiter, waiter);
  let counter = fs.size;
  const onCompletion = named('_wait.<locals>._on_completion', (f: Future<T>): void => {
    counter--;
    if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && !f.cancelled() && f.exception() !== undefined)) {
      timeoutHandle?.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  });
  for (const f of fs) f.addDoneCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    timeoutHandle?.cancel();
    for (const f of fs) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<Future<T>>();
  const pending = new Set<Future<T>>();
  for (const f of fs) (f.done() ? done : pending).add(f);
  return [done, pending];
}
