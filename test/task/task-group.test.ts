// TaskGroup: children awaited at exit, siblings cancelled when one fails, cancellation from
// outside and the cancelling() rules of 3.13, createTask refusals (closing the coroutine),
// eager tasks (3.13.2, gh-128550). Errors and the ExceptionGroup: task-group-errors.test.ts.
// Every expectation is CPython 3.13.2's output for the equivalent Python program (run on the
// virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, createTask, eagerTaskFactory, repr, RuntimeError, sleep, TaskGroup, ValueError, type Coro, type Task,
} from '../../src/index.js';
import { asCancelled, asGroup, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { cur, raiseAfter } from './_support.js';

describe('TaskGroup', () => {
  it('awaits every child when the block ends, including children created while exiting', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* child(name: string, d: number): Coro<string> {
        yield* sleep(d);
        log(`${name} done`);
        return name;
      }
      const tg = new TaskGroup();
      let a: Task<string> | undefined, b: Task<string> | undefined;
      yield* asyncWith(tg, function* (g) {
        log(repr(g));
        a = g.createTask(child('a', 0.1));
        b = g.createTask(child('b', 0.2), { name: 'bee' });
        log(`${repr(g)} b.name=${b.getName()}`);
      });
      log(`exit ${repr(tg)} results=${repr(a!.result())},${repr(b!.result())}`);
      const tg2 = new TaskGroup();
      function* spawner(): Coro<void> {
        yield* sleep(0.1);
        tg2.createTask(child('late', 0.3));
        log('spawned late');
      }
      yield* asyncWith(tg2, function* (g) {
        g.createTask(spawner());
      });
      log(`exit2 ${repr(tg2)}`);
    });
    expect(trace).toEqual([
      [0, '<TaskGroup entered>'], [0, '<TaskGroup tasks=2 entered> b.name=bee'], [0.1, 'a done'], [0.2, 'b done'],
      [0.2, "exit <TaskGroup entered> results='a','b'"], [0.30000000000000004, 'spawned late'],
      [0.6000000000000001, 'late done'], [0.6000000000000001, 'exit2 <TaskGroup entered>'], ['return', 'None'],
    ]);
  });

  it('exits two iterations after its last child finishes', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(n: number): Coro<number> {
        log(`child ${n} runs`);
        return n;
      }
      ticker(loop, log, 6);
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(child(1));
        tg.createTask(child(2));
        log('body ends');
      });
      log('group exited');
    });
    expect(trace).toEqual([
      [0, 'body ends'], [0, 'tick 0'], [0, 'child 1 runs'], [0, 'child 2 runs'], [0, 'tick 1'], [0, 'tick 2'],
      [0, 'group exited'], [0, 'tick 3'], ['return', 'None'],
    ]);
  });

  it('cancels the siblings and the body when a child fails, and raises an ExceptionGroup', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* bad(): Coro<void> {
        yield* sleep(0.1);
        throw new ValueError('a');
      }
      function* slow(): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          log(`sibling cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const tg = new TaskGroup();
      try {
        yield* asyncWith(tg, function* (g) {
          g.createTask(bad());
          g.createTask(slow());
          try {
            yield* sleep(10);
          } catch (e) {
            log(`body cancelled ${repr(asCancelled(e))} ${repr(g)}`);
            throw e;
          }
        });
      } catch (e) {
        const eg = asGroup(e);
        log(`${repr(eg)} str=${repr(String(eg))} type=${eg.constructor.name} cause=${repr(eg.cause)}`);
      }
      log(`cancelling=${cur().cancelling()} ${repr(tg)}`);
    });
    expect(trace).toEqual([
      [0.1, 'sibling cancelled CancelledError()'],
      [0.1, 'body cancelled CancelledError() <TaskGroup tasks=1 errors=1 cancelling>'],
      [0.1, "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('a')]) str='unhandled errors in a TaskGroup (1 sub-exception)' type=ExceptionGroup cause=None"],
      [0.1, 'cancelling=0 <TaskGroup cancelling>'], ['return', 'None'],
    ]);
  });

  it('cancels the children and re-raises the CancelledError when the parent is cancelled from outside', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* child(n: number): Coro<void> {
        try {
          yield* sleep(2);
        } catch (e) {
          log(`child ${n} cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      function* runner(): Coro<void> {
        yield* asyncWith(new TaskGroup(), function* (g) {
          g.createTask(child(1));
          g.createTask(child(2));
          log(`body ends ${repr(g)}`);
        });
      }
      const r = createTask(runner());
      yield* sleep(0.05);
      r.cancel('out');
      try {
        yield* r;
      } catch (e) {
        log(`runner raised ${repr(asCancelled(e))} cancelling=${r.cancelling()} cancelled=${py(r.cancelled())}`);
      }
    });
    expect(trace).toEqual([
      [0, 'body ends <TaskGroup tasks=2 entered>'], [0.05, 'child 1 cancelled CancelledError()'],
      [0.05, 'child 2 cancelled CancelledError()'], [0.05, "runner raised CancelledError('out') cancelling=1 cancelled=True"],
      ['return', 'None'],
    ]);
  });

  it('keeps an outside cancellation pending after raising the ExceptionGroup (3.13 uncancel rules)', () => {
    // Python: the test uses a future (ev = loop.create_future()) where CPython's suite uses an Event.
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const ev = loop.createFuture();
      function* raiseError(): Coro<void> {
        ev.setResult(undefined);
        yield;
        throw new RuntimeError('re');
      }
      function* inner(): Coro<void> {
        try {
          yield* asyncWith(new TaskGroup(), function* (tg) {
            tg.createTask(raiseError());
            yield* sleep(1);
            log('not reached');
          });
        } catch (e) {
          log(`inner got ${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
        }
        log(`after group cancelling=${cur().cancelling()}`);
        try {
          yield* sleep(1);
        } catch (e) {
          log(`next await raises ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const t = createTask(inner());
      yield* ev;
      log(`cancel ${py(t.cancel())} cancelling=${t.cancelling()}`);
      try {
        yield* t;
      } catch (e) {
        log(`task raised ${repr(asCancelled(e))} cancelled=${py(t.cancelled())}`);
      }
    });
    expect(trace).toEqual([
      [0, 'cancel True cancelling=1'],
      [0, "inner got ExceptionGroup('unhandled errors in a TaskGroup', [RuntimeError('re')]) cancelling=1"],
      [0, 'after group cancelling=1'], [0, 'next await raises CancelledError()'],
      [0, 'task raised CancelledError() cancelled=True'], ['return', 'None'],
    ]);
  });

  it('preserves the cancelling() level across nested groups that both fail', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(new TaskGroup(), function* (outerTg) {
          try {
            yield* asyncWith(new TaskGroup(), function* (innerTg) {
              innerTg.createTask(raiseAfter(0, new RuntimeError('inner')));
              outerTg.createTask(raiseAfter(0, new ValueError('outer')));
            });
          } catch (e) {
            log(`inner group ${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
          }
          log(`cancelling=${cur().cancelling()}`);
        });
      } catch (e) {
        log(`outer group ${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
      }
    });
    expect(trace).toEqual([
      [0, "inner group ExceptionGroup('unhandled errors in a TaskGroup', [RuntimeError('inner')]) cancelling=1"],
      [0, 'cancelling=1'],
      [0, "outer group ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('outer')]) cancelling=0"],
      ['return', 'None'],
    ]);
  });

  it('takes back its own cancel of the parent, even when the body swallowed it', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(raiseAfter(0, new RuntimeError('r')));
        });
      } catch (e) {
        log(`${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          tg.createTask(raiseAfter(0.1, new RuntimeError('r2')));
          try {
            yield* sleep(1);
          } catch (e) {
            asCancelled(e);
            log(`body swallows, cancelling=${cur().cancelling()}`);
          }
          yield;
          log('body continues');
        });
      } catch (e) {
        log(`${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
      }
    });
    expect(trace).toEqual([
      [0, "ExceptionGroup('unhandled errors in a TaskGroup', [RuntimeError('r')]) cancelling=0"],
      [0.1, 'body swallows, cancelling=1'], [0.1, 'body continues'],
      [0.1, "ExceptionGroup('unhandled errors in a TaskGroup', [RuntimeError('r2')]) cancelling=0"],
      ['return', 'None'],
    ]);
  });

  it('refuses createTask before entry, after exit and while shutting down, closing the coroutine', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* coro(): Coro<void> {
        log('coro ran');
        yield;
      }
      // A closed coroutine is finished at once: next() neither runs it nor suspends.
      const closed = (c: Coro<void>): string => py(c.next().done === true);
      const tryCreate = (what: string, tg: TaskGroup): void => {
        const c = coro();
        try {
          tg.createTask(c);
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`${what}: ${repr(e)} closed=${closed(c)}`);
        }
      };
      const tg = new TaskGroup();
      tryCreate('before enter', tg);
      yield* asyncWith(tg, function* () {});
      tryCreate('after exit', tg);
      function* bad(): Coro<void> {
        yield* sleep(0.1);
        throw new ValueError('b');
      }
      function* spawner(g: TaskGroup): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          tryCreate('shutting down', g);
          throw e;
        }
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg3) {
          tg3.createTask(bad());
          tg3.createTask(spawner(tg3));
        });
      } catch (e) {
        log(repr(asGroup(e)));
      }
      const tg4 = new TaskGroup();
      yield* asyncWith(tg4, function* () {
        try {
          yield* asyncWith(tg4, function* () {});
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`double enter: ${repr(e)}`);
        }
      });
      const tg5 = new TaskGroup();
      const fut = loop.createFuture();
      loop.callSoon(() => {
        try {
          tg5.aenter().next();
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`no parent: ${repr(e)}`);
        }
        fut.setResult(undefined);
      });
      yield* fut;
    });
    expect(trace).toEqual([
      [0, "before enter: RuntimeError('TaskGroup <TaskGroup> has not been entered') closed=True"],
      [0, "after exit: RuntimeError('TaskGroup <TaskGroup entered> is finished') closed=True"],
      [0.1, "shutting down: RuntimeError('TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down') closed=True"],
      [0.1, "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('b')])"],
      [0.1, "double enter: RuntimeError('TaskGroup <TaskGroup entered> has already been entered')"],
      [0.1, "no parent: RuntimeError('TaskGroup <TaskGroup> cannot determine the parent task')"],
      ['return', 'None'],
    ]);
  });

  it('keeps an eagerly finished child in the group until its done callback runs (3.13.2, gh-128550)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      loop.setTaskFactory(eagerTaskFactory);
      function* failsEagerly(): Coro<void> {
        log('child runs eagerly');
        throw new ValueError('eager');
      }
      function* quick(): Coro<string> {
        log('quick runs eagerly');
        return 'q';
      }
      try {
        yield* asyncWith(new TaskGroup(), function* (tg) {
          const q = tg.createTask(quick());
          log(`after quick: done=${py(q.done())} ${repr(tg)} ${repr(q)}`);
          const t = tg.createTask(failsEagerly());
          log(`after create_task: done=${py(t.done())} ${repr(tg)} cancelling=${cur().cancelling()}`);
          try {
            yield;
            log('sleep(0) completed');
            yield;
            log('second sleep(0) completed');
          } catch (e) {
            log(`body cancelled ${repr(asCancelled(e))} ${repr(tg)}`);
            throw e;
          }
        });
      } catch (e) {
        log(`${repr(asGroup(e))} cancelling=${cur().cancelling()}`);
      }
      loop.setTaskFactory(undefined);
    });
    expect(trace).toEqual([
      [0, 'quick runs eagerly'],
      [0, "after quick: done=True <TaskGroup tasks=1 entered> <Task finished name='None' result='q'>"],
      [0, 'child runs eagerly'], [0, 'after create_task: done=True <TaskGroup tasks=2 entered> cancelling=0'],
      [0, 'body cancelled CancelledError() <TaskGroup errors=1 cancelling>'],
      [0, "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('eager')]) cancelling=0"],
      ['return', 'None'],
    ]);
  });

});
