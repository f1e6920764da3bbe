// A promise given where a coroutine is needed (an async function's, most likely): the
// messages are CPython's, followed by a hint only JavaScript needs; everything a Python
// program can pass (an int, a function, a Future) keeps CPython's text alone. CPython
// 3.13.2 (the oracle): asyncio.create_task(42) → TypeError('a coroutine was expected, got
// 42'); asyncio.ensure_future(42) → TypeError('An asyncio.Future, a coroutine or an
// awaitable is required'); asyncio.run(42) → ValueError('a coroutine was expected, got 42');
// asyncio.run_coroutine_threadsafe(42, loop) → TypeError('A coroutine object is required').

import { describe, expect, it } from 'vitest';
import {
  createTask, ensureFuture, EventLoop, gather, run, runCoroutineThreadsafe, Runner, RuntimeError, sleep, Task, type Coro,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';

const HINT = " (a promise, which no task can run: make the async function a coroutine function with asyncCoroutine() from 'aiosim/testing', or write it as a generator function)";

/** The class and message of what `fn` throws. */
function raised(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    return [(e as Error).constructor.name, normaliseSites((e as Error).message)];
  }
  throw new Error('expected an exception');
}

async function main(): Promise<number> {
  return 1;
}

describe('a promise where a coroutine is needed', () => {
  it('gets a hint after asyncio’s message from tasks, ensureFuture, gather, run, Runner and runCoroutineThreadsafe', () => {
    const loop = new EventLoop();
    const p = main();
    const got: [string, string][] = [];
    got.push(raised(() => new Task(p as never, { loop })));
    got.push(raised(() => loop.createTask(p as never)));
    got.push(raised(() => ensureFuture(p as never, { loop })));
    got.push(raised(() => runCoroutineThreadsafe(p as never, loop)));
    got.push(raised(() => run(p as never)));
    const runner = new Runner();
    got.push(raised(() => runner.run(p as never)));
    runner.close();
    loop.runUntilComplete((function* inLoop(): Coro<void> {
      got.push(raised(() => createTask(p as never)));
      got.push(raised(() => gather(p as never)));
    })());
    loop.close();
    expect(got).toEqual([
      ['TypeError', `a coroutine was expected, got <Promise object at 0x?>${HINT}`],
      ['TypeError', `a coroutine was expected, got <Promise object at 0x?>${HINT}`],
      ['TypeError', `An asyncio.Future, a coroutine or an awaitable is required${HINT}`],
      ['TypeError', `A coroutine object is required${HINT}`],
      ['ValueError', `a coroutine was expected, got <Promise object at 0x?>${HINT}`],
      ['ValueError', `a coroutine was expected, got <Promise object at 0x?>${HINT}`],
      ['TypeError', `a coroutine was expected, got <Promise object at 0x?>${HINT}`],
      ['TypeError', `An asyncio.Future, a coroutine or an awaitable is required${HINT}`],
    ]);
  });

  it('gets the hint for any thenable that is not a Future, and none for what Python can pass', () => {
    const loop = new EventLoop();
    const thenable = { then: (): void => undefined };
    const fut = loop.createFuture();
    const got = [
      raised(() => new Task(thenable as never, { loop })),
      raised(() => new Task(fut as never, { loop })),
      raised(() => new Task(42 as never, { loop })),
      raised(() => new Task(main as never, { loop })),
      raised(() => ensureFuture(42 as never, { loop })),
      raised(() => run(42 as never)),
      raised(() => runCoroutineThreadsafe(42 as never, loop)),
    ];
    loop.close();
    expect(got).toEqual([
      ['TypeError', `a coroutine was expected, got {'then': <function then at 0x?>}${HINT}`],
      ['TypeError', 'a coroutine was expected, got <Future pending>'],
      ['TypeError', 'a coroutine was expected, got 42'],
      ['TypeError', 'a coroutine was expected, got <function main at 0x?>'],
      ['TypeError', 'An asyncio.Future, a coroutine or an awaitable is required'],
      ['ValueError', 'a coroutine was expected, got 42'],
      ['TypeError', 'A coroutine object is required'],
    ]);
  });

  it('gets the hint when a task yields one, after "Task got bad yield"', () => {
    // async def main(): await BadYield(p) → RuntimeError('Task got bad yield: …') thrown in at the yield
    const out: string[] = [];
    run((function* yielder(): Coro<void> {
      const p = main();
      try {
        yield p as never;
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        out.push(normaliseSites(e.message));
      }
      yield* sleep(0);
    })());
    expect(out).toEqual([`Task got bad yield: <Promise object at 0x?>${HINT}`]);
  });
});
