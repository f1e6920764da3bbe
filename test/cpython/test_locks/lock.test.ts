// CPython 3.13's test_asyncio/test_locks.py, LockTests (Lock): one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  BoundedSemaphore, CancelledError, Condition, createTask, getRunningLoop, Lock, repr, RuntimeError, Semaphore, sleep,
  type Coro, type Future,
} from '../../../src/index.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';
import {
  awaitNonAwaitable, expectHeldForBody, expectReleaseUnlocks, expectReturned, RGX_REPR, spawn,
} from './_support.js';

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
