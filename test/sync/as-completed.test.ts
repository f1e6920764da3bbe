// Expected values come from running the same program on CPython 3.13.2 (pyodide).
// CPython builds its set of futures from set(aws), whose order depends on addresses
// (docs/divergences.md, "Set order"): the scenarios below never depend on the order in
// which several coroutines passed to one asCompleted() call start.

import { describe, expect, it, vi } from 'vitest';
import {
  asCompleted, createTask, currentTask, allTasks, EventLoop, Event, PriorityQueue, Queue, repr, run, RuntimeError,
  setEventLoop, sleep, TimeoutError, ValueError, type Coro, type Future, type Task,
} from '../../src/index.js';
import { getRunningLoop } from '../../src/events/running-loop.js';
import { py } from '../_support/python.js';
import { runScenario, taskNumber, ticker, type Scene } from '../_support/scenario.js';


function* w(n: string, d: number): Coro<string> {
  yield* sleep(d);
  return n;
}

describe('asCompleted', () => {
  it('hands out results in completion order, and TimeoutError once the timeout passes', () => {
    const out: unknown[] = [];
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      for (const c of asCompleted([w('a', 3), w('b', 1), w('c', 2)])) out.push([yield* c, loop.time()]);
      for (const c of asCompleted([w('x', 1), w('y', 5)], { timeout: 2 })) {
        try {
          out.push([yield* c, loop.time()]);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          out.push(['timeout', loop.time(), repr(e)]);
        }
      }
    }
    run(main());
    expect(out).toEqual([['b', 1], ['c', 2], ['a', 3], ['x', 4], ['timeout', 5, 'TimeoutError()']]);
  });

  it('resumes the caller in the iteration after each completion is queued (iteration-exact)', () => {
    // Tasks made beforehand fix the order of the steps within an iteration (coroutines
    // passed together would start in CPython's set order).
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string> {
      function* now(): Coro<string> {
        return 'now';
      }
      function* one(): Coro<string> {
        yield* sleep(0);
        return 'one';
      }
      function* two(): Coro<string> {
        yield* sleep(0);
        yield* sleep(0);
        return 'two';
      }
      function* later(d: number): Coro<string> {
        yield* sleep(d);
        return `later ${d}`;
      }
      ticker(loop, log, 7);
      const tTwo = createTask(two());
      const tOne = createTask(one());
      const tLater1 = createTask(later(1));
      const tLater05 = createTask(later(0.5));
      const it = asCompleted([tLater1, tTwo, tLater05, tOne, now()]);
      log('called');
      for (const c of it) {
        const r = yield* c;
        log(`got ${repr(r)}`);
      }
      return 'end';
    });
    expect(trace).toEqual([
      [0, 'called'], [0, 'tick 0'], [0, 'tick 1'], [0, 'tick 2'], [0, "got 'now'"], [0, "got 'one'"], [0, 'tick 3'],
      [0, 'tick 4'], [0, "got 'two'"], [0, 'tick 5'], [0, 'tick 6'], [0, 'tick 7'], [0.5, "got 'later 0.5'"],
      [1, "got 'later 1'"], ['return', "'end'"],
    ]);
  });

  it('hands out awaitables that finish at the same time in the order they complete', () => {
    // Tasks with equal deadlines complete in timer order; futures in the order they are set.
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const t1 = createTask(w('t1', 1));
      const t2 = createTask(w('t2', 1));
      const t3 = createTask(w('t3', 1));
      for (const c of asCompleted([t3, t1, t2])) log(`got ${repr(yield* c)}`);
      const [f1, f2, f3] = [loop.createFuture<string>(), loop.createFuture<string>(), loop.createFuture<string>()];
      loop.callLater(1, () => {
        f2.setResult('f2');
        f3.setResult('f3');
        f1.setResult('f1');
      });
      for (const c of asCompleted([f1, f2, f3])) log(`got ${repr(yield* c)}`);
    });
    expect(trace).toEqual([
      [1, "got 't1'"], [1, "got 't2'"], [1, "got 't3'"], [2, "got 'f2'"], [2, "got 'f3'"], [2, "got 'f1'"], ['return', 'None'],
    ]);
  });

  it('throws an exception from the await that receives it; the other results keep coming', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* bad(): Coro<string> {
        yield* sleep(1);
        throw new ValueError('bad');
      }
      for (const c of asCompleted([w('a', 2), bad(), w('b', 0.5), w('c', 3)])) {
        try {
          log(`got ${repr(yield* c)}`);
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          log(`caught ${repr(e)}`);
        }
      }
    });
    expect(trace).toEqual([
      [0.5, "got 'b'"], [1, "caught ValueError('bad')"], [2, "got 'a'"], [3, "got 'c'"], ['return', 'None'],
    ]);
  });

  it('runs an awaitable passed twice once, with one iteration per distinct awaitable', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(n: string, d: number): Coro<string> {
        log(`${n} runs`);
        yield* sleep(d);
        return n;
      }
      const c = child('c', 1);
      const f = loop.createFuture<string>();
      loop.callLater(2, (v: string) => f.setResult(v), 'f');
      const t = createTask(child('t', 0.5));
      let n = 0;
      for (const x of asCompleted([c, f, c, t, f, t])) {
        n++;
        log(`${n}: ${repr(yield* x)}`);
      }
      log(`iterations ${n}`);
    });
    expect(trace).toEqual([
      [0, 't runs'], [0, 'c runs'], [0.5, "1: 't'"], [1, "2: 'c'"], [2, "3: 'f'"], [2, 'iterations 3'], ['return', 'None'],
    ]);
  });

  it('accepts futures, tasks and coroutines together; an already-done future comes first', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const done = loop.createFuture<string>();
      done.setResult('done');
      const f = loop.createFuture<string>();
      loop.callLater(0.5, (v: string) => f.setResult(v), 'fut');
      const t = createTask(w('task', 1.5));
      ticker(loop, log, 2);
      for (const c of asCompleted([t, w('coro', 1), f, done])) log(`got ${repr(yield* c)}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'tick 1'], [0, "got 'done'"], [0, 'tick 2'], [0.5, "got 'fut'"], [1, "got 'coro'"],
      [1.5, "got 'task'"], ['return', 'None'],
    ]);
  });

  it('throws TimeoutError from every await left at the timeout without cancelling the awaitables', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(n: string, d: number): Coro<string> {
        yield* sleep(d);
        log(`${n} done`);
        return n;
      }
      const ty = createTask(child('y', 5));
      const tz = createTask(child('z', 3));
      for (const c of asCompleted([child('x', 1), ty, tz], { timeout: 2 })) {
        try {
          log(`got ${repr(yield* c)}`);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          log(`timeout ${repr(e)} y.done=${py(ty.done())} z.done=${py(tz.done())}`);
        }
      }
      log(`scheduled ${loop._scheduled.map((h) => h.when()).join(' ')}`);
      yield* sleep(4);
      log(`y=${ty.result()} z=${tz.result()}`);
    });
    expect(trace).toEqual([
      [1, 'x done'], [1, "got 'x'"], [2, 'timeout TimeoutError() y.done=False z.done=False'],
      [2, 'timeout TimeoutError() y.done=False z.done=False'], [2, 'scheduled 3 5'], [3, 'z done'], [5, 'y done'],
      [6, 'y=y z=z'], ['return', 'None'],
    ]);
  });

  it('cancels the timeout timer when everything completes before it', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const it = asCompleted([w('p', 1), w('q', 2)], { timeout: 10 });
      const h = loop._scheduled[0]!;
      log(`scheduled ${loop._scheduled.length} ${h.when()} ${py(h.cancelled())}`);
      for (const c of it) log(`got ${repr(yield* c)} ${py(h.cancelled())}`);
      log(`scheduled ${loop._scheduled.length} ${repr(h)}`);
    });
    expect(trace).toEqual([
      [0, 'scheduled 1 10 False'], [1, "got 'p' False"], [2, "got 'q' True"], [2, 'scheduled 0 <TimerHandle cancelled when=10.0>'],
      ['return', 'None'],
    ]);
  });

  it('shows its callbacks as bound methods, with no source site', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const f = loop.createFuture<number>();
      asCompleted([f], { timeout: 1 });
      log(repr(f));
      log(repr(loop._scheduled[0]));
      f.setResult(1);
      yield* sleep(0);
    });
    expect(trace).toEqual([
      [0, '<Future pending cb=[_AsCompletedIterator._handle_completion()]>'],
      [0, '<TimerHandle when=1.0 _AsCompletedIterator._handle_timeout()>'], ['return', 'None'],
    ]);
  });

  it('gives no iteration and schedules no timer for an empty iterable', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const it = asCompleted([], { timeout: 1 });
      log(`scheduled ${loop._scheduled.length}`);
      log(`list ${[...it].length}`);
      let n = 0;
      for (const c of asCompleted(new Set<Future<unknown>>().values())) {
        n++;
        yield* c;
      }
      log(`n ${n}`);
      yield* sleep(0);
    });
    expect(trace).toEqual([[0, 'scheduled 0'], [0, 'list 0'], [0, 'n 0'], ['return', 'None']]);
  });

  it('refuses a single future, task or coroutine with a TypeError', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* child(): Coro<number> {
        return 1;
      }
      const attempt = (aws: unknown, options?: { timeout: number }): void => {
        try {
          asCompleted(aws as Iterable<Future<unknown>>, options);
          log('no error');
        } catch (e) {
          if (!(e instanceof TypeError)) throw e;
          log(`${e.constructor.name} ${e.message}`);
        }
      };
      attempt(loop.createFuture());
      const c = child();
      attempt(c);
      c.return(undefined as never);
      const t = createTask(child());
      attempt(t, { timeout: 1 });
      yield* t;
      log(`scheduled ${loop._scheduled.length}`);
    });
    expect(trace).toEqual([
      [0, 'TypeError expects an iterable of awaitables, not Future'],
      [0, 'TypeError expects an iterable of awaitables, not coroutine'],
      [0, 'TypeError expects an iterable of awaitables, not Task'], [0, 'scheduled 0'], ['return', 'None'],
    ]);
  });

  it('wraps coroutines in tasks when called, before a task created right after', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const started: string[] = [];
      function* child(n: string, d: number): Coro<string> {
        started.push(n);
        yield* sleep(d);
        return n;
      }
      function* after(): Coro<void> {
        log(`after starts; started before: ${[...started].sort().join(' ')}`);
      }
      const me = taskNumber(currentTask() as Task<void>);
      const it = asCompleted([child('a', 1), child('b', 2)]);
      const t = createTask(after());
      const others = [...allTasks()].filter((x) => x !== currentTask() && x !== t);
      const rel = others.map((x) => taskNumber(x as Task<unknown>) - me).sort((a, b) => a - b);
      log(`asCompleted tasks ${rel.join(' ')} after ${taskNumber(t) - me}`);
      yield* sleep(0);
      log('slept');
      const res: string[] = [];
      for (const c of it) res.push(yield* c);
      log(`res ${repr(res)}`);
    });
    expect(trace).toEqual([
      [0, 'asCompleted tasks 1 2 after 3'], [0, 'after starts; started before: a b'], [0, 'slept'],
      [2, "res ['a', 'b']"], ['return', 'None'],
    ]);
  });

  it('works outside a running loop on the current loop, and needs one', () => {
    const out: unknown[] = [];
    const loop = new EventLoop();
    setEventLoop(loop);
    try {
      const it = asCompleted([w('a', 1), w('b', 0.5)], { timeout: 0.7 });
      const ts = [...allTasks(loop)];
      out.push([ts.length, ts.every((t) => t.getLoop() === loop), ts.map((t) => t.done()), loop._scheduled.map((h) => h.when())]);
      for (const c of it) {
        try {
          out.push([loop.runUntilComplete(c), loop.time()]);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          out.push([repr(e), loop.time()]);
        }
      }
      loop.runUntilComplete(sleep(1));
      out.push(ts.map((t) => t.result()).sort());
      setEventLoop(undefined);
      const c = w('c', 1);
      try {
        asCompleted([c]);
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        out.push(repr(e));
      }
      c.return(undefined as never);
    } finally {
      setEventLoop(undefined);
      loop.close();
    }
    expect(out).toEqual([
      [2, true, [false, false], [0.7]], ['b', 0.5], ['TimeoutError()', 0.7], ['a', 'b'],
      `RuntimeError("There is no current event loop in thread 'MainThread'.")`,
    ]);
  });
});

describe('Queue reprs', () => {
  it('prints str and repr forms as asyncio does', () => {
    const out: string[] = [];
    function* main(): Coro<void> {
      const q = new Queue(2);
      out.push(repr(q).slice(0, 9), String(q));
      q.putNowait(1);
      q.putNowait(2);
      out.push(String(q));
      const pq = new PriorityQueue<[number, string]>();
      for (const item of [[2, 'b'], [1, 'z'], [1, 'a'], [3, 'c']] as [number, string][]) pq.putNowait(item);
      out.push(`${String(pq)} ${repr([0, 1, 2, 3].map(() => pq.getNowait()))}`);
      const ev = new Event();
      out.push(`${repr(ev).slice(0, 24)} ${repr(ev).slice(-8)}`);
      yield;
    }
    run(main());
    expect(out).toEqual([
      '<Queue at',
      '<Queue maxsize=2>',
      '<Queue maxsize=2 _queue=[1, 2] tasks=2>',
      "<PriorityQueue maxsize=0 _queue=[(1, 'a'), (2, 'b'), (1, 'z'), (3, 'c')] tasks=4> [[1, 'a'], [1, 'z'], [2, 'b'], [3, 'c']]",
      '<asyncio.locks.Event obj [unset]>',
    ]);
  });
});

// Regression (issue 16): the completed futures waited in a Queue whose items were an
// array, shifted at every step (quadratic past about 16k items).
describe('asCompleted over many futures', () => {
  it('hands out 10^5 results in completion order before the timeout, without copying an array', () => {
    const n = 100_000;
    const spies = [vi.spyOn(Array.prototype, 'shift'), vi.spyOn(Array.prototype, 'splice'), vi.spyOn(Array.prototype, 'indexOf')];
    let inOrder = true;
    let count = 0;
    let end = -1;
    try {
      const loop = new EventLoop();
      loop.runUntilComplete((function* main(): Coro<void> {
        const futs = Array.from({ length: n }, () => loop.createFuture<number>());
        // Completed last to first, every one in its own callback.
        for (let i = n - 1; i >= 0; i--) loop.callSoon(() => futs[i]!.setResult(i));
        for (const c of asCompleted(futs, { timeout: 10 })) {
          if ((yield* c) !== n - 1 - count) inOrder = false;
          count++;
        }
        end = loop.time();
      })());
      loop.close();
    } finally {
      vi.restoreAllMocks();
    }
    expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
    expect({ inOrder, count, end }).toEqual({ inOrder: true, count: n, end: 0 });
  });
});
