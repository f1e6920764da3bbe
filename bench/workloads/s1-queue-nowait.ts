// S1 queue without waiting (scaling only): n putNowait on an unbounded Queue, then n
// getNowait. The checksum folds the items in the order they come out (FIFO: 0 … n-1).

import { scaleApi } from './api.js';
import { foldCheck } from './lcg.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

/** The checksum of 0 … n-1 in order. */
export function ascendingCheck(n: number): number {
  let check = 0;
  for (let i = 0; i < n; i++) check = foldCheck(check, i);
  return check;
}

export const s1QueueNowait: Workload<undefined> = {
  id: 'S1',
  title: 'queue putNowait + getNowait',
  full: { n: 1_000_000, m: 0 },
  quick: { n: 100_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(api, loop, p) {
    const q = scaleApi(api, 'S1').newQueue<number>(0);
    for (let i = 0; i < p.n; i++) q.putNowait(i);
    let count = 0;
    let check = 0;
    for (let i = 0; i < p.n; i++) {
      check = foldCheck(check, q.getNowait());
      count++;
    }
    return { count, check, time: loop.time() };
  },
  expected: (p) => ({ count: p.n, check: ascendingCheck(p.n), time: 0, tolerance: EXACT }),
  stock: true,
  scaling: { impls: ['aiosim', 'cpython'], per: 'item', guide: 'flat' },
};
