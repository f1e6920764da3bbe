// Port of CPython 3.13's Lib/test/test_asyncio/test_taskgroups.py (issue 10): the same
// behaviours checked through aiosim's API. Each CPython method runs, as in
// IsolatedAsyncioTestCase, as the main task of a debug-mode run(); virtual times, group
// reprs and counts asserted beyond CPython's own checks come from the oracle (3.13.2).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BaseException, BaseExceptionGroup, CancelledError, coroutine, createTask, Event, EventLoop,
  ExceptionGroup, gcCollect, KeyboardInterrupt, repr, RuntimeError, RuntimeWarning, sleep,
  TaskGroup, ValueError, warnings, type AsyncContextManager, type Coro, type Task,
} from '../../src/index.js';
import { ZeroDivisionError } from '../_support/python.js';
import { assertRaises, assertRaisesSync, asyncTest, awaitWithoutTask, me, now, type Ctor } from './_support.js';

class MyExc extends Error {
  static {
    Object.defineProperty(this, 'name', { value: 'MyExc' });
  }
}

class MyBaseExc extends BaseException {
  static {
    Object.defineProperty(this, 'name', { value: 'MyBaseExc' });
  }
}

// get_error_types(eg): the set of the members' class names.
function errorTypes(eg: unknown): string[] {
  expect(eg).toBeInstanceOf(BaseExceptionGroup);
  return [...new Set((eg as BaseExceptionGroup).exceptions.map((e) => (e as Error).constructor.name))].sort();
}

// `except* cls:` — run body; return the matching part of a raised group, re-raise the rest.
function* exceptStar(cls: Ctor<unknown>, body: () => Coro<unknown>): Coro<BaseExceptionGroup | undefined> {
  try {
    yield* body();
  } catch (e) {
    if (!(e instanceof BaseExceptionGroup)) throw e;
    const [match, rest] = e.split(cls as never);
    if (rest !== undefined) throw rest;
    return match;
  }
  return undefined;
}

function* sleepThen<T>(delay: number, value: T): Coro<T> {
  yield* sleep(delay);
  return value;
}

function* crashAfter(delay: number, make: () => unknown = () => new ZeroDivisionError()): Coro<never> {
  yield* sleep(delay);
  throw make();
}

// `try: await sleep(10) finally: raise make()` (the finally's error replaces the cancel).
function* raiseInFinally(make: () => unknown, delay = 10): Coro<void> {
  try {
    yield* sleep(delay);
  } finally {
    throw make();
  }
}

// `try: await asyncio.sleep(delay) except CancelledError: onCancel(); raise`.
function* sleepNotingCancel(delay: number, onCancel: () => void): Coro<void> {
  try {
    yield* sleep(delay);
  } catch (e) {
    if (e instanceof CancelledError) onCancel();
    throw e;
  }
}

// `r = create_task(runner); await asyncio.sleep(0.1); assertFalse(r.done()); r.cancel()`.
function* startThenCancel(runner: Coro<void>): Coro<Task<void>> {
  const r = createTask(runner);
  yield* sleep(0.1);
  expect(r.done()).toBe(false);
  r.cancel();
  return r;
}

// A group body whose five children raise ZeroDivisionError when cancelled; it sleeps 10 s.
function* fiveFailingOnCancel(g: TaskGroup): Coro<void> {
  for (let i = 0; i < 5; i++) g.createTask(raiseInFinally(() => new ZeroDivisionError()));
  yield* sleep(10);
}

// A group whose child fails at 0.1 (with `child()`, ZeroDivisionError by default) while
// its body, cancelled, raises `body()` from its cleanup.
function* childAndBodyFail(body: () => unknown, child?: () => unknown): Coro<void> {
  yield* asyncWith(new TaskGroup(), function* (g) {
    g.createTask(crashAfter(0.1, child));
    yield* raiseInFinally(body);
  });
}

describe('TestTaskGroup', () => {
  it('test_taskgroup_01 — the block waits for both tasks and their results are kept', () => {
    asyncTest(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      yield* asyncWith(new TaskGroup(), function* (g) {
        t1 = g.createTask(sleepThen(0.1, 42));
        t2 = g.createTask(sleepThen(0.2, 11));
      });
      expect([t1.result(), t2.result(), now()]).toEqual([42, 11, 0.2]);
    });
  });

  it('test_taskgroup_02 — a task created after an await in the block is waited for too', () => {
    asyncTest(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      yield* asyncWith(new TaskGroup(), function* (g) {
        t1 = g.createTask(sleepThen(0.1, 42));
        yield* sleep(0.15);
        t2 = g.createTask(sleepThen(0.2, 11));
      });
      expect([t1.result(), t2.result(), now()]).toEqual([42, 11, 0.35]);
    });
  });

  it('test_taskgroup_03 — cancelling one task explicitly does not disturb the group', () => {
    asyncTest(function* () {
      let t1!: Task<number>;
      let t2!: Task<number>;
      yield* asyncWith(new TaskGroup(), function* (g) {
        t1 = g.createTask(sleepThen(1, 42));
        yield* sleep(0.15);
        t1.cancel();
        t2 = g.createTask(sleepThen(0.2, 11));
      });
      expect(t1.cancelled()).toBe(true);
      expect([t2.result(), now()]).toEqual([11, 0.35]);
    });
  });

  it('test_taskgroup_04 — a failing task cancels its sibling and the group raises ExceptionGroup', () => {
    asyncTest(function* () {
      let NUM = 0;
      let t2Cancel = false;
      let t2!: Task<void>;
      function* foo2(): Coro<void> {
        yield* sleepNotingCancel(1, () => {
          t2Cancel = true;
        });
        NUM += 1;
      }
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g) {
          g.createTask(crashAfter(0.1));
          t2 = g.createTask(foo2());
        });
        NUM += 10;
      }
      const eg = yield* assertRaises(ExceptionGroup, () => createTask(runner()));
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
      expect(NUM).toBe(0);
      expect(t2Cancel).toBe(true);
      expect(t2.cancelled()).toBe(true);
      expect(now()).toBe(0.1);
    });
  });

  it('test_cancel_children_on_child_error — the other children and the body are cancelled, errors gathered', () => {
    asyncTest(function* () {
      let NUM = 0;
      let t2Cancel = false;
      let runnerCancel = false;
      function* foo2(): Coro<void> {
        yield* sleepNotingCancel(5, () => {
          t2Cancel = true;
        });
        NUM += 1;
      }
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g) {
          g.createTask(crashAfter(0.1));
          g.createTask(crashAfter(0.1));
          g.createTask(crashAfter(0.1));
          g.createTask(foo2());
          yield* sleepNotingCancel(10, () => {
            runnerCancel = true;
          });
        });
        NUM += 10;
      }
      const eg = yield* assertRaises(ExceptionGroup, () => createTask(runner()));
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
      // On a virtual clock the three timers fire together: all three errors are kept.
      expect(eg.exceptions.length).toBe(3);
      expect(NUM).toBe(0);
      expect(t2Cancel).toBe(true);
      expect(runnerCancel).toBe(true);
    });
  });

  // test_cancellation / test_taskgroup_07: the parent of a group of five sleeping children
  // (the body sleeping too where `bodySleeps`) is cancelled at 0.1 and raises CancelledError.
  // Returns the parent task and NUM: 1 per child that saw the cancellation, 10 for the body.
  function* cancelSleepingGroup(bodySleeps: boolean): Coro<[Task<void>, number]> {
    let NUM = 0;
    function* foo(): Coro<void> {
      yield* sleepNotingCancel(5, () => {
        NUM += 1;
      });
    }
    function* runner(): Coro<void> {
      yield* asyncWith(new TaskGroup(), function* (g) {
        for (let i = 0; i < 5; i++) g.createTask(foo());
        if (bodySleeps) {
          yield* sleepNotingCancel(10, () => {
            NUM += 10;
          });
        }
      });
    }
    const r = yield* startThenCancel(runner());
    yield* assertRaises(CancelledError, () => r);
    return [r, NUM];
  }

  it('test_cancellation — cancelling the parent cancels every child, and CancelledError propagates', () => {
    asyncTest(function* () {
      const [r, NUM] = yield* cancelSleepingGroup(false);
      expect(NUM).toBe(5);
      expect([now(), r.cancelling(), r.cancelled()]).toEqual([0.1, 1, true]);
    });
  });

  it('test_taskgroup_07 — the body and the children all see the cancellation', () => {
    asyncTest(function* () {
      const [, NUM] = yield* cancelSleepingGroup(true);
      expect(NUM).toBe(15);
    });
  });

  it('test_taskgroup_08 — children failing in their cleanup turn the cancellation into an ExceptionGroup', () => {
    asyncTest(function* () {
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g) {
          yield* fiveFailingOnCancel(g);
        });
      }
      const r = yield* startThenCancel(runner());
      const eg = yield* assertRaises(ExceptionGroup, () => r);
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
      expect([eg.exceptions.length, r.cancelling(), now()]).toEqual([5, 1, 0.1]);
    });
  });

  // test_taskgroup_09/10: the body raises (after an await, or before any) while two
  // children sleep: both are cancelled and the error comes out in an ExceptionGroup.
  function* bodyErrorCancelsChildren(awaitFirst: boolean): Coro<void> {
    let t1!: Task<number>;
    let t2!: Task<number>;
    function* runner(): Coro<void> {
      yield* asyncWith(new TaskGroup(), function* (g) {
        t1 = g.createTask(sleepThen(1, 42));
        t2 = g.createTask(sleepThen(2, 11));
        if (awaitFirst) yield* sleep(0.1);
        throw new ZeroDivisionError();
      });
    }
    const eg = yield* assertRaises(ExceptionGroup, () => runner());
    expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
    expect(t1.cancelled()).toBe(true);
    expect(t2.cancelled()).toBe(true);
  }

  it('test_taskgroup_09 — an error in the body after an await cancels the children', () => {
    asyncTest(() => bodyErrorCancelsChildren(true));
  });

  it('test_taskgroup_10 — an error in the body before any await cancels the children', () => {
    asyncTest(function* () {
      yield* bodyErrorCancelsChildren(false);
      expect(now()).toBe(0);
    });
  });

  // test_taskgroup_11/12: cancelled, an inner group's children fail in their cleanup (the
  // outer group holding one more sleeping task or not): the outer group wraps the inner one.
  function* nestedGroupFailsOnCancel(outerSibling: boolean): Coro<void> {
    function* runner(): Coro<void> {
      yield* asyncWith(new TaskGroup(), function* (g1) {
        if (outerSibling) g1.createTask(sleep(10));
        yield* asyncWith(new TaskGroup(), function* (g2) {
          yield* fiveFailingOnCancel(g2);
        });
      });
    }
    const r = yield* startThenCancel(runner());
    const eg = yield* assertRaises(ExceptionGroup, () => r);
    expect(errorTypes(eg)).toEqual(['ExceptionGroup']);
    expect(errorTypes(eg.exceptions[0])).toEqual(['ZeroDivisionError']);
  }

  it('test_taskgroup_11 — nested groups: the outer group wraps the inner group', () => {
    asyncTest(() => nestedGroupFailsOnCancel(false));
  });

  it('test_taskgroup_12 — nested groups with a sibling task in the outer one', () => {
    asyncTest(() => nestedGroupFailsOnCancel(true));
  });

  it('test_taskgroup_13 — an outer child failing first cancels the inner group quietly', () => {
    asyncTest(function* () {
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g1) {
          g1.createTask(crashAfter(0.1, () => new ValueError('0.1')));
          yield* asyncWith(new TaskGroup(), function* (g2) {
            g2.createTask(crashAfter(10, () => new ValueError('10')));
          });
        });
      }
      const eg = yield* assertRaises(ExceptionGroup, () => createTask(runner()));
      expect(errorTypes(eg)).toEqual(['ValueError']);
      expect(repr(eg)).toBe("ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('0.1')])");
      expect(now()).toBe(0.1);
    });
  });

  it('test_taskgroup_14 — an inner child failing first: the inner group nests in the outer one', () => {
    asyncTest(function* () {
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g1) {
          g1.createTask(crashAfter(10, () => new ValueError('10')));
          yield* asyncWith(new TaskGroup(), function* (g2) {
            g2.createTask(crashAfter(0.1, () => new ValueError('0.1')));
          });
        });
      }
      const eg = yield* assertRaises(ExceptionGroup, () => createTask(runner()));
      expect(errorTypes(eg)).toEqual(['ExceptionGroup']);
      expect(errorTypes(eg.exceptions[0])).toEqual(['ValueError']);
      expect(now()).toBe(0.1);
    });
  });

  // test_taskgroup_15/16: a child fails at 0.3 while the body, cancelled, cleans up for 0.5 s.
  function* childFailsDuringCleanup(): Coro<void> {
    yield* asyncWith(new TaskGroup(), function* (g1) {
      g1.createTask(crashAfter(0.3));
      try {
        yield* sleep(10);
      } catch (e) {
        if (e instanceof CancelledError) yield* sleep(0.5);
        throw e;
      }
    });
  }

  it('test_taskgroup_15 — a child failing while the cancelled body cleans up wins over the cancellation', () => {
    asyncTest(function* () {
      const r = yield* startThenCancel(childFailsDuringCleanup());
      const eg = yield* assertRaises(ExceptionGroup, () => r);
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
      expect([now(), r.cancelling()]).toEqual([0.3, 1]);
    });
  });

  it('test_taskgroup_16 — the same through one more task level', () => {
    asyncTest(function* () {
      function* runner(): Coro<void> {
        const t = createTask(childFailsDuringCleanup());
        yield* t;
      }
      const r = yield* startThenCancel(runner());
      const eg = yield* assertRaises(ExceptionGroup, () => r);
      expect(errorTypes(eg)).toEqual(['ZeroDivisionError']);
    });
  });

  it('test_taskgroup_17 — an empty group lets the body cancellation through', () => {
    asyncTest(function* () {
      let NUM = 0;
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* () {
          yield* sleepNotingCancel(10, () => {
            NUM += 10;
          });
        });
      }
      const r = yield* startThenCancel(runner());
      yield* assertRaises(CancelledError, () => r);
      expect(NUM).toBe(10);
    });
  });

  it('test_taskgroup_18 — a body that turns its cancellation into an error raises ExceptionGroup', () => {
    asyncTest(function* () {
      let NUM = 0;
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* () {
          try {
            yield* sleep(10);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            NUM += 10;
            throw new MyExc();
          }
        });
      }
      const r = yield* startThenCancel(runner());
      const eg = yield* assertRaises(ExceptionGroup, () => r);
      expect(errorTypes(eg)).toEqual(['MyExc']);
      expect(NUM).toBe(10);
      expect(r.cancelling()).toBe(1);
    });
  });

  it('test_taskgroup_19 — the body error raised in cleanup joins the child error', () => {
    asyncTest(function* () {
      const eg = yield* assertRaises(ExceptionGroup, () => createTask(childAndBodyFail(() => new MyExc())));
      expect(errorTypes(eg)).toEqual(['MyExc', 'ZeroDivisionError']);
      expect(repr(eg)).toBe("ExceptionGroup('unhandled errors in a TaskGroup', [ZeroDivisionError('division by zero'), MyExc()])");
    });
  });

  it('test_taskgroup_20 — a KeyboardInterrupt from the body propagates as itself', () => {
    asyncTest(function* () {
      yield* assertRaises(KeyboardInterrupt, () => childAndBodyFail(() => new KeyboardInterrupt()));
      // The group's own cancel of the parent is not taken back when a base error escapes.
      expect([now(), me().cancelling()]).toEqual([0.1, 1]);
      me().uncancel();
    });
  });

  it('test_taskgroup_20a — another BaseException from the body makes a BaseExceptionGroup', () => {
    asyncTest(function* () {
      const eg = yield* assertRaises(BaseExceptionGroup, () => childAndBodyFail(() => new MyBaseExc()));
      expect(eg).not.toBeInstanceOf(ExceptionGroup);
      expect(errorTypes(eg)).toEqual(['MyBaseExc', 'ZeroDivisionError']);
      expect(repr(eg)).toBe("BaseExceptionGroup('unhandled errors in a TaskGroup', [ZeroDivisionError('division by zero'), MyBaseExc()])");
      expect(me().cancelling()).toBe(0);
    });
  });

  it('test_taskgroup_21a — a child raising a BaseException makes a BaseExceptionGroup', () => {
    asyncTest(function* () {
      const eg = yield* assertRaises(BaseExceptionGroup, () => childAndBodyFail(() => new TypeError(), () => new MyBaseExc()));
      expect(eg).not.toBeInstanceOf(ExceptionGroup);
      expect(errorTypes(eg)).toEqual(['MyBaseExc', 'TypeError']);
      expect(repr(eg)).toBe("BaseExceptionGroup('unhandled errors in a TaskGroup', [MyBaseExc(), TypeError()])");
    });
  });

  it('test_taskgroup_22 — cancelling the parent while it waits for the children', () => {
    asyncTest(function* () {
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g) {
          g.createTask(sleepThen(1, 42));
          g.createTask(sleepThen(2, 11));
        });
      }
      const r = createTask(runner());
      yield* sleep(0.05);
      r.cancel();
      yield* assertRaises(CancelledError, () => r);
      expect(now()).toBe(0.05);
    });
  });

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
