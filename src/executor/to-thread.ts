// toThread(): run a blocking function in the default executor, in a copy of the caller's
// context, and await its result.
// asyncio: threads.to_thread

import { copyContext, type Context } from '../contextvars/context.js';
import { getRunningLoop } from '../events/running-loop.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';

function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}

// A generator job's body runs at each resumption, long after ctx.run(fn) returned it:
// every resumption runs in the context too.
function* resumedIn(ctx: Context, gen: Generator<unknown, unknown, unknown>): Generator<unknown, unknown, unknown> {
  let input: unknown;
  let thrown = false;
  for (;;) {
    const r = ctx.run(() => (thrown ? gen.throw(input) : gen.next(input)));
    if (r.done === true) return r.value;
    try {
      input = yield r.value;
      thrown = false;
    } catch (e) {
      input = e;
      thrown = true;
    }
  }
}

/**
 * Run `fn(...args)` on a worker thread of the running loop's default executor and
 * return its result. The job runs in a copy of the caller's context, so it sees the
 * caller's context variables (and what it sets stays in that copy); `runInExecutor`
 * does not do this, its jobs run in the worker thread's own context.
 *
 * @example const data = yield* toThread(readFile, 'a.txt');
 * asyncio: asyncio.to_thread
 */
export const toThread = _libraryCoroutine('to_thread', function* toThread<T>(fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): Coro<T> {
  const loop = getRunningLoop();
  const ctx = copyContext();
  // asyncio: functools.partial(ctx.run, func, *args, **kwargs)
  const job = (): T | Generator<unknown, T, unknown> => {
    const result = ctx.run(fn, ...args);
    return isGenerator(result) ? (resumedIn(ctx, result) as Generator<unknown, T, unknown>) : result;
  };
  return yield* loop.runInExecutor!(undefined, job);
});
