// CPython 3.13's test_asyncio/test_tasks.py, BaseCurrentLoopTests (PyCurrentLoopTests and
// CCurrentLoopTests): one `it` per test method, titled after it. Module notes and shared
// helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { currentTask, EventLoop, RuntimeError, Task, type Coro } from '../../../src/index.js';
import { loopPerTest } from './_support.js';

describe('BaseCurrentLoopTests', () => {
  let loop: EventLoop;
  loopPerTest(() => (loop = new EventLoop()));

  it('test_current_task_no_running_loop — current_task(loop) of a loop that is not running is None', () => {
    expect(currentTask(loop)).toBeUndefined();
  });

  it("test_current_task_no_running_loop_implicit — current_task() with no running loop raises 'no running event loop'", () => {
    expect(() => currentTask()).toThrow(RuntimeError);
    expect(() => currentTask()).toThrow(/no running event loop/);
  });

  it('test_current_task_with_implicit_loop — inside a task, current_task(loop), (None) and () are that task', () => {
    function* coro(): Coro<void> {
      expect(currentTask(loop)).toBe(task);
      expect(currentTask(undefined)).toBe(task);
      expect(currentTask()).toBe(task);
    }
    const task = new Task(coro(), { loop });
    loop.runUntilComplete(task);
    expect(currentTask(loop)).toBeUndefined();
  });
});
