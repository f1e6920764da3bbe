// Port of CPython 3.13's test_asyncio/test_futures2.py, FutureTests (CFutureTests and
// PyFutureTests in CPython, ported once). Each test runs as IsolatedAsyncioTestCase runs
// it, a task under `asyncio.Runner(debug=True)`: here `asyncTest`, which is
// `run(main(), { debug: true })`.
// Expected values that the CPython test does not spell out were printed by probes on the
// oracle (CPython 3.13.2). Not ported, and why: docs/cpython-tests/test_futures2.md.

import { describe, expect, it } from 'vitest';
import { contextvars, gcCollect, getRunningLoop, repr, sleep, Task, type Coro, type ExceptionContext } from '../../../src/index.js';
import { asyncTest } from '../_support.js';

describe('FutureTests', () => {
  it("test_task_exc_handler_correct_context — a collected failed task reaches the custom exception handler, which runs in the task's context", () => {
    // The handler runs in the task's context. Oracle, for the task left unreferenced: the handler gets
    // ['exception', 'future', 'message', 'source_traceback'], 'Task exception was never
    // retrieved', ZeroDivisionError. CPython frees the task at once; aiosim reports it at
    // the gcCollect() collection point.
    const name = new contextvars.ContextVar<string>('name', { default: 'foo' });
    const seen: ExceptionContext[] = [];
    const names: string[] = [];
    asyncTest(function* test(): Coro<void> {
      const excHandler = (_loop: unknown, context: ExceptionContext): void => {
        names.push(name.get());
        seen.push(context);
      };
      function* task(): Coro<never> {
        name.set('bar');
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
    expect(names).toEqual(['bar']);
    expect(seen[0]!.message).toBe('Task exception was never retrieved');
    expect(repr(seen[0]!.exception)).toBe("RangeError('division by zero')");
  });

  it("test_handle_exc_handler_correct_context — a failing callback reaches the custom exception handler, which runs in the callback's context", () => {
    // Oracle (debug): keys ['exception', 'handle', 'message', 'source_traceback'],
    // message 'Exception in callback main.<locals>.callback() at F:L'.
    const name = new contextvars.ContextVar<string>('name', { default: 'foo' });
    const seen: ExceptionContext[] = [];
    const names: string[] = [];
    asyncTest(function* test(): Coro<void> {
      const excHandler = (_loop: unknown, context: ExceptionContext): void => {
        names.push(name.get());
        seen.push(context);
      };
      function callback(): void {
        name.set('bar');
        throw new RangeError('division by zero');
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler(excHandler);
      loop.callSoon(callback);
      yield* sleep(0);
      expect(seen).toHaveLength(1);
    });
    expect(names).toEqual(['bar']);
    expect(Object.keys(seen[0]!).sort()).toEqual(['exception', 'handle', 'message', 'source_traceback']);
    expect(seen[0]!.message).toMatch(/^Exception in callback callback\(\) at \S+test_futures2\/future\.test\.ts:\d+/);
  });
});
