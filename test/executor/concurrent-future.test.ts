// ConcurrentFuture (concurrent.futures.Future). States, reprs, error and log texts from
// native CPython 3.13.0; blocking waits follow aiosim's documented semantics (the calling
// simulated thread blocks in virtual time; src/executor/concurrent-future.ts).

import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelledError, ConcurrentCancelledError, ConcurrentFuture, InvalidStateError, isException, logging, repr, RuntimeError,
  StalledError, threading, TimeoutError, ValueError, world, blockingSleep, sleep, type Coro,
} from '../../src/index.js';
import { runScenario } from '../_support/scenario.js';

afterEach(() => {
  world._reset();
});

const ID = '0x[0-9a-f]+';

/** Records of logger `name` while `fn` runs, as 'LEVEL message'. */
function captureLogs(name: string, fn: () => void): { text: string; excInfo: unknown }[] {
  const records: { text: string; excInfo: unknown }[] = [];
  const handler: logging.Handler = { handle: (r) => records.push({ text: `${r.levelname} ${r.getMessage()}`, excInfo: r.excInfo }) };
  const logger = logging.getLogger(name);
  logger.addHandler(handler);
  try {
    fn();
  } finally {
    logger.removeHandler(handler);
  }
  return records;
}

describe('ConcurrentFuture', () => {
  it('goes from pending to running to finished, with the repr of each state', () => {
    // CPython: <Future at 0x… state=pending> / state=running / state=finished returned int
    const f = new ConcurrentFuture<number>();
    expect([f.running(), f.done(), f.cancelled()]).toEqual([false, false, false]);
    expect(String(f)).toMatch(new RegExp(`^<Future at ${ID} state=pending>$`));
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect([f.running(), f.done(), f.cancelled()]).toEqual([true, false, false]);
    expect(repr(f)).toMatch(new RegExp(`^<Future at ${ID} state=running>$`));
    f.setResult(3);
    expect([f.running(), f.done(), f.cancelled()]).toEqual([false, true, false]);
    expect(repr(f)).toMatch(new RegExp(`^<Future at ${ID} state=finished returned int>$`));
    expect(f.result()).toBe(3);
    expect(f.exception()).toBe(undefined);
  });

  it('names the type of the result or the class of the exception in its repr', () => {
    const cases: [unknown, string][] = [[undefined, 'NoneType'], ['s', 'str'], [1.5, 'float'], [true, 'bool']];
    for (const [value, type] of cases) {
      const f = new ConcurrentFuture();
      f.setResult(value);
      expect(repr(f)).toMatch(new RegExp(`^<Future at ${ID} state=finished returned ${type}>$`));
    }
    const g = new ConcurrentFuture();
    g.setException(new ValueError('x'));
    expect(repr(g)).toMatch(new RegExp(`^<Future at ${ID} state=finished raised ValueError>$`));
  });

  it('cancels only while pending; cancelling again answers true', () => {
    const pending = new ConcurrentFuture();
    expect(pending.cancel()).toBe(true);
    expect([pending.cancelled(), pending.done(), pending.running()]).toEqual([true, true, false]);
    expect(pending.cancel()).toBe(true);
    expect(repr(pending)).toMatch(new RegExp(`^<Future at ${ID} state=cancelled>$`));
    const running = new ConcurrentFuture();
    running.setRunningOrNotifyCancel();
    expect(running.cancel()).toBe(false);
    expect(running.cancelled()).toBe(false);
    const finished = new ConcurrentFuture();
    finished.setResult(1);
    expect(finished.cancel()).toBe(false);
    expect(finished.result()).toBe(1);
  });

  it('reports a cancelled future to setRunningOrNotifyCancel once, then refuses it', () => {
    const f = new ConcurrentFuture();
    f.cancel();
    expect(f.setRunningOrNotifyCancel()).toBe(false);
    expect(repr(f)).toMatch(new RegExp(`^<Future at ${ID} state=cancelled>$`));
    const records = captureLogs('concurrent.futures', () => {
      expect(() => f.setRunningOrNotifyCancel()).toThrow(RuntimeError);
      expect(() => f.setRunningOrNotifyCancel()).toThrow(/^Future in unexpected state$/);
      const done = new ConcurrentFuture();
      done.setResult(1);
      expect(() => done.setRunningOrNotifyCancel()).toThrow(/^Future in unexpected state$/);
    });
    expect(records.map((r) => r.text.replace(/Future \S+ in/, 'Future ? in'))).toEqual([
      'CRITICAL Future ? in unexpected state: CANCELLED_AND_NOTIFIED',
      'CRITICAL Future ? in unexpected state: CANCELLED_AND_NOTIFIED',
      'CRITICAL Future ? in unexpected state: FINISHED',
    ]);
  });

  it('logs a CRITICAL record naming the state when setRunningOrNotifyCancel is refused', () => {
    // CPython: LOGGER.critical('Future %s in unexpected state: %s', id(self), self._state)
    // -> 'Future 140154914023344 in unexpected state: FINISHED' (a decimal id)
    const f = new ConcurrentFuture();
    f.setRunningOrNotifyCancel();
    const records = captureLogs('concurrent.futures', () => {
      expect(() => f.setRunningOrNotifyCancel()).toThrow(RuntimeError);
      f.setResult(1);
      expect(() => f.setRunningOrNotifyCancel()).toThrow(RuntimeError);
    });
    expect(records.map((r) => r.text)).toHaveLength(2);
    expect(records[0]!.text).toMatch(/^CRITICAL Future \d+ in unexpected state: RUNNING$/);
    expect(records[1]!.text).toMatch(/^CRITICAL Future \d+ in unexpected state: FINISHED$/);
  });

  it('refuses to be completed twice with InvalidStateError naming the state', () => {
    // CPython: 'FINISHED: <Future at 0x… state=finished returned int>',
    // 'CANCELLED: <Future at 0x… state=cancelled>', 'CANCELLED_AND_NOTIFIED: <Future at 0x… state=cancelled>'
    const finished = new ConcurrentFuture();
    finished.setResult(3);
    expect(() => finished.setResult(4)).toThrow(InvalidStateError);
    expect(() => finished.setResult(4)).toThrow(new RegExp(`^FINISHED: <Future at ${ID} state=finished returned int>$`));
    expect(() => finished.setException(new Error('e'))).toThrow(new RegExp(`^FINISHED: <Future at ${ID} state=finished returned int>$`));
    const cancelled = new ConcurrentFuture();
    cancelled.cancel();
    expect(() => cancelled.setException(new ValueError())).toThrow(new RegExp(`^CANCELLED: <Future at ${ID} state=cancelled>$`));
    cancelled.setRunningOrNotifyCancel();
    expect(() => cancelled.setResult(1)).toThrow(new RegExp(`^CANCELLED_AND_NOTIFIED: <Future at ${ID} state=cancelled>$`));
    expect(finished.result()).toBe(3);
  });

  it('runs its callbacks at once, in order, in the completing thread', () => {
    const f = new ConcurrentFuture<number>();
    const seen: unknown[] = [];
    f.addDoneCallback((fut) => seen.push(['cb1', threading.currentThread().name, fut === f]));
    f.addDoneCallback(() => seen.push(['cb2', threading.currentThread().name]));
    const setter = new threading.Thread({ name: 'setter', target: () => f.setResult(1) });
    setter.start();
    expect(seen).toEqual([]);
    setter.join();
    expect(seen).toEqual([['cb1', 'setter', true], ['cb2', 'setter']]);
    f.addDoneCallback(() => seen.push(['late', threading.currentThread().name]));
    expect(seen.at(-1)).toEqual(['late', 'MainThread']);
  });

  it('runs callbacks on cancel() too', () => {
    const f = new ConcurrentFuture();
    const seen: boolean[] = [];
    f.addDoneCallback((fut) => seen.push(fut.cancelled()));
    f.cancel();
    f.cancel();
    expect(seen).toEqual([true]);
  });

  it('logs a failing callback with its exception and goes on with the next', () => {
    // CPython: LOGGER.exception('exception calling callback for %r', self) on 'concurrent.futures'
    const f = new ConcurrentFuture();
    const seen: string[] = [];
    const boom = new ValueError('bad cb');
    f.addDoneCallback(() => {
      throw boom;
    });
    f.addDoneCallback(() => seen.push('next'));
    const records = captureLogs('concurrent.futures', () => {
      f.setResult(1);
      f.addDoneCallback(() => {
        throw boom;
      });
    });
    expect(seen).toEqual(['next']);
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.text).toMatch(new RegExp(`^ERROR exception calling callback for <Future at ${ID} state=finished returned int>$`));
      expect(r.excInfo).toBe(boom);
    }
  });

  it('logs a callback that throws undefined with a TypeError, and names the type of a value that is not an Error in its repr', () => {
    // docs/divergences.md, "Thrown values"
    const f = new ConcurrentFuture();
    f.addDoneCallback(() => {
      throw undefined;
    });
    const records = captureLogs('concurrent.futures', () => f.setException('text'));
    expect(records).toHaveLength(1);
    expect(records[0]!.text).toMatch(new RegExp(`^ERROR exception calling callback for <Future at ${ID} state=finished raised str>$`));
    expect(records[0]!.excInfo).toBeInstanceOf(TypeError);
    expect((records[0]!.excInfo as Error).message).toMatch(/^exceptions must derive from BaseException$/);
  });

  it('throws the exception it holds from result() and returns it from exception()', () => {
    const f = new ConcurrentFuture();
    const e = new ValueError('x');
    f.setException(e);
    expect(f.exception()).toBe(e);
    let thrown: unknown;
    try {
      f.result();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBe(e);
  });

  it('throws concurrent.futures.CancelledError, an ordinary exception, once cancelled', () => {
    // CPython: concurrent.futures.CancelledError is an Exception, distinct from asyncio.CancelledError
    const f = new ConcurrentFuture();
    f.cancel();
    for (const call of [() => f.result(), () => f.exception(), () => f.result(0)]) {
      let thrown: unknown;
      try {
        call();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConcurrentCancelledError);
      expect((thrown as Error).constructor.name).toBe('CancelledError');
      expect(repr(thrown)).toBe('CancelledError()');
      expect(thrown).not.toBeInstanceOf(CancelledError);
      expect(isException(thrown)).toBe(true);
    }
  });

  it('blocks result(timeout) and exception(timeout) for that long, then throws TimeoutError', () => {
    const f = new ConcurrentFuture();
    expect(() => f.result(1.5)).toThrow(TimeoutError);
    expect(world.now).toBe(1.5);
    expect(() => f.exception(0.5)).toThrow(TimeoutError);
    expect(world.now).toBe(2);
    let thrown: unknown;
    try {
      f.result(0);
    } catch (e) {
      thrown = e;
    }
    expect(repr(thrown)).toBe('TimeoutError()');
    expect(world.now).toBe(2);
  });

  it('refuses a timeout that is not a number while it would wait, as Condition.wait does', () => {
    // f = concurrent.futures.Future(); f.result('1') -> TypeError; once done, f.result('1') returns
    const f = new ConcurrentFuture<number>();
    expect(() => f.result('1' as never)).toThrow(TypeError);
    expect(() => f.result('1' as never)).toThrow(/^'>' not supported between instances of 'str' and 'int'$/);
    expect(() => f.exception(null as never)).toThrow(StalledError);
    expect(() => f.exception([1] as never)).toThrow(/^'>' not supported between instances of 'list' and 'int'$/);
    expect(world.now).toBe(0);
    f.setResult(3);
    expect(f.result('1' as never)).toBe(3);
  });

  it('returns from result(timeout) as soon as another thread completes it', () => {
    const f = new ConcurrentFuture<string>();
    new threading.Thread({
      target: function* setter(): Generator<unknown, void, unknown> {
        yield* blockingSleep(1);
        f.setResult('v');
      },
    }).start();
    expect(f.result(5)).toBe('v');
    expect(world.now).toBe(1);
    expect(f.exception(5)).toBe(undefined);
    expect(world.now).toBe(1);
  });

  it('throws StalledError when the main thread waits for a future nothing can complete', () => {
    const f = new ConcurrentFuture();
    expect(() => f.result()).toThrow(StalledError);
    expect(() => f.result()).toThrow(new RegExp(`^MainThread waits for <Future at ${ID} state=pending> to be done, and nothing can ever make that happen`));
  });

  it('gives a generator thread its result through yield* fut, completed by the loop', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const f = new ConcurrentFuture<number>();
      const t = new threading.Thread({
        target: function* waiter(): Generator<unknown, void, unknown> {
          yield* f.wait(0.5);
          log(`after wait(0.5) done=${f.done()}`);
          const v = yield* f;
          log(`got ${v}`);
        },
      });
      t.start();
      loop.callLater(1, () => {
        log('setResult');
        f.setResult(42);
      });
      yield* sleep(2);
      log(`alive ${t.isAlive()}`);
    });
    expect(trace).toEqual([
      [0.5, 'after wait(0.5) done=false'],
      [1, 'setResult'],
      [1, 'got 42'],
      [2, 'alive false'],
      ['return', 'None'],
    ]);
  });

  it('throws the exception of a failed future from yield* fut', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const f = new ConcurrentFuture<number>();
      new threading.Thread({
        target: function* waiter(): Generator<unknown, void, unknown> {
          try {
            yield* f;
          } catch (e) {
            log(`caught ${repr(e)}`);
          }
        },
      }).start();
      loop.callLater(1, () => f.setException(new ValueError('v')));
      yield* sleep(2);
    });
    expect(trace).toEqual([[1, "caught ValueError('v')"], ['return', 'None']]);
  });

  it('does not hold the loop while an atomic thread body waits in result(timeout)', () => {
    // CPython 3.13.0: a worker blocking in fut.result(1.5) leaves the loop's timers on time.
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const f = new ConcurrentFuture();
      const t = new threading.Thread({
        target: function waiter() {
          try {
            f.result(1.5);
          } catch (e) {
            log(`waiter ${repr(e)}`);
          }
          loop.callSoonThreadsafe(log, 'waiter threadsafe');
        },
      });
      t.start();
      loop.callLater(0.25, log, 'timer 0.25');
      loop.callLater(1, log, 'timer 1');
      yield* sleep(3);
    });
    expect(trace).toEqual([
      [0.25, 'timer 0.25'],
      [1, 'timer 1'],
      [1.5, 'waiter TimeoutError()'],
      [1.5, 'waiter threadsafe'],
      ['return', 'None'],
    ]);
  });
});
