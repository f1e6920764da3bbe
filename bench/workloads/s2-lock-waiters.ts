// S2 lock waiters (scaling only): n tasks wait on a held Lock, every tenth (i % 10 = 5)
// is cancelled while waiting, then the lock is released: the others take it one after
// the other, in FIFO order. The checksum folds the order of acquisitions.

import { scaleApi, type CTask, type Gen } from './api.js';
import { foldCheck } from './lcg.js';
import type { Workload } from './workload.js';
import { EXACT } from './workload.js';

const cancelled = (i: number): boolean => i % 10 === 5;

export const s2LockWaiters: Workload<undefined> = {
  id: 'S2',
  title: 'lock waiters, 1 in 10 cancelled',
  full: { n: 1_000_000, m: 0 },
  quick: { n: 100_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  run(api, loop, p) {
    const s = scaleApi(api, 'S2');
    const lock = s.newLock();
    let count = 0;
    let check = 0;
    function* waiter(i: number): Gen<void> {
      yield* lock.acquire();
      count++;
      check = foldCheck(check, i);
      lock.release();
    }
    function* main(): Gen<void[]> {
      yield* lock.acquire();
      const kept: CTask<void>[] = [];
      const doomed: CTask<void>[] = [];
      for (let i = 0; i < p.n; i++) (cancelled(i) ? doomed : kept).push(s.createTask(waiter(i)));
      yield* s.sleep(0);
      // Every task now waits in acquire(); the cancelled ones leave from the middle.
      for (const t of doomed) t.cancel();
      lock.release();
      return yield* s.gather(kept);
    }
    loop.runUntilComplete(main());
    return { count, check, time: loop.time() };
  },
  expected(p) {
    let count = 0;
    let check = 0;
    for (let i = 0; i < p.n; i++) {
      if (cancelled(i)) continue;
      count++;
      check = foldCheck(check, i);
    }
    return { count, check, time: 0, tolerance: EXACT };
  },
  stock: true,
  // CPython removes a cancelled waiter with deque.remove, a scan from the head: O(n) per
  // waiter, 16 s a run at 10^5 (measured once; the harness would repeat it ten times)
  // and some half an hour at 10^6.
  scaling: { impls: ['aiosim', 'cpython'], per: 'waiter', guide: 'flat', maxN: { cpython: 10_000 } },
};
