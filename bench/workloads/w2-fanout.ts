// W2 fanout: n callSoon callbacks scheduled up front, then run.

import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

export const w2Fanout: Workload<undefined> = {
  id: 'W2',
  title: 'fanout (callSoon)',
  full: { n: 1_000_000, m: 0 },
  quick: { n: 50_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(_api, loop, p) {
    let count = 0;
    const cb = (): void => {
      count++;
    };
    for (let i = 0; i < p.n; i++) loop.callSoon(cb);
    loop.callSoon(() => loop.stop());
    loop.runForever();
    return { count, check: 0, time: loop.time() };
  },
  expected: (p) => ({ count: p.n, check: 0, time: 0, tolerance: EXACT }),
  fake: {
    run(clock, p) {
      let count = 0;
      const cb = (): void => {
        count++;
      };
      for (let i = 0; i < p.n; i++) clock.setImmediate(cb);
      clock.runAll();
      return { count, check: 0, time: clock.now / 1000 };
    },
    expected: (p) => ({ count: p.n, check: 0, time: 0, tolerance: 1e-9 }),
  },
  stock: true,
  scaling: { impls: ['aiosim', 'cpython', 'fake', 'floor'], per: 'callback', guide: 'flat' },
};
