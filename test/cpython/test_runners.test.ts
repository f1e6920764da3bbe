// Port of CPython 3.13's Lib/test/test_asyncio/test_runners.py (issue 10): asyncio.run()
// and Runner checked through aiosim's run()/Runner. CPython's harness gives every test a
// policy whose loops record shutdown_asyncgens(); here loops come from loopFactory where
// that matters. Values asserted beyond CPython's own checks come from the oracle (3.13.2);
// the SIGINT tests (pyodide has no interrupt_main) from native CPython 3.13.0 on a
// virtual clock.

import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelledError, coroutine, createTask, currentTask, EventLoop, gcCollect, getEventLoop, getRunningLoop,
  KeyboardInterrupt, run, Runner, RuntimeError, RuntimeWarning, setEventLoop, signals, sleep, ValueError, warnings,
  withContext, type Coro, type ExceptionContext, type Future, type Task,
} from '../../src/index.js';
import { _getCurrentLoop } from '../../src/events/running-loop.js';
import { assertRaisesSync, ZeroDivisionError } from './_support.js';

// BaseTest.new_loop: a loop whose shutdown_asyncgens() records that it ran.
function newLoop(): EventLoop & { shutdownAgRun: boolean } {
  const loop = new EventLoop() as EventLoop & { shutdownAgRun: boolean };
  loop.shutdownAgRun = false;
  loop.shutdownAsyncgens = function* shutdownAsyncgens(): Coro<void> {
    loop.shutdownAgRun = true;
  };
  return loop;
}

// _thread.interrupt_main(): SIGINT, handled in the main thread at once.
const interruptSelf = (): void => signals.raiseSignal(signals.SIGINT);

afterEach(() => {
  // tearDown: set_event_loop_policy(None).
  setEventLoop(undefined);
});

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

describe('RunnerTests', () => {
  it('test_non_debug — Runner(debug=False) makes a non-debug loop', () => {
    withContext(new Runner({ debug: false }), (runner) => {
      expect(runner.getLoop().getDebug()).toBe(false);
    });
  });

  it('test_debug — Runner(debug=True) makes a debug loop', () => {
    withContext(new Runner({ debug: true }), (runner) => {
      expect(runner.getLoop().getDebug()).toBe(true);
    });
  });

  it('test_custom_factory — get_loop() returns what the loop factory made', () => {
    const loop = newLoop();
    withContext(new Runner({ loopFactory: () => loop }), (runner) => {
      expect(runner.getLoop()).toBe(loop);
    });
    expect(loop.isClosed()).toBe(true);
  });

  it('test_run — run() returns the result; after the block the runner and its loop are closed', () => {
    function* f(): Coro<string> {
      yield* sleep(0);
      return 'done';
    }
    let loop!: EventLoop;
    const runner = new Runner();
    withContext(runner, (r) => {
      expect(r.run(f())).toBe('done');
      loop = r.getLoop();
    });
    const e = assertRaisesSync(RuntimeError, () => runner.getLoop());
    expect(e.message).toBe('Runner is closed');
    expect(loop.isClosed()).toBe(true);
  });

  it('test_run_non_coro — run(123) raises ValueError', () => {
    withContext(new Runner(), (runner) => {
      const e = assertRaisesSync(ValueError, () => runner.run(123 as never));
      expect(e.message).toMatch(/a coroutine was expected/);
    });
  });

  it('test_run_future — run(future) raises ValueError', () => {
    withContext(new Runner(), (runner) => {
      const fut = runner.getLoop().createFuture();
      const e = assertRaisesSync(ValueError, () => runner.run(fut as never));
      expect(e.message).toBe('a coroutine was expected, got <Future pending>');
    });
  });

  it('test_explicit_close — close() closes the loop and get_loop() then raises', () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    runner.close();
    const e = assertRaisesSync(RuntimeError, () => runner.getLoop());
    expect(e.message).toMatch(/Runner is closed/);
    expect(loop.isClosed()).toBe(true);
  });

  it('test_double_close — a second close() does nothing', () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    runner.close();
    expect(loop.isClosed()).toBe(true);
    runner.close();
    expect(loop.isClosed()).toBe(true);
  });

  it('test_second_with_block_raises — a closed runner cannot be entered again', () => {
    const ret: number[] = [];
    function* f(arg: number): Coro<void> {
      ret.push(arg);
    }
    const runner = new Runner();
    withContext(runner, (r) => {
      r.run(f(1));
    });
    const e = assertRaisesSync(RuntimeError, () => withContext(runner, (r) => {
      r.run(f(2));
    }));
    expect(e.message).toBe('Runner is closed');
    expect(ret).toEqual([1]);
  });

  it('test_recursive_run — run() inside the running loop raises RuntimeError; the refused coroutine warns', () => {
    const g = coroutine(function* g(): Coro<void> {});
    withContext(new Runner(), (runner) => {
      function* f(): Coro<void> {
        runner.run(g());
      }
      warnings.catchWarnings({ record: true }, (w) => {
        warnings.simplefilter('always');
        const e = assertRaisesSync(RuntimeError, () => runner.run(f()));
        expect(e.message).toBe('Runner.run() cannot be called from a running event loop');
        gcCollect(); // CPython warns when the coroutine object is freed
        expect(w.length).toBe(1);
        expect(w[0]!.category).toBe(RuntimeWarning);
        expect(String(w[0]!.message)).toMatch(/^coroutine .+ was never awaited/);
      });
    });
  });

  it('test_interrupt_call_soon — SIGINT while the main task loops on sleep(0): cancelled, then KeyboardInterrupt', () => {
    let cancelledAfter = -1;
    function* coro(): Coro<void> {
      let n = 0;
      try {
        for (;;) {
          yield* sleep(0);
          n += 1;
        }
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        cancelledAfter = n;
      }
      throw new CancelledError();
    }
    withContext(new Runner(), (runner) => {
      // CPython uses call_later(0.1) and real time; on a virtual clock a task looping on
      // sleep(0) never lets time pass, so the interrupt comes on the third iteration.
      const loop = runner.getLoop();
      loop.callSoon(() => loop.callSoon(() => loop.callSoon(interruptSelf)));
      assertRaisesSync(KeyboardInterrupt, () => runner.run(coro()));
      expect([cancelledAfter, loop.time()]).toEqual([1, 0]);
    });
  });

  it('test_interrupt_wait — SIGINT while waiting on a future cancels the future and the main task', () => {
    withContext(new Runner(), (runner) => {
      let sawCancel = false;
      function* coro(fut: Future<unknown>): Coro<void> {
        try {
          yield* fut;
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          sawCancel = true;
        }
        throw new CancelledError();
      }
      const fut = runner.getLoop().createFuture();
      runner.getLoop().callLater(0.1, interruptSelf);
      assertRaisesSync(KeyboardInterrupt, () => runner.run(coro(fut)));
      expect(fut.cancelled()).toBe(true);
      expect([sawCancel, runner.getLoop().time()]).toEqual([true, 0.1]);
    });
  });

  it('test_interrupt_cancelled_task — SIGINT for a main task already cancelled elsewhere: CancelledError, not KeyboardInterrupt', () => {
    let cancelling = -1;
    function* subtask(task: Task<unknown>): Coro<void> {
      yield* sleep(0);
      task.cancel();
      interruptSelf();
      cancelling = task.cancelling();
    }
    function* coro(): Coro<void> {
      createTask(subtask(currentTask() as Task<unknown>));
      yield* sleep(10);
    }
    withContext(new Runner(), (runner) => {
      assertRaisesSync(CancelledError, () => runner.run(coro()));
      expect([cancelling, runner.getLoop().time()]).toEqual([2, 0]);
    });
  });

  it('test_set_event_loop_called_once — the runner sets its loop as current once, on the first run', () => {
    function* coro(): Coro<void> {}
    const runner = new Runner();
    runner.run(coro());
    const loop = runner.getLoop();
    expect(_getCurrentLoop()).toBe(loop);
    const other = new EventLoop();
    setEventLoop(other);
    runner.run(coro());
    // A second set_event_loop() would have put the runner's loop back.
    expect(_getCurrentLoop()).toBe(other);
    runner.close();
    other.close();
  });

  it('test_no_repr_is_call_on_the_task_result — run() never takes the repr of the result', () => {
    class MyResult {
      reprCount = 0;
      [Symbol.for('aiosim.repr')](): string {
        this.reprCount += 1;
        return '<MyResult>';
      }

      toString(): string {
        this.reprCount += 1;
        return '<MyResult>';
      }
    }
    function* coro(): Coro<MyResult> {
      return new MyResult();
    }
    const result = withContext(new Runner({ debug: true }), (runner) => runner.run(coro()))!;
    expect(result.reprCount).toBe(0);
  });
});
