// CPython 3.13's test_asyncio/test_runners.py, RunnerTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, contextvars, coroutine, createTask, currentTask, EventLoop, gcCollect, KeyboardInterrupt, Runner, RuntimeError,
  RuntimeWarning, setEventLoop, sleep, ValueError, warnings, withContext, type Coro, type Future, type Task,
} from '../../../src/index.js';
import { _getCurrentLoop } from '../../../src/events/running-loop.js';
import { assertRaisesSync } from '../_support.js';
import { interruptSelf, newLoop, tearDownEach } from './_support.js';

tearDownEach();

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

  it("test_run_keeps_context — every run() of a Runner uses the runner's one context", () => {
    const cvar = new contextvars.ContextVar<number>('cvar', { default: -1 });
    function* f(val: number): Coro<number> {
      const old = cvar.get();
      yield* sleep(0);
      cvar.set(val);
      return old;
    }
    function* getContext(): Coro<contextvars.Context> {
      return contextvars.copyContext();
    }
    withContext(new Runner(), (runner) => {
      expect(runner.run(f(1))).toBe(-1);
      expect(runner.run(f(2))).toBe(1);
      expect(runner.run(getContext()).get(cvar)).toBe(2);
    });
    // The runner's context is a copy: the caller's is untouched.
    expect(cvar.get()).toBe(-1);
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
