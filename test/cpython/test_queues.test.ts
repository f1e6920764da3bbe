// CPython 3.13's Lib/test/test_asyncio/test_queues.py, ported behaviour by behaviour:
// one `it` per CPython test method (its title starts with the method's name), grouped
// by CPython test class; the join and shutdown mixins run for Queue, LifoQueue and
// PriorityQueue as in CPython. Each test runs as CPython's IsolatedAsyncioTestCase runs
// it: as the main task of a debug-mode runner, and (as on CPython, checked on the
// oracle) with nothing logged on the 'asyncio' logger. Table: docs/cpython-tests/test_queues.md.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, CancelledError, createTask, Event, getRunningLoop, LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull,
  QueueShutDown, repr, TaskGroup, TimeoutError, ValueError, waitFor, type Coro,
} from '../../src/index.js';
import { objectId } from '../../src/format/py-repr.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from './_support.js';

type QueueClass = typeof Queue | typeof LifoQueue | typeof PriorityQueue;

/** test_order: put 1, 3, 2 into a new `QClass`, then get three items; returns them in the order got. */
function* putThenGetThree(QClass: QueueClass): Coro<number[]> {
  const q = new QClass<number>();
  for (const i of [1, 3, 2]) yield* q.put(i);
  const items: number[] = [];
  for (let i = 0; i < 3; i++) items.push(yield* q.get());
  return items;
}

describe('QueueBasicTests', () => {
  // CPython's _test_repr_or_str(fn, expect_id), shared by test_repr and test_str.
  function* testReprOrStr(fn: (q: Queue<number>) => string, expectId: boolean): Coro<void> {
    let q = new Queue<number>();
    expect(fn(q).startsWith('<Queue')).toBe(true);
    expect(fn(q).includes(objectId(q))).toBe(expectId);

    // getters
    q = new Queue<number>();
    const q1 = q;
    let getter!: ReturnType<typeof createTask<number>>;
    yield* asyncWith(new TaskGroup(), function* (tg) {
      getter = tg.createTask(q1.get());
      yield* sleep0();
      expect(fn(q1)).toContain('_getters[1]');
      q1.putNowait(0);
    });
    expect(yield* getter).toBe(0);

    // putters
    q = new Queue<number>({ maxsize: 1 });
    const q2 = q;
    let putter!: ReturnType<typeof createTask<void>>;
    yield* asyncWith(new TaskGroup(), function* (tg) {
      q2.putNowait(1);
      putter = tg.createTask(q2.put(2));
      yield* sleep0();
      expect(fn(q2)).toContain('_putters[1]');
      q2.getNowait();
    });
    expect(putter.done()).toBe(true);

    q = new Queue<number>();
    q.putNowait(1);
    expect(fn(q)).toContain('_queue=[1]');
  }

  it('test_repr — repr(q) names the class and its id, and shows waiting getters, putters and items', () => {
    asyncTestNoLogs(function* () {
      yield* testReprOrStr((q) => repr(q), true);
      const q = new Queue<number>();
      q.putNowait(1);
      expect(repr(q)).toBe(`<Queue at ${objectId(q)} maxsize=0 _queue=[1] tasks=1>`);
    });
  });

  it('test_str — String(q) is the repr without the id', () => {
    asyncTestNoLogs(function* () {
      yield* testReprOrStr((q) => String(q), false);
      const q = new Queue<number>();
      q.putNowait(1);
      expect(String(q)).toBe('<Queue maxsize=0 _queue=[1] tasks=1>');
    });
  });

  it('test_empty — empty() follows puts and gets', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>();
      expect(q.empty()).toBe(true);
      yield* q.put(1);
      expect(q.empty()).toBe(false);
      expect(yield* q.get()).toBe(1);
      expect(q.empty()).toBe(true);
    });
  });

  it('test_full — an unbounded queue is never full; a maxsize=1 queue is after one put', () => {
    asyncTestNoLogs(function* () {
      let q = new Queue<number>();
      expect(q.full()).toBe(false);
      q = new Queue<number>({ maxsize: 1 });
      yield* q.put(1);
      expect(q.full()).toBe(true);
    });
  });

  it('test_order — a Queue is FIFO', () => {
    asyncTestNoLogs(function* () {
      expect(yield* putThenGetThree(Queue)).toEqual([1, 3, 2]);
    });
  });

  it('test_maxsize — a put on a full queue waits until a get makes room', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>({ maxsize: 2 });
      expect(q.maxsize).toBe(2);
      const haveBeenPut: number[] = [];
      function* putter(): Coro<boolean> {
        for (let i = 0; i < 3; i++) {
          yield* q.put(i);
          haveBeenPut.push(i);
        }
        return true;
      }
      const t = createTask(putter());
      for (let i = 0; i < 2; i++) yield* sleep0();
      expect(haveBeenPut).toEqual([0, 1]);
      expect(yield* q.get()).toBe(0);
      yield* sleep0();
      expect(haveBeenPut).toEqual([0, 1, 2]);
      expect(yield* q.get()).toBe(1);
      expect(yield* q.get()).toBe(2);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });
});

describe('QueueGetTests', () => {
  it('test_blocking_get — get() of a non-empty queue returns at once', () => {
    const end = asyncTestNoLogs(function* () {
      const q = new Queue<number>();
      q.putNowait(1);
      expect(yield* q.get()).toBe(1);
    });
    expect(end).toBe(0);
  });

  it('test_get_with_putters — a get wakes the first waiting putter', () => {
    asyncTestNoLogs(function* () {
      const loop = getRunningLoop();
      const q = new Queue<number>(1);
      yield* q.put(1);
      const waiter = loop.createFuture<unknown>();
      q._putters.push(waiter);
      expect(yield* q.get()).toBe(1);
      expect(waiter.done()).toBe(true);
      expect(waiter.result()).toBeUndefined();
    });
  });

  it('test_blocking_get_wait — get() on an empty queue waits for a put (at t=0.01)', () => {
    const end = asyncTestNoLogs(function* () {
      const loop = getRunningLoop();
      const q = new Queue<number>();
      const started = new Event();
      let finished = false;
      function* queueGet(): Coro<number> {
        started.set();
        const res = yield* q.get();
        finished = true;
        return res;
      }
      const queueGetTask = createTask(queueGet());
      yield* started.wait();
      expect(finished).toBe(false);
      loop.callLater(0.01, (x: number) => q.putNowait(x), 1);
      const res = yield* queueGetTask;
      expect(finished).toBe(true);
      expect(res).toBe(1);
    });
    expect(end).toBe(0.01);
  });

  it('test_nonblocking_get — getNowait() returns the item', () => {
    const q = new Queue<number>();
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });

  it('test_nonblocking_get_exception — getNowait() on an empty queue raises QueueEmpty', () => {
    const q = new Queue<number>();
    expect(() => q.getNowait()).toThrow(QueueEmpty);
  });

  it('test_get_cancelled_race — a cancelled getter does not take the item meant for the next one', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<string>();
      const t1 = createTask(q.get());
      const t2 = createTask(q.get());
      yield* sleep0();
      t1.cancel();
      yield* sleep0();
      expect(t1.done()).toBe(true);
      yield* q.put('a');
      yield* sleep0();
      expect(yield* t2).toBe('a');
    });
  });

  it('test_get_with_waiting_putters — gets take the items of waiting putters in order', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<string>({ maxsize: 1 });
      createTask(q.put('a'));
      createTask(q.put('b'));
      expect(yield* q.get()).toBe('a');
      expect(yield* q.get()).toBe('b');
    });
  });

  it('test_why_are_getters_waiting — a producer and a consumer on a maxsize=1 queue both finish', () => {
    asyncTestNoLogs(function* () {
      function* consumer(queue: Queue<number>, numExpected: number): Coro<void> {
        for (let i = 0; i < numExpected; i++) yield* queue.get();
      }
      function* producer(queue: Queue<number>, numItems: number): Coro<void> {
        for (let i = 0; i < numItems; i++) yield* queue.put(i);
      }
      const producerNumItems = 5;
      const q = new Queue<number>(1);
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(producer(q, producerNumItems));
        tg.createTask(consumer(q, producerNumItems));
      });
      expect(q.empty()).toBe(true);
    });
  });

  it('test_cancelled_getters_not_being_held_in_self_getters — a getter timed out by waitFor leaves no waiter', () => {
    const end = asyncTestNoLogs(function* () {
      const queue = new Queue<number>({ maxsize: 5 });
      yield* assertRaises(TimeoutError, waitFor(queue.get(), 0.1));
      expect(queue._getters).toHaveLength(0);
    });
    expect(end).toBe(0.1);
  });
});

describe('QueuePutTests', () => {
  it('test_blocking_put — put() on an unbounded queue does not block', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>();
      yield* q.put(1);
      expect(yield* q.get()).toBe(1);
    });
  });

  it('test_blocking_put_wait — put() on a full queue waits for a get (at t=0.01)', () => {
    const end = asyncTestNoLogs(function* () {
      const q = new Queue<number>({ maxsize: 1 });
      const started = new Event();
      let finished = false;
      function* queuePut(): Coro<void> {
        started.set();
        yield* q.put(1);
        yield* q.put(2);
        finished = true;
      }
      const loop = getRunningLoop();
      loop.callLater(0.01, () => q.getNowait());
      const queuePutTask = createTask(queuePut());
      yield* started.wait();
      expect(finished).toBe(false);
      yield* queuePutTask;
      expect(finished).toBe(true);
    });
    expect(end).toBe(0.01);
  });

  it('test_nonblocking_put — putNowait() then getNowait() returns the item', () => {
    const q = new Queue<number>();
    q.putNowait(1);
    expect(q.getNowait()).toBe(1);
  });

  it('test_get_cancel_drop_one_pending_reader — a reader cancelled after being woken drops no item', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>();
      let reader = createTask(q.get());
      yield* sleep0();
      q.putNowait(1);
      q.putNowait(2);
      reader.cancel();
      try {
        yield* reader;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        reader = createTask(q.get());
        yield* reader;
      }
      expect(reader.result()).toBe(1);
    });
  });

  it('test_get_cancel_drop_many_pending_readers — with one of three readers cancelled, the other two get both items', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>();
      let reader2!: ReturnType<typeof createTask<number>>;
      let reader3!: ReturnType<typeof createTask<number>>;
      yield* asyncWith(new TaskGroup(), function* (tg) {
        const reader1 = tg.createTask(q.get());
        reader2 = tg.createTask(q.get());
        reader3 = tg.createTask(q.get());
        yield* sleep0();
        q.putNowait(1);
        q.putNowait(2);
        reader1.cancel();
        yield* assertRaises(CancelledError, reader1);
        yield* reader3;
      });
      expect(new Set([reader2.result(), reader3.result()])).toEqual(new Set([1, 2]));
      // CPython leaves the order open; 3.13.2 gives 1 to reader2 and 2 to reader3 (oracle).
      expect([reader2.result(), reader3.result()]).toEqual([1, 2]);
    });
  });

  it('test_put_cancel_drop — a writer cancelled after being woken can put again; nothing is lost or doubled', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>(1);
      q.putNowait(1);
      let writer = createTask(q.put(2));
      yield* sleep0();
      expect(q.getNowait()).toBe(1);
      writer.cancel();
      try {
        yield* writer;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        writer = createTask(q.put(2));
        yield* writer;
      }
      expect(q.getNowait()).toBe(2);
      expect(q.qsize()).toBe(0);
    });
  });

  it('test_nonblocking_put_exception — putNowait() on a full queue raises QueueFull', () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    expect(() => q.putNowait(2)).toThrow(QueueFull);
  });

  it('test_float_maxsize — maxsize=1.3 holds two items', () => {
    asyncTestNoLogs(function* () {
      let q = new Queue<number>({ maxsize: 1.3 });
      q.putNowait(1);
      q.putNowait(2);
      expect(q.full()).toBe(true);
      expect(() => q.putNowait(3)).toThrow(QueueFull);
      q = new Queue<number>({ maxsize: 1.3 });
      yield* q.put(1);
      yield* q.put(2);
      expect(q.full()).toBe(true);
      expect(String(q)).toBe('<Queue maxsize=1.3 _queue=[1, 2] tasks=2>');
    });
  });

  it('test_put_cancelled — a put task completes once its item is got', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<number>();
      function* queuePut(): Coro<boolean> {
        yield* q.put(1);
        return true;
      }
      const t = createTask(queuePut());
      expect(yield* q.get()).toBe(1);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });

  it('test_put_cancelled_race — a cancelled putter does not take the slot meant for the next one', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<string>({ maxsize: 1 });
      const putA = createTask(q.put('a'));
      const putB = createTask(q.put('b'));
      const putC = createTask(q.put('X'));
      yield* sleep0();
      expect(putA.done()).toBe(true);
      expect(putB.done()).toBe(false);
      putC.cancel();
      yield* sleep0();
      expect(putC.done()).toBe(true);
      expect(q.getNowait()).toBe('a');
      yield* sleep0();
      expect(q.getNowait()).toBe('b');
      yield* putB;
    });
  });

  it('test_put_with_waiting_getters — a put hands its item to a waiting getter', () => {
    asyncTestNoLogs(function* () {
      const q = new Queue<string>();
      const t = createTask(q.get());
      yield* sleep0();
      yield* q.put('a');
      expect(yield* t).toBe('a');
    });
  });

  it('test_why_are_putters_waiting — four putters on a maxsize=2 queue and a draining getter all finish', () => {
    asyncTestNoLogs(function* () {
      const queue = new Queue<number>(2);
      function* putter(item: number): Coro<void> {
        yield* queue.put(item);
      }
      function* getter(): Coro<void> {
        yield* sleep0();
        const num = queue.qsize();
        for (let i = 0; i < num; i++) queue.getNowait();
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(getter());
        tg.createTask(putter(0));
        tg.createTask(putter(1));
        tg.createTask(putter(2));
        tg.createTask(putter(3));
      });
      // What is left once all are done (CPython 3.13.2, oracle).
      expect(String(queue)).toBe('<Queue maxsize=2 _queue=[2, 3] tasks=4>');
    });
  });

  it('test_cancelled_puts_not_being_held_in_self_putters — a cancelled putter leaves no waiter', () => {
    asyncTestNoLogs(function* () {
      const queue = new Queue<number>({ maxsize: 1 });
      queue.putNowait(1);
      const putTask = createTask(queue.put(1));
      yield* sleep0();
      expect(queue._putters).toHaveLength(1);
      putTask.cancel();
      yield* assertRaises(CancelledError, putTask);
      expect(queue._putters).toHaveLength(0);
    });
  });

  it('test_cancelled_put_silence_value_error_exception — cancelling a putter already woken by getNowait raises only CancelledError', () => {
    asyncTestNoLogs(function* () {
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const putTask = createTask(queue.put(1));
      yield* sleep0();
      queue.getNowait();
      putTask.cancel();
      yield* assertRaises(CancelledError, putTask);
    });
  });
});

describe('LifoQueueTests', () => {
  it('test_order — a LifoQueue returns the last item put first', () => {
    asyncTestNoLogs(function* () {
      expect(yield* putThenGetThree(LifoQueue)).toEqual([2, 3, 1]);
    });
  });
});

describe('PriorityQueueTests', () => {
  it('test_order — a PriorityQueue returns the smallest item first', () => {
    asyncTestNoLogs(function* () {
      expect(yield* putThenGetThree(PriorityQueue)).toEqual([1, 2, 3]);
    });
  });
});

// CPython's _QueueJoinTestMixin, run for each queue class.
describe.each([
  ['QueueJoinTests', Queue],
  ['LifoQueueJoinTests', LifoQueue],
  ['PriorityQueueJoinTests', PriorityQueue],
] as [string, QueueClass][])('%s', (_name, QClass) => {
  it('test_task_done_underflow — taskDone() with nothing unfinished raises ValueError', () => {
    const q = new QClass();
    expect(() => q.taskDone()).toThrow(ValueError);
    expect(() => q.taskDone()).toThrow(/^task_done\(\) called too many times$/);
  });

  it('test_task_done — join() returns once two workers have marked all 100 items done', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass<number>();
      for (let i = 0; i < 100; i++) q.putNowait(i);
      let accumulator = 0;
      let running = true;
      function* worker(): Coro<void> {
        while (running) {
          const item = yield* q.get();
          accumulator += item;
          q.taskDone();
        }
      }
      yield* asyncWith(new TaskGroup(), function* (tg) {
        const tasks = [0, 1].map(() => tg.createTask(worker()));
        yield* q.join();
        expect(accumulator).toBe(4950);
        running = false;
        for (let i = 0; i < tasks.length; i++) q.putNowait(0);
      });
    });
  });

  it('test_join_empty_queue — join() of a queue never used returns at once, twice', () => {
    const end = asyncTestNoLogs(function* () {
      const q = new QClass();
      const loop = getRunningLoop();
      let ran = false;
      loop.callSoon(() => {
        ran = true;
      });
      yield* q.join();
      yield* q.join();
      // "before anything else": join() did not yield to the loop.
      expect(ran).toBe(false);
    });
    expect(end).toBe(0);
  });

  it('test_format — the str shows maxsize and, when set, the unfinished task count', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass();
      // CPython calls the private _format(); aiosim's is private too, so read it through str().
      expect(String(q)).toBe(`<${QClass.name} maxsize=0>`);
      q._unfinishedTasks = 2;
      expect(String(q)).toBe(`<${QClass.name} maxsize=0 tasks=2>`);
      yield* sleep0();
    });
  });
});

// CPython's _QueueShutdownTestMixin, run for each queue class.
describe.each([
  ['QueueShutdownTests', Queue],
  ['LifoQueueShutdownTests', LifoQueue],
  ['PriorityQueueShutdownTests', PriorityQueue],
] as [string, QueueClass][])('%s', (_name, QClass) => {
  /** The four ways to put or get after shutdown: each raises QueueShutDown. */
  function* assertAllRaiseShutdown(q: Queue<string>): Coro<void> {
    yield* assertRaises(QueueShutDown, q.put('data'));
    expect(() => q.putNowait('data')).toThrow(QueueShutDown);
    yield* assertRaises(QueueShutDown, q.get());
    expect(() => q.getNowait()).toThrow(QueueShutDown);
  }

  it('test_format — the str of a shut-down queue ends with shutdown', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass();
      q.shutdown();
      expect(String(q)).toBe(`<${QClass.name} maxsize=0 shutdown>`);
      yield* sleep0();
    });
  });

  it('test_shutdown_empty — shutdown() wakes a waiting get with QueueShutDown; join() returns', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass<string>();
      const loop = getRunningLoop();
      const getTask = loop.createTask(q.get());
      yield* sleep0();
      q.shutdown({ immediate: false });
      expect(q.qsize()).toBe(0);
      yield* q.join();
      yield* sleep0();
      expect(getTask.done()).toBe(true);
      yield* assertRaises(QueueShutDown, getTask);
      yield* assertAllRaiseShutdown(q);
    });
  });

  it('test_shutdown_nonempty — shutdown() fails the waiting put; the item left can still be got', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass<string>({ maxsize: 1 });
      const loop = getRunningLoop();
      q.putNowait('data');
      const joinTask = loop.createTask(q.join());
      const putTask = loop.createTask(q.put('data2'));
      yield* sleep0();
      expect(putTask.done()).toBe(false);
      q.shutdown({ immediate: false });
      expect(q.qsize()).toBe(1);
      yield* sleep0();
      expect(putTask.done()).toBe(true);
      yield* assertRaises(QueueShutDown, putTask);
      expect(yield* q.get()).toBe('data');
      yield* sleep0();
      expect(joinTask.done()).toBe(false);
      yield* assertAllRaiseShutdown(q);
      q.taskDone();
      yield* sleep0();
      expect(joinTask.done()).toBe(true);
      yield* joinTask;
      expect(() => q.taskDone()).toThrow(ValueError);
    });
  });

  it('test_shutdown_immediate — shutdown(immediate) drops the items, counts them done and releases join()', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass<string>();
      const loop = getRunningLoop();
      q.putNowait('data');
      const joinTask = loop.createTask(q.join());
      q.shutdown({ immediate: true });
      expect(q.qsize()).toBe(0);
      yield* sleep0();
      expect(joinTask.done()).toBe(true);
      yield* joinTask;
      yield* assertAllRaiseShutdown(q);
      expect(() => q.taskDone()).toThrow(ValueError);
    });
  });

  it('test_shutdown_immediate_with_unfinished — join() still waits for items got before an immediate shutdown', () => {
    asyncTestNoLogs(function* () {
      const q = new QClass<string>();
      const loop = getRunningLoop();
      q.putNowait('data');
      q.putNowait('data');
      const joinTask = loop.createTask(q.join());
      expect(yield* q.get()).toBe('data');
      q.shutdown({ immediate: true });
      expect(q.qsize()).toBe(0);
      yield* sleep0();
      expect(joinTask.done()).toBe(false);
      yield* assertAllRaiseShutdown(q);
      q.taskDone();
      expect(() => q.taskDone()).toThrow(ValueError);
      yield* sleep0();
      expect(joinTask.done()).toBe(true);
      yield* joinTask;
    });
  });
});
