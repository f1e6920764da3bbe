// CPython 3.13's test_asyncio/test_base_events.py, BaseEventLoopTests (exception handlers,
// task factories, debug mode from the environment, create_task): one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { afterEach, describe, expect, it } from 'vitest';
import {
  coroutine, ensureFuture, EventLoop, gcCollect, Handle, newEventLoop, RuntimeError, setDevMode, setEventLoop, sleep,
  Task, ValueError, warnings, type Coro, type ExceptionContext,
} from '../../../src/index.js';
import { captureAsyncioLogs } from '../../_support/capture.js';
import { AttributeError, ZeroDivisionError } from '../../_support/python.js';
import { expectThrows } from '../_support.js';
import { loopPerTest, records, runOnceNow } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

describe('BaseEventLoopTests', () => {

  it('test_default_exc_handler_callback — a failing Handle or TimerHandle is logged as "Exception in callback"', () => {
    function zero_error(fut: { setResult(v: boolean): void }): void {
      fut.setResult(true);
      throw new ZeroDivisionError('division by zero');
    }
    const first = captureAsyncioLogs(() => {
      const fut = loop.createFuture<boolean>();
      loop.callSoon(zero_error, fut);
      fut.addDoneCallback(() => loop.stop());
      loop.runForever();
    });
    // Oracle: 'Exception in callback zero_error() at F:L\nhandle: <Handle zero_error() at F:L>'
    expect(records(first)).toEqual([
      ['ERROR', expect.stringMatching(/^Exception in callback zero_error\(\) at \S+\nhandle: <Handle zero_error\(\) at \S+>$/), 'ZeroDivisionError'],
    ]);
    const second = captureAsyncioLogs(() => {
      const fut = loop.createFuture<boolean>();
      loop.callLater(0.01, zero_error, fut);
      fut.addDoneCallback(() => loop.stop());
      loop.runForever();
    });
    // Oracle: '...\nhandle: <TimerHandle when=0.01 zero_error() at F:L>'
    expect(records(second)).toEqual([
      ['ERROR', expect.stringMatching(/^Exception in callback zero_error\(\) at \S+\nhandle: <TimerHandle when=0\.01 zero_error\(\) at \S+>$/), 'ZeroDivisionError'],
    ]);
  });

  it('test_default_exc_handler_coro — a task exception nobody retrieved is logged at collection', () => {
    function* zero_error_coro(): Coro<never> {
      yield* sleep(0.01);
      throw new ZeroDivisionError('division by zero');
    }
    const logs = captureAsyncioLogs(() => {
      let fut: Task<never> | undefined = ensureFuture(zero_error_coro(), { loop }) as Task<never>;
      fut.addDoneCallback(() => loop.stop());
      loop.runForever();
      fut = undefined;
      gcCollect();
    });
    // Oracle: "Task exception was never retrieved\nfuture: <Task finished name='Task-2' coro=<zero_error_coro() done, defined at F:L> exception=ZeroDivisionError('division by zero')>"
    expect(records(logs)).toEqual([
      ['ERROR', expect.stringMatching(/^Task exception was never retrieved\nfuture: <Task finished name='Task-\d+' coro=<zero_error_coro\(\) done, defined at \S+> exception=ZeroDivisionError\('division by zero'\)>$/), 'ZeroDivisionError'],
    ]);
  });

  it('test_set_exc_handler_invalid — setExceptionHandler refuses a non-callable', () => {
    expectThrows(() => loop.setExceptionHandler('spam' as never), TypeError, /^A callable object or None is expected, got 'spam'$/);
  });

  it('test_set_exc_handler_custom — the custom handler gets the context; once reset, the logger is used', () => {
    function zero_error(): void {
      throw new ZeroDivisionError('division by zero');
    }
    const runLoop = (): Handle => {
      const handle = loop.callSoon(zero_error);
      runOnceNow(loop);
      return handle;
    };
    loop.setDebug(true);
    expect(loop.getExceptionHandler()).toBe(undefined);
    const calls: [EventLoop, ExceptionContext][] = [];
    const mockHandler = (l: EventLoop, context: ExceptionContext): void => void calls.push([l, context]);
    loop.setExceptionHandler(mockHandler);
    expect(loop.getExceptionHandler()).toBe(mockHandler);
    const handle = runLoop();
    expect(calls).toHaveLength(1);
    const [l, context] = calls[0]!;
    expect(l).toBe(loop);
    expect(Object.keys(context).sort()).toEqual(['exception', 'handle', 'message', 'source_traceback']);
    expect(context.message).toMatch(/Exception in callback.*zero_error/);
    expect(context.handle).toBe(handle);
    expect(context.source_traceback).toBe(handle._sourceTraceback);
    calls.length = 0;

    loop.setExceptionHandler(undefined);
    const logs = captureAsyncioLogs(() => void runLoop());
    expect(logs).toHaveLength(1);
    expect(logs[0]!.levelname).toBe('ERROR');
    expect(logs[0]!.getMessage()).toMatch(/Exception in callback.*zero/);
    expect(logs[0]!.excInfo).toBeInstanceOf(ZeroDivisionError);
    expect(calls).toHaveLength(0);
  });

  it('test_set_exc_handler_broken — a handler that raises is reported as "Unhandled error in exception handler"', () => {
    const runLoop = (): void => {
      function zero_error(): void {
        throw new ZeroDivisionError('division by zero');
      }
      loop.callSoon(zero_error);
      runOnceNow(loop);
    };
    loop.setExceptionHandler(() => {
      throw new AttributeError('spam');
    });
    const logs = captureAsyncioLogs(runLoop);
    // Oracle: "Unhandled error in exception handler\ncontext: {'message': 'Exception in callback zero_error() at F:L', 'exception': ZeroDivisionError('division by zero'), 'handle': <Handle zero_error() at F:L>}"
    expect(records(logs)).toEqual([
      ['ERROR', expect.stringMatching(/^Unhandled error in exception handler\ncontext: \{'message': 'Exception in callback zero_error\(\) at \S+', 'exception': ZeroDivisionError\('division by zero'\), 'handle': <Handle zero_error\(\) at \S+>\}$/), 'AttributeError'],
    ]);
  });

  it('test_default_exc_handler_broken — a failing default handler is logged; with a failing custom one too', () => {
    let savedContext: ExceptionContext | undefined;
    class Loop extends EventLoop {
      override defaultExceptionHandler(context: ExceptionContext): void {
        savedContext = context;
        throw new ValueError('spam');
      }
    }
    const brokenLoop = new Loop();
    setEventLoop(brokenLoop);
    const runLoop = (): void => {
      function zero_error(): void {
        throw new ZeroDivisionError('division by zero');
      }
      brokenLoop.callSoon(zero_error);
      runOnceNow(brokenLoop);
    };
    const first = captureAsyncioLogs(runLoop);
    expect(records(first)).toEqual([['ERROR', 'Exception in default exception handler', 'ValueError']]);

    savedContext = undefined;
    brokenLoop.setExceptionHandler(() => {
      throw new ValueError('ham');
    });
    const second = captureAsyncioLogs(runLoop);
    expect(records(second)).toEqual([
      ['ERROR', 'Exception in default exception handler while handling an unexpected error in custom exception handler', 'ValueError'],
    ]);
    // The default handler got the original context under 'context'.
    expect(savedContext).toHaveProperty('context');
    expect((savedContext!.context as ExceptionContext).exception).toBeInstanceOf(ZeroDivisionError);
    brokenLoop.close();
  });

  it('test_set_task_factory_invalid — setTaskFactory refuses a non-callable and keeps none', () => {
    expectThrows(() => loop.setTaskFactory(1 as never), TypeError, /task factory must be a callable or None/);
    expect(loop.getTaskFactory()).toBe(undefined);
  });

  it('test_set_task_factory — createTask uses the factory until it is reset', () => {
    class MyTask<T> extends Task<T> {}
    function* coro(): Coro<void> {}
    const factory = (l: EventLoop, c: Generator<unknown, unknown, unknown>): Task<unknown> => new MyTask(c, { loop: l });
    expect(loop.getTaskFactory()).toBe(undefined);
    loop.setTaskFactory(factory as never);
    expect(loop.getTaskFactory()).toBe(factory);
    let task = loop.createTask(coro());
    expect(task).toBeInstanceOf(MyTask);
    loop.runUntilComplete(task);
    loop.setTaskFactory(undefined);
    expect(loop.getTaskFactory()).toBe(undefined);
    task = loop.createTask(coro());
    expect(task).toBeInstanceOf(Task);
    expect(task).not.toBeInstanceOf(MyTask);
    loop.runUntilComplete(task);
  });

  describe('test_env_var_debug — PYTHONASYNCIODEBUG and Development Mode turn debug mode on for new loops', () => {
    afterEach(() => {
      delete process.env.PYTHONASYNCIODEBUG;
      setDevMode(false);
    });

    it('is off by default and with an empty PYTHONASYNCIODEBUG', () => {
      delete process.env.PYTHONASYNCIODEBUG;
      const a = newEventLoop();
      process.env.PYTHONASYNCIODEBUG = '';
      const b = newEventLoop();
      expect([a.getDebug(), b.getDebug()]).toEqual([false, false]);
      a.close();
      b.close();
    });

    it('is on with PYTHONASYNCIODEBUG=1, and in Development Mode (-X dev)', () => {
      process.env.PYTHONASYNCIODEBUG = '1';
      const a = newEventLoop();
      delete process.env.PYTHONASYNCIODEBUG;
      setDevMode(true);
      const b = newEventLoop();
      expect([a.getDebug(), b.getDebug()]).toEqual([true, true]);
      a.close();
      b.close();
    });
  });

  it('test_create_task — ensureFuture(coro, {loop}) goes through the loop\'s createTask', () => {
    class MyTask<T> extends Task<T> {}
    class MyLoop extends EventLoop {
      override createTask<T>(c: Generator<unknown, T, unknown>): Task<T> {
        return new MyTask(c, { loop: this });
      }
    }
    const myLoop = new MyLoop();
    function* test(): Coro<void> {}
    const coro = test();
    const task = ensureFuture(coro, { loop: myLoop });
    expect(task).toBeInstanceOf(MyTask);
    (task as Task<void>)._logDestroyPending = false;
    coro.return(undefined);
    myLoop.close();
  });

  it('test_create_task_error_closes_coro — ensureFuture on a closed loop raises and closes the coroutine (no warning)', () => {
    const test = coroutine(function* test(): Coro<void> {});
    loop.close();
    const closed = newEventLoop();
    closed.close();
    const w = warnings.catchWarnings({ record: true }, (log) => {
      warnings.simplefilter('always');
      expectThrows(() => ensureFuture(test(), { loop: closed }), RuntimeError, /^Event loop is closed$/);
      gcCollect();
      return log;
    });
    expect(w).toHaveLength(0);
  });

  // test_create_named_task_with_*_factory: createTask(coro, {name}) on a new loop (with the
  // task factory `factory`, if any) gives a task of that name.
  function expectNamedTask(factory?: (l: EventLoop, c: Generator<unknown, unknown, unknown>) => Task<unknown>): void {
    function* test(): Coro<void> {}
    const l = newEventLoop();
    if (factory !== undefined) l.setTaskFactory(factory as never);
    const task = l.createTask(test(), { name: 'test_task' });
    try {
      expect(task.getName()).toBe('test_task');
    } finally {
      l.runUntilComplete(task);
      l.close();
    }
  }

  it('test_create_named_task_with_default_factory — createTask(coro, {name}) names the task', () => {
    expectNamedTask();
  });

  it('test_create_named_task_with_custom_factory — the name is set on the task a factory made', () => {
    expectNamedTask((l, c) => new Task(c, { loop: l }));
  });

});
