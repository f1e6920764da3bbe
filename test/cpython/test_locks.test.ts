// CPython 3.13's Lib/test/test_asyncio/test_locks.py, ported behaviour by behaviour:
// one `it` per CPython test method (its title starts with the method's name), grouped
// by CPython test class. Each test runs as CPython's IsolatedAsyncioTestCase runs it: as
// the main task of a debug-mode runner, and (as on CPython, checked on the oracle) with
// nothing logged on the 'asyncio' logger. Table: docs/cpython-tests/test_locks.md.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, Barrier, BoundedSemaphore, BrokenBarrierError, CancelledError, Condition, createTask, Event, EventLoop, gather,
  getRunningLoop, isException, Lock, repr, RuntimeError, Semaphore, sleep, Task, TaskGroup, timeout, TimeoutError,
  ValueError, wait, waitFor, type Coro, type Future,
} from '../../src/index.js';
import { WaiterList } from '../../src/sync/waiters.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from './_support.js';

// CPython's STR_RGX_REPR: the shape every synchronisation primitive's repr has.
const RGX_REPR = new RegExp(
  '^<(?<class>.*?) object at (?<address>.*?)' +
    '\\[(?<extras>' +
    '(set|unset|locked|unlocked|filling|draining|resetting|broken)' +
    '(, value:\\d)?' +
    '(, waiters:\\d+)?' +
    '(, waiters:\\d+\\/\\d+)?' +
    ')\\]>$',
);

/** `await obj` on an object that is not awaitable: Python's TypeError, JavaScript's too. */
function* awaitNonAwaitable(obj: object): Coro<TypeError> {
  return yield* assertRaises(TypeError, obj as unknown as Coro<unknown>);
}

/** `create_task(c(n))` for each `n`, in order. */
function spawn<T, const Ns extends readonly number[]>(c: (n: number) => Coro<T>, ...ns: Ns): { [K in keyof Ns]: Task<T> } {
  return ns.map((n) => createTask(c(n))) as { [K in keyof Ns]: Task<T> };
}

/** test_release_no_waiters (Lock, Semaphore): acquire() locks it; release() with no waiter unlocks it. */
function* expectReleaseUnlocks(lock: Lock | Semaphore): Coro<void> {
  yield* lock.acquire();
  expect(lock.locked()).toBe(true);
  lock.release();
  expect(lock.locked()).toBe(false);
}

/** test_context_manager (Lock, Condition): `async with lock:` holds the lock for the body only. */
function* expectHeldForBody(lock: Lock | Condition): Coro<void> {
  expect(lock.locked()).toBe(false);
  yield* asyncWith(lock, function* () {
    expect(lock.locked()).toBe(true);
  });
  expect(lock.locked()).toBe(false);
}

/** Every task is done and returned `value`. */
function expectReturned(tasks: readonly Task<unknown>[], value: unknown): void {
  for (const t of tasks) {
    expect(t.done()).toBe(true);
    expect(t.result()).toBe(value);
  }
}

describe('LockTests', () => {
  it('test_repr — an unlocked, then locked, Lock reprs as [unlocked] / [locked]', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      expect(repr(lock)).toMatch(/^<asyncio\.locks\.Lock object at 0x[0-9a-f]+ \[unlocked\]>$/);
      expect(repr(lock)).toMatch(RGX_REPR);
      yield* lock.acquire();
      expect(repr(lock)).toMatch(/^<asyncio\.locks\.Lock object at 0x[0-9a-f]+ \[locked\]>$/);
      expect(repr(lock)).toMatch(RGX_REPR);
    });
  });

  it('test_lock — awaiting a Lock itself is a TypeError and does not lock it', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      yield* awaitNonAwaitable(lock);
      expect(lock.locked()).toBe(false);
    });
  });

  it('test_lock_by_with_statement — awaiting Lock, Condition, Semaphore or BoundedSemaphore itself is a TypeError', () => {
    const end = asyncTestNoLogs(function* () {
      for (const lock of [new Lock(), new Condition(), new Semaphore(), new BoundedSemaphore()]) {
        yield* sleep(0.01);
        expect(lock.locked()).toBe(false);
        yield* awaitNonAwaitable(lock);
        expect(lock.locked()).toBe(false);
      }
    });
    expect(end).toBe(0.04);
  });

  it('test_acquire — waiters get the lock in FIFO order, one release at a time', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      const result: number[] = [];
      expect(yield* lock.acquire()).toBe(true);
      function* c(n: number): Coro<boolean> {
        if (yield* lock.acquire()) result.push(n);
        return true;
      }
      const [t1, t2] = spawn(c, 1, 2);
      yield* sleep0();
      expect(result).toEqual([]);
      lock.release();
      yield* sleep0();
      expect(result).toEqual([1]);
      yield* sleep0();
      expect(result).toEqual([1]);
      const t3 = createTask(c(3));
      lock.release();
      yield* sleep0();
      expect(result).toEqual([1, 2]);
      lock.release();
      yield* sleep0();
      expect(result).toEqual([1, 2, 3]);
      expectReturned([t1, t2, t3], true);
    });
  });

  it('test_acquire_cancel — a cancelled acquire raises CancelledError and leaves no waiter', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      expect(yield* lock.acquire()).toBe(true);
      const task = createTask(lock.acquire());
      getRunningLoop().callSoon(() => task.cancel());
      yield* assertRaises(CancelledError, task);
      expect(lock._waiters ?? []).toHaveLength(0);
    });
  });

  it('test_cancel_race — release skips a waiter cancelled in the same iteration and wakes the next', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      function* lockit(blocker: Future<unknown> | undefined): Coro<void> {
        yield* lock.acquire();
        try {
          if (blocker !== undefined) yield* blocker;
        } finally {
          lock.release();
        }
      }
      const fa = getRunningLoop().createFuture<unknown>();
      const ta = createTask(lockit(fa));
      yield* sleep0();
      expect(lock.locked()).toBe(true);
      const tb = createTask(lockit(undefined));
      yield* sleep0();
      expect(lock._waiters).toHaveLength(1);
      const tc = createTask(lockit(undefined));
      yield* sleep0();
      expect(lock._waiters).toHaveLength(2);

      fa.setResult(undefined);
      tb.cancel();
      expect(lock._waiters!.at(0)!.cancelled()).toBe(true);
      yield* sleep0();
      expect(lock.locked()).toBe(false);
      expect(ta.done()).toBe(true);
      expect(tb.cancelled()).toBe(true);
      yield* tc;
    });
  });

  it('test_cancel_release_race — cancelling the first waiter while releasing hands the lock to exactly one other', () => {
    asyncTestNoLogs(function* () {
      const loop = getRunningLoop();
      const lock = new Lock();
      let lockCount = 0;
      let callCount = 0;
      function* lockit(): Coro<void> {
        callCount++;
        yield* lock.acquire();
        lockCount++;
      }
      yield* lock.acquire();
      const t1 = createTask(lockit());
      const t2 = createTask(lockit());
      const t3 = createTask(lockit());
      yield* sleep0();
      loop.callSoon(() => {
        t1.cancel();
        lock.release();
      });
      yield* assertRaises(CancelledError, t1);
      expect(lockCount).toBe(1);
      expect(callCount).toBe(3);
      expect(t1.cancelled() && t2.done()).toBe(true);
      t3.cancel();
      yield* sleep0();
      expect(t3.cancelled()).toBe(true);
    });
  });

  it('test_finished_waiter_cancelled — a woken waiter that is cancelled passes the lock to the next waiter', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      yield* lock.acquire();
      expect(lock.locked()).toBe(true);
      const tb = createTask(lock.acquire());
      yield* sleep0();
      expect(lock._waiters).toHaveLength(1);
      const tc = createTask(lock.acquire());
      tb.cancel();
      lock.release();
      yield* sleep0();
      expect(lock.locked()).toBe(true);
      expect(tb.cancelled()).toBe(true);
      yield* tc;
    });
  });

  it('test_release_not_acquired — releasing an unlocked Lock raises RuntimeError', () => {
    asyncTestNoLogs(function* () {
      const lock = new Lock();
      expect(() => lock.release()).toThrow(RuntimeError);
      expect(() => lock.release()).toThrow(/^Lock is not acquired\.$/);
    });
  });

  it('test_release_no_waiters — release with no waiter unlocks', () => {
    asyncTestNoLogs(() => expectReleaseUnlocks(new Lock()));
  });

  it('test_context_manager — asyncWith(lock) holds the lock for the body only', () => {
    asyncTestNoLogs(() => expectHeldForBody(new Lock()));
  });
});

describe('EventTests', () => {
  it('test_repr — an Event reprs as [unset] / [set], with the number of waiters', () => {
    // A plain `def` test in CPython: no loop is running.
    const ev = new Event();
    expect(repr(ev)).toMatch(/\[unset\]>$/);
    expect(RGX_REPR.exec(repr(ev))?.groups?.['extras']).toBe('unset');
    ev.set();
    expect(repr(ev)).toMatch(/\[set\]>$/);
    expect(repr(ev)).toMatch(RGX_REPR);
    ev._waiters.push({} as Future<boolean>); // CPython appends a mock.Mock()
    expect(repr(ev)).toContain('waiters:1');
    expect(repr(ev)).toMatch(RGX_REPR);
    expect(repr(ev)).toMatch(/^<asyncio\.locks\.Event object at 0x[0-9a-f]+ \[set, waiters:1\]>$/);
  });

  it('test_wait — set() wakes every waiter; the one created last but not yet waiting runs first', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      const result: number[] = [];
      function* c(n: number): Coro<void> {
        if (yield* ev.wait()) result.push(n);
      }
      const [t1, t2] = spawn(c, 1, 2);
      yield* sleep0();
      expect(result).toEqual([]);
      const t3 = createTask(c(3));
      ev.set();
      yield* sleep0();
      expect(result).toEqual([3, 1, 2]);
      expectReturned([t1, t2, t3], undefined);
    });
  });

  it('test_wait_on_set — wait() on a set Event returns true at once', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      ev.set();
      expect(yield* ev.wait()).toBe(true);
    });
  });

  it('test_wait_cancel — a cancelled wait raises CancelledError and leaves no waiter', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      const w = createTask(ev.wait());
      getRunningLoop().callSoon(() => w.cancel());
      yield* assertRaises(CancelledError, w);
      expect(ev._waiters).toHaveLength(0);
    });
  });

  it('test_clear — set() and clear() toggle isSet()', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      ev.set();
      expect(ev.isSet()).toBe(true);
      ev.clear();
      expect(ev.isSet()).toBe(false);
    });
  });

  it('test_clear_with_waiters — set(); clear(); set(); set() wakes an existing waiter exactly once', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      const result: number[] = [];
      function* c1(): Coro<boolean> {
        if (yield* ev.wait()) result.push(1);
        return true;
      }
      const t = createTask(c1());
      yield* sleep0();
      expect(result).toEqual([]);
      ev.set();
      ev.clear();
      expect(ev.isSet()).toBe(false);
      ev.set();
      ev.set();
      expect(ev._waiters).toHaveLength(1);
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(ev._waiters).toHaveLength(0);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });
});

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

describe('SemaphoreTests', () => {
  // The `c(n)` of test_acquire and test_acquire_fifo_order_3: acquire, then record `n`.
  function acquirer(sem: Semaphore, result: number[]): (n: number) => Coro<boolean> {
    return function* c(n) {
      yield* sem.acquire();
      result.push(n);
      return true;
    };
  }

  it('test_initial_value_zero — Semaphore(0) is locked', () => {
    const sem = new Semaphore(0);
    expect(sem.locked()).toBe(true);
  });

  it('test_repr — a Semaphore reprs [unlocked, value:N] or [locked], with the number of waiters', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore();
      expect(repr(sem)).toMatch(/\[unlocked, value:1\]>$/);
      expect(repr(sem)).toMatch(RGX_REPR);
      yield* sem.acquire();
      expect(repr(sem)).toMatch(/\[locked\]>$/);
      expect(repr(sem)).not.toContain('waiters');
      expect(repr(sem)).toMatch(RGX_REPR);
      sem._waiters ??= new WaiterList();
      sem._waiters.push({ cancelled: () => false } as Future<boolean>); // CPython appends a mock.Mock()
      expect(repr(sem)).toContain('waiters:1');
      expect(repr(sem)).toMatch(RGX_REPR);
      sem._waiters.push({ cancelled: () => false } as Future<boolean>);
      expect(repr(sem)).toContain('waiters:2');
      expect(repr(sem)).toMatch(RGX_REPR);
      expect(repr(sem)).toMatch(/^<asyncio\.locks\.Semaphore object at 0x[0-9a-f]+ \[locked, waiters:2\]>$/);
      sem._waiters.clear();
    });
  });

  it('test_semaphore — awaiting a Semaphore itself is a TypeError and takes nothing', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore();
      expect(sem._value).toBe(1);
      yield* awaitNonAwaitable(sem);
      expect(sem.locked()).toBe(false);
      expect(sem._value).toBe(1);
    });
  });

  it('test_semaphore_value — a negative initial value raises ValueError', () => {
    expect(() => new Semaphore(-1)).toThrow(ValueError);
    expect(() => new Semaphore(-1)).toThrow(/^Semaphore initial value must be >= 0$/);
  });

  it('test_acquire — releases hand units to FIFO waiters; a newcomer queues behind them', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore(3);
      const result: number[] = [];
      expect(yield* sem.acquire()).toBe(true);
      expect(yield* sem.acquire()).toBe(true);
      expect(sem.locked()).toBe(false);
      const c = acquirer(sem, result);
      const [t1, t2, t3] = spawn(c, 1, 2, 3);
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(sem.locked()).toBe(true);
      expect(sem._waiters).toHaveLength(2);
      expect(sem._value).toBe(0);

      const t4 = createTask(c(4));
      sem.release();
      sem.release();
      expect(sem._value).toBe(0);
      yield* sleep0();
      expect(sem._value).toBe(0);
      expect(result).toHaveLength(3);
      expect(sem.locked()).toBe(true);
      expect(sem._waiters).toHaveLength(1);
      expect(sem._value).toBe(0);
      expect(t1.done()).toBe(true);
      expect(t1.result()).toBe(true);
      const raceTasks = [t2, t3, t4];
      expect(raceTasks.filter((t) => t.done() && t.result())).toHaveLength(2);
      // Which two: the waiters, in FIFO order (CPython 3.13.2 on the oracle).
      expect(result).toEqual([1, 2, 3]);
      sem.release();
      yield* gather(...raceTasks);
      expect(result).toEqual([1, 2, 3, 4]);
    });
  });

  it('test_acquire_cancel — a cancelled acquire raises CancelledError and leaves no live waiter', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore();
      yield* sem.acquire();
      const acquire = createTask(sem.acquire());
      getRunningLoop().callSoon(() => acquire.cancel());
      yield* assertRaises(CancelledError, acquire);
      expect([...(sem._waiters ?? [])].every((w) => w.done())).toBe(true);
    });
  });

  it('test_acquire_cancel_before_awoken — cancelled waiters ahead do not swallow a release: the next waiter gets it', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore({ value: 0 });
      const t1 = createTask(sem.acquire());
      const t2 = createTask(sem.acquire());
      const t3 = createTask(sem.acquire());
      const t4 = createTask(sem.acquire());
      yield* sleep0();
      t1.cancel();
      t2.cancel();
      sem.release();
      yield* sleep0();
      yield* sleep0();
      expect([t3, t4].filter((t) => t.done())).toHaveLength(1);
      expect(t3.done()).toBe(true);
      expect(t4.done()).toBe(false);
      t3.cancel();
      t4.cancel();
      yield* sleep0();
    });
  });

  it('test_acquire_hang — a release after the first waiter is cancelled goes to the second', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore({ value: 0 });
      const t1 = createTask(sem.acquire());
      const t2 = createTask(sem.acquire());
      yield* sleep0();
      t1.cancel();
      sem.release();
      yield* sleep0();
      yield* sleep0();
      expect(sem.locked()).toBe(true);
      expect(t2.done()).toBe(true);
    });
  });

  it('test_acquire_no_hang — a waiter cancelled after being woken gives its unit back', () => {
    const end = asyncTestNoLogs(function* () {
      const sem = new Semaphore(1);
      function* c1(): Coro<void> {
        yield* asyncWith(sem, function* () {
          yield* sleep0();
        });
        t2.cancel();
      }
      function* c2(): Coro<void> {
        yield* asyncWith(sem, function* () {
          expect.unreachable('c2 must not get the semaphore');
        });
      }
      const t1 = createTask(c1());
      const t2 = createTask(c2());
      const [r1, r2] = yield* gather(t1, t2, { returnExceptions: true });
      expect(r1).toBeUndefined();
      expect(r2).toBeInstanceOf(CancelledError);
      yield* waitFor(sem.acquire(), 1.0);
    });
    expect(end).toBe(0);
  });

  it('test_release_not_acquired — releasing a BoundedSemaphore above its initial value raises ValueError', () => {
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(ValueError);
    expect(() => sem.release()).toThrow(/^BoundedSemaphore released too many times$/);
  });

  it('test_release_no_waiters — release with no waiter unlocks', () => {
    asyncTestNoLogs(() => expectReleaseUnlocks(new Semaphore()));
  });

  it('test_acquire_fifo_order — tasks that release and re-acquire queue behind the others', () => {
    const end = asyncTestNoLogs(function* () {
      const sem = new Semaphore(1);
      const result: string[] = [];
      function* coro(tag: string): Coro<void> {
        yield* sem.acquire();
        result.push(`${tag}_1`);
        yield* sleep(0.01);
        sem.release();
        yield* sem.acquire();
        result.push(`${tag}_2`);
        yield* sleep(0.01);
        sem.release();
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(coro('c1'));
        tg.createTask(coro('c2'));
        tg.createTask(coro('c3'));
      });
      expect(result).toEqual(['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']);
    });
    expect(end).toBe(0.060000000000000005);
  });

  it('test_acquire_fifo_order_2 — a task that releases and re-acquires does not jump the queue', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore(1);
      const result: number[] = [];
      function* c1(): Coro<boolean> {
        yield* sem.acquire();
        result.push(1);
        return true;
      }
      function* c2(): Coro<boolean> {
        yield* sem.acquire();
        result.push(2);
        sem.release();
        yield* sem.acquire();
        result.push(4);
        return true;
      }
      function* c3(): Coro<boolean> {
        yield* sem.acquire();
        result.push(3);
        return true;
      }
      const t1 = createTask(c1());
      const t2 = createTask(c2());
      const t3 = createTask(c3());
      yield* sleep0();
      sem.release();
      sem.release();
      yield* gather(t1, t2, t3);
      expect(result).toEqual([1, 2, 3, 4]);
    });
  });

  it('test_acquire_fifo_order_3 — a cancelled first waiter is skipped; the others acquire in order', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore(0);
      const result: number[] = [];
      const [t1, t2, t3] = spawn(acquirer(sem, result), 1, 2, 3);
      yield* sleep0();
      t1.cancel();
      yield* sleep0();
      sem.release();
      sem.release();
      yield* gather(t1, t2, t3, { returnExceptions: true });
      expect(result).toEqual([2, 3]);
    });
  });

  it('test_acquire_fifo_order_4 — a successful acquire wakes as many FIFO waiters as the value allows', () => {
    asyncTestNoLogs(function* () {
      const sem = new Semaphore(0);
      const result: number[] = [];
      let t4: Task<boolean> | undefined;
      function* c1(): Coro<boolean> {
        expect(sem._value).toBe(0);
        yield* sem.acquire();
        expect(sem._value).toBe(0);
        t4 = createTask(c4());
        result.push(1);
        return true;
      }
      function* c2(): Coro<boolean> {
        sem.release();
        sem.release();
        sem.release();
        expect(sem._value).toBe(2);
        expect(sem.locked()).toBe(true);
        yield* sem.acquire();
        result.push(2);
        return true;
      }
      function* c3(): Coro<boolean> {
        yield* sem.acquire();
        expect(sem.locked()).toBe(true);
        result.push(3);
        return true;
      }
      function* c4(): Coro<boolean> {
        result.push(4);
        return true;
      }
      const t1 = createTask(c1());
      const t2 = createTask(c2());
      const t3 = createTask(c3());
      yield* sleep0();
      expect(sem._value).toBe(2);
      expect(sem._waiters).toHaveLength(3);
      yield* sleep0();
      yield* gather(t1, t2, t3, t4!);
      expect(result).toEqual([1, 2, 3, 4]);
    });
  });
});

describe('BarrierTests', () => {
  const N = 5;

  function makeTasks<T>(n: number, coro: () => Coro<T>): Task<T>[] {
    return Array.from({ length: n }, () => createTask(coro()));
  }

  function* gatherTasks<T>(n: number, coro: () => Coro<T>): Coro<[T[], Task<T>[]]> {
    const tasks = makeTasks(n, coro);
    const res = (yield* gather(...tasks)) as T[];
    return [res, tasks];
  }

  /** `await barrier.wait()`: true, or false where it raised BrokenBarrierError. */
  function* passes(barrier: Barrier): Coro<boolean> {
    try {
      yield* barrier.wait();
      return true;
    } catch (e) {
      if (!(e instanceof BrokenBarrierError)) throw e;
      return false;
    }
  }

  it('test_barrier — awaiting a Barrier itself is a TypeError; it stays filling', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      expect(repr(barrier)).toContain('filling');
      yield* awaitNonAwaitable(barrier);
      expect(repr(barrier)).toContain('filling');
    });
  });

  it('test_repr — a Barrier reprs its state (filling, draining, resetting, broken) and waiters:n/N', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      expect(repr(barrier)).toMatch(RGX_REPR);
      expect(repr(barrier)).toContain('filling');
      const waiters: Task<void>[] = [];
      function* w(): Coro<void> {
        yield* barrier.wait();
      }
      const incr = 2;
      for (let i = 0; i < incr; i++) waiters.push(createTask(w()));
      yield* sleep0();
      expect(repr(barrier)).toMatch(RGX_REPR);
      expect(repr(barrier)).toContain(`waiters:${incr}/${N}`);
      expect(repr(barrier)).toContain('filling');

      for (let i = barrier.parties - barrier.nWaiting; i > 0; i--) waiters.push(createTask(w()));
      yield* sleep0();
      expect(repr(barrier)).toMatch(RGX_REPR);
      expect(repr(barrier)).toContain('draining');

      for (let i = 0; i < incr; i++) waiters.push(createTask(w()));
      yield* sleep0();
      yield* barrier.reset();
      expect(repr(barrier)).toMatch(RGX_REPR);
      expect(repr(barrier)).toContain('resetting');

      for (let i = 0; i < incr; i++) waiters.push(createTask(w()));
      yield* sleep0();
      yield* barrier.abort();
      expect(repr(barrier)).toMatch(RGX_REPR);
      expect(repr(barrier)).toContain('broken');
      expect(barrier.broken).toBe(true);
      expect(repr(barrier)).toMatch(/^<asyncio\.locks\.Barrier object at 0x[0-9a-f]+ \[broken\]>$/);

      yield* gather(...waiters, { returnExceptions: true });
    });
  });

  it('test_barrier_parties — parties < 1 raises ValueError', () => {
    asyncTestNoLogs(function* () {
      expect(() => new Barrier(0)).toThrow(ValueError);
      expect(() => new Barrier(-4)).toThrow(ValueError);
      expect(() => new Barrier(0)).toThrow(/^parties must be >= 1$/); // 3.13.2's text
      expect(new Barrier(N)).toBeInstanceOf(Barrier);
      yield* sleep0();
    });
  });

  it('test_context_manager — asyncWith(barrier) gives each task its arrival index', () => {
    asyncTestNoLogs(function* () {
      const n = 3;
      const barrier = new Barrier(n);
      const results: number[] = [];
      function* coro(): Coro<void> {
        yield* asyncWith(barrier, function* (i) {
          results.push(i);
        });
      }
      yield* gatherTasks(n, coro);
      expect([...results].sort()).toEqual([0, 1, 2]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_filling_one_task — a one-party barrier lets its task through at once', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(1);
      function* f(): Coro<boolean | undefined> {
        return yield* asyncWith(barrier, function* () {
          return true;
        });
      }
      const ret = yield* f();
      expect(ret).toBe(true);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_filling_one_task_twice — a one-party barrier passes two tasks in turn, both with index 0', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(1);
      const t1 = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(0);
      const t2 = createTask(barrier.wait());
      yield* sleep0();
      expect(t1.result()).toBe(t2.result());
      expect(t1.result()).toBe(0);
      expect(t1.done()).toBe(t2.done());
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_filling_task_by_task — nWaiting counts arrivals until the last one releases all', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(3);
      const t1 = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      expect(repr(barrier)).toContain('filling');
      const t2 = createTask(barrier.wait());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(2);
      expect(repr(barrier)).toContain('filling');
      const t3 = createTask(barrier.wait());
      yield* sleep0();
      yield* wait([t1, t2, t3]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_filling_tasks_wait_twice — the barrier is reusable: every task passes it twice', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      function* coro(): Coro<void> {
        yield* asyncWith(barrier, function* () {
          results.push(true);
          yield* asyncWith(barrier, function* () {
            results.push(false);
          });
        });
      }
      yield* gatherTasks(N, coro);
      expect(results).toHaveLength(N * 2);
      expect(results.filter((x) => x)).toHaveLength(N);
      expect(results.filter((x) => !x)).toHaveLength(N);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_filling_tasks_check_return_value — the second pass gives indices 0..N-1 again', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      function* coro(): Coro<number | undefined> {
        return yield* asyncWith(barrier, function* () {
          results1.push(true);
          return yield* asyncWith(barrier, function* (i) {
            results2.push(true);
            return i;
          });
        });
      }
      const [res] = yield* gatherTasks(N, coro);
      expect(results1).toEqual(Array(N).fill(true));
      expect(results2).toEqual(Array(N).fill(true));
      expect([...res].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_draining_state — every task but the last one out sees the barrier draining', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      function* coro(): Coro<void> {
        yield* asyncWith(barrier, function* () {
          results.push(repr(barrier).includes('draining'));
        });
      }
      yield* gatherTasks(N, coro);
      expect(results).toHaveLength(N);
      expect(results[N - 1]).toBe(false);
      expect(results.slice(0, N - 1).every((x) => x)).toBe(true);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_blocking_tasks_while_draining — tasks coming back while it drains wait for the next round', () => {
    asyncTestNoLogs(function* () {
      const rewait = 2;
      const barrier = new Barrier(N);
      const barrierNowaiting = new Barrier(N - rewait);
      let rewaitN = rewait;
      function* coro(): Coro<void> {
        yield* barrier.wait();
        if (rewaitN > 0) {
          rewaitN -= 1;
          yield* barrier.wait();
        } else {
          yield* barrierNowaiting.wait();
          yield* barrier.wait();
        }
      }
      yield* gatherTasks(N, coro);
      expect(barrier.nWaiting).toBe(0);
      expect(barrierNowaiting.nWaiting).toBe(0);
    });
  });

  it('test_filling_tasks_cancel_one — a cancelled waiter leaves the barrier while it fills', () => {
    asyncTestNoLogs(function* () {
      const n = 3;
      const barrier = new Barrier(n);
      const results: boolean[] = [];
      function* coro(): Coro<void> {
        yield* barrier.wait();
        results.push(true);
      }
      const t1 = createTask(coro());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      const t2 = createTask(coro());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(2);
      t1.cancel();
      yield* sleep0();
      expect(barrier.nWaiting).toBe(1);
      yield* assertRaises(CancelledError, t1);
      expect(t1.cancelled()).toBe(true);
      const t3 = createTask(coro());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(2);
      const t4 = createTask(coro());
      yield* gather(t2, t3, t4);
      expect(results).toEqual([true, true, true]);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_reset_barrier — reset() of an empty barrier leaves it filling and not broken', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(1);
      createTask(barrier.reset());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_reset_barrier_while_tasks_waiting — reset() makes the waiting tasks raise BrokenBarrierError', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results: boolean[] = [];
      function* coro(): Coro<void> {
        if (!(yield* passes(barrier))) results.push(true);
      }
      const tasks = makeTasks(N - 1, coro);
      yield* sleep0();
      createTask(barrier.reset());
      yield* gather(...tasks);
      expect(results).toEqual(Array(N - 1).fill(true));
      expect(barrier.nWaiting).toBe(0);
      expect(repr(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_reset_barrier_when_tasks_half_draining — a reset by a drained task breaks the tasks still waiting to drain', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const restOfTasks = Math.floor(N / 2);
      // CPython reads the private `_count` (tasks still inside wait()); this counts the
      // tasks that came out, which gives it: _count == N - passed.
      let passed = 0;
      function* coro(): Coro<void> {
        if (!(yield* passes(barrier))) {
          results1.push(true);
          return;
        }
        passed++;
        if (restOfTasks === N - passed) yield* barrier.reset();
      }
      yield* gatherTasks(N, coro);
      expect(results1).toEqual(Array(restOfTasks).fill(true));
      expect(barrier.nWaiting).toBe(0);
      expect(repr(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
  });

  // test_*_barrier_when_tasks_half_draining_half_blocking: N tasks pass the barrier; the
  // first N/2 out wait on it again, recording a BrokenBarrierError in results2; the others
  // run `blocked()`. A task broken in its first wait records it in results1, then runs
  // `broken()`. Returns [results1, results2].
  function* halfDrainingHalfBlocking(
    barrier: Barrier, blocked: () => Coro<void>, broken: () => Coro<void>,
  ): Coro<[boolean[], boolean[]]> {
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    let count = 0;
    function* coro(): Coro<void> {
      if (!(yield* passes(barrier))) {
        results1.push(true);
        yield* broken();
        return;
      }
      count += 1;
      if (count > Math.floor(N / 2)) {
        yield* blocked();
      } else if (!(yield* passes(barrier))) {
        results2.push(true);
      }
    }
    yield* gatherTasks(N, coro);
    return [results1, results2];
  }

  it('test_reset_barrier_when_tasks_half_draining_half_blocking — waiting tasks break, blocked ones wait again', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const blockingTasks = Math.floor(N / 2);
      const [results1, results2] = yield* halfDrainingHalfBlocking(barrier, function* () {
        yield* barrier.reset();
        yield* barrier.wait();
      }, function* () {
        yield* barrier.wait();
      });
      expect(results1).toEqual(Array(blockingTasks).fill(true));
      expect(results2).toEqual([]);
      expect(barrier.nWaiting).toBe(0);
      expect(repr(barrier)).not.toContain('resetting');
      expect(barrier.broken).toBe(false);
    });
  });

  it('test_reset_barrier_while_tasks_waiting_and_waiting_again — tasks broken by a reset can pass the barrier afterwards', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      function* coro1(): Coro<void> {
        try {
          yield* barrier.wait();
        } catch (e) {
          if (!(e instanceof BrokenBarrierError)) throw e;
          results1.push(true);
        } finally {
          yield* barrier.wait();
          results2.push(true);
        }
      }
      function* coro2(): Coro<void> {
        yield* asyncWith(barrier, function* () {
          results2.push(true);
        });
      }
      const tasks = makeTasks(N - 1, coro1);
      createTask(barrier.reset());
      yield* sleep0();
      createTask(coro2());
      yield* gather(...tasks);
      expect(barrier.broken).toBe(false);
      expect(results1).toEqual(Array(N - 1).fill(true));
      expect(results2).toEqual(Array(N).fill(true));
      expect(barrier.nWaiting).toBe(0);
    });
  });

  it('test_reset_barrier_while_tasks_draining — a reset by the last task out does not break the next round', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const results3: boolean[] = [];
      let count = 0;
      function* coro(): Coro<void> {
        yield* barrier.wait();
        count += 1;
        if (count === N) {
          yield* barrier.reset();
          yield* barrier.wait();
        } else {
          try {
            yield* barrier.wait();
            results1.push(true);
          } catch (e) {
            if (!isException(e)) throw e;
            results2.push(true);
          }
        }
        yield* barrier.wait();
        results3.push(true);
      }
      yield* gatherTasks(N, coro);
      expect(barrier.broken).toBe(false);
      expect(results1).toEqual(Array(N - 1).fill(true));
      expect(results2).toEqual([]);
      expect(results3).toEqual(Array(N).fill(true));
      expect(barrier.nWaiting).toBe(0);
    });
  });

  it('test_abort_barrier — abort() breaks the barrier', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(1);
      createTask(barrier.abort());
      yield* sleep0();
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(true);
    });
  });

  it('test_abort_barrier_when_tasks_half_draining_half_blocking — abort() breaks the waiting and the blocked tasks', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const blockingTasks = Math.floor(N / 2);
      const [results1, results2] = yield* halfDrainingHalfBlocking(barrier, () => barrier.abort(), function* () {});
      expect(barrier.broken).toBe(true);
      expect(results1).toEqual(Array(blockingTasks).fill(true));
      expect(results2).toEqual(Array(N - blockingTasks - 1).fill(true));
      expect(barrier.nWaiting).toBe(0);
      expect(repr(barrier)).not.toContain('resetting');
    });
  });

  it('test_abort_barrier_when_exception — an abort after an error breaks every other task', () => {
    asyncTestNoLogs(function* () {
      const barrier = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      function* coro(): Coro<void> {
        try {
          yield* asyncWith(barrier, function* (i) {
            if (i === Math.floor(N / 2)) throw new RuntimeError();
          });
          yield* asyncWith(barrier, function* () {
            results1.push(true);
          });
        } catch (e) {
          if (e instanceof BrokenBarrierError) results2.push(true);
          else if (e instanceof RuntimeError) yield* barrier.abort();
          else throw e;
        }
      }
      yield* gatherTasks(N, coro);
      expect(barrier.broken).toBe(true);
      expect(results1).toEqual([]);
      expect(results2).toEqual(Array(N - 1).fill(true));
      expect(barrier.nWaiting).toBe(0);
    });
  });

  it('test_abort_barrier_when_exception_then_resetting — a broken barrier works again after reset()', () => {
    asyncTestNoLogs(function* () {
      const barrier1 = new Barrier(N);
      const barrier2 = new Barrier(N);
      const results1: boolean[] = [];
      const results2: boolean[] = [];
      const results3: boolean[] = [];
      function* coro(): Coro<void> {
        try {
          const i = yield* barrier1.wait();
          if (i === Math.floor(N / 2)) throw new RuntimeError();
          yield* barrier1.wait();
          results1.push(true);
        } catch (e) {
          if (e instanceof BrokenBarrierError) results2.push(true);
          else if (e instanceof RuntimeError) yield* barrier1.abort();
          else throw e;
        }
        const i = yield* barrier2.wait();
        if (i === Math.floor(N / 2)) yield* barrier1.reset();
        yield* barrier2.wait();
        yield* barrier1.wait();
        results3.push(true);
      }
      yield* gatherTasks(N, coro);
      expect(barrier1.broken).toBe(false);
      expect(results1).toEqual([]);
      expect(results2).toEqual(Array(N - 1).fill(true));
      expect(results3).toEqual(Array(N).fill(true));
      expect(barrier1.nWaiting).toBe(0);
    });
  });
});
