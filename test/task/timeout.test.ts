// timeout() / timeoutAt() / Timeout: CancelledError turned into TimeoutError, nested
// deadlines, reschedule, expired(), when(), reprs, the RuntimeErrors, bodies that swallow
// the cancellation or raise something else, deadlines in the past, and the cancelling()
// snapshot. Every expectation is CPython 3.13.2's output for the equivalent Python
// program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, createTask, currentTask, ExceptionGroup, repr, RuntimeError, sleep, TaskGroup, timeout, timeoutAt,
  ValueError, type Coro, type Task, type Timeout,
} from '../../src/index.js';
import { asCancelled, asTimeout, ctx, KeyError, py, withCtx } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';

// Python: repr(e), then repr(e.__cause__) for each link of the __context__ chain.
function chain(e: unknown): string[] {
  const out: string[] = [];
  for (let x = e; x !== undefined && x !== null; x = ctx(x)) out.push(`${repr(x)} cause=${repr((x as Error).cause)}`);
  return out;
}

function cancelling(): number {
  return (currentTask() as Task<unknown>).cancelling();
}

describe('timeout', () => {
  it('turns the cancellation at the deadline into TimeoutError caused by the CancelledError', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cm = timeout(0.5);
      log(`${repr(cm)} when=${cm.when()}`);
      try {
        yield* asyncWith(cm, function* (v) {
          log(`same=${py(v === cm)} ${repr(cm)}`);
          try {
            yield* sleep(10);
          } catch (e) {
            log(`body caught ${repr(asCancelled(e))} ${repr(cm)} expired=${py(cm.expired())}`);
            throw e;
          }
        });
      } catch (e) {
        const te = asTimeout(e);
        log(`raised ${repr(te)} cause=${repr(te.cause)} ctx_is_cause=${py(ctx(te) === te.cause)}`);
      }
      log(`${repr(cm)} expired=${py(cm.expired())} when=${cm.when()} cancelling=${cancelling()}`);
    });
    expect(trace).toEqual([
      [0, '<Timeout [created]> when=0.5'], [0, 'same=True <Timeout [active] when=0.5>'],
      [0.5, 'body caught CancelledError() <Timeout [expiring]> expired=True'],
      [0.5, 'raised TimeoutError() cause=CancelledError() ctx_is_cause=True'],
      [0.5, '<Timeout [expired]> expired=True when=0.5 cancelling=0'], ['return', 'None'],
    ]);
  });

  it('finishes without expiring when the body completes in time, and reprs each state', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cm = timeout(5);
      yield* asyncWith(cm, function* () {
        yield* sleep(1);
      });
      const timers = loop._scheduled.filter((h) => !h.cancelled()).map((h) => h.when());
      log(`${repr(cm)} expired=${py(cm.expired())} when=${cm.when()} timers=${repr(timers)}`);
      const cm2 = timeout(undefined);
      yield* asyncWith(cm2, function* () {
        log(`${repr(cm2)} when=${repr(cm2.when())}`);
        yield* sleep(1);
      });
      log(repr(cm2));
      const cm3 = timeoutAt(7.25);
      log(`${repr(cm3)} when=${cm3.when()}`);
      const cm4 = timeout(1.23456);
      yield* asyncWith(cm4, function* () {
        log(`${repr(cm4)} when=${cm4.when()}`);
      });
      const cm5 = timeoutAt(undefined);
      yield* asyncWith(cm5, function* () {
        log(repr(cm5));
      });
    });
    expect(trace).toEqual([
      [1, '<Timeout [finished]> expired=False when=5 timers=[]'], [1, '<Timeout [active] when=None> when=None'],
      [2, '<Timeout [finished]>'], [2, '<Timeout [created]> when=7.25'],
      [2, '<Timeout [active] when=3.235> when=3.23456'], [2, '<Timeout [active] when=None>'], ['return', 'None'],
    ]);
  });

  it('reschedules the deadline later, off, and into the past (fires on the next iteration)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      let cm: Timeout | undefined;
      try {
        yield* asyncWith(timeout(1), function* (c) {
          cm = c;
          c.reschedule(loop.time() + 3);
          log(repr(c));
          yield* sleep(2);
          log('still running at 2');
          c.reschedule(undefined);
          log(repr(c));
          yield* sleep(5);
          log('still running at 7');
          c.reschedule(loop.time() + 0.5);
          yield* sleep(5);
        });
      } catch (e) {
        asTimeout(e);
        log(`timeout ${repr(cm)}`);
      }
      try {
        yield* asyncWith(timeout(10), function* (c) {
          cm = c;
          ticker(loop, log, 3);
          c.reschedule(loop.time() - 1);
          log(repr(c));
          yield;
          log('not reached');
        });
      } catch (e) {
        asTimeout(e);
        log(`timeout ${repr(cm)}`);
      }
    });
    expect(trace).toEqual([
      [0, '<Timeout [active] when=3.0>'], [2, 'still running at 2'], [2, '<Timeout [active] when=None>'],
      [7, 'still running at 7'], [7.5, 'timeout <Timeout [expired]>'], [7.5, '<Timeout [active] when=6.5>'],
      [7.5, 'tick 0'], [7.5, 'timeout <Timeout [expired]>'], [7.5, 'tick 1'], ['return', 'None'],
    ]);
  });

  it('raises RuntimeError for reschedule out of the active state, re-entry and use outside a task', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cm = timeout(1);
      const tryIt = (what: string, f: () => unknown): void => {
        try {
          f();
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`${what}: ${repr(e)}`);
        }
      };
      tryIt('reschedule before enter', () => cm.reschedule(2));
      yield* asyncWith(cm, function* () {});
      tryIt('after exit', () => cm.reschedule(5));
      try {
        yield* asyncWith(cm, function* () {});
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        log(`enter again: ${repr(e)}`);
      }
      const cm2 = timeout(0.1);
      try {
        yield* asyncWith(cm2, function* () {
          try {
            yield* sleep(1);
          } catch (e) {
            asCancelled(e);
            tryIt('while expiring', () => cm2.reschedule(5));
            throw e;
          }
        });
      } catch (e) {
        asTimeout(e);
      }
      tryIt('after expiry', () => cm2.reschedule(5));
      const cm3 = timeout(1);
      const fut = loop.createFuture();
      loop.callSoon(() => {
        try {
          cm3.aenter().next();
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`outside a task: ${repr(e)} ${repr(cm3)}`);
        }
        fut.setResult(undefined);
      });
      yield* fut;
    });
    expect(trace).toEqual([
      [0, "reschedule before enter: RuntimeError('Timeout has not been entered')"],
      [0, "after exit: RuntimeError('Cannot change state of finished Timeout')"],
      [0, "enter again: RuntimeError('Timeout has already been entered')"],
      [0.1, "while expiring: RuntimeError('Cannot change state of expiring Timeout')"],
      [0.1, "after expiry: RuntimeError('Cannot change state of expired Timeout')"],
      [0.1, "outside a task: RuntimeError('Timeout should be used inside a task') <Timeout [created]>"],
      ['return', 'None'],
    ]);
  });

  it('raises the errors as RuntimeError with exactly these messages', () => {
    const trace = runScenario(function* main(): Coro<void> {
      const cm = timeout(1);
      expect(() => cm.reschedule(1)).toThrow(RuntimeError);
      expect(() => cm.reschedule(1)).toThrow(/^Timeout has not been entered$/);
      yield* asyncWith(cm, function* () {});
      expect(() => cm.reschedule(1)).toThrow(/^Cannot change state of finished Timeout$/);
    });
    expect(trace).toEqual([['return', 'None']]);
  });

  it('lets the innermost expired timeout raise; with equal deadlines only the outer one does', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      let inner: Timeout | undefined;
      const outer1 = timeout(1);
      yield* asyncWith(outer1, function* () {
        try {
          yield* asyncWith(timeout(0.5), function* (c) {
            inner = c;
            yield* sleep(10);
          });
        } catch (e) {
          asTimeout(e);
          log(`inner timeout ${repr(inner)} ${repr(outer1)}`);
        }
        yield* sleep(0.2);
      });
      log(`outer ${repr(outer1)}`);
      for (const [outerDelay, innerDelay] of [[1, 2], [0.5, 0.5]] as const) {
        const outer = timeout(outerDelay);
        try {
          yield* asyncWith(outer, function* () {
            try {
              yield* asyncWith(timeout(innerDelay), function* (c) {
                inner = c;
                yield* sleep(10);
              });
            } catch (e) {
              log(`inner block raised ${repr(asCancelled(e))} ${repr(inner)} expired=${py(inner!.expired())}`);
              throw e;
            }
          });
        } catch (e) {
          asTimeout(e);
          log(`outer timeout ${repr(outer)} expired=${py(outer.expired())} cancelling=${cancelling()}`);
        }
      }
    });
    expect(trace).toEqual([
      [0.5, 'inner timeout <Timeout [expired]> <Timeout [active] when=1.0>'], [0.7, 'outer <Timeout [finished]>'],
      [1.7, 'inner block raised CancelledError() <Timeout [finished]> expired=False'],
      [1.7, 'outer timeout <Timeout [expired]> expired=True cancelling=0'],
      [2.2, 'inner block raised CancelledError() <Timeout [expired]> expired=True'],
      [2.2, 'outer timeout <Timeout [expired]> expired=True cancelling=0'], ['return', 'None'],
    ]);
  });

  it('raises nothing when the body swallows the CancelledError, and uncancels the task', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const cm = timeout(0.5);
      const r = yield* asyncWith(cm, function* () {
        try {
          yield* sleep(10);
        } catch (e) {
          asCancelled(e);
          log('swallowed');
        }
        return 'body value';
      });
      log(`after ${repr(cm)} expired=${py(cm.expired())} cancelling=${cancelling()} r=${repr(r)}`);
      yield* sleep(1);
      log('still running');
    });
    expect(trace).toEqual([
      [0.5, 'swallowed'], [0.5, "after <Timeout [expired]> expired=True cancelling=0 r='body value'"],
      [1.5, 'still running'], ['return', 'None'],
    ]);
  });

  it('lets another exception through, inserting a TimeoutError into its context chain (3.13)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(timeout(0.5), function* () {
          try {
            yield* sleep(10);
          } catch (e) {
            throw withCtx(new ValueError('during cleanup'), asCancelled(e));
          }
        });
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        for (const c of chain(e)) log(c);
      }
      try {
        yield* asyncWith(timeout(0.5), function* () {
          try {
            yield* sleep(10);
          } catch (e) {
            throw withCtx(new ExceptionGroup('eg', [new ValueError('k')]), asCancelled(e));
          }
        });
      } catch (e) {
        if (!(e instanceof ExceptionGroup)) throw e;
        for (const c of chain(e)) log(c);
      }
    });
    expect(trace).toEqual([
      [0.5, "ValueError('during cleanup') cause=None"], [0.5, 'TimeoutError() cause=CancelledError()'],
      [0.5, 'CancelledError() cause=None'],
      [1, "ExceptionGroup('eg', [ValueError('k')]) cause=None"], [1, 'TimeoutError() cause=CancelledError()'],
      [1, 'CancelledError() cause=None'], ['return', 'None'],
    ]);
  });

  it('fires a deadline at or before now on the next iteration, interrupting even a bare yield', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      ticker(loop, log, 3);
      yield* sleep(1);
      let cm: Timeout | undefined;
      try {
        yield* asyncWith(timeoutAt(loop.time() - 1), function* (c) {
          cm = c;
          log(repr(c));
          yield;
          log('not reached');
        });
      } catch (e) {
        asTimeout(e);
        log(`timeout ${repr(cm)}`);
      }
      try {
        yield* asyncWith(timeout(0), function* (c) {
          cm = c;
          yield;
        });
      } catch (e) {
        asTimeout(e);
        log(`timeout 0 ${repr(cm)}`);
      }
      yield* asyncWith(timeout(-5), function* (c) {
        cm = c;
        log(repr(c));
        log('body without await completes');
      });
      log(repr(cm));
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'tick 1'], [0, 'tick 2'], [0, 'tick 3'], [1, '<Timeout [active] when=0.0>'],
      [1, 'timeout <Timeout [expired]>'], [1, 'timeout 0 <Timeout [expired]>'], [1, '<Timeout [active] when=-4.0>'],
      [1, 'body without await completes'], [1, '<Timeout [finished]>'], ['return', 'None'],
    ]);
  });

  it('leaves a cancellation from outside a CancelledError, even when the deadline fires with it', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const cms: Timeout[] = [];
      function* worker(): Coro<void> {
        yield* asyncWith(timeout(1), function* (cm) {
          cms.push(cm);
          yield* sleep(10);
        });
      }
      let t = createTask(worker());
      yield* sleep(0.5);
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        log(`worker raised ${repr(asCancelled(e))} ${repr(cms[0])}`);
      }
      t = createTask(worker());
      loop.callAt(loop.time() + 1, () => t.cancel());
      try {
        yield* t;
      } catch (e) {
        log(`worker2 raised ${repr(asCancelled(e))} ${repr(cms[1])} expired=${py(cms[1]!.expired())}`);
      }
    });
    expect(trace).toEqual([
      [0.5, 'worker raised CancelledError() <Timeout [finished]>'],
      [1.5, 'worker2 raised CancelledError() <Timeout [expired]> expired=True'], ['return', 'None'],
    ]);
  });

  it('still fires after a swallowed cancellation, because cancelling() is snapshotted on entry', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* worker(): Coro<string> {
        try {
          yield* sleep(10);
        } catch (e) {
          asCancelled(e);
          log(`swallowed, cancelling=${cancelling()}`);
        } finally {
          try {
            yield* asyncWith(timeout(0.5), function* () {
              yield* sleep(10);
            });
          } catch (e) {
            asTimeout(e);
            log(`timeout still fires, cancelling=${cancelling()}`);
          }
        }
        return 'ok';
      }
      const t = createTask(worker());
      yield* sleep(0.1);
      t.cancel();
      log(`result ${repr(yield* t)}`);
    });
    expect(trace).toEqual([
      [0.1, 'swallowed, cancelling=1'], [0.6, 'timeout still fires, cancelling=1'], [0.6, "result 'ok'"],
      ['return', 'None'],
    ]);
  });

  it("raises CPython's TypeError for a delay or deadline that is not a number", () => {
    // asyncio.timeout('1') / asyncio.timeout([1]) -> TypeError at once;
    // cm = asyncio.timeout_at('1'): `async with cm` raises; cm = asyncio.timeout_at(None):
    // cm.reschedule('2') inside it raises; log(repr(e), cm.when()) for both
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      for (const delay of ['1', [1]]) {
        try {
          timeout(delay as never);
        } catch (e) {
          if (!(e instanceof TypeError)) throw e;
          log(repr(e));
        }
      }
      for (const [when, later] of [['1', undefined], [undefined, '2']] as const) {
        const cm = timeoutAt(when as never);
        try {
          yield* asyncWith(cm, function* () {
            if (later !== undefined) cm.reschedule(later as never);
          });
        } catch (e) {
          if (!(e instanceof TypeError)) throw e;
          log(`${repr(e)} ${String(cm.when())}`);
        }
      }
    });
    expect(trace).toEqual([
      [0, `TypeError("unsupported operand type(s) for +: 'float' and 'str'")`],
      [0, `TypeError("unsupported operand type(s) for +: 'float' and 'list'")`],
      [0, `TypeError("'<=' not supported between instances of 'str' and 'float'") 1`],
      [0, `TypeError("'<=' not supported between instances of 'str' and 'float'") 2`],
      ['return', 'None'],
    ]);
  });

  it('needs a running loop to compute the deadline', () => {
    expect(() => timeout(1)).toThrow(RuntimeError);
    expect(() => timeout(1)).toThrow(/^no running event loop$/);
    expect(repr(timeoutAt(1))).toBe('<Timeout [created]>');
  });

  it("converts a TaskGroup's cancellation, and inserts TimeoutError into its ExceptionGroup and members", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(timeout(0.1), function* () {
          yield* asyncWith(new TaskGroup(), function* (tg) {
            tg.createTask(sleep(10));
            yield* sleep(10);
          });
        });
      } catch (e) {
        const te = asTimeout(e);
        log(`${repr(te)} cause=${repr(te.cause)} cancelling=${cancelling()}`);
      }
      function* bad(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          throw withCtx(new KeyError('k'), asCancelled(e));
        }
      }
      const cm = timeout(0.1);
      try {
        yield* asyncWith(cm, function* () {
          yield* asyncWith(new TaskGroup(), function* (tg) {
            tg.createTask(bad());
            yield* sleep(10);
          });
        });
      } catch (e) {
        if (!(e instanceof ExceptionGroup)) throw e;
        log(`group cancelling=${cancelling()} ${repr(cm)}`);
        for (const c of chain(e)) log(c);
        for (const c of chain(e.exceptions[0])) log(`member ${c}`);
      }
      try {
        yield* sleep(1);
        log('next sleep completes');
      } catch (e) {
        asCancelled(e);
        log('next sleep cancelled');
      }
    });
    expect(trace).toEqual([
      [0.1, 'TimeoutError() cause=CancelledError() cancelling=0'], [0.2, 'group cancelling=0 <Timeout [expired]>'],
      [0.2, "ExceptionGroup('unhandled errors in a TaskGroup', [KeyError('k')]) cause=None"],
      [0.2, 'TimeoutError() cause=CancelledError()'], [0.2, 'CancelledError() cause=None'],
      [0.2, "member KeyError('k') cause=None"], [0.2, 'member TimeoutError() cause=CancelledError()'],
      [0.2, 'member CancelledError() cause=None'], [1.2, 'next sleep completes'], ['return', 'None'],
    ]);
  });

  it('lets a value that is not an Error leave the block as it is (docs/divergences.md, "Thrown values")', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(timeout(1), function* () {
          yield* sleep(0.5);
          throw 'block text';
        });
      } catch (e) {
        log(`raised ${repr(e)}`);
      }
    });
    expect(trace).toEqual([[0.5, "raised 'block text'"], ['return', 'None']]);
  });
});
