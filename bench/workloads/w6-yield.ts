// W6 yield: n tasks each `yield* sleep(0)` m times (one loop iteration each), gathered.

import type { Gen } from './api.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

export const w6Yield: Workload<undefined> = {
  id: 'W6',
  title: 'yield (sleep(0))',
  full: { n: 1000, m: 1000 },
  quick: { n: 1000, m: 20 },
  ops: (p) => p.n * p.m,
  prepare: () => undefined,
  run(api, loop, p) {
    const { sleep } = api;
    const m = p.m;
    let steps = 0;
    function* worker(): Gen<number> {
      for (let j = 0; j < m; j++) {
        yield* sleep(0);
        steps++;
      }
      return m;
    }
    function* main(): Gen<number> {
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(api.createTask(worker()));
      const results = yield* api.gather(tasks);
      let sum = 0;
      for (const r of results) sum += r;
      return sum;
    }
    const sum = loop.runUntilComplete(main());
    return { count: steps, check: sum, time: loop.time() };
  },
  expected: (p) => ({ count: p.n * p.m, check: p.n * p.m, time: 0, tolerance: EXACT }),
  stock: true,
};
