// shield(): the outer future follows the inner one, but cancelling the outer leaves the
// inner running. Every expectation is CPython 3.13.2's output for the equivalent Python
// program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  createTask, eagerTaskFactory, gather, repr, shield, sleep, ValueError, type Coro, type Future,
} from '../../src/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { asCancelled, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';

describe('shield', () => {
  it('leaves the inner task running when the task awaiting the outer future is cancelled', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<string> {
        log('inner start');
        yield* sleep(1);
        log('inner end');
        return 'v';
      }
      const it = createTask(inner());
      let outer: Future<string> | undefined;
      function* caller(): Coro<void> {
        outer = shield(it);
        try {
          yield* outer;
        } catch (e) {
          log(`caller caught ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const t = createTask(caller());
      yield* sleep(0.5);
      log(`cancel ${py(t.cancel('c'))}`);
      yield;
      log(`outer.cancelled=${py(outer!.cancelled())} it.done=${py(it.done())} t.cancelled=${py(t.cancelled())}`);
      const r = yield* it;
      log(`inner result ${repr(r)} ${repr(outer)}`);
    });
    expect(trace).toEqual([
      [0, 'inner start'], [0.5, 'cancel True'], [0.5, "caller caught CancelledError('c')"],
      [0.5, 'outer.cancelled=True it.done=False t.cancelled=True'], [1, 'inner end'],
      [1, "inner result 'v' <Future cancelled>"], ['return', 'None'],
    ]);
  });

  it('resolves the outer future one iteration after the inner task finishes', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* inner(): Coro<number> {
        log('inner runs');
        return 1;
      }
      ticker(loop, log, 5);
      const r = yield* shield(inner());
      log(`got ${r}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'inner runs'], [0, 'tick 1'], [0, 'tick 2'], [0, 'got 1'], [0, 'tick 3'], ['return', 'None'],
    ]);
  });

  it("propagates the inner task's exception to the outer future", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<void> {
        yield* sleep(0.5);
        throw new ValueError('boom');
      }
      const it = createTask(inner());
      const outer = shield(it);
      try {
        yield* outer;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log(`caught ${repr(e)} same=${py(e === it.exception())}`);
      }
      log(repr(outer));
    });
    expect(trace).toEqual([
      [0.5, "caught ValueError('boom') same=True"], [0.5, "<Future finished exception=ValueError('boom')>"],
      ['return', 'None'],
    ]);
  });

  it("cancels the outer future (without the inner's message) when the inner is cancelled", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const it = createTask(sleep(5));
      const outer = shield(it);
      yield* sleep(1);
      it.cancel('inner msg');
      try {
        yield* outer;
      } catch (e) {
        log(`caught ${repr(asCancelled(e))}`);
      }
      log(`outer.cancelled=${py(outer.cancelled())} it.cancelled=${py(it.cancelled())}`);
    });
    expect(trace).toEqual([
      [1, 'caught CancelledError()'], [1, 'outer.cancelled=True it.cancelled=True'], ['return', 'None'],
    ]);
  });

  it('returns a done future or task itself, and otherwise a new future linked both ways', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f = loop.createFuture<number>();
      f.setResult(3);
      log(`same=${py(shield(f) === f)}`);
      const t = createTask(sleep(0, 'r'));
      yield* t;
      log(`same=${py(shield(t) === t)}`);
      const f2 = loop.createFuture<number>();
      const o = shield(f2);
      log(normaliseSites(`${py(o === f2)} ${repr(o)} ${repr(f2)}`));
      o.cancel();
      yield;
      log(`${repr(o)} ${repr(f2)}`);
      f2.setException(new ValueError('late'));
      yield;
      log(repr(f2));
      f2.exception();
    });
    expect(trace).toEqual([
      [0, 'same=True'], [0, 'same=True'],
      [0, 'False <Future pending cb=[shield.<locals>._outer_done_callback() at F:L]> <Future pending cb=[shield.<locals>._inner_done_callback() at F:L]>'],
      [0, '<Future cancelled> <Future pending>'], [0, "<Future finished exception=ValueError('late')>"],
      ['return', 'None'],
    ]);
  });

  it('marks the inner exception retrieved when the inner fails before the outer lets go of it', () => {
    // Python: o = shield(inner); o.cancel(); inner.set_exception(...) in the same step:
    // _inner_done_callback retrieves it, so nothing is logged (also not at GC).
    const sameIteration = captureAsyncioLogs(() => {
      const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
        const inner = loop.createFuture();
        const o = shield(inner);
        o.cancel();
        inner.setException(new ValueError('seen'));
        yield;
        log(`${repr(o)} ${repr(inner)} logTraceback=${String(inner._logTraceback)}`);
      });
      expect(trace).toEqual([
        [0, "<Future cancelled> <Future finished exception=ValueError('seen')> logTraceback=false"], ['return', 'None'],
      ]);
    });
    expect(sameIteration.map((r) => r.getMessage())).toEqual([]);
  });

  it('leaves the inner exception unretrieved when the inner fails after the outer let go of it', () => {
    // Python: the same, with a sleep(0) before set_exception: CPython logs 'Future
    // exception was never retrieved' when the inner future is collected.
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const inner = loop.createFuture();
      const o = shield(inner);
      o.cancel();
      yield;
      inner.setException(new ValueError('lost'));
      log(`${repr(o)} ${repr(inner)} logTraceback=${String(inner._logTraceback)}`);
    });
    expect(trace).toEqual([
      [0, "<Future cancelled> <Future finished exception=ValueError('lost')> logTraceback=true"], ['return', 'None'],
      ['stderr', "Future exception was never retrieved\nfuture: <Future finished exception=ValueError('lost')>\nValueError: lost\n"],
    ]);
  });

  it('keeps a shielded gather running when the outer is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const child1 = loop.createFuture<number>();
      const child2 = loop.createFuture<number>();
      const parent = gather(child1, child2);
      const outer = shield(parent);
      log(`cancel ${py(outer.cancel())}`);
      yield;
      log(`outer.cancelled=${py(outer.cancelled())} parent.done=${py(parent.done())} child1.cancelled=${py(child1.cancelled())}`);
      child1.setResult(1);
      child2.setResult(2);
      yield;
      yield;
      log(`parent.result=${repr(parent.result())}`);
    });
    expect(trace).toEqual([
      [0, 'cancel True'], [0, 'outer.cancelled=True parent.done=False child1.cancelled=False'],
      [0, 'parent.result=[1, 2]'], ['return', 'None'],
    ]);
  });

  it('cancels the shields but not the children when a gather of shields is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const child1 = loop.createFuture<number>();
      const child2 = loop.createFuture<number>();
      const inner1 = shield(child1);
      const inner2 = shield(child2);
      const parent = gather(inner1, inner2);
      log(`cancel ${py(parent.cancel())}`);
      yield;
      log(`parent exc=${repr(parent.exception())} inner1.cancelled=${py(inner1.cancelled())} inner2.cancelled=${py(inner2.cancelled())} child1.cancelled=${py(child1.cancelled())}`);
      child1.setResult(1);
      child2.setResult(2);
      yield;
      log(`${repr(child1)} ${repr(child2)}`);
    });
    expect(trace).toEqual([
      [0, 'cancel True'],
      [0, 'parent exc=CancelledError() inner1.cancelled=True inner2.cancelled=True child1.cancelled=False'],
      [0, '<Future finished result=1> <Future finished result=2>'], ['return', 'None'],
    ]);
  });

  it('returns the task itself when an eager task finishes inside shield()', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      loop.setTaskFactory(eagerTaskFactory);
      function* quick(v: number): Coro<number> {
        log(`quick ${v} runs`);
        return v;
      }
      const s = shield(quick(3));
      log(`shield ${s.constructor.name} ${repr(s)}`);
      loop.setTaskFactory(undefined);
      yield;
    });
    expect(trace).toEqual([
      [0, 'quick 3 runs'], [0, "shield Task <Task finished name='None' result=3>"], ['return', 'None'],
    ]);
  });

  it('passes on the very value the inner task threw when it is not an Error (docs/divergences.md, "Thrown values")', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* fails(): Coro<number> {
        yield* sleep(0);
        throw 42;
      }
      try {
        yield* shield(fails());
      } catch (e) {
        log(`raised ${repr(e)}`);
      }
    });
    expect(trace).toEqual([[0, 'raised 42'], ['return', 'None']]);
  });
});
