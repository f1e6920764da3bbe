// The async/await mode of aiosim/testing: the same asyncio program written with
// `async function`s (asyncCoroutine), run by runUntilCompleteAsync, prints what CPython
// prints: retries under a timeout, gather with return_exceptions, an Event, a cancelled
// task. The asyncio original is examples/python/13-async-functions.py.

import { CancelledError, createTask, Event, EventLoop, gather, getRunningLoop, repr, RuntimeError, sleep, timeout, TimeoutError } from '../src/index.js';
import { asyncCoroutine, awaitable, runUntilCompleteAsync, withAsync } from '../src/testing/index.js';

export async function main(): Promise<void> {
  const mainCoro = asyncCoroutine(async function main(): Promise<void> {
    const loop = getRunningLoop();
    const log = (text: string): void => console.log(`${loop.time().toFixed(2).padStart(5)} ${text}`);

    const fetch = asyncCoroutine(async function fetch(name: string, delay: number): Promise<string> {
      // A generator coroutine (sleep) is awaited through awaitable().
      await awaitable(sleep(delay));
      return `${name} after ${delay}`;
    });

    const withRetry = asyncCoroutine(async function withRetry(name: string, delays: number[], limit: number): Promise<string> {
      for (const [i, delay] of delays.entries()) {
        try {
          // `async with asyncio.timeout(limit):`
          return (await withAsync(timeout(limit), () => fetch(name, delay)))!;
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          log(`${name}: attempt ${i + 1} timed out`);
        }
      }
      throw new RuntimeError(`${name}: gave up`);
    });

    const ticker = asyncCoroutine(async function ticker(stop: Event): Promise<void> {
      for (let n = 0; !stop.isSet(); n++) {
        log(`tick ${n}`);
        await awaitable(sleep(0.5));
      }
    });

    const stop = new Event();
    const tick = createTask(ticker(stop));
    // A Future (gather's) is awaited directly: Futures and tasks are thenables.
    const results = await gather(
      withRetry('a', [0.3], 1),
      withRetry('b', [2, 0.4], 1),
      withRetry('c', [5, 5], 1),
      { returnExceptions: true },
    );
    for (const r of results) log(repr(r));
    stop.set();
    await tick;

    const slow = createTask(fetch('slow', 10));
    await awaitable(sleep(1));
    slow.cancel();
    try {
      await slow;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log(`slow cancelled: ${slow.cancelled() ? 'True' : 'False'}`);
    }
  });

  const loop = new EventLoop();
  try {
    await runUntilCompleteAsync(loop, mainCoro());
  } finally {
    loop.close();
  }
}
