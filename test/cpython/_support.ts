// CPython's test_asyncio harness, translated once for every port in test/cpython:
// IsolatedAsyncioTestCase's runner, the assertRaises family, test_utils' loop helpers
// (run_briefly, run_once, new_task); the Python stand-ins are in test/_support/python.ts.

import { expect } from 'vitest';
import {
  currentTask, getRunningLoop, run, sleep, Task, type Awaitable, type Coro, type EventLoop,
} from '../../src/index.js';
import { captureAsyncioLogs, thrown } from '../_support/capture.js';

/** A class whose instances a helper checks for (`assertRaises(cls)`). */
export type Ctor<E> = abstract new (...args: never[]) => E;

// ---- assertRaises -----------------------------------------------------------------

/** `with self.assertRaises(cls) as cm: fn()` — returns `cm.exception`; any other exception passes through. */
export function assertRaisesSync<E>(cls: Ctor<E>, fn: () => unknown): E {
  const e = thrown(fn);
  if (!(e instanceof cls)) throw e;
  return e;
}

/** Assert `fn` throws an instance of `cls` whose message matches `message`. */
export function expectThrows(fn: () => unknown, cls: Ctor<unknown>, message?: RegExp): void {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  if (message !== undefined) expect((e as Error).message).toMatch(message);
}

/**
 * `with self.assertRaises(cls): await aw` — returns the exception; any other exception
 * passes through. `body` is the awaitable, or a function making it inside the check.
 */
export function* assertRaises<E>(cls: Ctor<E>, body: Awaitable<unknown> | (() => Awaitable<unknown>)): Coro<E> {
  try {
    yield* (typeof body === 'function' ? body() : body) as Coro<unknown>;
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  return expect.fail(`${cls.name} not raised`);
}

// ---- IsolatedAsyncioTestCase --------------------------------------------------------

/** Run `body` as IsolatedAsyncioTestCase runs an `async def test_…`: the main task of `run(…, { debug: true })`. */
export function asyncTest(body: () => Coro<void>): void {
  run(body(), { debug: true });
}

/**
 * asyncTest for the modules where CPython logs nothing on the 'asyncio' logger (checked
 * on the oracle): fails if anything is logged. Returns the loop's time when the body ended.
 */
export function asyncTestNoLogs(body: () => Coro<void>): number {
  let end = Number.NaN;
  const records = captureAsyncioLogs(() => {
    asyncTest(function* main(): Coro<void> {
      yield* body();
      end = getRunningLoop().time();
    });
  });
  expect(records.map((r) => r.getMessage())).toEqual([]);
  return end;
}

/** `await asyncio.sleep(0)`, as a coroutine function (CPython's tests pass it around). */
export function* sleep0(): Coro<void> {
  yield* sleep(0);
}

/** The running loop's time. */
export const now = (): number => getRunningLoop().time();

/** The current task (the tests call it only inside one). */
export const me = (): Task<unknown> => currentTask() as Task<unknown>;

/**
 * test.test_asyncio.utils.await_without_task: drive a coroutine from a plain callback,
 * where there is no current task, then raise what it raised.
 */
export function* awaitWithoutTask(coro: Coro<unknown>): Coro<void> {
  let exc: unknown;
  let raised = false;
  getRunningLoop().callSoon(() => {
    try {
      for (let r = coro.next(); !r.done; r = coro.next());
    } catch (e) {
      raised = true;
      exc = e;
    }
  });
  yield* sleep(0);
  if (raised) throw exc;
}

// ---- test_utils.TestCase ------------------------------------------------------------

/**
 * test_utils.run_briefly: run a task of an empty coroutine to completion (everything
 * already queued runs in its first iteration, the stop in the second).
 */
export function runBriefly(loop: EventLoop): void {
  function* once(): Coro<void> {}
  const gen = once();
  const t = loop.createTask(gen);
  t._logDestroyPending = false;
  try {
    loop.runUntilComplete(t);
  } finally {
    gen.return(undefined);
  }
}

/** test_utils.run_once: `call_soon(loop.stop)` then `run_forever()`: one iteration. */
export function runOnce(loop: EventLoop): void {
  loop.callSoon(() => loop.stop());
  loop.runForever();
}

/** BaseTaskTests.new_task: a Task named 'TestTask' on `loop`. */
export function newTask<T>(loop: EventLoop, coro: Generator<unknown, T, unknown>, name: unknown = 'TestTask'): Task<T> {
  return new Task<T>(coro, { loop, name });
}

/** `set(actual) == set(expected)` by identity (futures are iterable: no deep equality). */
export function expectSameItems(actual: Iterable<unknown>, expected: readonly unknown[]): void {
  const a = [...actual];
  expect(a.length).toBe(expected.length);
  for (const x of expected) expect(a.includes(x)).toBe(true);
}

// ---- source sites -------------------------------------------------------------------

// `file:line` of the frame `depth` calls above the function calling this one.
function siteOfCaller(depth: number): string {
  const frame = new Error().stack!.split('\n')[depth + 2]!;
  const m = /\(?([^\s(]+):(\d+):\d+\)?$/.exec(frame)!;
  return `${m[1]!.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '')}:${m[2]}`;
}

/** `file:line` of the caller's line, as the stack captures of debug mode report it. */
export function siteHere(): string {
  return siteOfCaller(1);
}

/** The line of the caller (CPython: `sys._getframe().f_lineno`). */
export function lineHere(): number {
  return Number(siteOfCaller(1).split(':').pop());
}
