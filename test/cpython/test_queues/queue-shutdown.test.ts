// CPython 3.13's test_asyncio/test_queues.py, _QueueShutdownTestMixin (run for each queue
// class, as QueueShutdownTests, LifoQueueShutdownTests and PriorityQueueShutdownTests): one
// `it` per test method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  getRunningLoop, LifoQueue, PriorityQueue, Queue, QueueShutDown, ValueError, type Coro,
} from '../../../src/index.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';
import type { QueueClass } from './_support.js';

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
