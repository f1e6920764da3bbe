// CPython 3.13's test_asyncio/test_runners.py, RunTests: one `it` per test method, titled
// after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, EventLoop, getEventLoop, getRunningLoop, run, RuntimeError, sleep, ValueError, type Coro,
  type ExceptionContext, type Task,
} from '../../../src/index.js';
import { _getCurrentLoop } from '../../../src/events/running-loop.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaisesSync } from '../_support.js';
import { newLoop, tearDownEach } from './_support.js';

tearDownEach();

describe('RunTests', () => {
  it('test_asyncio_run_return — run() returns the result of main and closes its loop', () => {
    let loop!: EventLoop;
    function* main(): Coro<number> {
      loop = getRunningLoop() as EventLoop;
      yield* sleep(0);
      return 42;
    }
    expect(run(main())).toBe(42);
    expect(loop.isClosed()).toBe(true);
  });

  it('test_asyncio_run_raises — the exception of main propagates', () => {
    function* main(): Coro<void> {
      yield* sleep(0);
      throw new ValueError('spam');
    }
    const e = assertRaisesSync(ValueError, () => run(main()));
    expect(e.message).toMatch(/spam/);
  });

  it('test_asyncio_run_only_coro — anything but a coroutine raises ValueError', () => {
    for (const o of [1, () => undefined]) {
      const e = assertRaisesSync(ValueError, () => run(o as never));
      expect(e.message).toMatch(/^a coroutine was expected, got /);
    }
    expect(assertRaisesSync(ValueError, () => run(1 as never)).message).toBe('a coroutine was expected, got 1');
  });

  it('test_asyncio_run_debug — debug=True/False overrides the default, which follows the debug switch', () => {
    const seen: boolean[] = [];
    function* main(expected: boolean): Coro<void> {
      const loop = getEventLoop();
      expect(loop.getDebug()).toBe(expected);
      seen.push(expected);
    }
    run(main(false), { debug: false });
    run(main(true), { debug: true });
    // mock.patch('asyncio.coroutines._is_debug_mode', lambda: True): PYTHONASYNCIODEBUG.
    const env = process.env;
    const saved = env.PYTHONASYNCIODEBUG;
    env.PYTHONASYNCIODEBUG = '1';
    try {
      run(main(true));
      run(main(false), { debug: false });
    } finally {
      if (saved === undefined) delete env.PYTHONASYNCIODEBUG;
      else env.PYTHONASYNCIODEBUG = saved;
    }
    run(main(true), { debug: true });
    run(main(false));
    expect(seen.length).toBe(6);
  });

  it('test_asyncio_run_from_running_loop — run() inside a running loop raises RuntimeError', () => {
    function* main(): Coro<void> {
      const coro = main();
      try {
        run(coro);
      } finally {
        coro.return(undefined);
      }
    }
    const e = assertRaisesSync(RuntimeError, () => run(main()));
    expect(e.message).toBe('asyncio.run() cannot be called from a running event loop');
  });

  it('test_asyncio_run_cancels_hanging_tasks — tasks left behind are cancelled at shutdown', () => {
    let loTask: Task<void> | undefined;
    function* leftover(): Coro<void> {
      yield* sleep(0.1);
    }
    function* main(): Coro<number> {
      loTask = createTask(leftover());
      return 123;
    }
    expect(run(main())).toBe(123);
    expect(loTask!.done()).toBe(true);
    expect(loTask!.cancelled()).toBe(true);
  });

  it('test_asyncio_run_reports_hanging_tasks_errors — a left-over task failing while cancelled is reported', () => {
    let loTask: Task<void> | undefined;
    const calls: ExceptionContext[] = [];
    function* leftover(): Coro<void> {
      try {
        yield* sleep(0.1);
      } catch (e) {
        if (e instanceof CancelledError) throw new ZeroDivisionError();
        throw e;
      }
    }
    function* main(): Coro<number> {
      const loop = getRunningLoop() as EventLoop;
      // loop.call_exception_handler = mock: the calls are recorded, nothing is logged.
      (loop as { callExceptionHandler(c: ExceptionContext): void }).callExceptionHandler = (c) => calls.push(c);
      loTask = createTask(leftover());
      return 123;
    }
    expect(run(main())).toBe(123);
    expect(loTask!.done()).toBe(true);
    const last = calls.at(-1)!;
    expect(Object.keys(last).sort()).toEqual(['exception', 'message', 'task']);
    expect(last.message).toMatch(/asyncio.run.*shutdown/);
    expect(last.message).toBe('unhandled exception during asyncio.run() shutdown');
    expect(last.task).toBe(loTask);
    expect(last.exception).toBeInstanceOf(ZeroDivisionError);
  });

  it('test_asyncio_run_set_event_loop — run() sets its loop as the current loop, and clears it at the end', () => {
    let during: unknown;
    let loop: unknown;
    function* main(): Coro<number> {
      loop = getRunningLoop();
      during = _getCurrentLoop();
      yield* sleep(0);
      return 42;
    }
    run(main());
    expect(during).toBe(loop);
    expect(_getCurrentLoop()).toBeUndefined();
  });

  it('test_asyncio_run_loop_factory — run() uses the loop factory, called once without arguments', () => {
    const loop = newLoop();
    const calls: unknown[][] = [];
    const factory = (...args: unknown[]): EventLoop => {
      calls.push(args);
      return loop;
    };
    function* main(): Coro<void> {
      expect(getRunningLoop()).toBe(loop);
    }
    run(main(), { loopFactory: factory });
    expect(calls).toEqual([[]]);
    expect(loop.isClosed()).toBe(true);
    expect(loop.shutdownAgRun).toBe(true);
  });

  it('test_loop_factory_default_event_loop — loop_factory=EventLoop runs main on an EventLoop', () => {
    function* main(): Coro<void> {
      expect(getRunningLoop()).toBeInstanceOf(EventLoop);
    }
    run(main(), { loopFactory: () => new EventLoop() });
  });
});
