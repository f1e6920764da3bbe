// CPython 3.13's test_asyncio/test_queues.py, _QueueJoinTestMixin (run for each queue
// class, as QueueJoinTests, LifoQueueJoinTests and PriorityQueueJoinTests): one `it` per
// test method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, getRunningLoop, LifoQueue, PriorityQueue, Queue, TaskGroup, ValueError, type Coro,
} from '../../../src/index.js';
import { asyncTestNoLogs, sleep0 } from '../_support.js';
import type { QueueClass } from './_support.js';

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
