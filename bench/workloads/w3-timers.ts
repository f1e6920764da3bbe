// W3 timers: n callLater with LCG delays, run until all fired on the virtual clock.
// The checksum folds the firing order: it must be heapq's (here: ascending deadlines).

import { timerWorkload } from './lcg-workload.js';
import type { Workload } from './workload.js';

export const w3Timers: Workload<Float64Array> = {
  ...timerWorkload({ id: 'W3', title: 'timers (callLater)', full: { n: 200_000, m: 0 }, quick: { n: 10_000, m: 0 }, every: 1 }),
  scaling: { impls: ['aiosim', 'cpython', 'fake', 'floor'], per: 'timer', guide: 'log' },
};
