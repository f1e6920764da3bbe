// Driving a loop that runs already: CPython's 'This event loop is already running' for
// what a Python program can call (run_until_complete, run_forever: checked against
// CPython 3.13.2 in event-loop.test.ts), and, for aiosim's own drivers called by a task or
// callback of that very loop (a test body that runs as the loop's main task), the same
// text followed by what happened and what to do instead (aiosim only).

import { describe, expect, it } from 'vitest';
import { EventLoop, RuntimeError, sleep, type Coro } from '../../src/index.js';
import { runUntilComplete, runUntilCompleteAsync, withLoop, withLoopAsync } from '../../src/testing/index.js';

const INSIDE = "was called from inside the loop, by one of its tasks or callbacks, such as a withLoop() or withLoopAsync() test body, which runs as the loop's main task";

/** The class and message of what `fn` throws. */
function raised(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    return [(e as Error).constructor.name, (e as Error).message];
  }
  throw new Error('expected an exception');
}

describe("aiosim's drivers on a running loop", () => {
  it('say that a withLoop() body runs as the main task when advance(), runUntilIdle() or runUntilComplete() with a limit is called there', () => {
    const got = withLoop(function* body(loop): Coro<[string, string][]> {
      const s = sleep(1);
      const out = [
        raised(() => loop.advance(1)),
        raised(() => loop.runUntilIdle()),
        raised(() => runUntilComplete(loop, s, { timeLimit: 5 })),
        // What Python can call keeps CPython's text alone.
        raised(() => loop.runForever()),
        raised(() => runUntilComplete(loop, s)),
      ];
      yield* s;
      return out;
    });
    expect(got).toEqual([
      ['RuntimeError', `This event loop is already running (advance() ${INSIDE}: let time pass there with yield* sleep(seconds))`],
      ['RuntimeError', `This event loop is already running (runUntilIdle() ${INSIDE}: wait there for what you need with yield* (a task, a future, sleep()))`],
      ['RuntimeError', `This event loop is already running (runUntilComplete() ${INSIDE}: await the coroutine there with yield*)`],
      ['RuntimeError', 'This event loop is already running'],
      ['RuntimeError', 'This event loop is already running'],
    ]);
  });

  it('say so from a plain callback of the loop too', () => {
    const loop = new EventLoop();
    const got: [string, string][] = [];
    loop.callSoon(() => got.push(raised(() => loop.advance(0))));
    loop.runUntilIdle();
    loop.close();
    expect(got).toEqual([['RuntimeError', `This event loop is already running (advance() ${INSIDE}: let time pass there with yield* sleep(seconds))`]]);
  });

  it('say that a withLoopAsync() body runs as the main task when runUntilCompleteAsync() is called there', async () => {
    const e = await withLoopAsync(async (loop) => {
      const s = sleep(0);
      try {
        await runUntilCompleteAsync(loop, s);
      } catch (caught) {
        await s;
        return caught as Error;
      }
      throw new Error('expected a rejection');
    });
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe(`This event loop is already running (runUntilCompleteAsync() ${INSIDE}: await the coroutine there)`);
  });
});
