// Condition: wait/notify/notifyAll ordering, waitFor(predicate), the un-acquired lock
// errors, a lock shared between conditions, and cancellation: wait() re-acquires the lock
// before raising, re-raises the same CancelledError instance, and (3.13) a cancelled
// waiter passes its notify on. Every expectation is CPython 3.13.2's output for the
// equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, CancelledError, Condition, createTask, gather, Lock, repr, RuntimeError, sleep, timeout, TimeoutError, waitFor,
  type Coro, type Task,
} from '../../src/index.js';
import { reprTuple } from '../../src/format/py-repr.js';
import { normaliseSites } from '../_support/capture.js';
import { asCancelled, asRuntime, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { r, sleep0 } from './_support.js';

/**
 * Start a task doing `async with cond: await cond.wait_for(predicate)` that logs the
 * CancelledError it catches (and whether it holds the lock) and re-raises it. `joined`
 * awaits the task and logs the CancelledError main gets, whether it is that very
 * instance, then `suffix()`.
 */
function startCancellableWaiter(cond: Condition, predicate: () => boolean, log: (event: string) => void): {
  task: Task<void>;
  joined: (suffix: () => string) => Coro<void>;
} {
  let raised: CancelledError | undefined;
  function* func(): Coro<void> {
    yield* asyncWith(cond, function* () {
      try {
        yield* cond.waitFor(predicate);
      } catch (e) {
        raised = asCancelled(e);
        log(`func caught ${repr(raised)} locked=${py(cond.locked())}`);
        throw e;
      }
    });
  }
  const task = createTask(func());
  function* joined(suffix: () => string): Coro<void> {
    try {
      yield* task;
    } catch (e) {
      const c = asCancelled(e);
      log(`main caught ${repr(c)} args=${reprTuple(c.args)} same=${py(c === raised)}${suffix()}`);
    }
  }
  return { task, joined };
}

describe('Condition', () => {
  it('wakes notified waiters one lock release at a time, in the order they waited', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cond = new Condition();
      function* c(n: number): Coro<boolean> {
        yield* cond.acquire();
        log(`c${n} waiting`);
        const got = yield* cond.wait();
        log(`c${n} woke ${py(got)} locked=${py(cond.locked())}`);
        return got;
      }
      ticker(loop, log, 12);
      const ts = [1, 2, 3].map((n) => createTask(c(n)));
      yield* sleep0();
      log(`${py(cond.locked())} ${r(cond)}`);
      log(`acquire ${py(yield* cond.acquire())}`);
      cond.notify();
      log(`notify ${r(cond)}`);
      yield* sleep0();
      cond.release();
      log(`release ${r(cond)}`);
      yield* sleep0();
      log(`${py(cond.locked())} ${r(cond)}`);
      cond.notify(2);
      log(`notify(2) ${r(cond)}`);
      yield* sleep0();
      cond.release();
      log('release');
      yield* sleep0();
      cond.release();
      log('release');
      yield* sleep0();
      log(`[${ts.map((t) => py(t.result())).join(', ')}] ${py(cond.locked())}`);
      cond.release();
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'c1 waiting'], [0, 'c2 waiting'], [0, 'c3 waiting'],
      [0, 'False <asyncio.locks.Condition object at 0x? [unlocked, waiters:3]>'], [0, 'acquire True'],
      [0, 'notify <asyncio.locks.Condition object at 0x? [locked, waiters:3]>'], [0, 'tick 1'],
      [0, 'release <asyncio.locks.Condition object at 0x? [unlocked, waiters:2]>'], [0, 'tick 2'],
      [0, 'c1 woke True locked=True'], [0, 'True <asyncio.locks.Condition object at 0x? [locked, waiters:2]>'],
      [0, 'notify(2) <asyncio.locks.Condition object at 0x? [locked, waiters:2]>'], [0, 'tick 3'], [0, 'release'],
      [0, 'tick 4'], [0, 'c2 woke True locked=True'], [0, 'release'], [0, 'tick 5'], [0, 'c3 woke True locked=True'],
      [0, '[True, True, True] True'], [0, 'tick 6'], ['return', 'None'],
    ]);
  });

  it('counts repeated notify(1) calls and wakes the rest with notifyAll, each in turn', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cond = new Condition();
      function* c(n: number): Coro<void> {
        yield* asyncWith(cond, function* () {
          log(`c${n} waiting`);
          yield* cond.wait();
          log(`c${n} woke`);
          yield* sleep(0.5);
          log(`c${n} leaves`);
        });
      }
      const ts = [0, 1, 2, 3].map((n) => createTask(c(n)));
      yield* sleep(1);
      yield* asyncWith(cond, function* () {
        cond.notify(1);
        cond.notify(1);
        log(r(cond));
      });
      yield* sleep(2);
      yield* asyncWith(cond, function* () {
        cond.notifyAll();
        log(r(cond));
      });
      yield* gather(...ts);
      yield* asyncWith(cond, function* () {
        cond.notify(5);
        cond.notifyAll();
      });
      log(r(cond));
    });
    expect(trace).toEqual([
      [0, 'c0 waiting'], [0, 'c1 waiting'], [0, 'c2 waiting'], [0, 'c3 waiting'],
      [1, '<asyncio.locks.Condition object at 0x? [locked, waiters:4]>'], [1, 'c0 woke'], [1.5, 'c0 leaves'],
      [1.5, 'c1 woke'], [2, 'c1 leaves'], [3, '<asyncio.locks.Condition object at 0x? [locked, waiters:2]>'],
      [3, 'c2 woke'], [3.5, 'c2 leaves'], [3.5, 'c3 woke'], [4, 'c3 leaves'],
      [4, '<asyncio.locks.Condition object at 0x? [unlocked]>'], ['return', 'None'],
    ]);
  });

  it('waitFor checks the predicate first and after every wake-up, and returns its value', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cond = new Condition();
      let state = 0;
      const calls: number[] = [];
      const pred = (): string | false => {
        calls.push(state);
        return state >= 2 && `state=${state}`;
      };
      function* waiter(): Coro<string | false | undefined> {
        return yield* asyncWith(cond, function* () {
          const got = yield* cond.waitFor(pred);
          log(`waiter got ${repr(got)} calls=${repr(calls)}`);
          return got;
        });
      }
      const t = createTask(waiter());
      for (let i = 0; i < 3; i++) {
        yield* sleep(1);
        yield* asyncWith(cond, function* () {
          state += 1;
          cond.notify();
          log(`notified state=${state}`);
        });
      }
      log(repr(yield* t));
    });
    expect(trace).toEqual([
      [1, 'notified state=1'], [2, 'notified state=2'], [2, "waiter got 'state=2' calls=[0, 1, 2]"],
      [3, 'notified state=3'], [3, "'state=2'"], ['return', 'None'],
    ]);
  });

  it('refuses to wait or notify without holding the lock', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cond = new Condition();
      try {
        yield* cond.wait();
      } catch (e) {
        log(`wait: ${repr(asRuntime(e))}`);
      }
      log(`wait_for true: ${repr(yield* cond.waitFor(() => [1, 2, 3]))}`);
      try {
        yield* cond.waitFor(() => 0);
      } catch (e) {
        log(`wait_for: ${repr(asRuntime(e))}`);
      }
      try {
        cond.notify();
      } catch (e) {
        log(`notify: ${repr(asRuntime(e))}`);
      }
      try {
        cond.notifyAll();
      } catch (e) {
        log(`notify_all: ${repr(asRuntime(e))}`);
      }
      log(r(cond));
    });
    expect(trace).toEqual([
      [0, "wait: RuntimeError('cannot wait on un-acquired lock')"], [0, 'wait_for true: [1, 2, 3]'],
      [0, "wait_for: RuntimeError('cannot wait on un-acquired lock')"],
      [0, "notify: RuntimeError('cannot notify on un-acquired lock')"],
      [0, "notify_all: RuntimeError('cannot notify on un-acquired lock')"],
      [0, '<asyncio.locks.Condition object at 0x? [unlocked]>'], ['return', 'None'],
    ]);
    const cond = new Condition();
    expect(() => cond.notify()).toThrow(RuntimeError);
    expect(() => cond.notify()).toThrow(/^cannot notify on un-acquired lock$/);
    expect(() => cond.notifyAll()).toThrow(/^cannot notify on un-acquired lock$/);
  });

  it('shares a given lock with other conditions and with direct users of the lock', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const lock = new Lock();
      const c1 = new Condition(lock);
      const c2 = new Condition({ lock });
      yield* asyncWith(lock, function* () {
        log(`${py(c1.locked())} ${py(c2.locked())} ${r(c1)}`);
      });
      yield* asyncWith(c1, function* () {
        log(`${py(lock.locked())} ${py(c2.locked())}`);
      });
      function* w(c: Condition, n: number): Coro<void> {
        yield* asyncWith(c, function* () {
          yield* c.wait();
          log(`w${n} woke holding=${py(lock.locked())}`);
        });
      }
      const t1 = createTask(w(c1, 1));
      const t2 = createTask(w(c2, 2));
      yield* sleep0();
      log(`${r(c1)} ${r(c2)} ${r(lock)}`);
      yield* asyncWith(c2, function* () {
        c2.notifyAll();
      });
      yield* sleep0();
      log(`t1.done=${py(t1.done())} t2.done=${py(t2.done())}`);
      yield* lock.acquire();
      c1.notify();
      lock.release();
      yield* gather(t1, t2);
      log(r(lock));
    });
    expect(trace).toEqual([
      [0, 'True True <asyncio.locks.Condition object at 0x? [locked]>'], [0, 'True True'],
      [0, '<asyncio.locks.Condition object at 0x? [unlocked, waiters:1]> <asyncio.locks.Condition object at 0x? [unlocked, waiters:1]> <asyncio.locks.Lock object at 0x? [unlocked]>'],
      [0, 'w2 woke holding=True'], [0, 't1.done=False t2.done=True'], [0, 'w1 woke holding=True'],
      [0, '<asyncio.locks.Lock object at 0x? [unlocked]>'], ['return', 'None'],
    ]);
  });

  it('holds the lock again when a cancelled wait raises', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cond = new Condition();
      yield* cond.acquire();
      const w = createTask(cond.wait());
      loop.callSoon(() => w.cancel());
      try {
        yield* w;
      } catch (e) {
        log(`raised ${repr(asCancelled(e))}`);
      }
      log(`${r(cond)} ${py(cond.locked())}`);
    });
    expect(trace).toEqual([
      [0, 'raised CancelledError()'], [0, '<asyncio.locks.Condition object at 0x? [locked]> True'], ['return', 'None'],
    ]);
  });

  it('re-acquires the contested lock before raising the cancellation (test_wait_cancel_contested)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cond = new Condition();
      yield* cond.acquire();
      const waitTask = createTask(cond.wait());
      yield* sleep0();
      log(`locked=${py(cond.locked())} ${r(cond)}`);
      yield* cond.acquire();
      cond.notify();
      loop.callSoon(() => waitTask.cancel());
      loop.callSoon(() => cond.release());
      try {
        log(`wait returned ${py(yield* waitTask)}`);
      } catch (e) {
        log(`raised ${repr(asCancelled(e))}`);
      }
      log(`locked=${py(cond.locked())} cancelled=${py(waitTask.cancelled())} ${r(cond)}`);
    });
    expect(trace).toEqual([
      [0, 'locked=False <asyncio.locks.Condition object at 0x? [unlocked, waiters:1]>'], [0, 'raised CancelledError()'],
      [0, 'locked=True cancelled=True <asyncio.locks.Condition object at 0x? [locked]>'], ['return', 'None'],
    ]);
  });

  it('respects a cancel that arrives after the notify, once the lock is free (test_wait_cancel_after_notify)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cond = new Condition();
      function* waitOnCond(): Coro<void> {
        yield* asyncWith(cond, function* () {
          log('waiting');
          yield* cond.wait();
          log('never');
        });
      }
      ticker(loop, log, 6);
      const waiter = createTask(waitOnCond());
      yield* sleep0();
      yield* cond.acquire();
      cond.notify();
      yield* sleep0();
      waiter.cancel();
      yield* sleep0();
      log(`before release locked=${py(cond.locked())} done=${py(waiter.done())}`);
      cond.release();
      yield* sleep0();
      log(`cancelled=${py(waiter.cancelled())} locked=${py(cond.locked())}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'waiting'], [0, 'tick 1'], [0, 'tick 2'], [0, 'before release locked=True done=False'],
      [0, 'tick 3'], [0, 'cancelled=True locked=False'], [0, 'tick 4'], ['return', 'None'],
    ]);
  });

  it('re-raises the very CancelledError it received while waiting to be notified', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cond = new Condition();
      const { task, joined } = startCancellableWaiter(cond, () => false, log);
      yield* sleep0();
      task.cancel('foo');
      yield* joined(() => '');
    });
    expect(trace).toEqual([
      [0, "func caught CancelledError('foo') locked=True"],
      [0, "main caught CancelledError('foo') args=('foo',) same=True"], ['return', 'None'],
    ]);
  });

  it('re-raises the very CancelledError it received while re-acquiring the lock (test_cancelled_error_re_aquire)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cond = new Condition();
      let wake = false;
      const { task, joined } = startCancellableWaiter(cond, () => wake, log);
      yield* sleep0();
      yield* cond.acquire();
      wake = true;
      cond.notify();
      yield* sleep0();
      task.cancel('foo');
      cond.release();
      log(r(cond));
      yield* joined(() => ` ${r(cond)}`);
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Condition object at 0x? [unlocked]>'], [0, "func caught CancelledError('foo') locked=True"],
      [0, "main caught CancelledError('foo') args=('foo',) same=True <asyncio.locks.Condition object at 0x? [unlocked]>"],
      ['return', 'None'],
    ]);
  });

  // test_cancelled_wakeup (cancelled while waiting to be woken) and
  // test_cancelled_wakeup_relock (cancelled while re-acquiring the lock).
  for (const relock of [false, true]) {
    it(`passes the notify of a waiter cancelled ${relock ? 'while re-acquiring the lock' : 'before it runs'} on to another waiter`, () => {
      const trace = runScenario(function* main({ log }: Scene): Coro<void> {
        const condition = new Condition();
        let state = 0;
        function* consumer(n: number): Coro<void> {
          try {
            yield* asyncWith(condition, function* () {
              for (;;) {
                yield* condition.waitFor(() => state !== 0);
                if (state < 0) {
                  log(`c${n} exits`);
                  return;
                }
                state -= 1;
                log(`c${n} consumed, state=${state}`);
              }
            });
          } catch (e) {
            asCancelled(e);
            log(`c${n} cancelled`);
            throw e;
          }
        }
        const c = [0, 1].map((n) => createTask(consumer(n)));
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
            log(`main saw state=${state}`);
          } catch (e) {
            if (!(e instanceof TimeoutError)) throw e;
            log('timeout');
          }
          state = -1;
          condition.notifyAll();
        });
        yield* c[1]!;
        log(`c0 cancelled=${py(c[0]!.cancelled())}`);
      });
      expect(trace).toEqual([
        [0, 'c0 cancelled'], [0, 'c1 consumed, state=0'], [0.01, 'timeout'], [0.01, 'c1 exits'],
        [0.01, 'c0 cancelled=True'], ['return', 'None'],
      ]);
    });
  }

  it('holds the lock again when waitFor(cond.wait(), 0.5) times out', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cond = new Condition();
      yield* asyncWith(cond, function* () {
        try {
          yield* waitFor(cond.wait(), 0.5);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          log(`${repr(e)} locked=${py(cond.locked())} ${r(cond)}`);
        }
      });
      log(r(cond));
    });
    expect(trace).toEqual([
      [0.5, 'TimeoutError() locked=True <asyncio.locks.Condition object at 0x? [locked]>'],
      [0.5, '<asyncio.locks.Condition object at 0x? [unlocked]>'], ['return', 'None'],
    ]);
  });

  it('gives String() the same text as repr()', () => {
    const cond = new Condition();
    expect(String(cond)).toBe(repr(cond));
    expect(normaliseSites(String(cond))).toBe('<asyncio.locks.Condition object at 0x? [unlocked]>');
  });
});
