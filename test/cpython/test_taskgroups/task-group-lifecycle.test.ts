// CPython 3.13's test_asyncio/test_taskgroups.py, TestTaskGroup (test_taskgroup_23 on:
// creating tasks, entering and leaving, cancel requests taken back): one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BaseExceptionGroup, CancelledError, contextvars, coroutine, createTask, Event, EventLoop, ExceptionGroup, gcCollect,
  repr, RuntimeError, RuntimeWarning, sleep, TaskGroup, ValueError, warnings, type AsyncContextManager, type Coro,
} from '../../../src/index.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaises, assertRaisesSync, asyncTest, awaitWithoutTask, me, now } from '../_support.js';
import { crashAfter, errorTypes, exceptStar } from './_support.js';

describe('TestTaskGroup', () => {

  it('test_taskgroup_23 — finished tasks leave the group (seen in its repr)', () => {
    asyncTest(function* () {
      // `len(g._tasks)` is private in CPython: its observable part is `tasks=N` in the repr.
      const tasksOf = (g: TaskGroup): number => Number(/tasks=(\d+)/.exec(repr(g))?.[1] ?? 0);
      yield* asyncWith(new TaskGroup(), function* (g) {
        for (let count = 0; count < 10; count++) {
          yield* sleep(0.1);
          g.createTask(sleep(0.3));
          if (count === 5) {
            expect(tasksOf(g)).toBeLessThan(5);
            expect(repr(g)).toBe('<TaskGroup tasks=4 entered>');
          }
        }
        yield* sleep(1.35);
        expect(tasksOf(g)).toBe(0);
        expect(repr(g)).toBe('<TaskGroup entered>');
      });
    });
  });

  it('test_taskgroup_24 — a child may create more tasks in the group', () => {
    asyncTest(function* () {
      function* root(g: TaskGroup): Coro<void> {
        yield* sleep(0.1);
        g.createTask(sleep(0.1));
        g.createTask(sleep(0.2));
      }
      yield* asyncWith(new TaskGroup(), function* (g) {
        g.createTask(root(g));
      });
      expect(now()).toBe(0.1 + 0.2);
    });
  });

  it('test_taskgroup_25 — tasks multiplying inside the group are all cancelled by one failure', () => {
    asyncTest(function* () {
      let nhydras = 0;
      function* hydra(g: TaskGroup): Coro<void> {
        nhydras += 1;
        yield* sleep(0.01);
        g.createTask(hydra(g));
        g.createTask(hydra(g));
      }
      function* hercules(): Coro<void> {
        while (nhydras < 10) yield* sleep(0.015);
        throw new ZeroDivisionError();
      }
      const eg = yield* assertRaises(ExceptionGroup, () => asyncWith(new TaskGroup(), function* (g) {
        g.createTask(hydra(g));
        g.createTask(hercules());
      }));
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
      expect(nhydras).toBeGreaterThanOrEqual(10);
      expect([nhydras, now()]).toEqual([31, 0.045]);
    });
  });

  it('test_taskgroup_task_name — create_task passes the name on', () => {
    asyncTest(function* () {
      yield* asyncWith(new TaskGroup(), function* (g) {
        const t = g.createTask(sleep(0), { name: 'yolo' });
        expect(t.getName()).toBe('yolo');
      });
    });
  });

  it('test_taskgroup_task_context — create_task(coro, context=ctx): the task writes into the context it was given', () => {
    const cvar = new contextvars.ContextVar<number>('cvar');
    function* coro(val: number): Coro<void> {
      yield* sleep(0);
      cvar.set(val);
    }
    asyncTest(function* () {
      yield* asyncWith(new TaskGroup(), function* (g) {
        const ctx = contextvars.copyContext();
        expect(ctx.get(cvar)).toBeUndefined();
        const t1 = g.createTask(coro(1), { context: ctx });
        yield* t1;
        expect(ctx.get(cvar)).toBe(1);
        const t2 = g.createTask(coro(2), { context: ctx });
        yield* t2;
        expect(ctx.get(cvar)).toBe(2);
      });
    });
  });

  it('test_taskgroup_no_create_task_after_failure — create_task while the group aborts raises RuntimeError', () => {
    asyncTest(function* () {
      let refused: RuntimeError | undefined;
      function* coro2(g: TaskGroup): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          refused = assertRaisesSync(RuntimeError, () => g.createTask(crashAfter(0.001)));
        }
      }
      const eg = yield* assertRaises(ExceptionGroup, () => asyncWith(new TaskGroup(), function* (g) {
        g.createTask(crashAfter(0.001));
        g.createTask(coro2(g));
      }));
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
      expect(refused?.message).toBe('TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down');
    });
  });

  it('test_taskgroup_context_manager_exit_raises — an inner context manager raising on exit: both errors, cancelling() back to 0', () => {
    class CustomException extends Error {}
    function* raiseExc(): Coro<never> {
      throw new CustomException();
    }
    // @contextlib.asynccontextmanager: try: yield finally: raise CustomException
    const database = (): AsyncContextManager<undefined> => ({
      *aenter() {
        return undefined;
      },
      *aexit() {
        throw new CustomException();
      },
    });
    asyncTest(function* () {
      function* main(): Coro<void> {
        const task = me();
        const err = yield* exceptStar(CustomException, () => asyncWith(new TaskGroup(), function* (tg) {
          yield* asyncWith(database(), function* () {
            tg.createTask(raiseExc());
            yield* sleep(1);
          });
        }));
        expect(err).toBeDefined();
        expect(task.cancelling()).toBe(0);
        expect(err!.exceptions.length).toBe(2);
        expect(now()).toBe(0);
      }
      yield* createTask(main());
    });
  });

  it('test_taskgroup_already_entered — entering an active group again raises RuntimeError', () => {
    asyncTest(function* () {
      const tg = new TaskGroup();
      yield* asyncWith(tg, function* () {
        const e = yield* assertRaises(RuntimeError, () => asyncWith(tg, function* () {}));
        expect(e.message).toBe('TaskGroup <TaskGroup entered> has already been entered');
      });
    });
  });

  it('test_taskgroup_double_enter — entering a finished group again raises RuntimeError', () => {
    asyncTest(function* () {
      const tg = new TaskGroup();
      yield* asyncWith(tg, function* () {});
      const e = yield* assertRaises(RuntimeError, () => asyncWith(tg, function* () {}));
      expect(e.message).toMatch(/has already been entered/);
    });
  });

  it('test_taskgroup_finished — create_task on a finished group raises and closes the coroutine (no warning)', () => {
    const sleeper = coroutine(function* sleeper(): Coro<void> {
      yield* sleep(0);
    });
    asyncTest(function* () {
      function* createTaskAfterTgFinish(): Coro<Coro<void>> {
        const tg = new TaskGroup();
        yield* asyncWith(tg, function* () {});
        const coro = sleeper();
        const e = assertRaisesSync(RuntimeError, () => tg.createTask(coro));
        expect(e.message).toBe('TaskGroup <TaskGroup entered> is finished');
        return coro;
      }
      const coro = yield* createTaskAfterTgFinish();
      warnings.catchWarnings({ record: true }, (w) => {
        warnings.simplefilter('always');
        gcCollect();
        expect(w.length).toBe(0);
        // The control: a coroutine never started and never closed is reported here.
        sleeper();
        gcCollect();
        expect(w.map((x) => [x.category, String(x.message)])).toEqual([[RuntimeWarning, expect.stringMatching(/^coroutine 'sleeper' was never awaited/)]]);
      });
      // A closed coroutine cannot be resumed, as in CPython.
      expect(assertRaisesSync(RuntimeError, () => coro.next()).message).toBe('cannot reuse already awaited coroutine');
    });
  });

  it('test_taskgroup_not_entered — create_task before entering raises RuntimeError', () => {
    asyncTest(function* () {
      const tg = new TaskGroup();
      const coro = sleep(0);
      const e = assertRaisesSync(RuntimeError, () => tg.createTask(coro));
      expect(e.message).toBe('TaskGroup <TaskGroup> has not been entered');
    });
  });

  it('test_taskgroup_without_parent_task — entering outside a task raises RuntimeError; the group stays not entered', () => {
    asyncTest(function* () {
      const tg = new TaskGroup();
      const e = yield* assertRaises(RuntimeError, () => awaitWithoutTask(tg.aenter()));
      expect(e.message).toMatch(/parent task/);
      expect(e.message).toBe('TaskGroup <TaskGroup> cannot determine the parent task');
      const e2 = assertRaisesSync(RuntimeError, () => tg.createTask(sleep(0)));
      expect(e2.message).toMatch(/has not been entered/);
    });
  });

  it('test_coro_closed_when_tg_closed — run_until_complete of a coroutine using a finished group raises cleanly', () => {
    function* runCoroAfterTgCloses(): Coro<string> {
      const tg = new TaskGroup();
      yield* asyncWith(tg, function* () {});
      const coro = sleep(0);
      const e = assertRaisesSync(RuntimeError, () => tg.createTask(coro));
      expect(e.message).toMatch(/is finished/);
      return 'ok';
    }
    const loop = new EventLoop();
    try {
      expect(loop.runUntilComplete(runCoroAfterTgCloses())).toBe('ok');
    } finally {
      loop.close();
    }
  });

  it('test_cancelling_level_preserved — a group that cancelled its parent takes the request back', () => {
    asyncTest(function* () {
      yield* exceptStar(RuntimeError, () => asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(crashAfter(0, () => new RuntimeError()));
      }));
      expect(me().cancelling()).toBe(0);
    });
  });

  it('test_nested_groups_both_cancelled — each group takes back its own cancel of the parent', () => {
    asyncTest(function* () {
      let innerCaught: BaseExceptionGroup | undefined;
      const outer = yield* exceptStar(ValueError, () => asyncWith(new TaskGroup(), function* (outerTg) {
        innerCaught = yield* exceptStar(RuntimeError, () => asyncWith(new TaskGroup(), function* (innerTg) {
          innerTg.createTask(crashAfter(0, () => new RuntimeError()));
          outerTg.createTask(crashAfter(0, () => new ValueError()));
        }));
        expect(innerCaught).toBeDefined();
        expect(me().cancelling()).toBe(1);
      }));
      expect(outer).toBeDefined();
      expect(repr(innerCaught)).toBe("ExceptionGroup('unhandled errors in a TaskGroup', [RuntimeError()])");
      expect(repr(outer)).toBe("ExceptionGroup('unhandled errors in a TaskGroup', [ValueError()])");
      expect(me().cancelling()).toBe(0);
    });
  });

  it('test_error_and_cancel — a group error while the parent is cancelled from outside keeps that cancel', () => {
    asyncTest(function* () {
      const event = new Event();
      let reachedAfterSleep = false;
      function* raiseError(): Coro<void> {
        event.set();
        yield* sleep(0);
        throw new RuntimeError();
      }
      function* inner(): Coro<void> {
        const caught = yield* exceptStar(RuntimeError, () => asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(raiseError());
          yield* sleep(1);
          throw new Error('Sleep in group should have been cancelled');
        }));
        expect(caught).toBeDefined();
        expect(me().cancelling()).toBe(1);
        yield* sleep(1);
        reachedAfterSleep = true;
      }
      const t = createTask(inner());
      yield* event.wait();
      expect(t.cancelling()).toBe(0);
      t.cancel();
      expect(t.cancelling()).toBe(1);
      yield* assertRaises(CancelledError, () => t);
      expect(t.cancelled()).toBe(true);
      expect(reachedAfterSleep).toBe(false);
      expect(now()).toBe(0);
    });
  });
});
