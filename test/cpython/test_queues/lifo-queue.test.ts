// CPython 3.13's test_asyncio/test_queues.py, LifoQueueTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { LifoQueue } from '../../../src/index.js';
import { asyncTestNoLogs } from '../_support.js';
import { putThenGetThree } from './_support.js';

describe('LifoQueueTests', () => {
  it('test_order — a LifoQueue returns the last item put first', () => {
    asyncTestNoLogs(function* () {
      expect(yield* putThenGetThree(LifoQueue)).toEqual([2, 3, 1]);
    });
  });
});
