// CPython 3.13's test_asyncio/test_tasks.py, SetMethodsTest: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { EventLoop, Future, InvalidStateError, sleep, type Coro, type ExceptionContext } from '../../../src/index.js';
import { newTask } from '../_support.js';
import { loopPerTest, newTaskTestLoop } from './_support.js';

describe('SetMethodsTest', () => {
  let loop: EventLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  /** Replace loop.call_exception_handler with a recorder (CPython: a mock). */
  function mockExceptionHandler(l: EventLoop): ExceptionContext[] {
    const calls: ExceptionContext[] = [];
    l.callExceptionHandler = (context: ExceptionContext): void => {
      calls.push(context);
    };
    return calls;
  }

  function* foo(): Coro<number> {
    yield* sleep(0.1);
    return 10;
  }

  it("test_set_result_causes_invalid_state — Future.set_result on a task: its pending step fails with '_step(): already done'", () => {
    const calls = mockExceptionHandler(loop);
    const coro = foo();
    const task = newTask(loop, coro);
    Future.prototype.setResult.call(task, 'spam');
    expect(loop.runUntilComplete(task)).toBe('spam');
    expect(calls.length).toBe(1);
    const exc = calls[0]!.exception;
    expect(exc).toBeInstanceOf(InvalidStateError);
    expect((exc as Error).message).toMatch(/step\(\): already done/);
    coro.return(0);
  });

  it("test_set_exception_causes_invalid_state — Future.set_exception on a task: its pending step fails with '_step(): already done'", () => {
    class MyExc extends Error {}
    const calls = mockExceptionHandler(loop);
    const coro = foo();
    const task = newTask(loop, coro);
    Future.prototype.setException.call(task, new MyExc());
    expect(() => loop.runUntilComplete(task)).toThrow(MyExc);
    expect(calls.length).toBe(1);
    const exc = calls[0]!.exception;
    expect(exc).toBeInstanceOf(InvalidStateError);
    expect((exc as Error).message).toMatch(/step\(\): already done/);
    coro.return(0);
  });
});
