// W7 sleepers: n tasks each `yield* sleep(d)` once (LCG delays), awaited with gather.
// The checksum folds the order in which the tasks wake up.

import type { Gen } from './api.js';
import { foldCheck } from './lcg.js';
import { all, lcgWorkload } from './lcg-workload.js';
import { fakeCb } from './workload.js';

export const w7Sleepers = lcgWorkload({
  id: 'W7',
  title: 'sleepers (sleep(d))',
  full: { n: 100_000, m: 0 },
  quick: { n: 5000, m: 0 },
  fired: all,
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
    tolerance: 0.002,
  },
});
