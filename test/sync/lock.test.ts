// Lock: FIFO acquisition, 3.13's fairness rules (no stealing from a waiter being woken, a
// cancelled waiter passing its wake-up on), release errors, reprs, asyncWith, and the
// binding to one event loop. Every expectation is CPython 3.13.2's output for the
// equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it, vi } from 'vitest';
import {
  asyncWith, createTask, EventLoop, gather, Lock, repr, RuntimeError, sleep, ValueError, type Coro, type Future,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { asCancelled, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { r, sleep0 } from './_support.js';

describe('Lock', () => {
  it('hands the lock to waiters in the order they asked, one release at a time', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lock = new Lock();
      log(`acquire ${py(yield* lock.acquire())}`);
      function* c(n: number): Coro<boolean> {
        log(`c${n} acquiring`);
        const got = yield* lock.acquire();
        log(`c${n} acquired ${py(got)}`);
        return got;
      }
      ticker(loop, log, 8);
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      yield* sleep0();
      log(r(lock));
      lock.release();
      log('release');
      yield* sleep0();
      yield* sleep0();
      const t3 = createTask(c(3));
      lock.release();
      log('release');
      yield* sleep0();
      lock.release();
      log('release');
      yield* sleep0();
      log(`${py(t1.result())} ${py(t2.result())} ${py(t3.result())} ${py(lock.locked())}`);
    });
    expect(trace).toEqual([
      [0, 'acquire True'], [0, 'tick 0'], [0, 'c1 acquiring'], [0, 'c2 acquiring'],
      [0, '<asyncio.locks.Lock object at 0x? [locked, waiters:2]>'], [0, 'release'], [0, 'tick 1'],
      [0, 'c1 acquired True'], [0, 'tick 2'], [0, 'release'], [0, 'tick 3'], [0, 'c3 acquiring'],
      [0, 'c2 acquired True'], [0, 'release'], [0, 'tick 4'], [0, 'c3 acquired True'], [0, 'True True True True'],
      [0, 'tick 5'], ['return', 'None'],
    ]);
  });

  it('is not stolen by a newcomer while the woken waiter has yet to run', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lock = new Lock();
      yield* lock.acquire();
      function* holder(): Coro<void> {
        log('t1 acquiring');
        yield* lock.acquire();
        log('t1 acquired');
        yield* sleep(1);
        lock.release();
        log('t1 released');
      }
      ticker(loop, log, 3);
      createTask(holder());
      yield* sleep0();
      lock.release();
      log(`released locked=${py(lock.locked())} ${r(lock)}`);
      yield* lock.acquire();
      log(`main acquired again ${r(lock)}`);
      lock.release();
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 't1 acquiring'], [0, 'released locked=False <asyncio.locks.Lock object at 0x? [unlocked, waiters:1]>'],
      [0, 'tick 1'], [0, 't1 acquired'], [0, 'tick 2'], [0, 'tick 3'], [1, 't1 released'],
      [1, 'main acquired again <asyncio.locks.Lock object at 0x? [locked]>'], ['return', 'None'],
    ]);
  });

  it('is taken at once when every waiter ahead is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lock = new Lock();
      yield* lock.acquire();
      const t1 = createTask(lock.acquire());
      ticker(loop, log, 3);
      yield* sleep0();
      t1.cancel();
      lock.release();
      log(`released ${r(lock)}`);
      yield* lock.acquire();
      log(`main acquired ${r(lock)}`);
      yield* sleep0();
      log(`t1 cancelled=${py(t1.cancelled())} ${r(lock)}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'released <asyncio.locks.Lock object at 0x? [unlocked, waiters:1]>'],
      [0, 'main acquired <asyncio.locks.Lock object at 0x? [locked, waiters:1]>'], [0, 'tick 1'],
      [0, 't1 cancelled=True <asyncio.locks.Lock object at 0x? [locked]>'], [0, 'tick 2'], ['return', 'None'],
    ]);
  });

  it('skips a waiter cancelled in the iteration the lock is released (test_cancel_race)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lock = new Lock();
      function* lockit(name: string, blocker: Future<unknown> | undefined): Coro<void> {
        yield* lock.acquire();
        log(`${name} acquired`);
        try {
          if (blocker !== undefined) yield* blocker;
        } finally {
          lock.release();
          log(`${name} released`);
        }
      }
      const fa = loop.createFuture<unknown>();
      const ta = createTask(lockit('A', fa));
      yield* sleep0();
      const tb = createTask(lockit('B', undefined));
      yield* sleep0();
      const tc = createTask(lockit('C', undefined));
      yield* sleep0();
      log(r(lock));
      fa.setResult(undefined);
      tb.cancel();
      yield* sleep0();
      log(`locked=${py(lock.locked())} ta.done=${py(ta.done())} tb.cancelled=${py(tb.cancelled())}`);
      yield* tc;
      log(`tc done ${r(lock)}`);
    });
    expect(trace).toEqual([
      [0, 'A acquired'], [0, '<asyncio.locks.Lock object at 0x? [locked, waiters:2]>'], [0, 'A released'],
      [0, 'locked=False ta.done=True tb.cancelled=True'], [0, 'C acquired'], [0, 'C released'],
      [0, 'tc done <asyncio.locks.Lock object at 0x? [unlocked]>'], ['return', 'None'],
    ]);
  });

  it('lets exactly one waiter win when the first is cancelled as the lock is released (test_cancel_release_race)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lock = new Lock();
      function* lockit(n: number): Coro<void> {
        log(`t${n} acquiring`);
        yield* lock.acquire();
        log(`t${n} acquired`);
      }
      yield* lock.acquire();
      const t1 = createTask(lockit(1));
      const t2 = createTask(lockit(2));
      const t3 = createTask(lockit(3));
      yield* sleep0();
      loop.callSoon(() => {
        log('trigger');
        t1.cancel();
        lock.release();
      });
      try {
        yield* t1;
      } catch (e) {
        log(`t1 raised ${repr(asCancelled(e))}`);
      }
      log(`t1.cancelled=${py(t1.cancelled())} t2.done=${py(t2.done())} t3.done=${py(t3.done())} ${r(lock)}`);
      t3.cancel();
      yield* sleep0();
      log(`t3.cancelled=${py(t3.cancelled())} ${r(lock)}`);
    });
    expect(trace).toEqual([
      [0, 't1 acquiring'], [0, 't2 acquiring'], [0, 't3 acquiring'], [0, 'trigger'], [0, 't2 acquired'],
      [0, 't1 raised CancelledError()'],
      [0, 't1.cancelled=True t2.done=True t3.done=False <asyncio.locks.Lock object at 0x? [locked, waiters:1]>'],
      [0, 't3.cancelled=True <asyncio.locks.Lock object at 0x? [locked]>'], ['return', 'None'],
    ]);
  });

  it('passes the wake-up of a woken waiter that is cancelled before it runs to the next one (test_finished_waiter_cancelled)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const lock = new Lock();
      yield* lock.acquire();
      const tb = createTask(lock.acquire(), { name: 'tb' });
      yield* sleep0();
      const tc = createTask(lock.acquire(), { name: 'tc' });
      tb.cancel();
      lock.release();
      log(r(lock));
      yield* sleep0();
      log(`locked=${py(lock.locked())} tb.cancelled=${py(tb.cancelled())} tc.done=${py(tc.done())} ${r(lock)}`);
      log(`tc -> ${py(yield* tc)}`);
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Lock object at 0x? [unlocked, waiters:1]>'],
      [0, 'locked=True tb.cancelled=True tc.done=True <asyncio.locks.Lock object at 0x? [locked]>'],
      [0, 'tc -> True'], ['return', 'None'],
    ]);
  });

  it('removes a cancelled acquire from the waiters (test_acquire_cancel)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lock = new Lock();
      yield* lock.acquire();
      const task = createTask(lock.acquire());
      loop.callSoon(() => task.cancel());
      try {
        yield* task;
      } catch (e) {
        log(`raised ${repr(asCancelled(e))}`);
      }
      log(r(lock));
      lock.release();
      log(`${r(lock)} ${py(lock.locked())}`);
    });
    expect(trace).toEqual([
      [0, 'raised CancelledError()'], [0, '<asyncio.locks.Lock object at 0x? [locked]>'],
      [0, '<asyncio.locks.Lock object at 0x? [unlocked]> False'], ['return', 'None'],
    ]);
  });

  it('is released by asyncWith when the body raises, and the error propagates', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const lock = new Lock();
      try {
        yield* asyncWith(lock, function* (v) {
          log(`inside ${repr(v)} ${py(lock.locked())}`);
          yield* sleep(1);
          throw new ValueError('boom');
        });
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log(`caught ${repr(e)} locked=${py(lock.locked())}`);
      }
      function* other(): Coro<void> {
        yield* asyncWith(lock, function* () {
          log('other in');
          yield* sleep(1);
          throw new RuntimeError('k');
        });
      }
      const t = createTask(other());
      yield* sleep0();
      yield* asyncWith(lock, function* () {
        log(`main in, other done=${py(t.done())}`);
      });
      log(`${repr(t.exception())} ${py(lock.locked())}`);
    });
    expect(trace).toEqual([
      [0, 'inside None True'], [1, "caught ValueError('boom') locked=False"], [1, 'other in'],
      [2, 'main in, other done=True'], [2, "RuntimeError('k') False"], ['return', 'None'],
    ]);
  });

  it('shows locked/unlocked and the number of waiters in its repr', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const lock = new Lock();
      log(r(lock));
      yield* lock.acquire();
      log(r(lock));
      const ts = [createTask(lock.acquire()), createTask(lock.acquire())];
      yield* sleep0();
      log(r(lock));
      log(normaliseSites(String(lock)));
      lock.release();
      log(r(lock));
      yield* sleep0();
      log(r(lock));
      ts[1]!.cancel();
      yield* sleep0();
      log(r(lock));
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Lock object at 0x? [unlocked]>'], [0, '<asyncio.locks.Lock object at 0x? [locked]>'],
      [0, '<asyncio.locks.Lock object at 0x? [locked, waiters:2]>'], [0, '<asyncio.locks.Lock object at 0x? [locked, waiters:2]>'],
      [0, '<asyncio.locks.Lock object at 0x? [unlocked, waiters:2]>'], [0, '<asyncio.locks.Lock object at 0x? [locked, waiters:1]>'],
      [0, '<asyncio.locks.Lock object at 0x? [locked]>'], ['return', 'None'],
    ]);
  });

  it("raises RuntimeError 'Lock is not acquired.' when released while unlocked", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow(RuntimeError);
    expect(() => lock.release()).toThrow(/^Lock is not acquired\.$/);
    expect(lock.locked()).toBe(false);
  });

  it('refuses to wait on a loop other than the one it is bound to', () => {
    const lock = new Lock();
    const out: string[] = [];
    function* first(): Coro<void> {
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      yield* sleep0();
      t.cancel();
      yield* sleep0();
    }
    function* second(): Coro<void> {
      try {
        yield* lock.acquire();
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        expect(e.message).toMatch(/^<asyncio\.locks\.Lock object at 0x[0-9a-f]+ \[locked\]> is bound to a different event loop$/);
        out.push(r(e));
      }
      lock.release();
      yield* lock.acquire();
      out.push(`fast path ok ${py(lock.locked())}`);
      lock.release();
      yield* asyncWith(lock, function* () {});
      out.push('ok2');
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      yield* sleep0();
      out.push(normaliseSites((t.exception() as Error).message));
    }
    const l1 = new EventLoop();
    l1.runUntilComplete(first());
    l1.close();
    const l2 = new EventLoop();
    l2.runUntilComplete(second());
    l2.close();
    expect(out).toEqual([
      "RuntimeError('<asyncio.locks.Lock object at 0x? [locked]> is bound to a different event loop')",
      'fast path ok True', 'ok2', '<asyncio.locks.Lock object at 0x? [locked]> is bound to a different event loop',
    ]);
  });
});

// Regression (issue 16): the waiters' list was an array, so that each wake-up and each
// cancelled waiter cost a copy or a scan of the whole list (2×10^5 waiters took seconds).
describe('Lock with many waiters', () => {
  /**
   * Python (N=40 printed on the oracle, CPython 3.13.2):
   *   await lock.acquire(); tasks = [create_task(worker(i)) for i in range(N)]
   *   await sleep(0); cancel tasks[5], tasks[15], …; await sleep(0)
   *   lock.release(); tasks[0].cancel()   # woken, cancelled before it runs
   *   await gather(*tasks, return_exceptions=True)
   * where worker(i) appends ('c', i) when its acquire is cancelled, else i, then sleeps
   * one iteration and releases.
   */
  function acquisitions(n: number): { order: (number | string)[]; waiting: number; locked: boolean; left: number } {
    const loop = new EventLoop();
    const lock = new Lock();
    const order: (number | string)[] = [];
    let waiting = 0;
    function* worker(i: number): Coro<void> {
      try {
        yield* lock.acquire();
      } catch (e) {
        asCancelled(e);
        order.push(`c${i}`);
        throw e;
      }
      order.push(i);
      yield* sleep0();
      lock.release();
    }
    loop.runUntilComplete((function* main(): Coro<void> {
      yield* lock.acquire();
      const tasks = Array.from({ length: n }, (_, i) => createTask(worker(i)));
      yield* sleep0();
      for (let i = 5; i < n; i += 10) tasks[i]!.cancel();
      yield* sleep0();
      waiting = lock._waiters!.length;
      lock.release();
      tasks[0]!.cancel();
      yield* gather(tasks, { returnExceptions: true });
    })());
    loop.close();
    return { order, waiting, locked: lock.locked(), left: lock._waiters!.length };
  }

  it('wakes the waiters left in FIFO order after cancellations anywhere (CPython, N=40)', () => {
    expect(acquisitions(40)).toEqual({
      order: [
        'c5', 'c15', 'c25', 'c35', 'c0', 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37, 38, 39,
      ],
      waiting: 36, locked: false, left: 0,
    });
  });

  it('keeps that order at 2×10^4 waiters, without scanning or copying the list', () => {
    const n = 20_000;
    const spies = [vi.spyOn(Array.prototype, 'shift'), vi.spyOn(Array.prototype, 'splice'), vi.spyOn(Array.prototype, 'indexOf')];
    let result: ReturnType<typeof acquisitions>;
    try {
      result = acquisitions(n);
    } finally {
      vi.restoreAllMocks();
    }
    expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
    const cancelled = Array.from({ length: n / 10 }, (_, k) => `c${10 * k + 5}`);
    const acquired = Array.from({ length: n }, (_, i) => i).filter((i) => i !== 0 && i % 10 !== 5);
    expect(result.order).toEqual([...cancelled, 'c0', ...acquired]);
    expect(result).toMatchObject({ waiting: n - n / 10, locked: false, left: 0 });
  });
});
