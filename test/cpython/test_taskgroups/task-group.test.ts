// CPython 3.13's test_asyncio/test_taskgroups.py, TestTaskGroup (test_taskgroup_01 to _22:
// children, errors, cancellation): one `it` per test method, titled after it. Module notes
// and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BaseExceptionGroup, CancelledError, createTask, ExceptionGroup, KeyboardInterrupt, repr, sleep, TaskGroup,
  ValueError, type Coro, type Task,
} from '../../../src/index.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaises, asyncTest, me, now } from '../_support.js';
import {
  childAndBodyFail, crashAfter, errorTypes, fiveFailingOnCancel, MyBaseExc, MyExc, sleepNotingCancel, sleepThen,
  startThenCancel,
} from './_support.js';

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

});
