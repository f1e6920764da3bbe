// CPython 3.13's Lib/test/test_asyncio/test_tasks.py, ported to aiosim's API: one file per
// CPython test class (BaseTaskTests, too long for one, in several by subject), one `it`
// per test method, titled with the method's name and checking the same observable
// behaviour. Expected values are the CPython test's own assertions or, where they depend
// on CPython's TestLoop or leave them implicit, the output of the same program on CPython
// 3.13.2 with a virtual clock. Table: docs/cpython-tests/test_tasks.md.
// This file: CPython's harness for the module (test_utils.TestCase, BaseTaskTests.setUp),
// translated, and the helpers several classes share.

import { afterEach, beforeEach } from 'vitest';
import { EventLoop, Future, gather, setEventLoop, Task, type Coro } from '../../../src/index.js';
import { runBriefly } from '../_support.js';

// ---- CPython's harness, translated ------------------------------------------------

/**
 * test_utils.TestLoop: a virtual-clock loop that records every deadline given to callAt
 * (callLater goes through it): what TestLoop sends to the test's time generator.
 */
export interface TestLoop extends EventLoop {
  deadlines: number[];
}

// Loops a test makes are closed after it (test_utils.TestCase.set_event_loop's cleanup).
const loops: EventLoop[] = [];

/** test_utils.TestCase.new_test_loop: a TestLoop, closed after the test; no current loop. */
export function newTestLoop(): TestLoop {
  const loop = new EventLoop() as TestLoop;
  loops.push(loop);
  loop.deadlines = [];
  const callAt = loop.callAt.bind(loop);
  loop.callAt = (when, callback, ...args) => {
    loop.deadlines.push(when);
    return callAt(when, callback, ...args);
  };
  // test_utils.TestCase.set_event_loop: the loop must be passed explicitly.
  setEventLoop(undefined);
  return loop;
}

/** BaseTaskTests.setUp: a TestLoop whose task factory is new_task (`Task(coro, loop, name='TestTask', context)`). */
export function newTaskTestLoop(): TestLoop {
  const loop = newTestLoop();
  loop.setTaskFactory((l, coro, options) => new Task(coro, { loop: l, name: 'TestTask', context: options?.context }));
  return loop;
}

/**
 * test_utils.TestCase for the enclosing describe: before each test, `make()` a loop (the
 * function assigns the variable the tests read) and clear the current loop; after the
 * test, close that loop and every loop newTestLoop made, and clear the current loop.
 */
export function loopPerTest(make: () => EventLoop): void {
  let current: EventLoop;
  beforeEach(() => {
    current = make();
    setEventLoop(undefined);
  });
  afterEach(() => {
    for (const l of [current, ...loops.splice(0)]) if (!l.isClosed()) l.close();
    setEventLoop(undefined);
  });
}

// ---- helpers -------------------------------------------------------------------------

/** A future of `loop` (BaseTaskTests.new_future). */
export function newFuture<T = unknown>(loop: EventLoop): Future<T> {
  return new Future<T>({ loop });
}

/** A coroutine that does nothing (the module's coroutine_function). */
export function* coroutineFunction(): Coro<void> {}

/** test_utils.MockCallback: records the arguments of each call. */
export function mockCallback(): ((...args: unknown[]) => void) & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const cb = (...args: unknown[]): void => {
    calls.push(args);
  };
  return Object.assign(cb, { calls });
}

/** GatherTestsBase._run_loop: run_briefly while callbacks are ready. */
export function runLoop(loop: EventLoop): void {
  while (loop._ready.length > 0) runBriefly(loop);
}

// ---- GatherTestsBase's two subclasses ----------------------------------------------

export interface GatherVariant {
  /** The class whose tests these are. */
  name: 'FutureGatherTests' | 'CoroutineGatherTests';
  /** What gather() is given for each future: the future itself, or a coroutine awaiting it. */
  wrapFutures(futures: Future<unknown>[]): (Future<unknown> | Coro<unknown>)[];
  /** gather() as the class calls it (CoroutineGatherTests: inside a task of `loop`). */
  gather(loop: EventLoop, args: (Future<unknown> | Coro<unknown>)[], returnExceptions?: boolean): Future<unknown[]>;
}

export function gatherArgs(args: unknown[], returnExceptions: boolean | undefined): unknown[] {
  return returnExceptions === undefined ? args : [...args, { returnExceptions }];
}

export const futureGather: GatherVariant = {
  name: 'FutureGatherTests',
  wrapFutures: (futures) => futures,
  gather: (_loop, args, returnExceptions) => (gather as (...a: unknown[]) => Future<unknown[]>)(...gatherArgs(args, returnExceptions)),
};

export const coroutineGather: GatherVariant = {
  name: 'CoroutineGatherTests',
  wrapFutures: (futures) =>
    futures.map((fut) => {
      function* coro(): Coro<unknown> {
        return yield* fut;
      }
      return coro();
    }),
  gather: (loop, args, returnExceptions) => {
    function* coro(): Coro<Future<unknown[]>> {
      return (gather as (...a: unknown[]) => Future<unknown[]>)(...gatherArgs(args, returnExceptions));
    }
    return loop.runUntilComplete(coro());
  },
};
