// CPython 3.13's Lib/test/test_asyncio/test_queues.py, ported behaviour by behaviour:
// one `it` per CPython test method (its title starts with the method's name), grouped
// by CPython test class; the join and shutdown mixins run for Queue, LifoQueue and
// PriorityQueue as in CPython. Each test runs as CPython's IsolatedAsyncioTestCase runs
// it: as the main task of a debug-mode runner, and (as on CPython, checked on the
// oracle) with nothing logged on the 'asyncio' logger. Table: docs/cpython-tests/test_queues.md.
// This file: the helpers its test classes share.

import { LifoQueue, PriorityQueue, Queue, type Coro } from '../../../src/index.js';

export type QueueClass = typeof Queue | typeof LifoQueue | typeof PriorityQueue;

/** test_order: put 1, 3, 2 into a new `QClass`, then get three items; returns them in the order got. */
export function* putThenGetThree(QClass: QueueClass): Coro<number[]> {
  const q = new QClass<number>();
  for (const i of [1, 3, 2]) yield* q.put(i);
  const items: number[] = [];
  for (let i = 0; i < 3; i++) items.push(yield* q.get());
  return items;
}
