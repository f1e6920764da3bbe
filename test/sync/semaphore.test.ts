// Semaphore and BoundedSemaphore: 3.13's FIFO wake-ups (test_acquire_fifo_order and its
// variants), waiters cancelled before or after being woken, locked(), the value errors,
// and reprs. Every expectation is CPython 3.13.2's output for the equivalent Python
// program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BoundedSemaphore, createTask, gather, repr, Semaphore, sleep, TaskGroup, ValueError, waitFor, type Coro,
  type Task,
} from '../../src/index.js';
import { py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { r, sleep0 } from './_support.js';

const flags = (xs: boolean[]): string => `[${xs.map(py).join(', ')}]`;

describe('Semaphore', () => {
  it('lets value acquirers through at once and wakes the rest in FIFO order on release', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const sem = new Semaphore(3);
      const a = yield* sem.acquire();
      const b = yield* sem.acquire();
      log(`${py(a)} ${py(b)} locked=${py(sem.locked())} ${r(sem)}`);
      function* c(n: number): Coro<number> {
        yield* sem.acquire();
        log(`c${n} acquired`);
        return n;
      }
      ticker(loop, log, 5);
      const ts = [1, 2, 3].map((n) => createTask(c(n)));
      yield* sleep0();
      log(`locked=${py(sem.locked())} ${r(sem)}`);
      const t4 = createTask(c(4));
      sem.release();
      sem.release();
      log(`released twice ${r(sem)}`);
      yield* sleep0();
      log(`${r(sem)} done=${flags([...ts, t4].map((t) => t.done()))}`);
      sem.release();
      log(repr(yield* gather(...ts, t4)));
    });
    expect(trace).toEqual([
      [0, 'True True locked=False <asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>'], [0, 'tick 0'],
      [0, 'c1 acquired'], [0, 'locked=True <asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'],
      [0, 'released twice <asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'], [0, 'tick 1'],
      [0, 'c2 acquired'], [0, 'c3 acquired'],
      [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:1]> done=[True, True, True, False]'], [0, 'tick 2'],
      [0, 'c4 acquired'], [0, 'tick 3'], [0, 'tick 4'], [0, '[1, 2, 3, 4]'], [0, 'tick 5'], ['return', 'None'],
    ]);
  });

  it('serves a task coming back for a second acquire after those already waiting (test_acquire_fifo_order)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore(1);
      function* coro(tag: string): Coro<void> {
        yield* sem.acquire();
        log(`${tag}_1`);
        yield* sleep(0.01);
        sem.release();
        yield* sem.acquire();
        log(`${tag}_2`);
        yield* sleep(0.01);
        sem.release();
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        for (const tag of ['c1', 'c2', 'c3']) tg.createTask(coro(tag));
      });
      log(r(sem));
    });
    expect(trace).toEqual([
      [0, 'c1_1'], [0.01, 'c2_1'], [0.02, 'c3_1'], [0.03, 'c1_2'], [0.04, 'c2_2'], [0.05, 'c3_2'],
      [0.060000000000000005, '<asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>'], ['return', 'None'],
    ]);
  });

  it('queues a release-then-acquire behind the waiters already there (test_acquire_fifo_order_2)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const sem = new Semaphore(1);
      function* c1(): Coro<void> {
        yield* sem.acquire();
        log('1');
      }
      function* c2(): Coro<void> {
        yield* sem.acquire();
        log('2');
        sem.release();
        yield* sem.acquire();
        log('4');
      }
      function* c3(): Coro<void> {
        yield* sem.acquire();
        log('3');
      }
      ticker(loop, log, 6);
      const ts = [createTask(c1()), createTask(c2()), createTask(c3())];
      yield* sleep0();
      sem.release();
      sem.release();
      log(`released twice ${r(sem)}`);
      yield* gather(...ts);
      log(r(sem));
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, '1'], [0, 'released twice <asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'],
      [0, 'tick 1'], [0, '2'], [0, '3'], [0, 'tick 2'], [0, '4'], [0, 'tick 3'], [0, 'tick 4'],
      [0, '<asyncio.locks.Semaphore object at 0x? [locked]>'], [0, 'tick 5'], ['return', 'None'],
    ]);
  });

  it('gives the units of a cancelled waiter to the next ones (test_acquire_fifo_order_3)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore(0);
      function* c(n: number): Coro<void> {
        yield* sem.acquire();
        log(String(n));
      }
      const ts = [1, 2, 3].map((n) => createTask(c(n)));
      yield* sleep0();
      ts[0]!.cancel();
      yield* sleep0();
      log(r(sem));
      sem.release();
      sem.release();
      const res = yield* gather(...ts, { returnExceptions: true });
      log(`${repr(res)} ${r(sem)}`);
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'], [0, '2'], [0, '3'],
      [0, "[CancelledError(''), None, None] <asyncio.locks.Semaphore object at 0x? [locked]>"], ['return', 'None'],
    ]);
  });

  it('wakes every waiter the value allows once the first woken one runs (test_acquire_fifo_order_4)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const sem = new Semaphore(0);
      let t4: Task<void> | undefined;
      function* c4(): Coro<void> {
        log('4');
      }
      function* c1(): Coro<void> {
        log(`c1 acquiring ${r(sem)}`);
        yield* sem.acquire();
        log(`c1 acquired ${r(sem)}`);
        t4 = createTask(c4());
        log('1');
      }
      function* c2(): Coro<void> {
        sem.release();
        sem.release();
        sem.release();
        log(`c2 released 3 locked=${py(sem.locked())} ${r(sem)}`);
        yield* sem.acquire();
        log('2');
      }
      function* c3(): Coro<void> {
        yield* sem.acquire();
        log(`3 locked=${py(sem.locked())}`);
      }
      ticker(loop, log, 5);
      const ts = [createTask(c1()), createTask(c2()), createTask(c3())];
      yield* sleep0();
      log(r(sem));
      yield* sleep0();
      yield* gather(...ts, t4!);
      log(r(sem));
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'c1 acquiring <asyncio.locks.Semaphore object at 0x? [locked]>'],
      [0, 'c2 released 3 locked=True <asyncio.locks.Semaphore object at 0x? [locked, waiters:1]>'],
      [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:3]>'], [0, 'tick 1'],
      [0, 'c1 acquired <asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'], [0, '1'], [0, 'tick 2'], [0, '2'],
      [0, '3 locked=True'], [0, '4'], [0, 'tick 3'], [0, 'tick 4'], [0, '<asyncio.locks.Semaphore object at 0x? [locked]>'],
      [0, 'tick 5'], ['return', 'None'],
    ]);
  });

  it('skips waiters cancelled before they were woken (test_acquire_cancel_before_awoken)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore({ value: 0 });
      const ts = [0, 1, 2, 3].map(() => createTask(sem.acquire()));
      yield* sleep0();
      ts[0]!.cancel();
      ts[1]!.cancel();
      sem.release();
      log(r(sem));
      yield* sleep0();
      log(`${flags(ts.map((t) => t.done()))} ${r(sem)}`);
      yield* sleep0();
      log(`${flags(ts.map((t) => t.done()))} ${r(sem)}`);
      ts[2]!.cancel();
      ts[3]!.cancel();
      yield* sleep0();
      log(`${flags(ts.map((t) => t.cancelled()))} ${r(sem)}`);
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:4]>'],
      [0, '[True, True, True, False] <asyncio.locks.Semaphore object at 0x? [locked, waiters:1]>'],
      [0, '[True, True, True, False] <asyncio.locks.Semaphore object at 0x? [locked, waiters:1]>'],
      [0, '[True, True, False, True] <asyncio.locks.Semaphore object at 0x? [locked]>'], ['return', 'None'],
    ]);
  });

  it('does not hang when the first waiter is cancelled as a unit is released (test_acquire_hang)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore(0);
      const t1 = createTask(sem.acquire());
      const t2 = createTask(sem.acquire());
      yield* sleep0();
      t1.cancel();
      sem.release();
      yield* sleep0();
      yield* sleep0();
      log(`locked=${py(sem.locked())} t1.cancelled=${py(t1.cancelled())} t2.done=${py(t2.done())} ${r(sem)}`);
    });
    expect(trace).toEqual([
      [0, 'locked=True t1.cancelled=True t2.done=True <asyncio.locks.Semaphore object at 0x? [locked]>'],
      ['return', 'None'],
    ]);
  });

  it('gives back the unit of a woken waiter that is cancelled before it runs (test_acquire_no_hang)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore(1);
      function* c1(): Coro<void> {
        yield* asyncWith(sem, function* () {
          yield* sleep0();
        });
        t2.cancel();
      }
      function* c2(): Coro<void> {
        yield* asyncWith(sem, function* () {
          log('c2 never');
        });
      }
      const t1 = createTask(c1());
      const t2 = createTask(c2());
      const [r1, r2] = yield* gather(t1, t2, { returnExceptions: true });
      log(`${repr(r1)} ${repr(r2)} ${r(sem)}`);
      yield* waitFor(sem.acquire(), 1.0);
      log(r(sem));
    });
    expect(trace).toEqual([
      [0, "None CancelledError('') <asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>"],
      [0, '<asyncio.locks.Semaphore object at 0x? [locked]>'], ['return', 'None'],
    ]);
  });

  it('limits concurrency when used with asyncWith', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore(2);
      function* job(n: number): Coro<void> {
        yield* asyncWith(sem, function* () {
          log(`job${n} start ${r(sem)}`);
          yield* sleep(1);
        });
        log(`job${n} end`);
      }
      yield* gather(...[0, 1, 2, 3, 4].map((n) => job(n)));
      log(r(sem));
    });
    expect(trace).toEqual([
      [0, 'job0 start <asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>'],
      [0, 'job1 start <asyncio.locks.Semaphore object at 0x? [locked]>'], [1, 'job0 end'], [1, 'job1 end'],
      [1, 'job2 start <asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'],
      [1, 'job3 start <asyncio.locks.Semaphore object at 0x? [locked, waiters:1]>'], [2, 'job2 end'], [2, 'job3 end'],
      [2, 'job4 start <asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>'], [3, 'job4 end'],
      [3, '<asyncio.locks.Semaphore object at 0x? [unlocked, value:2]>'], ['return', 'None'],
    ]);
  });

  it('shows [unlocked, value:N], [locked] and the waiters in its repr; locked() follows value and waiters', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new Semaphore();
      log(r(sem));
      yield* sem.acquire();
      log(r(sem));
      const ts = [createTask(sem.acquire()), createTask(sem.acquire())];
      yield* sleep0();
      log(r(sem));
      sem.release();
      log(r(sem));
      yield* sleep0();
      log(r(sem));
      const s0 = new Semaphore(0);
      log(`${py(s0.locked())} ${r(s0)}`);
      const s5 = new Semaphore({ value: 5 });
      log(`${py(s5.locked())} ${r(s5)} ${py(String(s5) === repr(s5))}`);
      ts[1]!.cancel();
      yield* sleep0();
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>'], [0, '<asyncio.locks.Semaphore object at 0x? [locked]>'],
      [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'], [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:2]>'],
      [0, '<asyncio.locks.Semaphore object at 0x? [locked, waiters:1]>'], [0, 'True <asyncio.locks.Semaphore object at 0x? [locked]>'],
      [0, 'False <asyncio.locks.Semaphore object at 0x? [unlocked, value:5]> True'], ['return', 'None'],
    ]);
  });

  it("raises ValueError 'Semaphore initial value must be >= 0' for a negative value", () => {
    expect(() => new Semaphore(-1)).toThrow(ValueError);
    expect(() => new Semaphore(-1)).toThrow(/^Semaphore initial value must be >= 0$/);
    expect(() => new BoundedSemaphore(-1)).toThrow(/^Semaphore initial value must be >= 0$/);
  });

  it('raises TypeError, as comparing the value with 0 does, for None and strings', () => {
    // for v in (None, '2'): for cls in (asyncio.Semaphore, asyncio.BoundedSemaphore): cls(v) -> TypeError
    // asyncio.Semaphore(value=None) -> the same; asyncio.Semaphore(1.5) and (True) are accepted
    for (const cls of [Semaphore, BoundedSemaphore]) {
      expect(() => new cls(null as never)).toThrow(TypeError);
      expect(() => new cls(null as never)).toThrow(/^'<' not supported between instances of 'NoneType' and 'int'$/);
      expect(() => new cls({ value: null as never })).toThrow(/^'<' not supported between instances of 'NoneType' and 'int'$/);
      expect(() => new cls('2' as never)).toThrow(/^'<' not supported between instances of 'str' and 'int'$/);
    }
    expect(r(new Semaphore(1.5))).toBe('<asyncio.locks.Semaphore object at 0x? [unlocked, value:1.5]>');
    expect(r(new Semaphore({}))).toBe('<asyncio.locks.Semaphore object at 0x? [unlocked, value:1]>');
  });
});

describe('BoundedSemaphore', () => {
  it("raises ValueError 'BoundedSemaphore released too many times' above its initial value", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const sem = new BoundedSemaphore(2);
      log(r(sem));
      try {
        sem.release();
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log(repr(e));
      }
      yield* sem.acquire();
      yield* sem.acquire();
      log(`${py(sem.locked())} ${r(sem)}`);
      sem.release();
      sem.release();
      try {
        sem.release();
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log(`${repr(e)} ${r(sem)}`);
      }
      yield* asyncWith(sem, function* () {
        log(r(sem));
      });
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.BoundedSemaphore object at 0x? [unlocked, value:2]>'],
      [0, "ValueError('BoundedSemaphore released too many times')"],
      [0, 'True <asyncio.locks.BoundedSemaphore object at 0x? [locked]>'],
      [0, "ValueError('BoundedSemaphore released too many times') <asyncio.locks.BoundedSemaphore object at 0x? [unlocked, value:2]>"],
      [0, '<asyncio.locks.BoundedSemaphore object at 0x? [unlocked, value:1]>'], ['return', 'None'],
    ]);
    expect(() => new BoundedSemaphore().release()).toThrow(/^BoundedSemaphore released too many times$/);
  });
});
