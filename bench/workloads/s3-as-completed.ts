// S3 asCompleted (scaling only): n futures, completed last to first by n callSoon
// callbacks, awaited through asCompleted. The checksum folds the results in the order
// they are handed out (completion order: n-1 … 0).

import { scaleApi, type Fut, type Gen } from './api.js';
import { foldCheck } from './lcg.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

const complete = (f: Fut<number>, i: number): void => f.setResult(i);

export const s3AsCompleted: Workload<undefined> = {
  id: 'S3',
  title: 'asCompleted',
  full: { n: 1_000_000, m: 0 },
  quick: { n: 100_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(api, loop, p) {
    const s = scaleApi(api, 'S3');
    let count = 0;
    let check = 0;
    function* main(): Gen<void> {
      const futs: Fut<number>[] = [];
      for (let i = 0; i < p.n; i++) futs.push(loop.createFuture<number>());
      for (let i = p.n - 1; i >= 0; i--) loop.callSoon(complete, futs[i], i);
      for (const next of s.asCompleted(futs)) {
        check = foldCheck(check, yield* next);
        count++;
      }
    }
    loop.runUntilComplete(main());
    return { count, check, time: loop.time() };
  },
  expected(p) {
    let check = 0;
    for (let i = p.n - 1; i >= 0; i--) check = foldCheck(check, i);
    return { count: p.n, check, time: 0, tolerance: EXACT };
  },
  stock: true,
  scaling: { impls: ['aiosim', 'cpython'], per: 'future', guide: 'flat' },
};
