// CPython 3.13's test_asyncio/test_locks.py, BarrierTests (Barrier): one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, Barrier, BrokenBarrierError, CancelledError, createTask, gather, isException, repr, RuntimeError, Task,
  ValueError, wait, type Coro,
} from '../../../src/index.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';
import { awaitNonAwaitable, RGX_REPR } from './_support.js';

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
