// Port of CPython 3.13's Lib/test/test_asyncio/test_eager_task_factory.py (issue 10): the
// same behaviours checked through aiosim's API, on a loop whose task factory is an eager
// one (CPython runs them for its C and Python Task classes; aiosim has one Task).
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allTasks, asyncWith, CancelledError, createEagerTaskFactory, currentTask, EventLoop, gather, repr, setEventLoop,
  sleep, Task, TaskGroup, type AbstractEventLoop, type Coro, type Future, type TaskFactory,
} from '../../src/index.js';
import { assertRaisesSync } from './_support.js';

describe('EagerTaskFactoryLoopTests', () => {
  let loop: EventLoop;
  let eagerTaskFactory: TaskFactory;

  beforeEach(() => {
    loop = new EventLoop();
    eagerTaskFactory = createEagerTaskFactory(Task);
    loop.setTaskFactory(eagerTaskFactory);
    setEventLoop(loop);
  });

  afterEach(() => {
    setEventLoop(undefined);
    loop.close();
  });

  // run_coro: run_until_complete (the loop is running when the test's own tasks are made).
  const runCoro = <T>(coro: Coro<T>): T => loop.runUntilComplete(coro);

  it('test_eager_task_factory_set — the factory is installed and makes Task instances', () => {
    expect(eagerTaskFactory).toBeDefined();
    expect(loop.getTaskFactory()).toBe(eagerTaskFactory);
    function* noop(): Coro<void> {}
    runCoro((function* run(): Coro<void> {
      const t = loop.createTask(noop());
      expect(t).toBeInstanceOf(Task);
      yield* t;
    })());
  });

  it('test_await_future_during_eager_step — a future set in the eager step is already done when awaited', () => {
    function* setResult(fut: Future<string>, val: string): Coro<void> {
      fut.setResult(val);
    }
    const result = runCoro((function* run(): Coro<string> {
      const fut = loop.createFuture<string>();
      const t = loop.createTask(setResult(fut, 'my message'));
      expect(t.done()).toBe(true);
      return yield* fut;
    })());
    expect(result).toBe('my message');
  });

  it('test_eager_completion — a coroutine that does not suspend is done when create_task returns', () => {
    function* coro(): Coro<string> {
      return 'hello';
    }
    const result = runCoro((function* run(): Coro<string> {
      const t = loop.createTask(coro());
      expect(t.done()).toBe(true);
      // An eagerly completed task has no coro in its repr (and is named 'None' in 3.13).
      expect(repr(t)).toBe("<Task finished name='None' result='hello'>");
      return yield* t;
    })());
    expect(result).toBe('hello');
  });

  it('test_block_after_eager_step — a coroutine that suspends is pending when create_task returns', () => {
    function* coro(): Coro<string> {
      yield* sleep(0.1);
      return 'finished after blocking';
    }
    const result = runCoro((function* run(): Coro<string> {
      const t = loop.createTask(coro());
      expect(t.done()).toBe(false);
      const r = yield* t;
      expect(t.done()).toBe(true);
      return r;
    })());
    expect(result).toBe('finished after blocking');
    expect(loop.time()).toBe(0.1);
  });

  it('test_cancellation_after_eager_completion — cancel() after eager completion changes nothing', () => {
    function* coro(): Coro<string> {
      return 'finished without blocking';
    }
    const result = runCoro((function* run(): Coro<string> {
      const t = loop.createTask(coro());
      expect(t.cancel()).toBe(false);
      const r = yield* t;
      expect(t.cancelled()).toBe(false);
      return r;
    })());
    expect(result).toBe('finished without blocking');
  });

  it('test_cancellation_after_eager_step_blocks — cancel() after a suspended eager step cancels with the message', () => {
    function* coro(): Coro<string> {
      yield* sleep(0.1);
      return 'finished after blocking';
    }
    let t!: Task<string>;
    const e = assertRaisesSync(CancelledError, () => runCoro((function* run(): Coro<void> {
      t = loop.createTask(coro());
      t.cancel('cancellation message');
      expect(t.cancelling()).toBeGreaterThan(0);
      yield* t;
    })()));
    expect(e.args[0]).toBe('cancellation message');
    expect([t.cancelled(), loop.time()]).toEqual([true, 0]);
  });

  it('test_current_task — current_task() in the eager step is the new task, before and after it blocks', () => {
    let captured: unknown;
    let after: unknown;
    function* coro(): Coro<void> {
      captured = currentTask();
      yield* sleep(0.1);
      after = currentTask();
    }
    runCoro((function* run(): Coro<void> {
      const t = loop.createTask(coro());
      expect(captured).toBe(t);
      yield* t;
      expect(after).toBe(t);
    })());
  });

  it('test_all_tasks_with_eager_completion — the task is in all_tasks() during its eager step only', () => {
    let captured: Set<unknown> | undefined;
    function* coro(): Coro<void> {
      captured = new Set(allTasks());
    }
    runCoro((function* run(): Coro<void> {
      const t = loop.createTask(coro());
      expect(captured!.has(t)).toBe(true);
      expect(allTasks().has(t)).toBe(false);
    })());
  });

  it('test_all_tasks_with_blocking — a task that blocks after its eager step stays in all_tasks() until done', () => {
    let captured: Set<unknown> | undefined;
    function* coro(fut1: Future<void>, fut2: Future<void>): Coro<void> {
      captured = new Set(allTasks());
      yield* fut1;
      fut2.setResult(undefined);
    }
    runCoro((function* run(): Coro<void> {
      const fut1 = loop.createFuture<void>();
      const fut2 = loop.createFuture<void>();
      const t = loop.createTask(coro(fut1, fut2));
      expect(captured!.has(t)).toBe(true);
      expect(allTasks().has(t)).toBe(true);
      fut1.setResult(undefined);
      yield* fut2;
      expect(allTasks().has(t)).toBe(false);
    })());
  });
});

describe('CEagerTaskFactoryLoopTests', () => {
  it('test_issue122332 — an eagerly completed task has no coroutine left', () => {
    const loop = new EventLoop();
    loop.setTaskFactory(createEagerTaskFactory(Task));
    try {
      function* coro(): Coro<void> {}
      loop.runUntilComplete((function* run(): Coro<void> {
        const task = loop.createTask(coro());
        yield* task;
        expect(task.getCoro()).toBeUndefined();
      })());
    } finally {
      loop.close();
    }
  });
});

// AsyncTaskCounter: a Task class counting the tasks made without an eager start.
function counting(loop: EventLoop, eager: boolean): { get(): number } {
  let taskCount = 0;
  class CountingTask<T> extends Task<T> {
    constructor(coro: Generator<unknown, T, unknown>, options?: { loop?: AbstractEventLoop; name?: unknown; context?: unknown; eagerStart?: boolean }) {
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
