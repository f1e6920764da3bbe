// W4 cancel churn: n timers as in W3; each one with i % 10 != 0 is cancelled at once.
// On asyncio the first iteration compacts the heap (more than half cancelled).

import { foldCheck, lcgDelays, maxDelay, sortedCheck } from './lcg.js';
import type { Workload } from './workload.js';
import { EXACT, fakeCb } from './workload.js';

const kept = (n: number): number[] => Array.from({ length: Math.ceil(n / 10) }, (_, k) => k * 10);

export const w4Cancel: Workload<Float64Array> = {
  id: 'W4',
  title: 'cancel churn',
  full: { n: 200_000, m: 0 },
  quick: { n: 20_000, m: 0 },
  ops: (p) => p.n,
  prepare: (p) => lcgDelays(p.n),
  run(_api, loop, p, delays) {
    const n = p.n;
    const keep = Math.ceil(n / 10);
    let count = 0;
    let check = 0;
    const fire = (i: number): void => {
      count++;
      check = foldCheck(check, i);
      if (count === keep) loop.stop();
    };
    for (let i = 0; i < n; i++) {
      const h = loop.callLater(delays[i]!, fire, i);
      if (i % 10 !== 0) h.cancel();
    }
    loop.runForever();
    return { count, check, time: loop.time() };
  },
  expected: (p, delays) => ({ count: kept(p.n).length, check: sortedCheck(delays, kept(p.n)), time: maxDelay(delays, kept(p.n)), tolerance: EXACT }),
  fake: {
    run(clock, p, delays) {
      let count = 0;
      let check = 0;
      const fire = (i: number): void => {
        count++;
        check = foldCheck(check, i);
      };
      for (let i = 0; i < p.n; i++) {
        const id = clock.setTimeout(fakeCb(fire), delays[i]! * 1000, i);
        if (i % 10 !== 0) clock.clearTimeout(id);
      }
      clock.runAll();
      return { count, check, time: clock.now / 1000 };
    },
    expected: (p, delays) => ({ count: kept(p.n).length, check: undefined, time: maxDelay(delays, kept(p.n)), tolerance: 0.001 }),
  },
  stock: false,
};
