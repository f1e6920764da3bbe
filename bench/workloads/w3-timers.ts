// W3 timers: n callLater with LCG delays, run until all fired on the virtual clock.
// The checksum folds the firing order: it must be heapq's (here: ascending deadlines).

import { foldCheck, lcgDelays, maxDelay, sortedCheck } from './lcg.js';
import type { Workload } from './workload.js';
import { EXACT, fakeCb } from './workload.js';

const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const w3Timers: Workload<Float64Array> = {
  id: 'W3',
  title: 'timers (callLater)',
  full: { n: 200_000, m: 0 },
  quick: { n: 10_000, m: 0 },
  ops: (p) => p.n,
  prepare: (p) => lcgDelays(p.n),
  run(_api, loop, p, delays) {
    const n = p.n;
    let count = 0;
    let check = 0;
    const fire = (i: number): void => {
      count++;
      check = foldCheck(check, i);
      if (count === n) loop.stop();
    };
    for (let i = 0; i < n; i++) loop.callLater(delays[i]!, fire, i);
    loop.runForever();
    return { count, check, time: loop.time() };
  },
  expected: (p, delays) => ({ count: p.n, check: sortedCheck(delays, all(p.n)), time: maxDelay(delays, all(p.n)), tolerance: EXACT }),
  fake: {
    run(clock, p, delays) {
      let count = 0;
      let check = 0;
      const fire = (i: number): void => {
        count++;
        check = foldCheck(check, i);
      };
      for (let i = 0; i < p.n; i++) clock.setTimeout(fakeCb(fire), delays[i]! * 1000, i);
      clock.runAll();
      return { count, check, time: clock.now / 1000 };
    },
    // Whole milliseconds: deadlines are truncated, ties run in insertion order.
    expected: (p, delays) => ({ count: p.n, check: undefined, time: maxDelay(delays, all(p.n)), tolerance: 0.001 }),
  },
  stock: false,
};
