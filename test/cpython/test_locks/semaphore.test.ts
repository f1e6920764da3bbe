// CPython 3.13's test_asyncio/test_locks.py, SemaphoreTests (Semaphore, BoundedSemaphore):
// one `it` per test method, titled after it. Module notes and shared helpers:
// ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BoundedSemaphore, CancelledError, createTask, gather, getRunningLoop, repr, Semaphore, sleep, Task,
  TaskGroup, ValueError, waitFor, type Coro, type Future,
} from '../../../src/index.js';
import { WaiterList } from '../../../src/sync/waiters.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';
import { awaitNonAwaitable, expectReleaseUnlocks, RGX_REPR, spawn } from './_support.js';

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
