// TaskGroup errors: the ExceptionGroup (its members in completion order, the body's exception,
// its __context__, thrown values that are not Errors), KeyboardInterrupt and SystemExit.
// Every expectation is CPython 3.13.2's output for the equivalent Python program (run on the
// virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, createTask, EventLoop, KeyboardInterrupt, repr, sleep, SystemExit, TaskGroup, ValueError, type Coro,
  type Task,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { asCancelled, asGroup, ctx, KeyError, py } from '../_support/python.js';
import { runScenario, withoutFrames, type Scene } from '../_support/scenario.js';
import { captureStderr } from '../_support/stderr.js';
import { cur } from './_support.js';

describe('TaskGroup', () => {

  it('collects every error in completion order, including errors raised while being cancelled', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* bad(msg: string, d: number): Coro<void> {
        yield* sleep(d);
        throw new ValueError(msg);
      }
      function* ok(): Coro<number> {
        yield* sleep(0.1);
        return 1;
      }
      let z: Task<void> | undefined;
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(ok());
          tg.createTask(bad('x', 0.1));
          tg.createTask(bad('y', 0.1));
          z = tg.createTask(bad('z', 0.5));
        });
      } catch (e) {
        // Equal deadlines: the timer heap, not creation order, decides (y before x).
        log(`${repr(asGroup(e))} z.cancelled=${py(z!.cancelled())}`);
      }
      function* cleanupFails(): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          asCancelled(e);
          throw new KeyError('cleanup');
        }
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(cleanupFails());
          tg.createTask(bad('first', 0.1));
        });
      } catch (e) {
        log(repr(asGroup(e)));
      }
    });
    expect(trace).toEqual([
      [0.1, "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('y'), ValueError('x')]) z.cancelled=True"],
      [0.2, "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('first'), KeyError('cleanup')])"],
      ['return', 'None'],
    ]);
  });

  it("adds the body's exception after the children's errors", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* slow(): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          log(`child cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      function* bad(): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          asCancelled(e);
          throw new KeyError('child');
        }
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(slow());
          tg.createTask(bad());
          yield* sleep(0.5);
          throw new ValueError('body');
        });
      } catch (e) {
        log(`${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
      }
      const tg = new TaskGroup();
      try {
        yield* asyncWith(tg, function* (g) {
          g.createTask(slow());
          throw new ValueError('body2');
        });
      } catch (e) {
        log(`${repr(asGroup(e))} ${repr(tg)}`);
      }
    });
    expect(trace).toEqual([
      [0.5, 'child cancelled CancelledError()'],
      [0.5, "ExceptionGroup('unhandled errors in a TaskGroup', [KeyError('child'), ValueError('body')]) cancelling=0"],
      [0.5, "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('body2')]) <TaskGroup cancelling>"],
      ['return', 'None'],
    ]);
  });

  it('lets a KeyboardInterrupt raised by the body propagate as itself', () => {
    const trace = runScenario(function* main(): Coro<void> {
      function* crashSoon(): Coro<void> {
        yield* sleep(0.1);
        throw new ValueError('division by zero');
      }
      function* nested(): Coro<void> {
        try {
          yield* sleep(10);
        } finally {
          throw new KeyboardInterrupt('kb');
        }
      }
      yield* asyncWith(new TaskGroup(), function* (g) {
        g.createTask(crashSoon());
        yield* nested();
      });
    });
    expect(trace).toEqual([['raised', "KeyboardInterrupt('kb')"]]);
  });

  it("propagates a child's SystemExit out of the loop at once, and from the group on the next run", () => {
    const loop = new EventLoop();
    const events: [number | string, string][] = [];
    const log = (e: string): void => {
      events.push([loop.time(), e]);
    };
    function* exits(): Coro<void> {
      yield* sleep(0.1);
      throw new SystemExit(3);
    }
    function* other(): Coro<void> {
      try {
        yield* sleep(1);
      } catch (e) {
        log('other cancelled');
        throw e;
      }
    }
    function* runner(): Coro<void> {
      try {
        yield* asyncWith(new TaskGroup(), function* (g) {
          g.createTask(exits());
          g.createTask(other());
          yield* sleep(5);
        });
      } catch (e) {
        log(`runner got ${repr(e)}`);
        throw e;
      }
    }
    function* main(): Coro<void> {
      const t = createTask(runner());
      try {
        yield* sleep(1);
      } finally {
        log(`main finally ${repr(t)}`);
      }
    }
    for (const coro of [main(), sleep(0.5)]) {
      try {
        loop.runUntilComplete(coro);
        events.push(['second run', 'ok']);
      } catch (e) {
        events.push(['raised', repr(e)]);
      }
    }
    const printed = withoutFrames(normaliseSites(captureStderr(() => loop.close())));
    expect(events).toEqual([
      ['raised', 'SystemExit(3)'], [0.1, 'other cancelled'], [0.1, 'runner got SystemExit(3)'], ['raised', 'SystemExit(3)'],
    ]);
    // The runner task's own SystemExit was never retrieved (the group re-raised it); CPython 3.13.2 prints
    // it with its context, the CancelledError the group's body was handling.
    expect(printed).toMatch(/^Task exception was never retrieved\nfuture: <Task finished name='Task-\d+' coro=<runner\(\) done, defined at F:L> exception=SystemExit\(3\)>\nTraceback \(most recent call last\):\nasyncio\.exceptions\.CancelledError\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback \(most recent call last\):\nSystemExit: 3\n$/);
  });

  it("sets the ExceptionGroup's __context__ to the body's exception, as Python's implicit chaining does", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* bad(): Coro<void> {
        yield* sleep(0.1);
        throw new KeyError('k');
      }
      let bodyExc: unknown;
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(bad());
          try {
            yield* sleep(10);
          } catch (e) {
            bodyExc = asCancelled(e);
            throw e;
          }
        });
      } catch (e) {
        const c = ctx(asGroup(e));
        log(`ctx is body exc: ${py(c === bodyExc)} ${repr(c)}`);
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(bad());
        });
      } catch (e) {
        log(`no body exception: ctx=${repr(ctx(asGroup(e)))}`);
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(bad());
          throw new ValueError('body');
        });
      } catch (e) {
        const eg = asGroup(e);
        const c = ctx(eg);
        log(`body raised: ctx=${repr(c)} is member=${py(c === eg.exceptions.at(-1))}`);
      }
    });
    expect(trace).toEqual([
      [0.1, 'ctx is body exc: True CancelledError()'], [0.2, 'no body exception: ctx=None'],
      [0.2, "body raised: ctx=ValueError('body') is member=True"], ['return', 'None'],
    ]);
  });

  it('keeps thrown values that are not Errors in its ExceptionGroup (docs/divergences.md, "Thrown values")', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* fails(value: unknown): Coro<void> {
        yield* sleep(0);
        throw value;
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(fails(new Error('real')));
          tg.createTask(fails(42));
          tg.createTask(fails(undefined));
        });
      } catch (e) {
        const eg = asGroup(e);
        log(repr(eg));
        log(`split(ValueError) ${repr(eg.split(ValueError))}`);
        log(`subgroup(TypeError) ${repr(eg.subgroup(TypeError))}`);
      }
    });
    expect(trace).toEqual([
      [0, "ExceptionGroup('unhandled errors in a TaskGroup', [Error('real'), 42, TypeError('exceptions must derive from BaseException')])"],
      [0, "split(ValueError) [None, ExceptionGroup('unhandled errors in a TaskGroup', [Error('real'), 42, TypeError('exceptions must derive from BaseException')])]"],
      [0, "subgroup(TypeError) ExceptionGroup('unhandled errors in a TaskGroup', [TypeError('exceptions must derive from BaseException')])"],
      ['return', 'None'],
    ]);
  });
});
