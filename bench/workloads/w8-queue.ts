// W8 queue: a producer and a consumer task through Queue({ maxsize: 100 }), n items.
// The consumer checks that items arrive in order and sums them.

import type { Gen } from './api.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

export const w8Queue: Workload<undefined> = {
  id: 'W8',
  title: 'queue (maxsize 100)',
  full: { n: 200_000, m: 100 },
  quick: { n: 10_000, m: 100 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(api, loop, p) {
    const n = p.n;
    let received = 0;
    let sum = 0;
    function* producer(): Gen<number> {
      const q = queue!;
      for (let i = 0; i < n; i++) yield* q.put(i);
      return 0;
    }
    function* consumer(): Gen<number> {
      const q = queue!;
      for (let i = 0; i < n; i++) {
        const item = yield* q.get();
        if (item !== i) throw new Error(`item ${item} arrived at position ${i}`);
        received++;
        sum += item;
      }
      return 0;
    }
    let queue: ReturnType<typeof api.newQueue<number>> | undefined;
    function* main(): Gen<number[]> {
      queue = api.newQueue<number>(p.m);
      return yield* api.gather([api.createTask(producer()), api.createTask(consumer())]);
    }
    loop.runUntilComplete(main());
    return { count: received, check: sum, time: loop.time() };
  },
  expected: (p) => ({ count: p.n, check: (p.n * (p.n - 1)) / 2, time: 0, tolerance: EXACT }),
  stock: true,
};
