// Port of CPython 3.13's Lib/test/test_asyncio/test_eager_task_factory.py (issue 10): the
// same behaviours checked through aiosim's API, on a loop whose task factory is an eager
// one (CPython runs them for its C and Python Task classes; aiosim has one Task).
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: BaseTaskCountingTests (the eager and non-eager subclasses, for each Task class in
// CPython). Table: docs/cpython-tests/test_eager_task_factory.md.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, createEagerTaskFactory, EventLoop, gather, setEventLoop, Task, TaskGroup, type AbstractEventLoop,
  type Coro, type TaskFactory, type TaskOptions,
} from '../../../src/index.js';

// AsyncTaskCounter: a Task class counting the tasks made without an eager start.
function counting(loop: EventLoop, eager: boolean): { get(): number } {
  let taskCount = 0;
  class CountingTask<T> extends Task<T> {
    constructor(coro: Generator<unknown, T, unknown>, options?: { loop?: AbstractEventLoop; name?: unknown; context?: TaskOptions['context']; eagerStart?: boolean }) {
      if (options?.eagerStart !== true) taskCount += 1;
      super(coro, options);
    }
  }
  const factory: TaskFactory = eager
    ? createEagerTaskFactory(CountingTask)
    : (l, coro, options) => new CountingTask(coro, { loop: l, name: options?.name, context: options?.context });
  loop.setTaskFactory(factory);
  return { get: () => taskCount };
}

function* awaitableChain(depth: number): Coro<number> {
  if (depth === 0) return 0;
  return 1 + (yield* awaitableChain(depth - 1));
}

function* recursiveTaskgroups(width: number, depth: number): Coro<void> {
  if (depth === 0) return;
  yield* asyncWith(new TaskGroup(), function* (tg) {
    for (let i = 0; i < width; i++) tg.createTask(recursiveTaskgroups(width, depth - 1));
  });
}

function* recursiveGather(width: number, depth: number): Coro<void> {
  if (depth === 0) return;
  const children: Coro<void>[] = [];
  for (let i = 0; i < width; i++) children.push(recursiveGather(width, depth - 1));
  yield* gather(...children);
}

describe('BaseTaskCountingTests', () => {
  for (const [variant, eager, expectedTaskCount] of [['NonEagerTests', false, 781], ['EagerTests', true, 0]] as const) {
    const withLoop = (body: (loop: EventLoop, counter: { get(): number }) => void): void => {
      const loop = new EventLoop();
      const counter = counting(loop, eager);
      setEventLoop(loop);
      try {
        body(loop, counter);
      } finally {
        setEventLoop(undefined);
        loop.close();
      }
    };

    it(`test_awaitables_chain — (${variant}) a chain of awaits makes ${eager ? 'no' : 'one'} non-eager task`, () => {
      withLoop((loop, counter) => {
        expect(loop.runUntilComplete(awaitableChain(100))).toBe(100);
        expect(counter.get()).toBe(eager ? 0 : 1);
      });
    });

    it(`test_recursive_taskgroups — (${variant}) 5-wide, 4-deep task groups make ${expectedTaskCount} non-eager tasks`, () => {
      withLoop((loop, counter) => {
        loop.runUntilComplete(recursiveTaskgroups(5, 4));
        expect(counter.get()).toBe(expectedTaskCount);
      });
    });

    it(`test_recursive_gather — (${variant}) 5-wide, 4-deep gathers make ${expectedTaskCount} non-eager tasks`, () => {
      withLoop((loop, counter) => {
        loop.runUntilComplete(recursiveGather(5, 4));
        expect(counter.get()).toBe(expectedTaskCount);
      });
    });
  }
});
