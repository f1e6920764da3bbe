// wait(): FIRST_COMPLETED / FIRST_EXCEPTION / ALL_COMPLETED, timeouts that return the
// pending set instead of raising, completions in the same iteration, loop iterations,
// and the argument errors. Every expectation is CPython 3.13.2's output for the
// equivalent Python program (run on the virtual-clock oracle). CPython's sets are in
// address order, so done/pending are compared as sorted lists of task names.

import { describe, expect, it } from 'vitest';
import {
  ALL_COMPLETED, CancelledError, createTask, FIRST_COMPLETED, FIRST_EXCEPTION, gather, repr, sleep, ValueError, wait,
  type Coro, type Future, type ReturnWhen, type Task,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';

// Python: sorted(f.get_name() for f in s), as its repr.
function names(s: Set<Future<unknown>>): string {
  return repr([...s].map((f) => (f as Task<unknown>).getName()).sort());
}

function* work(log: (e: string) => void, name: string, d: number, exc?: Error): Coro<string> {
  yield* sleep(d);
  log(`${name} finishes`);
  if (exc !== undefined) throw exc;
  return name;
}

describe('wait', () => {
  it('waits for all futures by default and returns Sets', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const a = createTask(work(log, 'a', 0.1), { name: 'a' });
      const b = createTask(work(log, 'b', 0.15), { name: 'b' });
      const [done, pending] = yield* wait([a, b]);
      log(`done=${names(done)} pending=${names(pending)} ${done.constructor.name} ${pending.constructor.name}`);
    });
    expect(trace).toEqual([
      [0.1, 'a finishes'], [0.15, 'b finishes'], [0.15, "done=['a', 'b'] pending=[] Set Set"], ['return', 'None'],
    ]);
  });

  it('returns at the first completion with FIRST_COMPLETED; a cancelled future counts as completed', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const a = createTask(work(log, 'a', 10), { name: 'a' });
      const b = createTask(work(log, 'b', 0.1), { name: 'b' });
      let [done, pending] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
      log(`done=${names(done)} pending=${names(pending)}`);
      a.cancel();
      [done, pending] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
      log(`done=${names(done)} pending=${names(pending)} a.cancelled=${a.cancelled() ? 'True' : 'False'}`);
    });
    expect(trace).toEqual([
      [0.1, 'b finishes'], [0.1, "done=['b'] pending=['a']"], [0.1, "done=['a', 'b'] pending=[] a.cancelled=True"],
      ['return', 'None'],
    ]);
  });

  it('returns at the first exception with FIRST_EXCEPTION; a cancellation is not one', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const a = createTask(work(log, 'a', 10), { name: 'a' });
      const b = createTask(work(log, 'b', 0.1, new ValueError('b')), { name: 'b' });
      const c = createTask(work(log, 'c', 0.05), { name: 'c' });
      let [done, pending] = yield* wait([a, b, c], { returnWhen: FIRST_EXCEPTION });
      log(`done=${names(done)} pending=${names(pending)} b.exc=${repr(b.exception())}`);
      const x = createTask(work(log, 'x', 0.1), { name: 'x' });
      const y = createTask(work(log, 'y', 0.2), { name: 'y' });
      const z = createTask(work(log, 'z', 10), { name: 'z' });
      loop.callLater(0.05, () => z.cancel());
      [done, pending] = yield* wait([x, y, z], { returnWhen: FIRST_EXCEPTION });
      log(`done=${names(done)} pending=${names(pending)}`);
      a.cancel();
    });
    expect(trace).toEqual([
      [0.05, 'c finishes'], [0.1, 'b finishes'], [0.1, "done=['b', 'c'] pending=['a'] b.exc=ValueError('b')"],
      [0.2, 'x finishes'], [0.30000000000000004, 'y finishes'], [0.30000000000000004, "done=['x', 'y', 'z'] pending=[]"],
      ['return', 'None'],
    ]);
  });

  it('returns the unfinished futures as pending when the timeout passes, without raising', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const a = createTask(work(log, 'a', 10), { name: 'a' });
      const b = createTask(work(log, 'b', 0.1), { name: 'b' });
      let [done, pending] = yield* wait([a, b], { timeout: 0.5 });
      log(`done=${names(done)} pending=${names(pending)}`);
      const c = createTask(work(log, 'c', 0.2), { name: 'c' });
      [done, pending] = yield* wait([c], { timeout: 5 });
      const timers = loop._scheduled.filter((h) => !h.cancelled()).map((h) => h.when());
      // Python prints the float 10.0; a JavaScript number array prints 10.
      log(`done=${names(done)} pending=${names(pending)} timers=[${timers.join(', ')}]`);
      [done, pending] = yield* wait([a], { timeout: 0 });
      log(`done=${names(done)} pending=${names(pending)}`);
      [done, pending] = yield* wait([a], { timeout: -1 });
      log(`done=${names(done)} pending=${names(pending)}`);
      a.cancel();
    });
    expect(trace).toEqual([
      [0.1, 'b finishes'], [0.5, "done=['b'] pending=['a']"], [0.7, 'c finishes'],
      [0.7, "done=['c'] pending=[] timers=[10]"], [0.7, "done=[] pending=['a']"], [0.7, "done=[] pending=['a']"],
      ['return', 'None'],
    ]);
  });

  it('puts every future that finished in the same iteration in done, even with FIRST_COMPLETED', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const a = createTask(work(log, 'a', 0.1), { name: 'a' });
      const b = createTask(work(log, 'b', 0.1), { name: 'b' });
      const [done, pending] = yield* wait([a, b], { returnWhen: FIRST_COMPLETED });
      log(`done=${names(done)} pending=${names(pending)}`);
      function* c1(): Coro<void> {
        yield;
      }
      function* c2(): Coro<void> {
        yield;
        yield;
      }
      const x = createTask(c1(), { name: 'x' });
      const y = createTask(c2(), { name: 'y' });
      const [done2, pending2] = yield* wait([y, x], { returnWhen: FIRST_COMPLETED });
      log(`done=${names(done2)} pending=${names(pending2)}`);
    });
    expect(trace).toEqual([
      [0.1, 'a finishes'], [0.1, 'b finishes'], [0.1, "done=['a', 'b'] pending=[]"], [0.1, "done=['x', 'y'] pending=[]"],
      ['return', 'None'],
    ]);
  });

  it('takes two iterations after a completion, even for futures already done; duplicates count once', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* quick(): Coro<void> {
        log('quick runs');
      }
      ticker(loop, log, 6);
      const t = createTask(quick(), { name: 'q' });
      let [done] = yield* wait([t]);
      log(`wait 1 returns ${names(done)}`);
      [done] = yield* wait([t, t]);
      log(`wait 2 returns ${names(done)} ${done.size}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'quick runs'], [0, 'tick 1'], [0, 'tick 2'], [0, "wait 1 returns ['q']"], [0, 'tick 3'],
      [0, 'tick 4'], [0, "wait 2 returns ['q'] 1"], [0, 'tick 5'], ['return', 'None'],
    ]);
  });

  it('accepts any iterable of futures, such as an iterator', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const a = createTask(work(log, 'a', 0.1), { name: 'a' });
      const [done, pending] = yield* wait([a].values());
      log(`done=${names(done)} pending=${names(pending)}`);
    });
    expect(trace).toEqual([[0.1, 'a finishes'], [0.1, "done=['a'] pending=[]"], ['return', 'None']]);
  });

  it('leaves the futures pending and detached when the waiting task is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f = loop.createFuture();
      const t = createTask(wait([f]));
      yield;
      log(normaliseSites(repr(f)));
      t.cancel();
      try {
        yield* t;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`wait raised ${repr(e)}`);
      }
      log(repr(f));
    });
    expect(trace).toEqual([
      [0, '<Future pending cb=[_wait.<locals>._on_completion() at F:L]>'], [0, 'wait raised CancelledError()'],
      [0, '<Future pending>'], ['return', 'None'],
    ]);
  });

  it('rejects bad arguments when awaited, with CPython messages', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f = loop.createFuture();
      const t = createTask(sleep(1));
      function* coro(): Coro<void> {}
      const c = coro();
      const g = gather(f);
      const calls: [string, () => Coro<unknown>][] = [
        ['empty', () => wait([])],
        ['empty set', () => wait(new Set<Future<unknown>>())],
        ['bogus', () => wait([f], { returnWhen: 'bogus' as ReturnWhen })],
        ['coroutines', () => wait([f, c] as Future<unknown>[])],
        ['future', () => wait(f as never)],
        ['task', () => wait(t as never)],
        ['gather', () => wait(g as never)],
        ['coroutine', () => wait(c as never)],
      ];
      for (const [what, call] of calls) {
        try {
          yield* call();
        } catch (e) {
          if (!(e instanceof TypeError || e instanceof ValueError)) throw e;
          log(`${what}: ${e.constructor.name}(${repr(e.message)})`);
        }
      }
      c.return();
      t.cancel();
      f.cancel();
      yield;
      g.exception();
    });
    expect(trace).toEqual([
      [0, "empty: ValueError('Set of Tasks/Futures is empty.')"],
      [0, "empty set: ValueError('Set of Tasks/Futures is empty.')"],
      [0, "bogus: ValueError('Invalid return_when value: bogus')"],
      [0, "coroutines: TypeError('Passing coroutines is forbidden, use tasks explicitly.')"],
      [0, "future: TypeError('expect a list of futures, not Future')"],
      [0, "task: TypeError('expect a list of futures, not Task')"],
      [0, "gather: TypeError('expect a list of futures, not _GatheringFuture')"],
      [0, "coroutine: TypeError('expect a list of futures, not coroutine')"],
      ['return', 'None'],
    ]);
  });

  it('raises the errors as their classes with exactly these messages', () => {
    const trace = runScenario(function* main({ loop: l }: Scene): Coro<void> {
      const f = l.createFuture();
      yield* expectThrow(() => wait([]), ValueError, /^Set of Tasks\/Futures is empty\.$/);
      yield* expectThrow(() => wait([f], { returnWhen: 'x' as ReturnWhen }), ValueError, /^Invalid return_when value: x$/);
      yield* expectThrow(() => wait(f as never), TypeError, /^expect a list of futures, not Future$/);
      yield* expectThrow(() => wait([f], { returnWhen: ALL_COMPLETED, timeout: 0 }), undefined, undefined);
    });
    expect(trace).toEqual([['return', 'None']]);
  });
});

// Await `call()` and check that it raises `cls` with a message matching `re` (or, when
// `cls` is undefined, that it does not raise).
function* expectThrow(call: () => Coro<unknown>, cls: (new (...a: never[]) => Error) | undefined, re: RegExp | undefined): Coro<void> {
  let thrown: unknown;
  try {
    yield* call();
  } catch (e) {
    thrown = e;
  }
  if (cls === undefined) {
    expect(thrown).toBeUndefined();
    return;
  }
  expect(thrown).toBeInstanceOf(cls);
  expect((thrown as Error).message).toMatch(re!);
}
