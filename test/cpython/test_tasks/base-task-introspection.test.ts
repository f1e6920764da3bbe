// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskIntrospectionTests
// (PyIntrospectionTests and CIntrospectionTests): one `it` per test method, titled after
// it. Module notes and shared helpers: ./_support.ts.

import { beforeEach, describe, expect, it } from 'vitest';
import { allTasks, currentTask, EventLoop, RuntimeError, setEventLoop } from '../../../src/index.js';
import { _enterTask, _leaveTask, _registerTask, _unregisterTask } from '../../../src/task/current-task.js';
import { expectSameItems } from '../_support.js';

// test_utils.TestCase.setUp: no current event loop (the tests pass theirs explicitly).
beforeEach(() => {
  setEventLoop(undefined);
});

describe('BaseTaskIntrospectionTests', () => {
  // The registry functions are aiosim internals, as they are CPython's (_register_task…).
  // A plain object stands for CPython's mock.Mock() loops and tasks.
  const mockLoop = (): EventLoop => ({}) as EventLoop;
  const mockTask = (): object => ({});

  it('test__register_task_1 — a registered task-like object with a _loop is listed by all_tasks', () => {
    const loop = mockLoop();
    const task = { get _loop() { return loop; }, done: () => false };
    expect(allTasks(loop).size).toBe(0);
    _registerTask(task);
    expectSameItems(allTasks(loop), [task]);
    _unregisterTask(task);
  });

  it('test__register_task_2 — all_tasks finds the loop of a task-like object through get_loop()', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => false };
    expect(allTasks(loop).size).toBe(0);
    _registerTask(task as never);
    expectSameItems(allTasks(loop), [task]);
    _unregisterTask(task as never);
  });

  it('test__register_task_3 — all_tasks leaves out a registered task that is done', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => true };
    expect(allTasks(loop).size).toBe(0);
    _registerTask(task as never);
    expect(allTasks(loop).size).toBe(0);
    _unregisterTask(task as never);
  });

  it('test__enter_task — current_task(loop) is the entered task', () => {
    const task = mockTask();
    const loop = mockLoop();
    expect(currentTask(loop)).toBeUndefined();
    _enterTask(loop, task);
    expect(currentTask(loop)).toBe(task);
    _leaveTask(loop, task);
  });

  it('test__enter_task_failure — entering a second task raises RuntimeError and keeps the first', () => {
    const task1 = mockTask();
    const task2 = mockTask();
    const loop = mockLoop();
    _enterTask(loop, task1);
    expect(() => _enterTask(loop, task2)).toThrow(RuntimeError);
    expect(currentTask(loop)).toBe(task1);
    _leaveTask(loop, task1);
  });

  it('test__leave_task — after leaving, current_task(loop) is None', () => {
    const task = mockTask();
    const loop = mockLoop();
    _enterTask(loop, task);
    _leaveTask(loop, task);
    expect(currentTask(loop)).toBeUndefined();
  });

  it('test__leave_task_failure1 — leaving another task than the current one raises RuntimeError', () => {
    const task1 = mockTask();
    const task2 = mockTask();
    const loop = mockLoop();
    _enterTask(loop, task1);
    expect(() => _leaveTask(loop, task2)).toThrow(RuntimeError);
    expect(currentTask(loop)).toBe(task1);
    _leaveTask(loop, task1);
  });

  it('test__leave_task_failure2 — leaving when no task was entered raises RuntimeError', () => {
    const task = mockTask();
    const loop = mockLoop();
    expect(() => _leaveTask(loop, task)).toThrow(RuntimeError);
    expect(currentTask(loop)).toBeUndefined();
  });

  it('test__unregister_task — an unregistered task is no longer listed', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => false };
    _registerTask(task as never);
    _unregisterTask(task as never);
    expect(allTasks(loop).size).toBe(0);
  });

  it('test__unregister_task_not_registered — unregistering an unknown task is a no-op', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => false };
    _unregisterTask(task as never);
    expect(allTasks(loop).size).toBe(0);
  });
});
