// CPython 3.13's test_asyncio/test_queues.py, QueueBasicTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { objectId } from '../../../src/format/py-repr.js';
import { asyncWith, createTask, Queue, repr, TaskGroup, type Coro } from '../../../src/index.js';
import { asyncTestNoLogs, sleep0 } from '../_support.js';
import { putThenGetThree } from './_support.js';

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
