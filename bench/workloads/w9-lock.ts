// W9 lock: n tasks each acquire one Lock m times and `yield* sleep(0)` while holding it.
// The check counts mutual-exclusion violations (must be 0).

import type { Gen } from './api.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

export const w9Lock: Workload<undefined> = {
  id: 'W9',
  title: 'lock (contended)',
  full: { n: 1000, m: 100 },
  quick: { n: 1000, m: 5 },
  ops: (p) => p.n * p.m,
  prepare: () => undefined,
  run(api, loop, p) {
    const { sleep } = api;
    const m = p.m;
    let acquired = 0;
    let inside = 0;
    let violations = 0;
    function* worker(lock: ReturnType<typeof api.newLock>): Gen<number> {
      for (let j = 0; j < m; j++) {
        yield* lock.acquire();
        try {
          if (++inside !== 1) violations++;
          acquired++;
          yield* sleep(0);
          inside--;
        } finally {
          lock.release();
        }
      }
      return m;
    }
    function* main(): Gen<number[]> {
      const lock = api.newLock();
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(api.createTask(worker(lock)));
      return yield* api.gather(tasks);
    }
    loop.runUntilComplete(main());
    return { count: acquired, check: violations, time: loop.time() };
  },
  expected: (p) => ({ count: p.n * p.m, check: 0, time: 0, tolerance: EXACT }),
  stock: true,
};
