// Port of CPython 3.13's Lib/test/test_asyncio/test_timeouts.py (issue 10): the same
// behaviours checked through aiosim's API. Each CPython method runs, as in
// IsolatedAsyncioTestCase, as the main task of a debug-mode run(); the virtual times
// and reprs asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: TimeoutTests, the module's one class. Table: docs/cpython-tests/test_timeouts.md.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, blockingSleep, CancelledError, createTask, ExceptionGroup, getRunningLoop, repr, RuntimeError, sleep,
  TaskGroup, timeout, timeoutAt, TimeoutError, ValueError, type Coro, type EventLoop, type Timeout,
} from '../../../src/index.js';
import { ctx, KeyError, withCtx, ZeroDivisionError } from '../../_support/python.js';
import { assertRaises, assertRaisesSync, asyncTest, awaitWithoutTask, me } from '../_support.js';

const loop = (): EventLoop => getRunningLoop() as EventLoop;

// `async with cm: await asyncio.sleep(delay)`.
function* sleepIn(cm: Timeout, delay: number): Coro<void> {
  yield* asyncWith(cm, function* () {
    yield* sleep(delay);
  });
}
const cause = (e: unknown): unknown => (e as Error).cause;

describe('TimeoutTests', () => {
  it('test_timeout_basic — the deadline cancels the sleep and the block raises TimeoutError', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      const e = yield* assertRaises(TimeoutError, () => sleepIn(cm, 10));
      expect(cm.expired()).toBe(true);
      expect(cause(e)).toBeInstanceOf(CancelledError);
      expect(loop().time()).toBe(0.01);
    });
  });

  it('test_timeout_at_basic — timeout_at raises TimeoutError at its deadline and keeps when()', () => {
    asyncTest(function* () {
      const deadline = loop().time() + 0.01;
      const cm = timeoutAt(deadline);
      yield* assertRaises(TimeoutError, () => sleepIn(cm, 10));
      expect(cm.expired()).toBe(true);
      expect(cm.when()).toBe(deadline);
    });
  });

  it('test_nested_timeouts — with equal deadlines only the outer block raises TimeoutError', () => {
    asyncTest(function* () {
      const deadline = loop().time() + 0.01;
      let cancelled = false;
      const cm1 = timeoutAt(deadline);
      const cm2 = timeoutAt(deadline);
      yield* assertRaises(TimeoutError, () => asyncWith(cm1, function* () {
        try {
          yield* sleepIn(cm2, 10);
        } catch (e) {
          if (e instanceof CancelledError) cancelled = true;
          throw e;
        }
      }));
      expect(cancelled).toBe(true);
      expect(cm1.expired()).toBe(true);
      expect(cm2.expired()).toBe(true);
      expect(me().cancelling()).toBe(0);
    });
  });

  it('test_waiter_cancelled — the awaited sleep sees CancelledError', () => {
    asyncTest(function* () {
      let cancelled = false;
      yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.01), function* () {
        try {
          yield* sleep(10);
        } catch (e) {
          if (e instanceof CancelledError) cancelled = true;
          throw e;
        }
      }));
      expect(cancelled).toBe(true);
    });
  });

  it('test_timeout_not_called — a block that ends in time does not expire', () => {
    asyncTest(function* () {
      const cm = timeout(10);
      yield* sleepIn(cm, 0.01);
      const t1 = loop().time();
      expect(cm.expired()).toBe(false);
      expect(cm.when()).toBeGreaterThan(t1);
      expect([t1, cm.when()]).toEqual([0.01, 10]);
    });
  });

  it('test_timeout_disabled — timeout(None) never expires and when() is None', () => {
    asyncTest(function* () {
      const cm = timeout(undefined);
      yield* sleepIn(cm, 0.01);
      expect(cm.expired()).toBe(false);
      expect(cm.when()).toBeUndefined();
    });
  });

  it('test_timeout_at_disabled — timeout_at(None) never expires and when() is None', () => {
    asyncTest(function* () {
      const cm = timeoutAt(undefined);
      yield* sleepIn(cm, 0.01);
      expect(cm.expired()).toBe(false);
      expect(cm.when()).toBeUndefined();
    });
  });

  it('test_timeout_zero — timeout(0) expires at once, with when() between the times around it', () => {
    asyncTest(function* () {
      const t0 = loop().time();
      const cm = timeout(0);
      yield* assertRaises(TimeoutError, () => sleepIn(cm, 10));
      const t1 = loop().time();
      expect(cm.expired()).toBe(true);
      expect(t0 <= cm.when()! && cm.when()! <= t1).toBe(true);
      expect([t0, cm.when(), t1]).toEqual([0, 0, 0]);
    });
  });

  it('test_timeout_zero_sleep_zero — timeout(0) interrupts even sleep(0)', () => {
    asyncTest(function* () {
      const t0 = loop().time();
      const cm = timeout(0);
      yield* assertRaises(TimeoutError, () => sleepIn(cm, 0));
      const t1 = loop().time();
      expect(cm.expired()).toBe(true);
      expect(t0 <= cm.when()! && cm.when()! <= t1).toBe(true);
    });
  });

  it('test_timeout_in_the_past_sleep_zero — a deadline in the past interrupts sleep(0)', () => {
    asyncTest(function* () {
      const t0 = loop().time();
      const cm = timeout(-11);
      yield* assertRaises(TimeoutError, () => sleepIn(cm, 0));
      const t1 = loop().time();
      expect(cm.expired()).toBe(true);
      expect(t0 >= cm.when()! && cm.when()! <= t1).toBe(true);
      expect([cm.when(), t1]).toEqual([-11, 0]);
    });
  });

  it('test_foreign_exception_passed — another exception passes through unexpired', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      yield* assertRaises(KeyError, () => asyncWith(cm, function* () {
        throw new KeyError();
      }));
      expect(cm.expired()).toBe(false);
    });
  });

  it('test_timeout_exception_context — TimeoutError is caused by the CancelledError raised while handling the error', () => {
    asyncTest(function* () {
      const e = yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.01), function* () {
        // try: 1/0 finally: await sleep(1)
        const zde = new ZeroDivisionError();
        try {
          yield* sleep(1);
        } catch (c) {
          throw withCtx(c, zde);
        }
        throw zde;
      }));
      const e2 = cause(e);
      expect(e2).toBeInstanceOf(CancelledError);
      expect(ctx(e)).toBe(e2);
      expect(cause(e2)).toBeUndefined();
      expect(ctx(e2)).toBeInstanceOf(ZeroDivisionError);
    });
  });

  it('test_foreign_exception_on_timeout — an error raised during the timeout cancellation gets a TimeoutError context', () => {
    asyncTest(function* () {
      function* crash(): Coro<void> {
        try {
          yield* sleep(1);
        } catch (c) {
          throw withCtx(new ZeroDivisionError(), c);
        }
        throw new ZeroDivisionError();
      }
      const e = yield* assertRaises(ZeroDivisionError, () => asyncWith(timeout(0.01), function* () {
        yield* crash();
      }));
      expect(cause(e)).toBeUndefined();
      const e2 = ctx(e);
      expect(e2).toBeInstanceOf(TimeoutError);
      const e3 = cause(e2);
      expect(e3).toBeInstanceOf(CancelledError);
      expect(ctx(e2)).toBe(e3);
      expect(loop().time()).toBe(0.01);
    });
  });

  it('test_foreign_exception_on_timeout_2 — the TimeoutError goes in at the CancelledError, deep in the context chain', () => {
    asyncTest(function* () {
      const e = yield* assertRaises(ZeroDivisionError, () => asyncWith(timeout(0.01), function* () {
        // try: (try: raise ValueError finally: await sleep(1)) finally: (try: raise KeyError finally: 1/0)
        let pending: unknown;
        const ve = new ValueError();
        try {
          yield* sleep(1);
          pending = ve;
        } catch (c) {
          pending = withCtx(c, ve);
        }
        const ke = withCtx(new KeyError(), pending);
        throw withCtx(new ZeroDivisionError(), ke);
      }));
      expect(cause(e)).toBeUndefined();
      const e2 = ctx(e);
      expect(e2).toBeInstanceOf(KeyError);
      expect(cause(e2)).toBeUndefined();
      const e3 = ctx(e2);
      expect(e3).toBeInstanceOf(TimeoutError);
      const e4 = cause(e3);
      expect(e4).toBeInstanceOf(CancelledError);
      expect(cause(e4)).toBeUndefined();
      expect(ctx(e4)).toBeInstanceOf(ValueError);
      expect(ctx(e3)).toBe(e4);
    });
  });

  it('test_foreign_cancel_doesnt_timeout_if_not_expired — a cancel from elsewhere stays a CancelledError', () => {
    asyncTest(function* () {
      const cm = timeout(10);
      yield* assertRaises(CancelledError, () => asyncWith(cm, function* () {
        me().cancel();
        yield* sleep(10);
      }));
      expect(cm.expired()).toBe(false);
      expect(repr(cm)).toBe('<Timeout [finished]>');
      expect([loop().time(), me().cancelling()]).toEqual([0, 1]);
      me().uncancel();
    });
  });

  it('test_outer_task_is_not_cancelled — a task whose timeout fired ends normally', () => {
    asyncTest(function* () {
      function* outer(): Coro<void> {
        yield* assertRaises(TimeoutError, () => sleepIn(timeout(0.001), 10));
      }
      const task = createTask(outer());
      yield* task;
      expect(task.cancelled()).toBe(false);
      expect(task.done()).toBe(true);
    });
  });

  it('test_nested_timeouts_concurrent — a blocking call makes the outer deadline pass first; the outer block raises', () => {
    asyncTest(function* () {
      let inner: unknown;
      yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.002), function* () {
        try {
          yield* asyncWith(timeout(0.1), function* () {
            blockingSleep(0.01); // time.sleep: the loop is busy
            yield* sleep(1);
          });
        } catch (e) {
          inner = e;
          throw e;
        }
      }));
      // The inner block saw the outer cancellation, not a timeout of its own.
      expect(inner).toBeInstanceOf(CancelledError);
      expect(loop().time()).toBe(0.01);
    });
  });

  it('test_nested_timeouts_loop_busy — after the inner timeout, the outer one interrupts the next sleep', () => {
    asyncTest(function* () {
      loop().slowCallbackDuration = 10;
      const t0 = loop().time();
      let inner: unknown;
      yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.1), function* () {
        try {
          yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.01), function* () {
            blockingSleep(0.1);
            yield* sleep(1);
          }));
        } catch (e) {
          inner = e;
          throw e;
        }
        yield* sleep(10);
      }));
      const t1 = loop().time();
      // Both deadlines had passed when the loop got back: the inner block let the
      // cancellation through (its uncancel() left the outer request), the outer one raised.
      expect(inner).toBeInstanceOf(CancelledError);
      expect(t0 <= t1 && t1 <= t0 + 1).toBe(true);
      expect(t1).toBe(0.1);
    });
  });

  it('test_reschedule — reschedule() moves the deadline and None disarms it', () => {
    asyncTest(function* () {
      const fut = loop().createFuture<Timeout>();
      const deadline1 = loop().time() + 10;
      const deadline2 = deadline1 + 20;
      function* f(): Coro<void> {
        yield* asyncWith(timeoutAt(deadline1), function* (cm) {
          fut.setResult(cm);
          yield* sleep(50);
        });
      }
      const task = createTask(f());
      const cm = yield* fut;
      expect(cm.when()).toBe(deadline1);
      cm.reschedule(deadline2);
      expect(cm.when()).toBe(deadline2);
      expect(repr(cm)).toBe('<Timeout [active] when=30.0>');
      cm.reschedule(undefined);
      expect(cm.when()).toBeUndefined();
      task.cancel();
      yield* assertRaises(CancelledError, () => task);
      expect(cm.expired()).toBe(false);
      expect(repr(cm)).toBe('<Timeout [finished]>');
    });
  });

  it('test_repr_active — <Timeout [active] when=…>', () => {
    asyncTest(function* () {
      yield* asyncWith(timeout(10), function* (cm) {
        expect(repr(cm)).toMatch(/^<Timeout \[active\] when=\d+\.\d*>$/);
        expect(repr(cm)).toBe('<Timeout [active] when=10.0>');
      });
    });
  });

  it('test_repr_expired — <Timeout [expired]>', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      yield* assertRaises(TimeoutError, () => sleepIn(cm, 10));
      expect(repr(cm)).toBe('<Timeout [expired]>');
    });
  });

  it('test_repr_finished — <Timeout [finished]>', () => {
    asyncTest(function* () {
      const cm = timeout(10);
      yield* sleepIn(cm, 0);
      expect(repr(cm)).toBe('<Timeout [finished]>');
    });
  });

  it('test_repr_disabled — <Timeout [active] when=None>', () => {
    asyncTest(function* () {
      yield* asyncWith(timeout(undefined), function* (cm) {
        expect(repr(cm)).toBe('<Timeout [active] when=None>');
      });
    });
  });

  it('test_nested_timeout_in_finally — a timeout inside the cleanup of an expired one chains to the first CancelledError', () => {
    asyncTest(function* () {
      let e2: unknown;
      const e1 = yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.01), function* () {
        // try: await sleep(1) finally: (with assertRaises(TimeoutError): async with timeout(0.01): await sleep(10))
        let first: unknown;
        try {
          yield* sleep(1);
        } catch (c) {
          first = c;
        }
        e2 = yield* assertRaises(TimeoutError, () => asyncWith(timeout(0.01), function* () {
          try {
            yield* sleep(10);
          } catch (c) {
            throw withCtx(c, first);
          }
        }));
        if (first !== undefined) throw first;
      }));
      const e12 = cause(e1);
      expect(e12).toBeInstanceOf(CancelledError);
      expect(cause(e12)).toBeUndefined();
      expect(ctx(e12)).toBeUndefined();
      expect(ctx(e1)).toBe(e12);
      const e22 = cause(e2);
      expect(e22).toBeInstanceOf(CancelledError);
      expect(cause(e22)).toBeUndefined();
      expect(ctx(e22)).toBe(e12);
      expect(ctx(e2)).toBe(e22);
      expect(loop().time()).toBe(0.02);
    });
  });

  // test_*_after_cancellation: `try: current_task().cancel(); await sleep(1) except
  // CancelledError: pass finally: await cleanup()`.
  function* cleanupAfterSwallowedCancel(cleanup: () => Coro<unknown>): Coro<void> {
    try {
      me().cancel();
      yield* sleep(1);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
    } finally {
      yield* cleanup();
    }
  }

  it('test_timeout_after_cancellation — a timeout in the cleanup after a swallowed cancel still fires', () => {
    asyncTest(function* () {
      yield* cleanupAfterSwallowedCancel(() => assertRaises(TimeoutError, () => sleepIn(timeout(0), 1)));
      expect([loop().time(), me().cancelling()]).toEqual([0, 1]);
      me().uncancel();
    });
  });

  it('test_cancel_in_timeout_after_cancellation — a new cancel inside that timeout stays a CancelledError', () => {
    asyncTest(function* () {
      yield* cleanupAfterSwallowedCancel(() => assertRaises(CancelledError, () => asyncWith(timeout(1), function* () {
        me().cancel();
        yield* sleep(2);
      })));
      expect([loop().time(), me().cancelling()]).toEqual([0, 2]);
      me().uncancel();
      me().uncancel();
    });
  });

  it('test_timeout_already_entered — entering an active Timeout again raises RuntimeError', () => {
    asyncTest(function* () {
      yield* asyncWith(timeout(0.01), function* (cm) {
        const e = yield* assertRaises(RuntimeError, () => asyncWith(cm, function* () {}));
        expect(e.message).toMatch(/has already been entered/);
      });
    });
  });

  it('test_timeout_double_enter — entering a finished Timeout again raises RuntimeError', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      yield* asyncWith(cm, function* () {});
      const e = yield* assertRaises(RuntimeError, () => asyncWith(cm, function* () {}));
      expect(e.message).toBe('Timeout has already been entered');
    });
  });

  it('test_timeout_finished — reschedule() of a finished Timeout raises RuntimeError', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      yield* asyncWith(cm, function* () {});
      const e = assertRaisesSync(RuntimeError, () => cm.reschedule(0.02));
      expect(e.message).toBe('Cannot change state of finished Timeout');
    });
  });

  it('test_timeout_expired — reschedule() of an expired Timeout raises RuntimeError', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      yield* assertRaises(TimeoutError, () => sleepIn(cm, 1));
      const e = assertRaisesSync(RuntimeError, () => cm.reschedule(0.02));
      expect(e.message).toBe('Cannot change state of expired Timeout');
    });
  });

  it('test_timeout_expiring — reschedule() while expiring raises RuntimeError; a swallowed cancel leaves it expired', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      yield* asyncWith(cm, function* () {
        yield* assertRaises(CancelledError, () => sleep(1));
        expect(repr(cm)).toBe('<Timeout [expiring]>');
        const e = assertRaisesSync(RuntimeError, () => cm.reschedule(0.02));
        expect(e.message).toBe('Cannot change state of expiring Timeout');
      });
      expect([repr(cm), cm.expired(), me().cancelling()]).toEqual(['<Timeout [expired]>', true, 0]);
    });
  });

  it('test_timeout_not_entered — reschedule() before entering raises RuntimeError', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      const e = assertRaisesSync(RuntimeError, () => cm.reschedule(0.02));
      expect(e.message).toBe('Timeout has not been entered');
      expect(repr(cm)).toBe('<Timeout [created]>');
    });
  });

  it('test_timeout_without_task — entering outside a task raises RuntimeError and leaves it not entered', () => {
    asyncTest(function* () {
      const cm = timeout(0.01);
      const e = yield* assertRaises(RuntimeError, () => awaitWithoutTask(cm.aenter()));
      expect(e.message).toBe('Timeout should be used inside a task');
      const e2 = assertRaisesSync(RuntimeError, () => cm.reschedule(0.02));
      expect(e2.message).toMatch(/has not been entered/);
    });
  });

  it('test_timeout_taskgroup — a TaskGroup failing after the timeout: TimeoutError in the group and member contexts', () => {
    asyncTest(function* () {
      function* task(): Coro<void> {
        try {
          yield* sleep(2);
        } catch (c) {
          throw withCtx(new ZeroDivisionError(), c);
        }
        throw new ZeroDivisionError();
      }
      const eg = yield* assertRaises(ExceptionGroup, () => asyncWith(timeout(0.01), function* () {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(task());
          const ve = new ValueError();
          try {
            yield* sleep(1);
          } catch (c) {
            throw withCtx(c, ve);
          }
          throw ve;
        });
      }));
      expect(cause(eg)).toBeUndefined();
      const e_1 = ctx(eg);
      expect(e_1).toBeInstanceOf(TimeoutError);
      const e_2 = cause(e_1);
      expect(e_2).toBeInstanceOf(CancelledError);
      expect(cause(e_2)).toBeUndefined();
      expect(ctx(e_2)).toBeInstanceOf(ValueError);
      expect(ctx(e_1)).toBe(e_2);

      expect(eg.exceptions.length).toBe(1);
      const e1 = eg.exceptions[0];
      expect(e1).toBeInstanceOf(ZeroDivisionError);
      expect(cause(e1)).toBeUndefined();
      const e2 = ctx(e1);
      expect(e2).toBeInstanceOf(TimeoutError);
      const e3 = cause(e2);
      expect(e3).toBeInstanceOf(CancelledError);
      expect(e3).not.toBe(e_2);
      expect(ctx(e3)).toBeUndefined();
      expect(cause(e3)).toBeUndefined();
      expect(ctx(e2)).toBe(e3);
      expect(loop().time()).toBe(0.01);
    });
  });
});
