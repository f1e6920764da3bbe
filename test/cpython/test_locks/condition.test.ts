// CPython 3.13's test_asyncio/test_locks.py, ConditionTests (Condition): one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, CancelledError, Condition, createTask, EventLoop, getRunningLoop, Lock, repr, RuntimeError, Task, timeout,
  TimeoutError, waitFor, type Coro, type Future,
} from '../../../src/index.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';
import { expectHeldForBody, expectReturned, RGX_REPR, spawn } from './_support.js';

describe('ConditionTests', () => {
  it('test_wait — notified waiters resume one lock release at a time, in order', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      const result: number[] = [];
      function* c(n: number): Coro<boolean> {
        yield* cond.acquire();
        if (yield* cond.wait()) result.push(n);
        return true;
      }
      const tasks = spawn(c, 1, 2, 3);
      yield* sleep0();
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(false);

      expect(yield* cond.acquire()).toBe(true);
      cond.notify();
      yield* sleep0();
      expect(result).toEqual([]);
      expect(cond.locked()).toBe(true);

      cond.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);

      cond.notify(2);
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(cond.locked()).toBe(true);

      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2]);
      expect(cond.locked()).toBe(true);

      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2, 3]);
      expect(cond.locked()).toBe(true);
      expectReturned(tasks, true);
    });
  });

  it('test_wait_cancel — a cancelled wait re-acquires the lock and leaves no waiter', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      yield* cond.acquire();
      const w = createTask(cond.wait());
      getRunningLoop().callSoon(() => w.cancel());
      yield* assertRaises(CancelledError, w);
      expect(cond._waiters).toHaveLength(0);
      expect(cond.locked()).toBe(true);
    });
  });

  it('test_wait_cancel_contested — notified, then cancelled while the lock is contested: the wait is cancelled and holds the lock', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      yield* cond.acquire();
      expect(cond.locked()).toBe(true);
      const waitTask = createTask(cond.wait());
      yield* sleep0();
      expect(cond.locked()).toBe(false);
      yield* cond.acquire();
      expect(cond.locked()).toBe(true);
      cond.notify();
      getRunningLoop().callSoon(() => waitTask.cancel());
      getRunningLoop().callSoon(() => cond.release());
      // CPython's test tolerates either outcome; 3.13.2 cancels the wait (oracle).
      yield* assertRaises(CancelledError, waitTask);
      expect(cond.locked()).toBe(true);
      expect(waitTask.cancelled()).toBe(true);
    });
  });

  it('test_wait_cancel_after_notify — a cancel that arrives after notify, while re-acquiring, is honoured (bpo-32841)', () => {
    asyncTestNoLogs(function* () {
      let waited = false;
      const cond = new Condition();
      function* waitOnCond(): Coro<void> {
        yield* asyncWith(cond, function* () {
          waited = true;
          yield* cond.wait();
        });
      }
      const waiter = createTask(waitOnCond());
      yield* sleep0();
      yield* cond.acquire();
      cond.notify();
      yield* sleep0();
      waiter.cancel();
      yield* sleep0();
      cond.release();
      yield* sleep0();
      expect(waiter.cancelled()).toBe(true);
      expect(waited).toBe(true);
    });
  });

  it('test_wait_unacquired — wait() without the lock raises RuntimeError', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      const e = yield* assertRaises(RuntimeError, cond.wait());
      expect(e.message).toBe('cannot wait on un-acquired lock');
    });
  });

  it('test_wait_for — waitFor(predicate) returns only once notified with the predicate true', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      let presult = false;
      const result: number[] = [];
      function* c1(): Coro<boolean> {
        yield* cond.acquire();
        if (yield* cond.waitFor(() => presult)) {
          result.push(1);
          cond.release();
        }
        return true;
      }
      const t = createTask(c1());
      yield* sleep0();
      expect(result).toEqual([]);
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield* sleep0();
      expect(result).toEqual([]);
      presult = true;
      yield* cond.acquire();
      cond.notify();
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  it('test_wait_for_unacquired — a true predicate returns its value without the lock; a false one raises RuntimeError', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      const res = yield* cond.waitFor(() => [1, 2, 3]);
      expect(res).toEqual([1, 2, 3]);
      yield* assertRaises(RuntimeError, cond.waitFor(() => false));
    });
  });

  // The waiter of test_notify and test_notify_all: once notified, records `n` and releases.
  function notifiedWaiter(cond: Condition, result: number[]): (n: number) => Coro<boolean> {
    return function* c(n) {
      yield* cond.acquire();
      if (yield* cond.wait()) {
        result.push(n);
        cond.release();
      }
      return true;
    };
  }

  it('test_notify — notify(1) wakes one waiter, notify(2048) the rest', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      const result: number[] = [];
      const tasks = spawn(notifiedWaiter(cond, result), 1, 2, 3);
      yield* sleep0();
      expect(result).toEqual([]);
      yield* cond.acquire();
      cond.notify(1);
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      yield* cond.acquire();
      cond.notify(1);
      cond.notify(2048);
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2, 3]);
      expectReturned(tasks, true);
    });
  });

  it('test_notify_all — notifyAll() wakes every waiter, in order', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      const result: number[] = [];
      const tasks = spawn(notifiedWaiter(cond, result), 1, 2);
      yield* sleep0();
      expect(result).toEqual([]);
      yield* cond.acquire();
      cond.notifyAll();
      cond.release();
      yield* sleep0();
      expect(result).toEqual([1, 2]);
      expectReturned(tasks, true);
    });
  });

  it('test_notify_unacquired — notify() without the lock raises RuntimeError', () => {
    const cond = new Condition();
    expect(() => cond.notify()).toThrow(RuntimeError);
    expect(() => cond.notify()).toThrow(/^cannot notify on un-acquired lock$/);
  });

  it('test_notify_all_unacquired — notifyAll() without the lock raises RuntimeError', () => {
    const cond = new Condition();
    expect(() => cond.notifyAll()).toThrow(RuntimeError);
    expect(() => cond.notifyAll()).toThrow(/^cannot notify on un-acquired lock$/);
  });

  it('test_repr — a Condition reprs its lock state and number of waiters', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      expect(repr(cond)).toContain('unlocked');
      expect(repr(cond)).toMatch(RGX_REPR);
      yield* cond.acquire();
      expect(repr(cond)).toContain('locked');
      cond._waiters.push({} as Future<boolean>); // CPython appends a mock.Mock()
      expect(repr(cond)).toContain('waiters:1');
      expect(repr(cond)).toMatch(RGX_REPR);
      cond._waiters.push({} as Future<boolean>);
      expect(repr(cond)).toContain('waiters:2');
      expect(repr(cond)).toMatch(RGX_REPR);
      expect(repr(cond)).toMatch(/^<asyncio\.locks\.Condition object at 0x[0-9a-f]+ \[locked, waiters:2\]>$/);
    });
  });

  it('test_context_manager — asyncWith(cond) holds its lock for the body only', () => {
    asyncTestNoLogs(() => expectHeldForBody(new Condition()));
  });

  it('test_explicit_lock — a Condition built on a given Lock shares its state both ways', () => {
    asyncTestNoLogs(function* () {
      function* f(lockArg?: Lock, condArg?: Condition): Coro<void> {
        const lock = lockArg ?? new Lock();
        const cond = condArg ?? new Condition(lock);
        expect(cond._lock).toBe(lock);
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
        yield* asyncWith(cond, function* () {
          expect(lock.locked()).toBe(true);
          expect(cond.locked()).toBe(true);
        });
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
        yield* asyncWith(lock, function* () {
          expect(lock.locked()).toBe(true);
          expect(cond.locked()).toBe(true);
        });
        expect(lock.locked()).toBe(false);
        expect(cond.locked()).toBe(false);
      }
      yield* f();
      yield* f(new Lock());
      const lock = new Lock();
      yield* f(lock, new Condition(lock));
    });
  });

  it('test_ambiguous_loops — a Lock or Condition bound to another loop raises RuntimeError when it must wait', () => {
    // CPython binds them by writing the private `_loop`; here they are bound the public
    // way, by waiting on them in another loop first.
    const other = new EventLoop();
    const lock = new Lock();
    const cond = new Condition(new Lock());
    other.runUntilComplete(
      (function* bind(): Coro<void> {
        yield* lock.acquire();
        const t = createTask(lock.acquire()); // waits: binds the lock to `other`
        yield* sleep0();
        lock.release();
        yield* t;
        lock.release();
        const w = createTask(
          (function* (): Coro<void> {
            yield* cond.acquire();
            yield* cond.wait(); // binds the condition (not its lock) to `other`
            cond.release();
          })(),
        );
        yield* sleep0();
        yield* cond.acquire();
        cond.notify();
        cond.release();
        yield* w;
      })(),
    );
    try {
      asyncTestNoLogs(function* () {
        // wrong loop in the lock: the fast path does not look at the loop, waiting does.
        yield* asyncWith(lock, function* () {
          const c = new Condition(lock);
          const e = yield* assertRaises(RuntimeError, c.acquire());
          expect(e.message).toMatch(/^<asyncio\.locks\.Lock object at 0x[0-9a-f]+ \[locked\]> is bound to a different event loop$/);
        });
        // wrong loop in the condition.
        const lock2 = cond._lock;
        yield* asyncWith(lock2, function* () {
          const e = yield* assertRaises(RuntimeError, cond.wait());
          expect(e.message).toMatch(/^<asyncio\.locks\.Condition object at 0x[0-9a-f]+ \[locked\]> is bound to a different event loop$/);
        });
      });
    } finally {
      other.close();
    }
  });

  it('test_timeout_in_block — waitFor(cond.wait(), 0.5) inside the condition times out at 0.5', () => {
    const end = asyncTestNoLogs(function* () {
      const condition = new Condition();
      yield* asyncWith(condition, function* () {
        yield* assertRaises(TimeoutError, waitFor(condition.wait(), 0.5));
        expect(condition.locked()).toBe(true);
      });
    });
    expect(end).toBe(0.5);
  });

  // test_cancelled_error_*: a task waiting for `pred` under `cond` re-raises the CancelledError
  // it gets; after `cancel(task)` (which cancels it with 'foo'), that very error comes out.
  function* expectSameCancelledError(
    cond: Condition, pred: () => boolean, cancel: (task: Task<void>) => Coro<void>,
  ): Coro<void> {
    let raised: CancelledError | undefined;
    function* func(): Coro<void> {
      yield* asyncWith(cond, function* () {
        raised = yield* assertRaises(CancelledError, cond.waitFor(pred));
        throw raised;
      });
    }
    const task = createTask(func());
    yield* sleep0();
    yield* cancel(task);
    const err = yield* assertRaises(CancelledError, task);
    expect(err.args).toEqual(['foo']);
    expect(err).toBe(raised);
  }

  it('test_cancelled_error_wakeup — a cancel while waiting re-raises the same CancelledError, with its message', () => {
    asyncTestNoLogs(function* () {
      const cond = new Condition();
      yield* expectSameCancelledError(cond, () => false, function* (task) {
        task.cancel('foo');
      });
    });
  });

  it('test_cancelled_error_re_aquire — a cancel while re-acquiring re-raises the same CancelledError, with its message', () => {
    asyncTestNoLogs(function* () {
      let wake = false;
      const cond = new Condition();
      yield* expectSameCancelledError(cond, () => wake, function* (task) {
        yield* cond.acquire();
        wake = true;
        cond.notify();
        yield* sleep0();
        task.cancel('foo');
        cond.release();
      });
    });
  });

  // test_cancelled_wakeup*: two consumers wait for a state change; one is notified and
  // cancelled at once (`relock` false) or once it is re-acquiring the lock (`relock` true).
  // The wake-up must reach the other consumer: no notify is lost.
  function* cancelledWakeup(relock: boolean): Coro<void> {
    const condition = new Condition();
    let state = 0;
    function* consumer(): Coro<void> {
      yield* asyncWith(condition, function* () {
        for (;;) {
          yield* condition.waitFor(() => state !== 0);
          if (state < 0) return;
          state -= 1;
        }
      });
    }
    const c = [createTask(consumer()), createTask(consumer())];
    yield* sleep0();
    yield* asyncWith(condition, function* () {
      state += 1;
      condition.notify(1);
      if (relock) yield* sleep0();
      c[0]!.cancel();
      try {
        yield* asyncWith(timeout(0.01), function* () {
          yield* condition.waitFor(() => state === 0);
        });
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
      expect(state).toBe(0);
      state = -1;
      condition.notifyAll();
    });
    yield* c[1]!;
  }

  it('test_cancelled_wakeup — a waiter cancelled right after notify passes the wake-up on (no lost notify)', () => {
    asyncTestNoLogs(() => cancelledWakeup(false));
  });

  it('test_cancelled_wakeup_relock — a waiter cancelled while re-acquiring passes the wake-up on (no lost notify)', () => {
    asyncTestNoLogs(() => cancelledWakeup(true));
  });
});
