// W5 ping-pong: two Tasks alternating through Futures, n round trips. The pinger sets
// the ponger's request future and awaits its reply future; each round trip is two
// futures, two task wake-ups and two loop iterations.

import type { Fut, Gen } from './api.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

export const w5PingPong: Workload<undefined> = {
  id: 'W5',
  title: 'ping-pong (Futures)',
  full: { n: 200_000, m: 0 },
  quick: { n: 10_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(api, loop, p) {
    const n = p.n;
    let request!: Fut<number>;
    let reply!: Fut<number>;
    function* ponger(): Gen<number> {
      let served = 0;
      request = loop.createFuture<number>();
      for (;;) {
        const i = yield* request;
        served++;
        request = loop.createFuture<number>();
        reply.setResult(i);
        if (i === n - 1) return served;
      }
    }
    function* pinger(): Gen<number> {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        reply = loop.createFuture<number>();
        request.setResult(i);
        sum += yield* reply;
      }
      return sum;
    }
    function* main(): Gen<number[]> {
      const a = api.createTask(ponger());
      const b = api.createTask(pinger());
      return yield* api.gather([a, b]);
    }
    const [served, sum] = loop.runUntilComplete(main());
    return { count: served!, check: sum!, time: loop.time() };
  },
  expected: (p) => ({ count: p.n, check: (p.n * (p.n - 1)) / 2, time: 0, tolerance: EXACT }),
  stock: true,
};
