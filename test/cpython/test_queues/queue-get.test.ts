// CPython 3.13's test_asyncio/test_queues.py, QueueGetTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, createTask, Event, getRunningLoop, Queue, QueueEmpty, TaskGroup, TimeoutError, waitFor, type Coro,
} from '../../../src/index.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';

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
