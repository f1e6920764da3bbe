// wrapFuture and _chainFuture: an asyncio Future following another future (asyncio or
// concurrent), with cancellation flowing back. Traces from native CPython 3.13.0: probes
// on a virtual-clock BaseEventLoop whose selector lets threads run only while the loop
// waits (asyncio.wrap_future, asyncio.futures._chain_future).

import { afterEach, describe, expect, it } from 'vitest';
import { ConcurrentFuture, EventLoop, Future, repr, sleep, threading, world, wrapFuture, type Coro } from '../../src/index.js';
import { _chainFuture } from '../../src/executor/chain-future.js';
import { runScenario, ticker } from '../_support/scenario.js';

afterEach(() => {
  world._reset();
});

describe('wrapFuture', () => {
  it('returns an asyncio Future as it is and follows a concurrent future completed by a thread', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const c = new ConcurrentFuture<number>();
      const w = wrapFuture(c);
      log(`same ${wrapFuture(w) === w} loop ${w.getLoop() === loop} ${w instanceof Future}`);
      const t = new threading.Thread({
        target: () => {
          log('setter');
          c.setRunningOrNotifyCancel();
          c.setResult(5);
        },
      });
      t.start();
      w.addDoneCallback(() => log('w done cb'));
      ticker(loop, log, 5);
      log(`got ${yield* w}`);
      t.join();
    });
    expect(trace).toEqual([
      [0, 'same true loop true true'],
      [0, 'setter'],
      [0, 'tick 0'],
      [0, 'tick 1'],
      [0, 'w done cb'],
      [0, 'got 5'],
      [0, 'tick 2'],
      ['return', 'None'],
    ]);
  });

  it('cancels the concurrent future when the wrapper is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const c = new ConcurrentFuture();
      c.addDoneCallback((f) => log(`c done cb cancelled=${f.cancelled()}`));
      const w = wrapFuture(c, { loop });
      ticker(loop, log, 4);
      log(`cancel ${w.cancel()}`);
      yield* sleep(0);
      log(`c cancelled ${c.cancelled()}`);
      yield* sleep(0);
      yield* sleep(0);
    });
    expect(trace).toEqual([
      [0, 'cancel true'],
      [0, 'tick 0'],
      [0, 'c done cb cancelled=true'],
      [0, 'c cancelled true'],
      [0, 'tick 1'], [0, 'tick 2'], [0, 'tick 3'],
      ['return', 'None'],
    ]);
  });

  it('carries a value that is not an Error, set on the concurrent future, to the wrapper (docs/divergences.md, "Thrown values")', () => {
    const trace = runScenario(function* main({ log }): Coro<void> {
      const c = new ConcurrentFuture<number>();
      const w = wrapFuture(c);
      c.setRunningOrNotifyCancel();
      c.setException('failed');
      try {
        yield* w;
      } catch (e) {
        log(`raised ${repr(e)}`);
      }
    });
    expect(trace).toEqual([[0, "raised 'failed'"], ['return', 'None']]);
  });

  it('refuses what is not a future', () => {
    // CPython 3.13 asserts: AssertionError('concurrent.futures.Future is expected, got 1')
    expect(() => wrapFuture(1 as never, { loop: new EventLoop() })).toThrow(/^concurrent\.futures\.Future is expected, got 1$/);
  });
});

describe('_chainFuture', () => {
  it('copies the state of a future into one of the same loop from its done callback', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const a = loop.createFuture<number>();
      const b = loop.createFuture<number>();
      _chainFuture(a as Future<unknown>, b as Future<unknown>);
      b.addDoneCallback((f) => log(`b done ${f.result()}`));
      ticker(loop, log, 4);
      a.setResult(1);
      yield* sleep(0);
      yield* sleep(0);
    });
    expect(trace).toEqual([[0, 'tick 0'], [0, 'tick 1'], [0, 'b done 1'], [0, 'tick 2'], ['return', 'None']]);
  });

  it('cancels the source when the destination is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const c = loop.createFuture();
      const d = loop.createFuture();
      _chainFuture(c, d);
      c.addDoneCallback((f) => log(`c done cancelled=${f.cancelled()}`));
      ticker(loop, log, 4);
      log(`cancel d ${d.cancel()}`);
      yield* sleep(0);
      yield* sleep(0);
    });
    expect(trace).toEqual([
      [0, 'cancel d true'], [0, 'tick 0'], [0, 'tick 1'], [0, 'c done cancelled=true'], [0, 'tick 2'], ['return', 'None'],
    ]);
  });
});
