// The timer heap must reproduce heapq exactly: heapq is not stable, so timers with equal
// deadlines fire in heapq's order, not FIFO. Every expected order below was printed by the
// quoted Python program on the oracle (CPython 3.13.2, virtual clock).

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventLoop, type TimerHandle } from '../../src/index.js';
import fc from 'fast-check';
import * as generic from '../../src/runtime/heapq.js';
import { TimerHeap } from '../../src/events/timer-heap.js';

interface Item {
  readonly _when: number;
  readonly id: number;
}

const item = (when: number, id: number): Item => ({ _when: when, id });
const ids = (heap: readonly Item[] | TimerHeap<Item>): number[] => (heap instanceof TimerHeap ? heap.items : heap).map((x) => x.id);

// heapq.heapify(items) on a TimerHeap.
function heapified(items: Item[]): TimerHeap<Item> {
  const heap = new TimerHeap<Item>();
  heap.heapify(items);
  return heap;
}
const sha1 = (values: readonly number[]): string => createHash('sha1').update(values.join(',')).digest('hex');

type Trace = [number, number][];

/**
 * Python:
 *   def run(setup, n):
 *       loop = asyncio.new_event_loop(); trace = []
 *       def rec(i):
 *           trace.append((loop.time(), i))
 *           if len(trace) == n: loop.stop()
 *       setup(loop, rec); loop.run_forever(); loop.close(); return trace
 */
function run(n: number, setup: (loop: EventLoop, rec: (i: number) => void) => void): Trace {
  const loop = new EventLoop();
  const trace: Trace = [];
  const rec = (i: number): void => {
    trace.push([loop.time(), i]);
    if (trace.length === n) loop.stop();
  };
  setup(loop, rec);
  loop.runForever();
  loop.close();
  return trace;
}

const firedIds = (trace: Trace): number[] => trace.map(([, i]) => i);
const distinctTimes = (trace: Trace): number[] => [...new Set(trace.map(([t]) => t))].sort((a, b) => a - b);

describe('heappush', () => {
  it('lays the heap out as heapq.heappush does', () => {
    // h = []; for i in range(20): heapq.heappush(h, T((i * 7) % 4, i))   (T compares on when only)
    const heap = new TimerHeap<Item>();
    for (let i = 0; i < 20; i++) heap.push(item((i * 7) % 4, i));
    expect(ids(heap)).toEqual([0, 4, 12, 8, 3, 11, 6, 16, 7, 19, 10, 5, 2, 13, 14, 1, 15, 17, 18, 9]);
  });
});

describe('heappop', () => {
  it('pops equal keys in heapq order, not insertion order', () => {
    // [heapq.heappop(h).id for _ in range(20)] after the 20 pushes above
    const heap = new TimerHeap<Item>();
    for (let i = 0; i < 20; i++) heap.push(item((i * 7) % 4, i));
    const popped: number[] = [];
    while (heap.length > 0) popped.push(heap.pop().id);
    expect(popped).toEqual([0, 12, 4, 8, 16, 11, 3, 19, 7, 15, 6, 14, 2, 10, 18, 1, 5, 9, 13, 17]);
  });
});

describe('heapify', () => {
  it('lays a small list out as heapq.heapify does, and pops from it in heapq order', () => {
    // h = [T((i * 5) % 3, i) for i in range(25)]; heapq.heapify(h); ids; then pop all
    const heap = heapified(Array.from({ length: 25 }, (_, i) => item((i * 5) % 3, i)));
    expect(ids(heap)).toEqual([6, 21, 12, 18, 9, 24, 14, 15, 3, 20, 22, 0, 5, 13, 2, 7, 16, 17, 8, 19, 1, 10, 4, 23, 11]);
    const popped: number[] = [];
    while (heap.length > 0) popped.push(heap.pop().id);
    expect(popped).toEqual([6, 12, 24, 0, 21, 9, 18, 3, 15, 14, 2, 5, 11, 23, 20, 8, 17, 4, 13, 10, 7, 16, 1, 22, 19]);
  });

  it('lays out more than 2,500 items as the C heapify does (its cache-friendly path)', () => {
    // h = [T((i * 7919) % 11, i) for i in range(3000)]; heapq.heapify(h)
    // sha1(','.join(ids)) and the first 20 ids
    const heap = heapified(Array.from({ length: 3000 }, (_, i) => item((i * 7919) % 11, i)));
    expect(ids(heap).slice(0, 20)).toEqual([
      2046, 1529, 2035, 638, 759, 891, 253, 2299, 1276, 2805, 22, 1661, 110, 957, 506, 2167, 286, 605, 2552, 1342,
    ]);
    expect(sha1(ids(heap))).toBe('040aebe6fac0957d22de89d975aa03b813d29a41');
  });
});

describe('EventLoop timer order', () => {
  it('fires 12 timers at the same deadline in heapq order', () => {
    // for i in range(12): loop.call_at(5.0, rec, i)
    const trace = run(12, (loop, rec) => {
      for (let i = 0; i < 12; i++) loop.callAt(5.0, rec, i);
    });
    expect(trace).toEqual([0, 2, 6, 11, 10, 9, 8, 5, 7, 4, 1, 3].map((i) => [5, i]));
  });

  it('fires the same 12 timers in another order when a 13th, later timer is in the heap', () => {
    // for i in range(12): loop.call_at(5.0, rec, i)
    // loop.call_at(6.0, loop.stop)          (the research note's 0,2,6,5,11,... order)
    const trace = run(Infinity, (loop, rec) => {
      for (let i = 0; i < 12; i++) loop.callAt(5.0, rec, i);
      loop.callAt(6.0, () => loop.stop());
    });
    expect(trace).toEqual([0, 2, 6, 5, 11, 10, 9, 8, 7, 1, 3, 4].map((i) => [5, i]));
  });

  it('fires mixed delays by deadline, ties in heapq order', () => {
    // for i, d in enumerate([3, 1, 2, 1, 3, 2, 1]): loop.call_later(d, rec, i)
    const trace = run(7, (loop, rec) => {
      [3, 1, 2, 1, 3, 2, 1].forEach((d, i) => loop.callLater(d, rec, i));
    });
    expect(trace).toEqual([[1, 1], [1, 6], [1, 3], [2, 5], [2, 2], [3, 0], [3, 4]]);
  });

  it('fires 40 timers on 5 deadlines in heapq order', () => {
    // for i in range(40): loop.call_at((i * 7) % 5 + 1, rec, i)
    const trace = run(40, (loop, rec) => {
      for (let i = 0; i < 40; i++) loop.callAt(((i * 7) % 5) + 1, rec, i);
    });
    expect(firedIds(trace)).toEqual([
      0, 5, 30, 25, 10, 20, 15, 35, 13, 28, 23, 3, 38, 18, 8, 33, 6, 26, 1, 11, 21, 16, 36, 31, 14, 29, 24, 4, 9, 19,
      34, 39, 12, 37, 27, 22, 32, 7, 17, 2,
    ]);
    expect(distinctTimes(trace)).toEqual([1, 2, 3, 4, 5]);
    // Each timer fires at its own deadline.
    for (const [t, i] of trace) expect(t).toBe(((i * 7) % 5) + 1);
  });

  it('skips timers cancelled before the run and keeps heapq order for the rest', () => {
    // hs = [loop.call_at(2.0, rec, i) for i in range(30)]
    // for i in (0, 2, 6, 5, 13, 17, 29): hs[i].cancel()
    let before: [number, number] | undefined;
    const trace = run(23, (loop, rec) => {
      const hs: TimerHandle[] = [];
      for (let i = 0; i < 30; i++) hs.push(loop.callAt(2.0, rec, i));
      for (const i of [0, 2, 6, 5, 13, 17, 29]) hs[i]!.cancel();
      before = [loop._scheduled.length, loop._timerCancelledCount];
    });
    // len(loop._scheduled), loop._timer_cancelled_count == 30, 7
    expect(before).toEqual([30, 7]);
    expect(trace).toEqual(
      [14, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 16, 15, 12, 11, 10, 9, 8, 7, 4, 1, 3].map((i) => [2, i]),
    );
  });

  it('skips timers cancelled by an earlier timer', () => {
    // hs = [loop.call_at(2.0, rec, i) for i in range(30)]
    // def canceller(): cancel hs[0], hs[4], ..., hs[28]; record (len(_scheduled), _timer_cancelled_count)
    // loop.call_at(1.0, canceller)
    const counts: [number, number][] = [];
    const trace = run(22, (loop, rec) => {
      const hs: TimerHandle[] = [];
      for (let i = 0; i < 30; i++) hs.push(loop.callAt(2.0, rec, i));
      loop.callAt(1.0, () => {
        for (let i = 0; i < 30; i += 4) hs[i]!.cancel();
        counts.push([loop._scheduled.length, loop._timerCancelledCount]);
      });
    });
    expect(counts).toEqual([[30, 8]]);
    expect(trace).toEqual(
      [2, 6, 29, 14, 27, 26, 25, 23, 22, 21, 19, 18, 17, 13, 15, 11, 10, 9, 5, 7, 1, 3].map((i) => [2, i]),
    );
  });

  it('skips timers cancelled by a timer with the same deadline in the same batch', () => {
    // def killer(i):
    //     rec(i)
    //     for j in range(i + 1, 20, 3): hs[j].cancel()
    // for i in range(20): hs.append(loop.call_at(3.0, killer if i % 5 == 0 else rec, i))
    const trace = run(13, (loop, rec) => {
      const hs: TimerHandle[] = [];
      const killer = (i: number): void => {
        rec(i);
        for (let j = i + 1; j < 20; j += 3) hs[j]!.cancel();
      };
      for (let i = 0; i < 20; i++) hs.push(loop.callAt(3.0, i % 5 === 0 ? killer : rec, i));
    });
    expect(trace).toEqual([0, 2, 6, 14, 18, 17, 15, 12, 11, 9, 8, 5, 3].map((i) => [3, i]));
  });
});

describe('EventLoop cancelled-timer compaction', () => {
  it('filters and heapifies when more than 100 timers are scheduled and more than half are cancelled', () => {
    // hs = [loop.call_at(1 + (i * 37) % 4, rec, i) for i in range(150)]
    // for i in range(150): if i % 5 != 0: hs[i].cancel()
    // loop.call_soon(<record len(loop._scheduled), loop._timer_cancelled_count>)
    let before: [number, number] | undefined;
    const after: [number, number][] = [];
    const trace = run(30, (loop, rec) => {
      const hs: TimerHandle[] = [];
      for (let i = 0; i < 150; i++) hs.push(loop.callAt(1 + ((i * 37) % 4), rec, i));
      for (let i = 0; i < 150; i++) if (i % 5 !== 0) hs[i]!.cancel();
      before = [loop._scheduled.length, loop._timerCancelledCount];
      loop.callSoon(() => after.push([loop._scheduled.length, loop._timerCancelledCount]));
    });
    expect(before).toEqual([150, 120]);
    expect(after).toEqual([[30, 0]]);
    // Popping the cancelled timers one by one instead would give
    // 0, 60, 120, 100, 20, ...: the heapify is what yields this order.
    expect(firedIds(trace)).toEqual([
      120, 40, 0, 100, 80, 20, 140, 60, 65, 125, 105, 25, 5, 45, 85, 145, 130, 110, 30, 10, 50, 90, 70, 35, 135, 115,
      15, 95, 55, 75,
    ]);
    expect(trace.map(([t]) => t)).toEqual([...Array(8).fill(1), ...Array(8).fill(2), ...Array(7).fill(3), ...Array(7).fill(4)]);
  });

  it('pops only cancelled heads when exactly half the timers are cancelled', () => {
    // hs = [loop.call_at(1 + (i * 37) % 4, rec, i) for i in range(200)]
    // for i in range(0, 200, 2): hs[i].cancel()
    const after: [number, number][] = [];
    const trace = run(100, (loop, rec) => {
      const hs: TimerHandle[] = [];
      for (let i = 0; i < 200; i++) hs.push(loop.callAt(1 + ((i * 37) % 4), rec, i));
      for (let i = 0; i < 200; i += 2) hs[i]!.cancel();
      loop.callSoon(() => after.push([loop._scheduled.length, loop._timerCancelledCount]));
    });
    expect(after).toEqual([[150, 50]]);
    expect(firedIds(trace)).toEqual([
      125, 61, 121, 29, 117, 57, 113, 13, 109, 53, 105, 25, 101, 49, 197, 97, 193, 5, 189, 93, 185, 45, 181, 89, 177, 21,
      173, 85, 41, 169, 9, 165, 81, 161, 1, 157, 77, 153, 37, 149, 73, 145, 17, 141, 69, 137, 33, 133, 65, 129, 199, 99,
      7, 83, 183, 71, 119, 187, 51, 75, 151, 31, 91, 3, 103, 107, 155, 143, 11, 39, 131, 171, 167, 139, 55, 135, 195, 35,
      63, 47, 19, 191, 179, 147, 27, 67, 163, 159, 23, 15, 43, 123, 111, 175, 79, 95, 59, 127, 87, 115,
    ]);
  });

  it('compacts more than 2,500 surviving timers in the C heapify order', () => {
    // hs = [loop.call_at(1 + (i * 7919) % 11, rec, i) for i in range(6000)]
    // for i in range(6000): if i % 7 < 4: hs[i].cancel()      -> 2571 survive
    const after: [number, number][] = [];
    const trace = run(2571, (loop, rec) => {
      const hs: TimerHandle[] = [];
      for (let i = 0; i < 6000; i++) hs.push(loop.callAt(1 + ((i * 7919) % 11), rec, i));
      for (let i = 0; i < 6000; i++) if (i % 7 < 4) hs[i]!.cancel();
      loop.callSoon(() => after.push([loop._scheduled.length, loop._timerCancelledCount]));
    });
    expect(after).toEqual([[2571, 0]]);
    expect(trace).toHaveLength(2571);
    expect(firedIds(trace).slice(0, 12)).toEqual([4730, 4708, 1243, 1089, 264, 132, 55, 11, 4675, 4653, 2321, 1210]);
    expect(sha1(firedIds(trace))).toBe('4012f92ddc99a030a957c7a8259653af6c149bff');
    expect(distinctTimes(trace)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('fires 2,600 uncancelled timers in heappush/heappop order', () => {
    // for i in range(2600): loop.call_at(1 + (i * 7919) % 11, rec, i)
    const trace = run(2600, (loop, rec) => {
      for (let i = 0; i < 2600; i++) loop.callAt(1 + ((i * 7919) % 11), rec, i);
    });
    expect(firedIds(trace).slice(0, 12)).toEqual([0, 11, 55, 121, 253, 506, 2035, 2046, 1012, 2024, 495, 1001]);
    expect(sha1(firedIds(trace))).toBe('ca545504c5149278f0bb7f78d998fc77f8a5d03a');
  });

  it('gives the same trace byte for byte when the same scenario runs twice', () => {
    const scenario = (): string =>
      JSON.stringify(
        run(2571, (loop, rec) => {
          const hs: TimerHandle[] = [];
          for (let i = 0; i < 6000; i++) hs.push(loop.callAt(1 + ((i * 7919) % 11), rec, i));
          for (let i = 0; i < 6000; i++) if (i % 7 < 4) hs[i]!.cancel();
        }),
      );
    expect(scenario()).toBe(scenario());
  });
});

describe('the timer heap specialised to _when (deadlines packed beside the items)', () => {
  it('moves items exactly as the generic heapq does with TimerHandle.__lt__', () => {
    const lt = (a: Item, b: Item): boolean => a._when < b._when;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(-1)), { maxLength: 200 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 40 }), (ops, initial) => {
        const b: Item[] = initial.map((w, i) => item(w, 1000 + i));
        const a = heapified([...b]);
        generic.heapify(b, lt);
        expect(ids(a)).toEqual(ids(b));
        ops.forEach((op, i) => {
          if (op < 0) {
            if (a.length > 0) expect(a.pop().id).toBe(generic.heappop(b, lt).id);
          } else {
            a.push(item(op, i));
            generic.heappush(b, item(op, i), lt);
          }
          expect(ids(a)).toEqual(ids(b));
          // The packed deadlines follow the items: the head's is the earliest.
          if (a.length > 0) expect(a.peekWhen()).toBe(a.items[0]!._when);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the packed deadlines right across growth, shrinking and a copy', () => {
    const heap = new TimerHeap<Item>();
    // Past several doublings of the packed storage, then down below a quarter of it.
    for (let i = 0; i < 5000; i++) heap.push(item((i * 7919) % 101, i));
    const reference = TimerHeap.fromHeapOrder(heap.items);
    const popped: number[] = [];
    for (let i = 0; i < 4900; i++) {
      popped.push(heap.pop()._when);
      heap.shrink();
    }
    expect(heap.length).toBe(100);
    for (let i = 0; i < 100; i++) popped.push(heap.pop()._when);
    // Every deadline in order, as the untouched copy pops them too.
    expect(popped).toEqual([...popped].sort((x, y) => x - y));
    const fromCopy: number[] = [];
    while (reference.length > 0) fromCopy.push(reference.pop()._when);
    expect(fromCopy).toEqual(popped);
  });
});
