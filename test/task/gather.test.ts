// gather(): result order, the first exception, cancellation in both directions, cancelled
// children with and without returnExceptions, duplicates, the empty and the already-done
// cases, and the _GatheringFuture repr. Every expectation is CPython 3.13.2's output for
// the equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  createTask, eagerTaskFactory, gather, GatheringFuture, repr, sleep, ValueError, wait, type Coro, type Future,
} from '../../src/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { asCancelled, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';

describe('gather', () => {
  it('returns the results in argument order, whatever the order the children finish in', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<string[]> {
      function* child(name: string, d: number): Coro<string> {
        log(`${name} start`);
        yield* sleep(d);
        log(`${name} end`);
        return name;
      }
      const r = yield* gather(child('a', 0.3), child('b', 0.1), child('c', 0.2));
      log(`result ${repr(r)}`);
      return r;
    });
    expect(trace).toEqual([
      [0, 'a start'], [0, 'b start'], [0, 'c start'], [0.1, 'b end'], [0.2, 'c end'], [0.3, 'a end'],
      [0.3, "result ['a', 'b', 'c']"], ['return', "['a', 'b', 'c']"],
    ]);
  });

  it('resumes the caller two iterations after the children finish (done callback, then wakeup)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(name: string): Coro<string> {
        log(`${name} runs`);
        return name;
      }
      ticker(loop, log, 5);
      const r = yield* gather(child('a'), child('b'));
      log(`result ${repr(r)}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'a runs'], [0, 'b runs'], [0, 'tick 1'], [0, 'tick 2'], [0, "result ['a', 'b']"],
      [0, 'tick 3'], ['return', 'None'],
    ]);
  });

  it('propagates the first exception at once while the other children keep running', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* ok(): Coro<number> {
        yield* sleep(1);
        log('ok done');
        return 1;
      }
      function* bad(): Coro<number> {
        yield* sleep(0.5);
        throw new ValueError('bad');
      }
      const g = gather(ok(), bad());
      try {
        yield* g;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log(`caught ${repr(e)} same=${py(e === g.exception())}`);
      }
      log(`g.done=${py(g.done())} cancel=${py(g.cancel())}`);
      yield* sleep(1);
      log('after');
    });
    expect(trace).toEqual([
      [0.5, "caught ValueError('bad') same=True"], [0.5, 'g.done=True cancel=False'], [1, 'ok done'],
      [1.5, 'after'], ['return', 'None'],
    ]);
  });

  it('cancels every child when the task awaiting it is cancelled, carrying the message', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* child(n: number): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          log(`child ${n} cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      let g: Future<unknown> | undefined;
      function* waiter(): Coro<void> {
        g = gather(child(1), child(2));
        yield* g;
      }
      const t = createTask(waiter());
      yield* sleep(1);
      log(`cancel ${py(t.cancel('stop'))}`);
      try {
        yield* t;
      } catch (e) {
        log(`task raised ${repr(asCancelled(e))}`);
      }
      log(`g.cancelled=${py(g!.cancelled())} t.cancelled=${py(t.cancelled())} g.cancel()=${py(g!.cancel())}`);
    });
    expect(trace).toEqual([
      [1, 'cancel True'], [1, "child 1 cancelled CancelledError('stop')"],
      [1, "child 2 cancelled CancelledError('stop')"], [1, "task raised CancelledError('stop')"],
      [1, 'g.cancelled=False t.cancelled=True g.cancel()=False'], ['return', 'None'],
    ]);
  });

  it('ends with a CancelledError exception when cancelled itself, even with returnExceptions', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(n: number): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          log(`child ${n} cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const f = loop.createFuture<string>();
      f.setResult('done');
      const g = gather(child(1), f, child(2), { returnExceptions: true });
      yield;
      log(`cancel ${py(g.cancel('msg'))} ${repr(g)}`);
      try {
        yield* g;
      } catch (e) {
        log(`await raised ${repr(asCancelled(e))}`);
      }
      log(`g.cancelled=${py(g.cancelled())} ${repr(g)}`);
    });
    expect(trace).toEqual([
      [0, 'cancel True <_GatheringFuture pending>'], [0, "child 1 cancelled CancelledError('msg')"],
      [0, "child 2 cancelled CancelledError('msg')"], [0, "await raised CancelledError('msg')"],
      [0, "g.cancelled=False <_GatheringFuture finished exception=CancelledError('msg')>"], ['return', 'None'],
    ]);
  });

  it('refuses cancel() once every child is done, even before its own callback has run', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f = loop.createFuture<number>();
      const g = gather(f);
      f.setResult(42);
      log(`g.done=${py(g.done())} cancel=${py(g.cancel())}`);
      const r = yield* g;
      log(`result ${repr(r)} cancelled=${py(g.cancelled())}`);
    });
    expect(trace).toEqual([
      [0, 'g.done=False cancel=False'], [0, 'result [42] cancelled=False'], ['return', 'None'],
    ]);
  });

  it('fails with the CancelledError of a cancelled child, without being cancelled itself', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f1 = loop.createFuture();
      const f2 = loop.createFuture();
      const g = gather(f1, f2);
      f1.cancel('m');
      try {
        yield* g;
      } catch (e) {
        log(`await raised ${repr(asCancelled(e))}`);
      }
      log(`g.cancelled=${py(g.cancelled())} exc=${repr(g.exception())} f2.done=${py(f2.done())}`);
      f2.setResult(1);
      yield;
      log(repr(g));
    });
    expect(trace).toEqual([
      [0, "await raised CancelledError('m')"], [0, "g.cancelled=False exc=CancelledError('m') f2.done=False"],
      [0, "<_GatheringFuture finished exception=CancelledError('m')>"], ['return', 'None'],
    ]);
  });

  it("puts a cancelled child's CancelledError (message or '') in the results with returnExceptions", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f1 = loop.createFuture();
      const f2 = loop.createFuture();
      const f3 = loop.createFuture();
      const g = gather(f1, f2, f3, { returnExceptions: true });
      f1.cancel('m');
      f2.cancel();
      f3.setException(new ValueError('v'));
      const r = yield* g;
      log(`result ${repr(r)} cancelled=${py(g.cancelled())}`);
    });
    expect(trace).toEqual([
      [0, "result [CancelledError('m'), CancelledError(''), ValueError('v')] cancelled=False"], ['return', 'None'],
    ]);
  });

  it('runs an awaitable passed twice once and repeats its result', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(): Coro<number> {
        log('child runs');
        yield* sleep(0.5);
        return 7;
      }
      const c = child();
      const f = loop.createFuture<string>();
      loop.callLater(1, (v: string) => f.setResult(v), 'f');
      const g = gather(c, f, c, f) as GatheringFuture<unknown[]>;
      log(`children ${g._children.length} distinct ${new Set(g._children).size}`);
      const r = yield* g;
      log(`result ${repr(r)}`);
    });
    expect(trace).toEqual([
      [0, 'children 4 distinct 2'], [0, 'child runs'], [1, "result [7, 'f', 7, 'f']"], ['return', 'None'],
    ]);
  });

  it('returns a plain future already holding [] when given nothing', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const g = gather();
      log(`${g.constructor.name} ${repr(g)}`);
      const g2 = gather({ returnExceptions: true });
      const r = yield* g;
      log(`${repr(g2)} ${repr(r)}`);
    });
    expect(trace).toEqual([
      [0, 'Future <Future finished result=[]>'], [0, '<Future finished result=[]> []'], ['return', 'None'],
    ]);
  });

  it('completes synchronously when every child is already done; its own callbacks still wait', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f1 = loop.createFuture<number>();
      f1.setResult(1);
      const f2 = loop.createFuture<number>();
      f2.setResult(2);
      const g = gather(f1, f2);
      log(repr(g));
      g.addDoneCallback(() => log('outer callback'));
      const f3 = loop.createFuture<number>();
      f3.setException(new ValueError('x'));
      const g2 = gather(f1, f3, loop.createFuture());
      log(repr(g2));
      ticker(loop, log, 1);
      const r = yield* g;
      log(`await ${repr(r)}`);
    });
    expect(trace).toEqual([
      [0, '<_GatheringFuture finished result=[1, 2]>'], [0, "<_GatheringFuture finished exception=ValueError('x')>"],
      [0, 'await [1, 2]'], [0, 'outer callback'], [0, 'tick 0'], ['return', 'None'],
      ['stderr', "_GatheringFuture exception was never retrieved\nfuture: <_GatheringFuture finished exception=ValueError('x')>\nValueError: x\n"],
    ]);
  });

  it("reprs as _GatheringFuture with asyncio's states and callbacks", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(): Coro<string> {
        yield* sleep(1);
        return 'x';
      }
      const g = gather(child(), child());
      log(repr(g));
      createTask(wait([g]));
      yield;
      log(normaliseSites(repr(g)));
      yield* sleep(2);
      log(repr(g));
      const f = loop.createFuture();
      f.setException(new ValueError('k'));
      const g3 = gather(f);
      log(repr(g3));
      const g4 = gather(loop.createFuture());
      g4.cancel();
      yield;
      log(repr(g4));
      g3.exception();
    });
    expect(trace).toEqual([
      [0, '<_GatheringFuture pending>'],
      [0, '<_GatheringFuture pending cb=[_wait.<locals>._on_completion() at F:L]>'],
      [2, "<_GatheringFuture finished result=['x', 'x']>"],
      [2, "<_GatheringFuture finished exception=ValueError('k')>"],
      [2, '<_GatheringFuture finished exception=CancelledError()>'], ['return', 'None'],
      ['stderr', "_GatheringFuture exception was never retrieved\nfuture: <_GatheringFuture finished exception=CancelledError()>\nasyncio.exceptions.CancelledError\n"],
    ]);
  });

  it('raises the CancelledError of the last child when cancelled with returnExceptions', () => {
    // The message is lost when that last child finished without being cancelled.
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(): Coro<void> {
        yield* sleep(10);
      }
      const f = loop.createFuture<number>();
      f.setResult(1);
      const g = gather(child(), f, { returnExceptions: true });
      yield;
      log(`cancel ${py(g.cancel('msg'))}`);
      try {
        yield* g;
      } catch (e) {
        log(`raised ${repr(asCancelled(e))}`);
      }
      const g2 = gather(child(), f);
      yield;
      log(`cancel ${py(g2.cancel('msg2'))}`);
      try {
        yield* g2;
      } catch (e) {
        log(`raised ${repr(asCancelled(e))}`);
      }
    });
    expect(trace).toEqual([
      [0, 'cancel True'], [0, 'raised CancelledError()'], [0, 'cancel True'], [0, "raised CancelledError('msg2')"],
      ['return', 'None'],
    ]);
  });

  it('completes at once when eager tasks finish their children during gather()', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      loop.setTaskFactory(eagerTaskFactory);
      function* quick(v: number): Coro<number> {
        log(`quick ${v} runs`);
        return v;
      }
      const g = gather(quick(1), quick(2));
      log(`gather ${repr(g)}`);
      loop.setTaskFactory(undefined);
      yield;
    });
    expect(trace).toEqual([
      [0, 'quick 1 runs'], [0, 'quick 2 runs'], [0, 'gather <_GatheringFuture finished result=[1, 2]>'], ['return', 'None'],
    ]);
  });

  it('fails with the very value a child threw when it is not an Error (docs/divergences.md, "Thrown values")', () => {
    const records = captureAsyncioLogs(() => {
      const trace = runScenario(function* main({ log }: Scene): Coro<void> {
        function* fails(): Coro<number> {
          yield* sleep(0);
          throw 'not found';
        }
        for (const make of [() => gather(fails(), sleep(1, 7)), () => gather(fails())]) {
          try {
            log(`result ${repr(yield* make())}`);
          } catch (e) {
            log(`raised ${repr(e)}`);
          }
        }
        log(`returnExceptions ${repr(yield* gather(fails(), sleep(1, 7), { returnExceptions: true }))}`);
      });
      expect(trace).toEqual([
        [0, "raised 'not found'"], [0, "raised 'not found'"], [1, "returnExceptions ['not found', 7]"], ['return', 'None'],
      ]);
    });
    expect(records.map((r) => r.getMessage())).toEqual([]);
  });
});

// Issue 16, item 9: a call spreading some 10^5 arguments overflows V8's stack, so
// gather also takes its awaitables as one array (an array is never an awaitable).
describe('gather (array form)', () => {
  function* child(log: (s: string) => void, name: string, d: number, fail = false): Coro<string> {
    log(`${name} start`);
    yield* sleep(d);
    if (fail) throw new ValueError(name);
    log(`${name} end`);
    return name;
  }

  it('runs as the spread form does: same steps, same results in argument order', () => {
    const scenario = (arrayForm: boolean) => runScenario(function* main({ log }: Scene): Coro<string[]> {
      const aws = [child(log, 'a', 0.3), child(log, 'b', 0.1), child(log, 'c', 0.2)];
      const r = arrayForm ? yield* gather(aws) : yield* gather(...aws);
      log(`result ${repr(r)}`);
      return r;
    });
    const trace = scenario(true);
    expect(trace).toEqual(scenario(false));
    expect(trace).toEqual([
      [0, 'a start'], [0, 'b start'], [0, 'c start'], [0.1, 'b end'], [0.2, 'c end'], [0.3, 'a end'],
      [0.3, "result ['a', 'b', 'c']"], ['return', "['a', 'b', 'c']"],
    ]);
  });

  it('takes the options object after the array', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const r = yield* gather([child(log, 'a', 0.1, true), child(log, 'b', 0.2)], { returnExceptions: true });
      log(`result ${repr(r)}`);
    });
    expect(trace).toEqual([
      [0, 'a start'], [0, 'b start'], [0.2, 'b end'], [0.2, "result [ValueError('a'), 'b']"], ['return', 'None'],
    ]);
  });

  it('returns a plain future already holding [] for an empty array', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const g = gather([]);
      log(`${g instanceof GatheringFuture ? 'gathering' : 'plain'} ${repr(g)}`);
      log(repr(yield* g));
    });
    expect(trace).toEqual([[0, 'plain <Future finished result=[]>'], [0, '[]'], ['return', 'None']]);
  });

  it('gathers the array as it was when called, as gather(*aws) does', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      loop.setTaskFactory(eagerTaskFactory);
      const aws: Coro<number>[] = [];
      // Runs eagerly inside gather(), while gather walks the array.
      function* grow(): Coro<number> {
        aws.push(late());
        return 1;
      }
      function* late(): Coro<number> {
        return 2;
      }
      aws.push(grow());
      const r = yield* gather(aws);
      log(`result ${repr(r)} left ${aws.length}`);
      aws[1]!.return(0);
    });
    expect(trace).toEqual([[0, 'result [1] left 2'], ['return', 'None']]);
  });

  it("raises TypeError 'unhashable type: 'list'' for an array among other arguments, as CPython does", () => {
    // Python: asyncio.gather([fut], fut) and asyncio.gather(fut, [fut]) (printed on the oracle).
    runScenario(function* main({ loop }: Scene): Coro<void> {
      const fut = loop.createFuture<number>();
      expect(() => gather([fut], fut)).toThrow(TypeError);
      expect(() => gather([fut], fut)).toThrow(/^unhashable type: 'list'$/);
      expect(() => gather(fut, [fut] as never)).toThrow(/^unhashable type: 'list'$/);
      fut.setResult(1);
    });
  });

  it('gathers 3×10^5 awaitables, results in argument order', () => {
    const n = 300_000;
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const futs = Array.from({ length: n }, () => loop.createFuture<number>());
      for (let i = n - 1; i >= 0; i--) loop.callSoon(() => futs[i]!.setResult(i));
      const r = yield* gather(futs);
      log(`${r.length} results, in order: ${py(r.every((x, i) => x === i))}`);
    });
    expect(trace).toEqual([[0, '300000 results, in order: True'], ['return', 'None']]);
  });
});
