// Event: set/clear/wait/isSet, set() waking every waiter in order, a set-clear-set
// sequence waking an existing waiter exactly once, cancellation, and reprs. Every
// expectation is CPython 3.13.2's output for the equivalent Python program (run on the
// virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, Event, gather, repr, type Coro } from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { r, sleep0 } from './_support.js';

describe('Event', () => {
  it('starts unset; set, clear and wait on a set event behave as flags', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const ev = new Event();
      log(`${py(ev.isSet())} ${r(ev)}`);
      ev.set();
      log(`${py(ev.isSet())} ${r(ev)}`);
      log(`wait on set -> ${py(yield* ev.wait())}`);
      ev.clear();
      log(`${py(ev.isSet())} ${r(ev)}`);
      ev.clear();
      log(py(ev.isSet()));
    });
    expect(trace).toEqual([
      [0, 'False <asyncio.locks.Event object at 0x? [unset]>'], [0, 'True <asyncio.locks.Event object at 0x? [set]>'],
      [0, 'wait on set -> True'], [0, 'False <asyncio.locks.Event object at 0x? [unset]>'], [0, 'False'],
      ['return', 'None'],
    ]);
  });

  it('wakes every waiter in the order they started waiting, in the next iteration', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const ev = new Event();
      function* c(n: number): Coro<number> {
        const got = yield* ev.wait();
        log(`c${n} woke ${py(got)}`);
        return n;
      }
      ticker(loop, log, 4);
      const t1 = createTask(c(1));
      const t2 = createTask(c(2));
      yield* sleep0();
      log(r(ev));
      const t3 = createTask(c(3));
      ev.set();
      log(`set ${r(ev)}`);
      yield* sleep0();
      log(`${t1.result()} ${t2.result()} ${t3.result()} ${r(ev)}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, '<asyncio.locks.Event object at 0x? [unset, waiters:2]>'],
      [0, 'set <asyncio.locks.Event object at 0x? [set, waiters:2]>'], [0, 'tick 1'], [0, 'c3 woke True'],
      [0, 'c1 woke True'], [0, 'c2 woke True'], [0, '1 2 3 <asyncio.locks.Event object at 0x? [set]>'], [0, 'tick 2'],
      ['return', 'None'],
    ]);
  });

  it('wakes its waiters at the virtual time set() is called', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const ev = new Event();
      loop.callLater(1.5, () => ev.set());
      function* w(n: number): Coro<void> {
        yield* ev.wait();
        log(`w${n} woke`);
      }
      const ts = [0, 1, 2].map((i) => createTask(w(i)));
      yield* ev.wait();
      log('main woke');
      yield* gather(...ts);
    });
    expect(trace).toEqual([[1.5, 'main woke'], [1.5, 'w0 woke'], [1.5, 'w1 woke'], [1.5, 'w2 woke'], ['return', 'None']]);
  });

  it('wakes an existing waiter exactly once after set(); clear(); set() (test_clear_with_waiters)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const ev = new Event();
      let count = 0;
      function* c1(): Coro<boolean> {
        const got = yield* ev.wait();
        count += 1;
        log(`c1 woke ${py(got)}`);
        return got;
      }
      ticker(loop, log, 3);
      const t = createTask(c1());
      yield* sleep0();
      ev.set();
      ev.clear();
      log(`set+clear is_set=${py(ev.isSet())} ${r(ev)}`);
      ev.set();
      ev.set();
      log(`set+set ${r(ev)}`);
      yield* sleep0();
      log(`count=${count} ${r(ev)} done=${py(t.done())} result=${py(t.result())}`);
      yield* sleep0();
      log(`count=${count}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'set+clear is_set=False <asyncio.locks.Event object at 0x? [unset, waiters:1]>'],
      [0, 'set+set <asyncio.locks.Event object at 0x? [set, waiters:1]>'], [0, 'tick 1'], [0, 'c1 woke True'],
      [0, 'count=1 <asyncio.locks.Event object at 0x? [set]> done=True result=True'], [0, 'tick 2'], [0, 'count=1'],
      [0, 'tick 3'], ['return', 'None'],
    ]);
  });

  it('still wakes a waiter when the event is cleared again before the waiter runs', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const ev = new Event();
      function* c(): Coro<void> {
        yield* ev.wait();
        log(`woke is_set=${py(ev.isSet())}`);
      }
      const t = createTask(c());
      yield* sleep0();
      ev.set();
      ev.clear();
      yield* t;
      log(r(ev));
    });
    expect(trace).toEqual([[0, 'woke is_set=False'], [0, '<asyncio.locks.Event object at 0x? [unset]>'], ['return', 'None']]);
  });

  it('forgets a cancelled waiter', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const ev = new Event();
      const w = createTask(ev.wait());
      loop.callSoon(() => w.cancel());
      yield* sleep0();
      log(r(ev));
      try {
        yield* w;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`raised ${repr(e)}`);
      }
      log(r(ev));
      ev.set();
      log(r(ev));
    });
    expect(trace).toEqual([
      [0, '<asyncio.locks.Event object at 0x? [unset, waiters:1]>'], [0, 'raised CancelledError()'],
      [0, '<asyncio.locks.Event object at 0x? [unset]>'], [0, '<asyncio.locks.Event object at 0x? [set]>'],
      ['return', 'None'],
    ]);
  });

  it('gives String() the same text as repr()', () => {
    const ev = new Event();
    expect(String(ev)).toBe(repr(ev));
    expect(normaliseSites(String(ev))).toBe('<asyncio.locks.Event object at 0x? [unset]>');
  });
});
