// W7 sleepers: n tasks each `yield* sleep(d)` once (LCG delays), awaited with gather.
// The checksum folds the order in which the tasks wake up.

import type { Gen } from './api.js';
import { foldCheck, lcgDelays, maxDelay, sortedCheck } from './lcg.js';
import type { Workload } from './workload.js';
import { EXACT, fakeCb } from './workload.js';

const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const w7Sleepers: Workload<Float64Array> = {
  id: 'W7',
  title: 'sleepers (sleep(d))',
  full: { n: 100_000, m: 0 },
  quick: { n: 5000, m: 0 },
  ops: (p) => p.n,
  prepare: (p) => lcgDelays(p.n),
  run(api, loop, p, delays) {
    const { sleep } = api;
    let count = 0;
    let check = 0;
    function* sleeper(i: number, d: number): Gen<number> {
      yield* sleep(d);
      count++;
      check = foldCheck(check, i);
      return i;
    }
    function* main(): Gen<number> {
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(api.createTask(sleeper(i, delays[i]!)));
      return (yield* api.gather(tasks)).length;
    }
    const gathered = loop.runUntilComplete(main());
    if (gathered !== p.n) throw new Error(`gather returned ${gathered} results`);
    return { count, check, time: loop.time() };
  },
  expected: (p, delays) => ({ count: p.n, check: sortedCheck(delays, all(p.n)), time: maxDelay(delays, all(p.n)), tolerance: EXACT }),
  fake: {
    // A task is a start callback (setImmediate), its sleep a setTimeout, gather a counter
    // that schedules the final callback.
    run(clock, p, delays) {
      let count = 0;
      let check = 0;
      let gathered = false;
      const finish = (): void => {
        gathered = true;
      };
      const wake = (i: number): void => {
        count++;
        check = foldCheck(check, i);
        if (count === p.n) clock.setImmediate(finish);
      };
      const start = (i: number): void => {
        clock.setTimeout(fakeCb(wake), delays[i]! * 1000, i);
      };
      for (let i = 0; i < p.n; i++) clock.setImmediate(fakeCb(start), i);
      clock.runAll();
      if (!gathered) throw new Error('the gathering callback never ran');
      return { count, check, time: clock.now / 1000 };
    },
    expected: (p, delays) => ({ count: p.n, check: undefined, time: maxDelay(delays, all(p.n)), tolerance: 0.002 }),
  },
  stock: false,
};
