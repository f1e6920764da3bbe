// Queue, LifoQueue and PriorityQueue: the three disciplines (heapq order for equal
// priorities, arrays as tuples, TypeError for incomparable items), maxsize with blocked
// putters and getters, the nowait errors, taskDone/join, cancelled putters and getters
// that must not lose or reorder items, and the str/repr forms (shutdown() is in
// queue-shutdown.test.ts). Every expectation is CPython 3.13.2's output for the
// equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, gather, LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, repr, sleep,
  ValueError, type Coro,
} from '../../src/index.js';
import { reprTuple } from '../../src/format/py-repr.js';
import { expectType, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { CLASSES, r, s, sleep0 } from './_support.js';

describe('Queue', () => {
  it('returns items first-in first-out, LifoQueue last-in first-out, PriorityQueue smallest first', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      for (const [name, Cls] of CLASSES) {
        const q = new Cls<number>();
        for (const i of [1, 3, 2, 5, 4]) yield* q.put(i);
        log(`${name} ${s(q)}`);
        const got: number[] = [];
        for (let i = 0; i < 5; i++) got.push(yield* q.get());
        log(`${name} ${repr(got)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'Queue <Queue maxsize=0 _queue=[1, 3, 2, 5, 4] tasks=5>'], [0, 'Queue [1, 3, 2, 5, 4]'],
      [0, 'LifoQueue <LifoQueue maxsize=0 _queue=[1, 3, 2, 5, 4] tasks=5>'], [0, 'LifoQueue [4, 5, 2, 3, 1]'],
      [0, 'PriorityQueue <PriorityQueue maxsize=0 _queue=[1, 3, 2, 5, 4] tasks=5>'], [0, 'PriorityQueue [1, 2, 3, 4, 5]'],
      ['return', 'None'],
    ]);
  });

  it('makes putters wait while full and wakes one per item taken', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const q = new Queue<number>({ maxsize: 2 });
      log(`maxsize=${q.maxsize} full=${py(q.full())} empty=${py(q.empty())} qsize=${q.qsize()}`);
      function* putter(): Coro<boolean> {
        for (let i = 0; i < 3; i++) {
          yield* q.put(i);
          log(`put ${i} ${s(q)}`);
        }
        return true;
      }
      ticker(loop, log, 6);
      const t = createTask(putter());
      yield* sleep0();
      yield* sleep0();
      log(`full=${py(q.full())} ${s(q)}`);
      log(`got ${yield* q.get()} ${s(q)}`);
      yield* sleep0();
      log(`got ${yield* q.get()}`);
      log(`got ${yield* q.get()} ${s(q)}`);
      log(`${py(t.done())} ${py(t.result())}`);
    });
    expect(trace).toEqual([
      [0, 'maxsize=2 full=False empty=True qsize=0'], [0, 'tick 0'], [0, 'put 0 <Queue maxsize=2 _queue=[0] tasks=1>'],
      [0, 'put 1 <Queue maxsize=2 _queue=[0, 1] tasks=2>'], [0, 'tick 1'],
      [0, 'full=True <Queue maxsize=2 _queue=[0, 1] _putters[1] tasks=2>'], [0, 'got 0 <Queue maxsize=2 _queue=[1] tasks=2>'],
      [0, 'tick 2'], [0, 'put 2 <Queue maxsize=2 _queue=[1, 2] tasks=3>'], [0, 'got 1'], [0, 'got 2 <Queue maxsize=2 tasks=3>'],
      [0, 'True True'], [0, 'tick 3'], ['return', 'None'],
    ]);
  });

  it('serves blocked getters in arrival order as items arrive', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const q = new Queue<string>();
      function* getter(n: number): Coro<string> {
        const item = yield* q.get();
        log(`g${n} got ${repr(item)}`);
        return item;
      }
      const ts = [0, 1, 2].map((n) => createTask(getter(n)));
      yield* sleep0();
      log(s(q));
      loop.callLater(1, (x: string) => q.putNowait(x), 'a');
      loop.callLater(2, (x: string) => q.putNowait(x), 'b');
      yield* sleep(3);
      q.putNowait('c');
      q.putNowait('d');
      log(s(q));
      yield* gather(...ts);
      log(s(q));
    });
    expect(trace).toEqual([
      [0, '<Queue maxsize=0 _getters[3]>'], [1, "g0 got 'a'"], [2, "g1 got 'b'"],
      [3, "<Queue maxsize=0 _queue=['c', 'd'] tasks=4>"], [3, "g2 got 'c'"], [3, "<Queue maxsize=0 _queue=['d'] tasks=4>"],
      ['return', 'None'],
    ]);
  });

  it('raises QueueEmpty and QueueFull from the nowait calls; full() follows maxsize', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      let q = new Queue<unknown>(1);
      try {
        q.getNowait();
      } catch (e) {
        log(`${repr(expectType(QueueEmpty, e))} ${repr(expectType(QueueEmpty, e).message)}`);
      }
      q.putNowait('x');
      try {
        q.putNowait('y');
      } catch (e) {
        log(`${repr(expectType(QueueFull, e))} ${s(q)}`);
      }
      log(`${repr(q.getNowait())} ${s(q)}`);
      for (const m of [0, -1]) {
        q = new Queue(m);
        for (let i = 0; i < 5; i++) q.putNowait(i);
        log(`maxsize=${q.maxsize} full=${py(q.full())} qsize=${q.qsize()}`);
      }
      q = new Queue({ maxsize: 1.3 });
      q.putNowait(1);
      log(`full=${py(q.full())}`);
      q.putNowait(2);
      log(`full=${py(q.full())} ${s(q)}`);
      try {
        q.putNowait(3);
      } catch (e) {
        log(repr(expectType(QueueFull, e)));
      }
    });
    expect(trace).toEqual([
      [0, "QueueEmpty() ''"], [0, "QueueFull() <Queue maxsize=1 _queue=['x'] tasks=1>"], [0, "'x' <Queue maxsize=1 tasks=1>"],
      [0, 'maxsize=0 full=False qsize=5'], [0, 'maxsize=-1 full=False qsize=5'], [0, 'full=False'],
      [0, 'full=True <Queue maxsize=1.3 _queue=[1, 2] tasks=2>'], [0, 'QueueFull()'], ['return', 'None'],
    ]);
  });

  it("releases join() once every item is marked done; one taskDone too many raises 'task_done() called too many times'", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<number>();
      yield* q.join();
      log('join on empty returns');
      try {
        q.taskDone();
      } catch (e) {
        log(repr(expectType(ValueError, e)));
      }
      for (let i = 0; i < 3; i++) q.putNowait(i);
      log(s(q));
      function* worker(): Coro<void> {
        for (;;) {
          const item = yield* q.get();
          yield* sleep(1);
          log(`done ${item}`);
          q.taskDone();
        }
      }
      function* joiner(): Coro<void> {
        yield* q.join();
        log(`joiner returns ${s(q)}`);
      }
      const w = createTask(worker());
      createTask(joiner());
      yield* q.join();
      log(`main join returns ${s(q)}`);
      yield* sleep0();
      w.cancel();
      q.putNowait(9);
      q.getNowait();
      log(s(q));
      q.taskDone();
      log(s(q));
      try {
        q.taskDone();
      } catch (e) {
        log(repr(expectType(ValueError, e)));
      }
    });
    expect(trace).toEqual([
      [0, 'join on empty returns'], [0, "ValueError('task_done() called too many times')"],
      [0, '<Queue maxsize=0 _queue=[0, 1, 2] tasks=3>'], [1, 'done 0'], [2, 'done 1'], [3, 'done 2'],
      [3, 'main join returns <Queue maxsize=0 _getters[1]>'], [3, 'joiner returns <Queue maxsize=0 _getters[1]>'],
      [3, '<Queue maxsize=0 tasks=1>'], [3, '<Queue maxsize=0>'], [3, "ValueError('task_done() called too many times')"],
      ['return', 'None'],
    ]);
  });

  it('passes the free slot of a cancelled putter on without reordering (test_put_cancelled_race)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<string>(1);
      const putA = createTask(q.put('a'));
      const putB = createTask(q.put('b'));
      const putC = createTask(q.put('X'));
      yield* sleep0();
      log(`a.done=${py(putA.done())} b.done=${py(putB.done())} ${s(q)}`);
      putC.cancel();
      yield* sleep0();
      log(`c.done=${py(putC.done())} ${s(q)}`);
      log(repr(q.getNowait()));
      yield* sleep0();
      log(repr(q.getNowait()));
      yield* putB;
      log(s(q));
    });
    expect(trace).toEqual([
      [0, "a.done=True b.done=False <Queue maxsize=1 _queue=['a'] _putters[2] tasks=1>"],
      [0, "c.done=True <Queue maxsize=1 _queue=['a'] _putters[1] tasks=1>"], [0, "'a'"], [0, "'b'"],
      [0, '<Queue maxsize=1 tasks=2>'], ['return', 'None'],
    ]);
  });

  it('hands an item to the next getter after one is cancelled (test_get_cancelled_race)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<string>();
      const t1 = createTask(q.get());
      const t2 = createTask(q.get());
      yield* sleep0();
      t1.cancel();
      yield* sleep0();
      log(`t1.done=${py(t1.done())} ${s(q)}`);
      yield* q.put('a');
      yield* sleep0();
      log(`${repr(yield* t2)} ${s(q)}`);
    });
    expect(trace).toEqual([
      [0, 't1.done=True <Queue maxsize=0 _getters[1]>'], [0, "'a' <Queue maxsize=0 tasks=1>"], ['return', 'None'],
    ]);
  });

  it('keeps the item of a woken getter cancelled before it runs (test_get_cancel_drop_one_pending_reader)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<number>();
      let reader = createTask(q.get());
      yield* sleep0();
      q.putNowait(1);
      q.putNowait(2);
      reader.cancel();
      log(s(q));
      try {
        yield* reader;
      } catch (e) {
        expectType(CancelledError, e);
        log(`reader cancelled ${s(q)}`);
        reader = createTask(q.get());
        yield* reader;
      }
      log(`${reader.result()} ${s(q)}`);
    });
    expect(trace).toEqual([
      [0, '<Queue maxsize=0 _queue=[1, 2] tasks=2>'], [0, 'reader cancelled <Queue maxsize=0 _queue=[1, 2] tasks=2>'],
      [0, '1 <Queue maxsize=0 _queue=[2] tasks=2>'], ['return', 'None'],
    ]);
  });

  it('gives both items to the other getters when one woken getter is cancelled', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<number>();
      function* rd(n: number): Coro<number> {
        try {
          const v = yield* q.get();
          log(`r${n} got ${v}`);
          return v;
        } catch (e) {
          expectType(CancelledError, e);
          log(`r${n} cancelled`);
          throw e;
        }
      }
      const rs = [0, 1, 2].map((n) => createTask(rd(n)));
      yield* sleep0();
      q.putNowait(1);
      q.putNowait(2);
      rs[0]!.cancel();
      const res = yield* gather(...rs, { returnExceptions: true });
      log(`${repr(res)} ${s(q)}`);
    });
    expect(trace).toEqual([
      [0, 'r0 cancelled'], [0, 'r1 got 1'], [0, 'r2 got 2'], [0, "[CancelledError(''), 1, 2] <Queue maxsize=0 tasks=2>"],
      ['return', 'None'],
    ]);
  });

  it('lets a retried put succeed after a woken putter is cancelled (test_put_cancel_drop)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<number>(1);
      q.putNowait(1);
      let writer = createTask(q.put(2));
      yield* sleep0();
      log(`${q.getNowait()} ${s(q)}`);
      writer.cancel();
      try {
        yield* writer;
      } catch (e) {
        expectType(CancelledError, e);
        log(`writer cancelled ${s(q)}`);
        writer = createTask(q.put(2));
        yield* writer;
      }
      log(`${q.getNowait()} qsize=${q.qsize()} ${s(q)}`);
    });
    expect(trace).toEqual([
      [0, '1 <Queue maxsize=1 tasks=1>'], [0, 'writer cancelled <Queue maxsize=1 tasks=1>'],
      [0, '2 qsize=0 <Queue maxsize=1 tasks=2>'], ['return', 'None'],
    ]);
  });

  it('raises only CancelledError for a putter already removed by getNowait (test_cancelled_put_silence_value_error_exception)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<number>(1);
      q.putNowait(1);
      const putTask = createTask(q.put(1));
      yield* sleep0();
      log(s(q));
      q.getNowait();
      log(s(q));
      putTask.cancel();
      try {
        yield* putTask;
      } catch (e) {
        log(`raised ${repr(expectType(CancelledError, e))} ${s(q)}`);
      }
    });
    expect(trace).toEqual([
      [0, '<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>'], [0, '<Queue maxsize=1 tasks=1>'],
      [0, 'raised CancelledError() <Queue maxsize=1 tasks=1>'], ['return', 'None'],
    ]);
  });

  it('shows maxsize, _queue, _getters[n], _putters[n], tasks and shutdown in str, and the id in repr', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const both = (q: Queue<unknown>): string => `${s(q)} | ${r(q)}`;
      let q = new Queue<unknown>();
      log(both(q));
      const g = createTask(q.get());
      yield* sleep0();
      log(both(q));
      q.putNowait(0);
      log(both(q));
      yield* g;
      log(both(q));
      q = new Queue<unknown>({ maxsize: 1 });
      q.putNowait(1);
      const p = createTask(q.put(2));
      yield* sleep0();
      log(both(q));
      q.getNowait();
      yield* p;
      log(both(q));
      q.shutdown();
      log(both(q));
      const lq = new LifoQueue<string>(3);
      lq.putNowait('a');
      lq.putNowait('b');
      const pq = new PriorityQueue<unknown>();
      pq.putNowait([2, 'x']);
      pq.putNowait([1, ['y', 'z']]);
      pq.putNowait([0, 'w']);
      log(both(lq));
      log(both(pq));
      const fq = new Queue<unknown>();
      fq.putNowait([1, 2]);
      fq.putNowait('s');
      fq.putNowait(undefined);
      log(s(fq));
      const pq2 = new PriorityQueue();
      pq2.shutdown();
      log(s(pq2));
    });
    expect(trace).toEqual([
      [0, '<Queue maxsize=0> | <Queue at 0x? maxsize=0>'],
      [0, '<Queue maxsize=0 _getters[1]> | <Queue at 0x? maxsize=0 _getters[1]>'],
      [0, '<Queue maxsize=0 _queue=[0] tasks=1> | <Queue at 0x? maxsize=0 _queue=[0] tasks=1>'],
      [0, '<Queue maxsize=0 tasks=1> | <Queue at 0x? maxsize=0 tasks=1>'],
      [0, '<Queue maxsize=1 _queue=[1] _putters[1] tasks=1> | <Queue at 0x? maxsize=1 _queue=[1] _putters[1] tasks=1>'],
      [0, '<Queue maxsize=1 _queue=[2] tasks=2> | <Queue at 0x? maxsize=1 _queue=[2] tasks=2>'],
      [0, '<Queue maxsize=1 _queue=[2] tasks=2 shutdown> | <Queue at 0x? maxsize=1 _queue=[2] tasks=2 shutdown>'],
      [0, "<LifoQueue maxsize=3 _queue=['a', 'b'] tasks=2> | <LifoQueue at 0x? maxsize=3 _queue=['a', 'b'] tasks=2>"],
      [0, "<PriorityQueue maxsize=0 _queue=[(0, 'w'), (2, 'x'), (1, ('y', 'z'))] tasks=3> | <PriorityQueue at 0x? maxsize=0 _queue=[(0, 'w'), (2, 'x'), (1, ('y', 'z'))] tasks=3>"],
      [0, "<Queue maxsize=0 _queue=[[1, 2], 's', None] tasks=3>"], [0, '<PriorityQueue maxsize=0 shutdown>'],
      ['return', 'None'],
    ]);
  });

  it('takes a maxsize that is not a number, and fails with TypeError in full(), so in every put', () => {
    // q = asyncio.Queue('2'); log(f'{q} {q.maxsize!r} {q.empty()}')
    // for f in (q.full, lambda: q.put_nowait(1)): try: f() / except TypeError as e: log(repr(e))
    // try: await q.put(1) / except TypeError as e: log(repr(e)); log(q.qsize())
    // q = asyncio.Queue(None) (and maxsize=None): try: q.put_nowait(1) / except TypeError as e: log(repr(e))
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new Queue<number>('2' as never);
      log(`${s(q)} ${repr(q.maxsize)} ${py(q.empty())}`);
      for (const f of [() => q.full(), () => q.putNowait(1)]) {
        try {
          f();
        } catch (e) {
          log(repr(expectType(TypeError, e)));
        }
      }
      try {
        yield* q.put(1);
      } catch (e) {
        log(repr(expectType(TypeError, e)));
      }
      log(String(q.qsize()));
      for (const none of [new Queue<number>(null as never), new Queue<number>({ maxsize: null as never })]) {
        try {
          none.putNowait(1);
        } catch (e) {
          log(repr(expectType(TypeError, e)));
        }
      }
    });
    const strInt = `TypeError("'<=' not supported between instances of 'str' and 'int'")`;
    expect(trace).toEqual([
      [0, "<Queue maxsize='2'> '2' True"], [0, strInt], [0, strInt], [0, strInt], [0, '0'],
      [0, `TypeError("'<=' not supported between instances of 'NoneType' and 'int'")`],
      [0, `TypeError("'<=' not supported between instances of 'NoneType' and 'int'")`],
      ['return', 'None'],
    ]);
  });
});

// A PriorityQueue holding `items`, put in that order with putNowait.
function filled<T>(items: readonly T[]): PriorityQueue<T> {
  const q = new PriorityQueue<T>();
  for (const item of items) q.putNowait(item);
  return q;
}

// Every item of `q`, taken with getNowait until it is empty.
function drain<T>(q: Queue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

// A Python list of tuples, as repr() shows it.
const tuples = (items: unknown[][]): string => `[${items.map((item) => reprTuple(item)).join(', ')}]`;

describe('PriorityQueue', () => {
  it('orders arrays as Python tuples, element by element, shorter first', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = filled<unknown[]>([[2, 'b'], [1, 'z'], [1, 'a'], [3, 'c'], [1, 'a', 0], [0], [2, 'a']]);
      log(s(q));
      log(tuples(drain(q)));
    });
    expect(trace).toEqual([
      [0, "<PriorityQueue maxsize=0 _queue=[(0,), (1, 'a', 0), (1, 'a'), (3, 'c'), (2, 'b'), (1, 'z'), (2, 'a')] tasks=7>"],
      [0, "[(0,), (1, 'a'), (1, 'a', 0), (1, 'z'), (2, 'a'), (2, 'b'), (3, 'c')]"], ['return', 'None'],
    ]);
  });

  it("returns items that compare equal in heapq's order, not in insertion order", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = filled<number | boolean>([true, 1, false, 0, 1, true, 0, false, 1]);
      log(s(q));
      log(repr(drain(q)));
      log(tuples(drain(filled<unknown[]>([[1, true], [1, 1], [0, 'x'], [1, false, 'a'], [1, 1], [true, true], [0, 'x']]))));
      log(repr(drain(filled(['b', 'B', 'ab', 'a', '', 'é', 'z']))));
    });
    expect(trace).toEqual([
      [0, '<PriorityQueue maxsize=0 _queue=[False, 0, 0, False, 1, True, True, 1, 1] tasks=9>'],
      [0, '[False, 0, 0, False, True, True, 1, 1, 1]'],
      [0, "[(0, 'x'), (0, 'x'), (1, False, 'a'), (True, True), (1, True), (1, 1), (1, 1)]"],
      [0, "['', 'B', 'a', 'ab', 'b', 'z', 'é']"], ['return', 'None'],
    ]);
  });

  it('orders strings by code point (astral characters after U+FFFF) and mixes ints, floats and bools as numbers', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const items = ['b', 'B', 'ab', 'a', '', 'é', 'z', '\uffff', '\u{1F600}', 'a\u{1F600}', 'a\uffff'];
      log(repr(drain(filled(items)).map((item) => items.indexOf(item))));
      const q2 = filled<number | boolean>([1.5, 1, 2, true, 0.5, false, -1, 2.5]);
      log(s(q2));
      log(repr(drain(q2)));
    });
    expect(trace).toEqual([
      [0, '[4, 1, 3, 2, 10, 9, 0, 6, 5, 7, 8]'],
      [0, '<PriorityQueue maxsize=0 _queue=[-1, 1, False, 1.5, True, 2, 0.5, 2.5] tasks=8>'],
      [0, '[-1, False, 0.5, 1, True, 1.5, 2, 2.5]'], ['return', 'None'],
    ]);
  });

  it("raises TypeError for items Python cannot order, leaving the item appended as heapq does", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = new PriorityQueue<unknown>();
      q.putNowait([1, 'a']);
      try {
        q.putNowait(['x', 2]);
      } catch (e) {
        log(`${repr(expectType(TypeError, e))} qsize=${q.qsize()} ${s(q)}`);
      }
      const q2 = new PriorityQueue<unknown>();
      q2.putNowait(1);
      try {
        yield* q2.put([1, 2]);
      } catch (e) {
        log(`${repr(expectType(TypeError, e))} ${s(q2)}`);
      }
      const q3 = filled<unknown>(['a', 'b', 'c']);
      try {
        q3.putNowait(5);
      } catch (e) {
        log(`${repr(expectType(TypeError, e))} ${s(q3)}`);
      }
      try {
        log(repr(q3.getNowait()));
      } catch (e) {
        log(`get: ${repr(expectType(TypeError, e))} ${s(q3)}`);
      }
    });
    expect(trace).toEqual([
      [0, `TypeError("'<' not supported between instances of 'str' and 'int'") qsize=2 <PriorityQueue maxsize=0 _queue=[(1, 'a'), ('x', 2)] tasks=1>`],
      [0, `TypeError("'<' not supported between instances of 'tuple' and 'int'") <PriorityQueue maxsize=0 _queue=[1, (1, 2)] tasks=1>`],
      [0, `TypeError("'<' not supported between instances of 'int' and 'str'") <PriorityQueue maxsize=0 _queue=['a', 'b', 'c', 5] tasks=3>`],
      [0, `get: TypeError("'<' not supported between instances of 'int' and 'str'") <PriorityQueue maxsize=0 _queue=['b', 5, 'c'] tasks=3>`],
      ['return', 'None'],
    ]);
  });

  it('leaves the heap as the C heapq swaps leave it when a comparison deep in a sift fails', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const q = filled<unknown[]>([[1, 'x'], [3, 0], [2, 0], [4, 0]]);
      log(s(q));
      try {
        q.putNowait([1, 5]);
      } catch (e) {
        log(`${repr(expectType(TypeError, e))} ${s(q)}`);
      }
      const q2 = filled<unknown[]>([[0, 0], [1, 0], [5, 0], [2, 'a'], [2, 1], [6, 0], [7, 0]]);
      log(s(q2));
      try {
        log(repr(q2.getNowait()));
        log(repr(q2.getNowait()));
      } catch (e) {
        log(`${repr(expectType(TypeError, e))} ${s(q2)}`);
      }
    });
    expect(trace).toEqual([
      [0, "<PriorityQueue maxsize=0 _queue=[(1, 'x'), (3, 0), (2, 0), (4, 0)] tasks=4>"],
      [0, `TypeError("'<' not supported between instances of 'int' and 'str'") <PriorityQueue maxsize=0 _queue=[(1, 'x'), (1, 5), (2, 0), (4, 0), (3, 0)] tasks=4>`],
      [0, "<PriorityQueue maxsize=0 _queue=[(0, 0), (1, 0), (5, 0), (2, 'a'), (2, 1), (6, 0), (7, 0)] tasks=7>"],
      [0, `TypeError("'<' not supported between instances of 'str' and 'int'") <PriorityQueue maxsize=0 _queue=[(1, 0), (7, 0), (5, 0), (2, 'a'), (2, 1), (6, 0)] tasks=7>`],
      ['return', 'None'],
    ]);
  });
});
