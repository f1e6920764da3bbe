// Barrier: arrival indices, all parties released together, the filling / draining /
// resetting / broken states (reprs, nWaiting, broken), reset() and abort() with their
// BrokenBarrierError messages, a cancelled filling task leaving, asyncWith giving the
// index, and the parties check. Every expectation is CPython 3.13.2's output for the
// equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, Barrier, BrokenBarrierError, CancelledError, createTask, gather, repr, RuntimeError, sleep, ValueError,
  type Coro,
} from '../../src/index.js';
import { py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { asBroken, r, sleep0 } from './_support.js';

// Party `w<n>`: waits at `b` and logs its arrival index, or the BrokenBarrierError it
// gets followed by `suffix()`.
function* party(b: Barrier, n: number, log: (event: string) => void, suffix: () => string): Coro<void> {
  try {
    const i = yield* b.wait();
    log(`w${n} index=${i}`);
  } catch (e) {
    log(`w${n} ${repr(asBroken(e))}${suffix()}`);
  }
}

describe('Barrier', () => {
  it('releases all parties together once the last arrives, each with its arrival index', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const b = new Barrier(3);
      function* w(n: string, d: number): Coro<number> {
        yield* sleep(d);
        log(`w${n} arrives ${r(b)}`);
        const i = yield* b.wait();
        log(`w${n} passes index=${i} ${r(b)}`);
        return i;
      }
      ticker(loop, log, 3);
      const res = yield* gather(w('a', 0), w('b', 1), w('c', 2));
      log(`${repr(res)} n_waiting=${b.nWaiting} broken=${py(b.broken)} parties=${b.parties} ${r(b)}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'tick 1'], [0, 'wa arrives <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      [0, 'tick 2'], [0, 'tick 3'], [1, 'wb arrives <asyncio.locks.Barrier object at 0x? [filling, waiters:1/3]>'],
      [2, 'wc arrives <asyncio.locks.Barrier object at 0x? [filling, waiters:2/3]>'],
      [2, 'wc passes index=2 <asyncio.locks.Barrier object at 0x? [draining, waiters:0/3]>'],
      [2, 'wa passes index=0 <asyncio.locks.Barrier object at 0x? [draining, waiters:0/3]>'],
      [2, 'wb passes index=1 <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      [2, '[0, 1, 2] n_waiting=0 broken=False parties=3 <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      ['return', 'None'],
    ]);
  });

  it('lets the last arrival through in its own step and the others one iteration later', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const b = new Barrier(2);
      function* w(n: number): Coro<void> {
        log(`w${n} waits`);
        const i = yield* b.wait();
        log(`w${n} index=${i} ${r(b)}`);
      }
      ticker(loop, log, 8);
      const t1 = createTask(w(1));
      const t2 = createTask(w(2));
      yield* gather(t1, t2);
      log(r(b));
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'w1 waits'], [0, 'w2 waits'],
      [0, 'w2 index=1 <asyncio.locks.Barrier object at 0x? [draining, waiters:0/2]>'], [0, 'tick 1'],
      [0, 'w1 index=0 <asyncio.locks.Barrier object at 0x? [filling, waiters:0/2]>'], [0, 'tick 2'], [0, 'tick 3'],
      [0, '<asyncio.locks.Barrier object at 0x? [filling, waiters:0/2]>'], [0, 'tick 4'], ['return', 'None'],
    ]);
  });

  it('goes through filling, draining, resetting and broken, as its repr and nWaiting show', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const b = new Barrier(5);
      log(r(b));
      const waiters = [createTask(b.wait()), createTask(b.wait())];
      yield* sleep0();
      log(`${r(b)} n_waiting=${b.nWaiting}`);
      for (let i = b.parties - b.nWaiting; i > 0; i--) waiters.push(createTask(b.wait()));
      yield* sleep0();
      log(`${r(b)} n_waiting=${b.nWaiting}`);
      waiters.push(createTask(b.wait()), createTask(b.wait()));
      yield* sleep0();
      log(r(b));
      yield* b.reset();
      log(r(b));
      waiters.push(createTask(b.wait()), createTask(b.wait()));
      yield* sleep0();
      log(r(b));
      yield* b.abort();
      log(`${r(b)} broken=${py(b.broken)} n_waiting=${b.nWaiting}`);
      const res = yield* gather(...waiters, { returnExceptions: true });
      log(repr(res));
      log(`${r(b)} ${py(String(b) === repr(b))}`);
    });
    const reset = "BrokenBarrierError('Abort or reset of barrier')";
    expect(trace).toEqual([
      [0, '<asyncio.locks.Barrier object at 0x? [filling, waiters:0/5]>'],
      [0, '<asyncio.locks.Barrier object at 0x? [filling, waiters:2/5]> n_waiting=2'],
      [0, '<asyncio.locks.Barrier object at 0x? [draining, waiters:0/5]> n_waiting=0'],
      [0, '<asyncio.locks.Barrier object at 0x? [filling, waiters:2/5]>'],
      [0, '<asyncio.locks.Barrier object at 0x? [resetting, waiters:0/5]>'],
      [0, '<asyncio.locks.Barrier object at 0x? [filling, waiters:2/5]>'],
      [0, '<asyncio.locks.Barrier object at 0x? [broken]> broken=True n_waiting=0'],
      [0, `[0, 1, 2, 3, 4, ${reset}, ${reset}, ${reset}, ${reset}]`],
      [0, '<asyncio.locks.Barrier object at 0x? [broken]> True'], ['return', 'None'],
    ]);
  });

  it("fails the tasks waiting at reset() with 'Abort or reset of barrier', then fills again", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const b = new Barrier(3);
      const w = (n: number): Coro<void> => party(b, n, log, () => ` ${r(b)}`);
      let ts = [0, 1].map((n) => createTask(w(n)));
      yield* sleep(1);
      log(r(b));
      yield* b.reset();
      log(`reset ${r(b)}`);
      yield* gather(...ts);
      log(`${r(b)} broken=${py(b.broken)}`);
      ts = [3, 4, 5].map((n) => createTask(w(n)));
      yield* gather(...ts);
      log(r(b));
    });
    expect(trace).toEqual([
      [1, '<asyncio.locks.Barrier object at 0x? [filling, waiters:2/3]>'],
      [1, 'reset <asyncio.locks.Barrier object at 0x? [resetting, waiters:0/3]>'],
      [1, "w0 BrokenBarrierError('Abort or reset of barrier') <asyncio.locks.Barrier object at 0x? [resetting, waiters:0/3]>"],
      [1, "w1 BrokenBarrierError('Abort or reset of barrier') <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>"],
      [1, '<asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]> broken=False'], [1, 'w5 index=2'],
      [1, 'w3 index=0'], [1, 'w4 index=1'], [1, '<asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      ['return', 'None'],
    ]);
  });

  it("fails current waiters with 'Abort or reset of barrier' and later ones with 'Barrier aborted' after abort()", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const b = new Barrier(3);
      const w = (n: number): Coro<void> => party(b, n, log, () => '');
      const ts = [0, 1].map((n) => createTask(w(n)));
      yield* sleep(1);
      yield* b.abort();
      log(`aborted ${r(b)} n_waiting=${b.nWaiting}`);
      yield* gather(...ts);
      yield* w(9);
      yield* b.reset();
      log(`after reset ${r(b)} broken=${py(b.broken)}`);
    });
    expect(trace).toEqual([
      [1, 'aborted <asyncio.locks.Barrier object at 0x? [broken]> n_waiting=0'],
      [1, "w0 BrokenBarrierError('Abort or reset of barrier')"], [1, "w1 BrokenBarrierError('Abort or reset of barrier')"],
      [1, "w9 BrokenBarrierError('Barrier aborted')"],
      [1, 'after reset <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]> broken=False'], ['return', 'None'],
    ]);
  });

  it('lets a task cancelled while the barrier fills leave it (test_filling_tasks_cancel_one)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const b = new Barrier(3);
      function* coro(n: number): Coro<void> {
        const i = yield* b.wait();
        log(`c${n} passes ${i}`);
      }
      const t1 = createTask(coro(1));
      yield* sleep0();
      log(`n_waiting=${b.nWaiting}`);
      const t2 = createTask(coro(2));
      yield* sleep0();
      log(`n_waiting=${b.nWaiting}`);
      t1.cancel();
      yield* sleep0();
      log(`n_waiting=${b.nWaiting} ${r(b)}`);
      try {
        yield* t1;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`t1 raised ${repr(e)} cancelled=${py(t1.cancelled())}`);
      }
      const t3 = createTask(coro(3));
      yield* sleep0();
      log(`n_waiting=${b.nWaiting}`);
      const t4 = createTask(coro(4));
      yield* gather(t2, t3, t4);
      log(`n_waiting=${b.nWaiting} broken=${py(b.broken)} ${r(b)}`);
    });
    expect(trace).toEqual([
      [0, 'n_waiting=1'], [0, 'n_waiting=2'], [0, 'n_waiting=1 <asyncio.locks.Barrier object at 0x? [filling, waiters:1/3]>'],
      [0, 't1 raised CancelledError() cancelled=True'], [0, 'n_waiting=2'], [0, 'c4 passes 2'], [0, 'c2 passes 1'],
      [0, 'c3 passes 1'], [0, 'n_waiting=0 broken=False <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      ['return', 'None'],
    ]);
  });

  it('gives the arrival index to the asyncWith body', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const b = new Barrier(3);
      function* coro(n: number): Coro<number | undefined> {
        return yield* asyncWith(b, function* (i) {
          log(`c${n} inside index=${i} ${r(b)}`);
          return i;
        });
      }
      const res = yield* gather(coro(0), coro(1), coro(2));
      log(`${repr(res)} ${r(b)}`);
      const b1 = new Barrier({ parties: 1 });
      yield* asyncWith(b1, function* (i) {
        log(`b1 index=${i} ${r(b1)}`);
      });
      const x = yield* b1.wait();
      const y = yield* b1.wait();
      log(`${x} ${y}`);
    });
    expect(trace).toEqual([
      [0, 'c2 inside index=2 <asyncio.locks.Barrier object at 0x? [draining, waiters:0/3]>'],
      [0, 'c0 inside index=0 <asyncio.locks.Barrier object at 0x? [draining, waiters:0/3]>'],
      [0, 'c1 inside index=1 <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      [0, '[0, 1, 2] <asyncio.locks.Barrier object at 0x? [filling, waiters:0/3]>'],
      [0, 'b1 index=0 <asyncio.locks.Barrier object at 0x? [filling, waiters:0/1]>'], [0, '0 0'], ['return', 'None'],
    ]);
  });

  it('breaks for everyone when one party aborts after an error (test_abort_barrier_when_exception)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const N = 5;
      const barrier = new Barrier(N);
      function* coro(n: number): Coro<void> {
        try {
          yield* asyncWith(barrier, function* (i) {
            if (i === Math.floor(N / 2)) throw new RuntimeError('x');
          });
          yield* asyncWith(barrier, function* () {
            log(`c${n} never`);
          });
        } catch (e) {
          if (e instanceof BrokenBarrierError) {
            log(`c${n} ${repr(e)}`);
          } else if (e instanceof RuntimeError) {
            log(`c${n} aborts`);
            yield* barrier.abort();
          } else {
            throw e;
          }
        }
      }
      yield* gather(...[0, 1, 2, 3, 4].map((n) => coro(n)));
      log(`${r(barrier)} n_waiting=${barrier.nWaiting}`);
    });
    expect(trace).toEqual([
      [0, 'c2 aborts'], [0, "c3 BrokenBarrierError('Abort or reset of barrier')"],
      [0, "c4 BrokenBarrierError('Barrier aborted')"], [0, "c0 BrokenBarrierError('Barrier aborted')"],
      [0, "c1 BrokenBarrierError('Barrier aborted')"], [0, '<asyncio.locks.Barrier object at 0x? [broken]> n_waiting=0'],
      ['return', 'None'],
    ]);
  });

  it("raises ValueError 'parties must be >= 1' for fewer than one party", () => {
    expect(() => new Barrier(0)).toThrow(ValueError);
    expect(() => new Barrier(0)).toThrow(/^parties must be >= 1$/);
    expect(() => new Barrier(-4)).toThrow(/^parties must be >= 1$/);
  });

  it('raises TypeError for missing parties, None or a string, as CPython does', () => {
    // asyncio.Barrier() / asyncio.Barrier(None) / asyncio.Barrier('2') -> TypeError
    expect(() => new Barrier(undefined as never)).toThrow(TypeError);
    expect(() => new Barrier(undefined as never)).toThrow(/^Barrier\.__init__\(\) missing 1 required positional argument: 'parties'$/);
    expect(() => new Barrier(null as never)).toThrow(/^'<' not supported between instances of 'NoneType' and 'int'$/);
    expect(() => new Barrier({ parties: null as never })).toThrow(/^'<' not supported between instances of 'NoneType' and 'int'$/);
    expect(() => new Barrier('2' as never)).toThrow(/^'<' not supported between instances of 'str' and 'int'$/);
  });
});
