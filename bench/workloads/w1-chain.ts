// W1 chain: one callback re-schedules itself with callSoon n times.

import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

export const w1Chain: Workload<undefined> = {
  id: 'W1',
  title: 'chain (callSoon)',
  full: { n: 1_000_000, m: 0 },
  quick: { n: 50_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(_api, loop, p) {
    const n = p.n;
    let count = 0;
    const step = (): void => {
      count++;
      if (count < n) loop.callSoon(step);
      else loop.stop();
    };
    loop.callSoon(step);
    loop.runForever();
    return { count, check: 0, time: loop.time() };
  },
  expected: (p) => ({ count: p.n, check: 0, time: 0, tolerance: EXACT }),
  fake: {
    run(clock, p) {
      const n = p.n;
      let count = 0;
      const step = (): void => {
        count++;
        if (count < n) clock.setImmediate(step);
      };
      clock.setImmediate(step);
      clock.runAll();
      return { count, check: 0, time: clock.now / 1000 };
    },
    // fake-timers runs an immediate scheduled during a tick 1 ms later.
    expected: (p) => ({ count: p.n, check: 0, time: (p.n - 1) / 1000, tolerance: 1e-9 }),
  },
  stock: true,
};
