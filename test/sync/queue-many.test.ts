// Queue at scale (issue 16): items and waiters were kept in arrays, so that each get and
// each wake-up copied the whole array (putNowait then getNowait of 4×10^5 items took
// 22 s). The orders below are CPython 3.13.2's (printed on the virtual-clock oracle);
// the large runs check the same orders and that no array is shifted, spliced or scanned.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, createTask, EventLoop, gather, LifoQueue, Queue, type Coro } from '../../src/index.js';
import { s, sleep0 } from './_support.js';

// Count the calls of the Array methods that copy or scan, while `body` runs.
function copyingCalls<T>(body: () => T): { calls: number; result: T } {
  const spies = [vi.spyOn(Array.prototype, 'shift'), vi.spyOn(Array.prototype, 'splice'), vi.spyOn(Array.prototype, 'indexOf')];
  try {
    const result = body();
    return { calls: spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0), result };
  } finally {
    vi.restoreAllMocks();
  }
}

/**
 * Python (N=30 printed on the oracle):
 *   tasks = [create_task(getter(i)) for i in range(N)]; await sleep(0)
 *   cancel tasks[3], tasks[10], … (every 7th); await sleep(0); print(q)
 *   put_nowait(0 … N//2-1); tasks[0].cancel()   # woken, cancelled before it runs
 *   await sleep(0); print(q); put_nowait(N//2 … N-1)
 *   await gather(*tasks, return_exceptions=True); print(got); print(q)
 * where getter(i) appends ('c', i) when its get is cancelled, else (i, item).
 */
function getters(n: number): { got: string[]; reprs: string[] } {
  const loop = new EventLoop();
  const q = new Queue<number>();
  const got: string[] = [];
  const reprs: string[] = [];
  function* getter(i: number): Coro<void> {
    let item: number;
    try {
      item = yield* q.get();
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      got.push(`c${i}`);
      throw e;
    }
    got.push(`${i}:${item}`);
  }
  loop.runUntilComplete((function* main(): Coro<void> {
    const tasks = Array.from({ length: n }, (_, i) => createTask(getter(i)));
    yield* sleep0();
    for (let i = 3; i < n; i += 7) tasks[i]!.cancel();
    yield* sleep0();
    reprs.push(s(q));
    for (let k = 0; k < n >> 1; k++) q.putNowait(k);
    tasks[0]!.cancel();
    yield* sleep0();
    if (n <= 30) reprs.push(s(q));
    for (let k = n >> 1; k < n; k++) q.putNowait(k);
    yield* gather(tasks, { returnExceptions: true });
    reprs.push(`qsize=${q.qsize()} getters=${q._getters.length}`);
  })());
  loop.close();
  return { got, reprs };
}

describe('Queue with many items', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns 4×10^5 items put with putNowait in order, without copying an array', () => {
    const n = 400_000;
    const { calls, result } = copyingCalls(() => {
      const q = new Queue<number>();
      for (let i = 0; i < n; i++) q.putNowait(i);
      let inOrder = q.qsize() === n;
      for (let i = 0; i < n; i++) if (q.getNowait() !== i) inOrder = false;
      return inOrder && q.empty();
    });
    expect(calls).toBe(0);
    expect(result).toBe(true);
  });

  it('returns them last-in first-out from a LifoQueue', () => {
    const q = new LifoQueue<number>();
    for (let i = 0; i < 100_000; i++) q.putNowait(i);
    let inOrder = true;
    for (let i = 100_000 - 1; i >= 0; i--) if (q.getNowait() !== i) inOrder = false;
    expect(inOrder).toBe(true);
    expect(q.empty()).toBe(true);
  });
});

describe('Queue with many getters', () => {
  it('serves the getters left in FIFO order after cancellations anywhere (CPython, N=30)', () => {
    expect(getters(30)).toEqual({
      got: [
        'c3', 'c10', 'c17', 'c24', 'c0', '1:0', '2:1', '4:2', '5:3', '6:4', '7:5', '8:6', '9:7', '11:8', '12:9', '13:10',
        '14:11', '15:12', '16:13', '18:14', '19:15', '20:16', '21:17', '22:18', '23:19', '25:20', '26:21', '27:22',
        '28:23', '29:24',
      ],
      reprs: ['<Queue maxsize=0 _getters[26]>', '<Queue maxsize=0 _queue=[14] _getters[10] tasks=15>', 'qsize=5 getters=0'],
    });
  });

  it('keeps that order with 2×10^4 getters, without scanning or copying an array', () => {
    const n = 20_000;
    const { calls, result } = copyingCalls(() => getters(n));
    expect(calls).toBe(0);
    const cancelled = Array.from({ length: Math.ceil((n - 3) / 7) }, (_, k) => `c${7 * k + 3}`);
    const served = Array.from({ length: n }, (_, i) => i).filter((i) => i !== 0 && i % 7 !== 3);
    expect(result.got).toEqual([...cancelled, 'c0', ...served.map((i, k) => `${i}:${k}`)]);
    expect(result.reprs).toEqual([`<Queue maxsize=0 _getters[${n - cancelled.length}]>`, `qsize=${n - served.length} getters=0`]);
  });
});
