// CPython 3.13's test_asyncio/test_queues.py, PriorityQueueTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { PriorityQueue } from '../../../src/index.js';
import { asyncTestNoLogs } from '../_support.js';
import { putThenGetThree } from './_support.js';

describe('PriorityQueueTests', () => {
  it('test_order — a PriorityQueue returns the smallest item first', () => {
    asyncTestNoLogs(function* () {
      expect(yield* putThenGetThree(PriorityQueue)).toEqual([1, 2, 3]);
    });
  });
});
