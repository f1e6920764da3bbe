// Port of CPython 3.13's Lib/test/test_asyncio/test_futures2.py (IsolatedAsyncioTestCase
// suites: each test runs as a task under `asyncio.Runner(debug=True)`, here
// `asyncTest`, which is `run(main(), { debug: true })`). The C/Py Task twins are ported once.
// Expected values that the CPython test does not spell out were printed by probes on the
// oracle (CPython 3.13.2). Not ported, and why: docs/cpython-tests/test_futures2.md.

import { describe, expect, it } from 'vitest';
import {
  Task, allTasks, gcCollect, getRunningLoop, repr, sleep, waitFor, type Coro, type ExceptionContext,
} from '../../src/index.js';
import { asyncTest } from './_support.js';

describe('FutureTests', () => {
  it('test_task_exc_handler_correct_context — a collected failed task reaches the custom exception handler', () => {
    // The contextvar part (the handler runs in the task's context) is not modelled
    // (docs/divergences.md). Oracle, for the task left unreferenced: the handler gets
    // ['exception', 'future', 'message', 'source_traceback'], 'Task exception was never
    // retrieved', ZeroDivisionError. CPython frees the task at once; aiosim reports it at
    // the gcCollect() collection point.
    const seen: ExceptionContext[] = [];
    asyncTest(function* test(): Coro<void> {
      const excHandler = (_loop: unknown, context: ExceptionContext): void => void seen.push(context);
      function* task(): Coro<never> {
        throw new RangeError('division by zero');
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler(excHandler);
      new Task(task());
      yield* sleep(0);
      gcCollect();
      expect(seen).toHaveLength(1);
    });
    expect(Object.keys(seen[0]!).sort()).toEqual(['exception', 'future', 'message', 'source_traceback']);
    expect(seen[0]!.message).toBe('Task exception was never retrieved');
    expect(repr(seen[0]!.exception)).toBe("RangeError('division by zero')");
  });

  it('test_handle_exc_handler_correct_context — a failing callback reaches the custom exception handler', () => {
    // Oracle (debug): keys ['exception', 'handle', 'message', 'source_traceback'],
    // message 'Exception in callback main.<locals>.callback() at F:L'.
    const seen: ExceptionContext[] = [];
    asyncTest(function* test(): Coro<void> {
      const excHandler = (_loop: unknown, context: ExceptionContext): void => void seen.push(context);
      function callback(): void {
        throw new RangeError('division by zero');
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler(excHandler);
      loop.callSoon(callback);
      yield* sleep(0);
      expect(seen).toHaveLength(1);
    });
    expect(Object.keys(seen[0]!).sort()).toEqual(['exception', 'handle', 'message', 'source_traceback']);
    expect(seen[0]!.message).toMatch(/^Exception in callback callback\(\) at \S+test_futures2\.test\.ts:\d+/);
  });
});

describe('FutureReprTests', () => {
  it('test_recursive_repr_for_pending_tasks — a task whose result holds itself reprs as ..., not recursively', () => {
    // Oracle: repr(waiter) is a set of the two tasks; the finished one shows
    // `result={..., <Task pending...unners.py:100>}` (reprlib-clipped, `...` for itself).
    asyncTest(function* test(): Coro<void> {
      function* func(): Coro<Set<unknown>> {
        return allTasks();
      }
      const waiter = yield* waitFor(new Task(func()), 10);
      const text = repr(waiter);
      expect(text).toContain('...');
      expect(text).toMatch(/<Task finished name='Task-\d+' coro=<func\(\) done, defined at \S+> result=\{[^}]*\.\.\.[^}]*\} created at \S+>/);
    });
  });
});
