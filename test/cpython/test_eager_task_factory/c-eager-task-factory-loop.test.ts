// Port of CPython 3.13's Lib/test/test_asyncio/test_eager_task_factory.py (issue 10): the
// same behaviours checked through aiosim's API, on a loop whose task factory is an eager
// one (CPython runs them for its C and Python Task classes; aiosim has one Task).
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: CEagerTaskFactoryLoopTests' own method. Table:
// docs/cpython-tests/test_eager_task_factory.md.

import { describe, expect, it } from 'vitest';
import { createEagerTaskFactory, EventLoop, Task, type Coro } from '../../../src/index.js';

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
