// Future: the state machine, cancel messages, done callbacks, awaiting and misuse.
// Every expected value below is what the equivalent Python program printed on
// CPython 3.13.2 (C `_asyncio.Future`); the Python lines are quoted next to the checks.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, EventLoop, Future, InvalidStateError, KeyboardInterrupt, RuntimeError, StopIteration, ValueError,
  isFuture, repr, setEventLoop, type Coro,
} from '../../src/index.js';
import { captureAsyncioLogs, normaliseSites, thrown } from '../_support/capture.js';

type Trace = unknown[][];

// Futures are iterable (`yield*`), so vitest's deep equality would iterate (await) one:
// compare futures with toBe / ===, never inside toEqual.

/** Assert that `fn` throws an instance of `cls` whose message matches `message`; return it. */
function expectError<E extends Error>(fn: () => unknown, cls: abstract new (...args: never[]) => E, message: RegExp): E {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  expect((e as Error).message).toMatch(message);
  return e as E;
}

/** A `[time, ...event]` recorder on `loop`. */
function recorder(loop: EventLoop): { trace: Trace; log: (...event: unknown[]) => void } {
  const trace: Trace = [];
  return { trace, log: (...event) => trace.push([loop.time(), ...event]) };
}

/** `tick(0)` logs one tick per loop iteration (each reschedules the next with callSoon) up to `last`. */
function ticker(loop: EventLoop, log: (...event: unknown[]) => void, last = 3): (n: number) => void {
  const tick = (n: number): void => {
    log('tick', n);
    if (n < last) loop.callSoon(tick, n + 1);
  };
  return tick;
}

/** Python: `loop.call_later(1, loop.stop); loop.run_forever()`. */
function runOneSecond(loop: EventLoop): void {
  loop.callLater(1, () => loop.stop());
  loop.runForever();
}

describe('Future', () => {
  describe('state machine', () => {
    it('starts pending and refuses result() and exception() with InvalidStateError', () => {
      const fut = new EventLoop().createFuture();
      expect([fut.done(), fut.cancelled()]).toEqual([false, false]);
      expectError(() => fut.result(), InvalidStateError, /^Result is not set\.$/);
      expectError(() => fut.exception(), InvalidStateError, /^Exception is not set\.$/);
    });

    it('finishes with a result that result() returns and exception() reports as None', () => {
      const fut = new EventLoop().createFuture<number>();
      fut.setResult(4);
      expect([fut.done(), fut.cancelled(), fut.result(), fut.exception()]).toEqual([true, false, 4, undefined]);
    });

    it('refuses a second setResult or setException with InvalidStateError and keeps the result', () => {
      const fut = new EventLoop().createFuture<number>();
      fut.setResult(4);
      expectError(() => fut.setResult(5), InvalidStateError, /^invalid state$/);
      expectError(() => fut.setException(new ValueError()), InvalidStateError, /^invalid state$/);
      expect(fut.cancel()).toBe(false);
      expect(fut.result()).toBe(4);
    });

    it('cancels a pending future once: result() and exception() then raise CancelledError', () => {
      const fut = new EventLoop().createFuture();
      expect(fut.cancel()).toBe(true);
      expect([fut.done(), fut.cancelled()]).toEqual([true, true]);
      expect(expectError(() => fut.result(), CancelledError, /^$/).args).toEqual([]);
      expect(expectError(() => fut.exception(), CancelledError, /^$/).args).toEqual([]);
      expect(fut.cancel()).toBe(false);
      expectError(() => fut.setResult(1), InvalidStateError, /^invalid state$/);
      expectError(() => fut.setException(new ValueError()), InvalidStateError, /^invalid state$/);
    });

    it('stores an exception that exception() returns and result() throws, as the same object', () => {
      const fut = new EventLoop().createFuture();
      const err = new RuntimeError('boom');
      fut.setException(err);
      expect([fut.done(), fut.cancelled()]).toEqual([true, false]);
      expect(fut.exception()).toBe(err);
      expect(thrown(() => fut.result())).toBe(err);
      expectError(() => fut.setResult(1), InvalidStateError, /^invalid state$/);
    });

    it('instantiates an exception class passed to setException', () => {
      const fut = new EventLoop().createFuture();
      fut.setException(RuntimeError);
      const exc = fut.exception();
      expect(exc).toBeInstanceOf(RuntimeError);
      expect((exc as RuntimeError).args).toEqual([]);
    });

    it('accepts a BaseException such as KeyboardInterrupt', () => {
      // b.set_exception(KeyboardInterrupt()); repr(b.exception()) == 'KeyboardInterrupt()'
      const fut = new EventLoop().createFuture();
      fut.setException(new KeyboardInterrupt());
      expect(repr(fut.exception())).toBe('KeyboardInterrupt()');
    });

    it('refuses anything that is not an exception with TypeError and stays pending', () => {
      class NotAnError {}
      const fut = new EventLoop().createFuture();
      for (const value of [42, undefined, 'x', NotAnError]) {
        expectError(() => fut.setException(value), TypeError, /^invalid exception object$/);
      }
      expect(fut.done()).toBe(false);
    });

    it('stores a StopIteration instance as a RuntimeError caused by it', () => {
      const fut = new EventLoop().createFuture();
      const stop = new StopIteration('v');
      fut.setException(stop);
      const exc = fut.exception() as RuntimeError;
      expect(exc).toBeInstanceOf(RuntimeError);
      expect(exc.args).toEqual(['StopIteration interacts badly with generators and cannot be raised into a Future']);
      expect(exc.cause).toBe(stop);
      expect(fut.done()).toBe(true);
    });

    it('stores the StopIteration class as a RuntimeError caused by a StopIteration instance', () => {
      // s2.set_exception(StopIteration); x = s2.exception()
      // -> RuntimeError, repr(x.__cause__) == 'StopIteration()'
      const fut = new EventLoop().createFuture();
      fut.setException(StopIteration);
      const exc = fut.exception() as RuntimeError;
      expect(exc).toBeInstanceOf(RuntimeError);
      expect(exc.message).toMatch(/^StopIteration interacts badly with generators and cannot be raised into a Future$/);
      expect(exc.cause).toBeInstanceOf(StopIteration);
      expect(repr(exc.cause)).toBe('StopIteration()');
    });
  });

  describe('cancel(msg)', () => {
    it('gives the message to the CancelledError of result() and exception(), a new one each time', () => {
      const fut = new EventLoop().createFuture();
      expect(fut.cancel('my message')).toBe(true);
      const first = expectError(() => fut.result(), CancelledError, /^my message$/);
      const second = expectError(() => fut.exception(), CancelledError, /^my message$/);
      expect([first.args, second.args]).toEqual([['my message'], ['my message']]);
      expect(first).not.toBe(second);
    });

    it('keeps a message that is not a string as the only argument', () => {
      const fut = new EventLoop().createFuture();
      fut.cancel(42);
      expect(expectError(() => fut.exception(), CancelledError, /^42$/).args).toEqual([42]);
    });

    it('throws the message into a coroutine awaiting the future, and the task ends cancelled with it', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture();
      function* main(): Coro<void> {
        try {
          yield* fut;
        } catch (e) {
          if (e instanceof CancelledError) log('cancelled', e.args);
          throw e;
        }
      }
      const task = loop.createTask(main());
      loop.callLater(1, () => fut.cancel('bye'));
      const outer = expectError(() => loop.runUntilComplete(task), CancelledError, /^bye$/);
      log('outer', outer.args, task.cancelled());
      expect(trace).toEqual([
        [1, 'cancelled', ['bye']],
        [1, 'outer', ['bye'], true],
      ]);
    });
  });

  describe('done callbacks', () => {
    it('are scheduled with callSoon, in registration order, where the future completes', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const tick = ticker(loop, log);
      const fut = loop.createFuture<number>();
      fut.addDoneCallback((f) => log('cb1', f === fut, f.result()));
      fut.addDoneCallback((f) => log('cb2', f.result()));
      loop.callSoon(tick, 0);
      loop.callSoon(() => {
        log('a');
        loop.callSoon(() => log('b'));
        fut.setResult(7);
        log('after set_result');
        loop.callSoon(() => log('c'));
      });
      loop.callSoon(() => log('d'));
      runOneSecond(loop);
      expect(trace).toEqual([
        [0, 'tick', 0], [0, 'a'], [0, 'after set_result'], [0, 'd'],
        [0, 'tick', 1], [0, 'b'], [0, 'cb1', true, 7], [0, 'cb2', 7], [0, 'c'],
        [0, 'tick', 2],
        [0, 'tick', 3],
      ]);
    });

    it('are scheduled with callSoon at once when added to a done future', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture<number>();
      fut.setResult(1);
      loop.callSoon(ticker(loop, log), 0);
      fut.addDoneCallback((f) => log('late', f.result()));
      loop.callSoon(() => log('e'));
      log('added');
      runOneSecond(loop);
      expect(trace).toEqual([
        [0, 'added'], [0, 'tick', 0], [0, 'late', 1], [0, 'e'], [0, 'tick', 1], [0, 'tick', 2], [0, 'tick', 3],
      ]);
    });

    it('run after setException and after cancel too', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const f1 = loop.createFuture();
      const f2 = loop.createFuture();
      f1.addDoneCallback((f) => log('f1', repr(f.exception())));
      f2.addDoneCallback((f) => log('f2', f.cancelled()));
      f1.setException(new ValueError('v'));
      f2.cancel();
      runOneSecond(loop);
      expect(trace).toEqual([[0, 'f1', "ValueError('v')"], [0, 'f2', true]]);
    });

    it('run once per registration when the same callback is added twice', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture();
      const x = (): void => log('x');
      fut.addDoneCallback(x);
      fut.addDoneCallback(x);
      fut.setResult(undefined);
      runOneSecond(loop);
      expect(trace).toEqual([[0, 'x'], [0, 'x']]);
    });

    it('are removed by removeDoneCallback, every registration at once, which returns the count', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture();
      const x = (): void => log('x');
      const y = (): void => log('y');
      fut.addDoneCallback(x);
      fut.addDoneCallback(y);
      fut.addDoneCallback(x);
      fut.addDoneCallback(x);
      log('removed', fut.removeDoneCallback(x));
      log('removed again', fut.removeDoneCallback(x));
      log('removed y', fut.removeDoneCallback(y));
      log('none', fut.removeDoneCallback(y));
      fut.addDoneCallback(y);
      fut.addDoneCallback(x);
      fut.setResult(undefined);
      log('after done', fut.removeDoneCallback(x));
      runOneSecond(loop);
      expect(trace).toEqual([
        [0, 'removed', 3], [0, 'removed again', 0], [0, 'removed y', 1], [0, 'none', 0], [0, 'after done', 0],
        [0, 'y'], [0, 'x'],
      ]);
    });

    it('can no longer be removed by a running callback, and one it adds runs an iteration later', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture();
      const q = (): void => log('q');
      const r = (): void => log('r');
      const p = (f: Future<unknown>): void => {
        log('p', f.removeDoneCallback(q));
        f.addDoneCallback(r);
        log('p end');
      };
      fut.addDoneCallback(p);
      fut.addDoneCallback(q);
      loop.callSoon(ticker(loop, log), 0);
      loop.callSoon(() => fut.setResult(0));
      runOneSecond(loop);
      expect(trace).toEqual([
        [0, 'tick', 0],
        [0, 'tick', 1], [0, 'p', 0], [0, 'p end'], [0, 'q'],
        [0, 'tick', 2], [0, 'r'],
        [0, 'tick', 3],
      ]);
    });

    it('that raise are reported to the exception handler and do not stop the next ones', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture<number>();
      function bad(): void {
        throw new ValueError('in callback');
      }
      fut.addDoneCallback(bad);
      fut.addDoneCallback((f) => log('good ran', f.result()));
      fut.setResult(1);
      const records = captureAsyncioLogs(() => {
        loop.callSoon(() => loop.stop());
        loop.runForever();
      });
      expect(trace).toEqual([[0, 'good ran', 1]]);
      expect(records.map((r) => [r.levelname, normaliseSites(r.getMessage()), repr(r.excInfo)])).toEqual([
        ['ERROR', 'Exception in callback bad() at F:L\nhandle: <Handle bad() at F:L>', "ValueError('in callback')"],
      ]);
    });
  });

  describe('getLoop', () => {
    it('returns the loop the future was created on', () => {
      const loop = new EventLoop();
      const other = new EventLoop();
      expect(loop.createFuture().getLoop()).toBe(loop);
      expect(new Future({ loop: other }).getLoop()).toBe(other);
    });

    it('returns the current event loop for a future created without one', () => {
      const loop = new EventLoop();
      setEventLoop(loop);
      try {
        expect(new Future().getLoop()).toBe(loop);
      } finally {
        setEventLoop(undefined);
      }
    });
  });

  describe('isFuture', () => {
    it('recognises futures, tasks, subclasses and objects advertising _asyncioFutureBlocking', () => {
      const loop = new EventLoop();
      class MyFut extends Future {}
      class Duck {
        _asyncioFutureBlocking = false;
      }
      class NoneDuck {
        _asyncioFutureBlocking = undefined;
      }
      function* co(): Coro<void> {}
      const coro = co();
      const task = loop.createTask(co());
      const verdicts = [
        loop.createFuture(), task, new MyFut({ loop }), new Duck(), new NoneDuck(), Future, coro, undefined, 1, {},
      ].map((x) => isFuture(x));
      loop.runUntilComplete(task);
      expect(verdicts).toEqual([true, true, true, true, false, false, false, false, false, false]);
    });
  });

  describe('yield* future', () => {
    it('suspends until the result is set and evaluates to it', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture<number>();
      function* main(): Coro<number> {
        log('main start');
        const v = yield* fut;
        log('main got', v);
        return v * 2;
      }
      loop.callLater(1.5, () => fut.setResult(21));
      expect(loop.runUntilComplete(main())).toBe(42);
      expect(trace).toEqual([[0, 'main start'], [1.5, 'main got', 21]]);
    });

    it('throws the exception that was set, as the same object', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture();
      const err = new ValueError('bad');
      function* main(): Coro<void> {
        try {
          yield* fut;
        } catch (e) {
          log('caught', repr(e), e === err);
        }
      }
      loop.callLater(2, () => fut.setException(err));
      loop.runUntilComplete(main());
      expect(trace).toEqual([[2, 'caught', "ValueError('bad')", true]]);
    });

    it('does not suspend on a future that is already done', () => {
      const loop = new EventLoop();
      const { trace, log } = recorder(loop);
      const fut = loop.createFuture<string>();
      fut.setResult('x');
      function* main(): Coro<void> {
        loop.callSoon(ticker(loop, log), 0);
        log('before');
        log('after', yield* fut);
        yield; // Python: await asyncio.sleep(0)
        log('after sleep');
      }
      loop.runUntilComplete(main());
      expect(trace).toEqual([[0, 'before'], [0, 'after', 'x'], [0, 'tick', 0], [0, 'after sleep'], [0, 'tick', 1]]);
    });

    it("raises RuntimeError when resumed again without a task taking the future", () => {
      // it = fut.__await__(); it.send(None) is fut; it.send(None) -> RuntimeError
      const loop = new EventLoop();
      const fut = loop.createFuture();
      const it = fut[Symbol.iterator]();
      const first = it.next();
      expect([first.done, first.value === fut]).toEqual([false, true]);
      expectError(() => it.next(), RuntimeError, /^await wasn't used with future$/);
    });

    it('raises the same RuntimeError out of a coroutine driven by hand', () => {
      // c = drive(); c.send(None) is fut; c.send(None) -> RuntimeError
      const loop = new EventLoop();
      const fut = loop.createFuture();
      function* drive(): Coro<unknown> {
        return yield* fut;
      }
      const c = drive();
      const first = c.next();
      expect([first.done, first.value === fut]).toEqual([false, true]);
      expectError(() => c.next(), RuntimeError, /^await wasn't used with future$/);
    });

    it('returns the result when resumed after the future completed', () => {
      // it.send(None); fut2.set_result(3); it.send(None) -> StopIteration(3)
      const loop = new EventLoop();
      const fut = loop.createFuture<number>();
      const it = fut[Symbol.iterator]();
      it.next();
      fut.setResult(3);
      expect(it.next()).toEqual({ done: true, value: 3 });
    });
  });

  describe('on a closed loop', () => {
    it('can be created and completed when no callback is registered', () => {
      const loop = new EventLoop();
      loop.close();
      const fut = loop.createFuture<number>();
      expect(String(fut)).toBe('<Future pending>');
      fut.setResult(2);
      expect(String(fut)).toBe('<Future finished result=2>');
    });

    it('raises "Event loop is closed" from setResult with callbacks, yet finishes and drops them', () => {
      const loop = new EventLoop();
      loop.close();
      const fut = loop.createFuture<number>();
      fut.addDoneCallback(() => {});
      fut.addDoneCallback(() => {});
      expectError(() => fut.setResult(1), RuntimeError, /^Event loop is closed$/);
      expect([fut.done(), String(fut), fut.result()]).toEqual([true, '<Future finished result=1>', 1]);
    });

    it('raises "Event loop is closed" from setException and cancel with callbacks, after completing', () => {
      const loop = new EventLoop();
      loop.close();
      const failed = loop.createFuture();
      failed.addDoneCallback(() => {});
      expectError(() => failed.setException(new ValueError('v')), RuntimeError, /^Event loop is closed$/);
      expect(String(failed)).toBe("<Future finished exception=ValueError('v')>");
      expect(repr(failed.exception())).toBe("ValueError('v')");
      const cancelled = loop.createFuture();
      cancelled.addDoneCallback(() => {});
      expectError(() => cancelled.cancel('m'), RuntimeError, /^Event loop is closed$/);
      expect([String(cancelled), cancelled.cancelled()]).toEqual(['<Future cancelled>', true]);
      expect(expectError(() => cancelled.exception(), CancelledError, /^m$/).args).toEqual(['m']);
    });

    it('raises "Event loop is closed" from addDoneCallback on a done future', () => {
      const loop = new EventLoop();
      loop.close();
      const fut = loop.createFuture<number>();
      fut.setResult(2);
      expectError(() => fut.addDoneCallback(() => {}), RuntimeError, /^Event loop is closed$/);
      expect(String(fut)).toBe('<Future finished result=2>');
    });
  });
});
