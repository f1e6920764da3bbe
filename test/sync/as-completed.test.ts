// Expected values come from running the same program on CPython 3.13.2 (pyodide).

import { describe, expect, it } from 'vitest';
import { asCompleted, Event, PriorityQueue, Queue, repr, run, sleep, TimeoutError, type Coro } from '../../src/index.js';
import { getRunningLoop } from '../../src/loop/events.js';

function* w(n: string, d: number): Coro<string> {
  yield* sleep(d);
  return n;
}

describe('asCompleted', () => {
  it('hands out results in completion order, and TimeoutError once the timeout passes', () => {
    const out: unknown[] = [];
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      for (const c of asCompleted([w('a', 3), w('b', 1), w('c', 2)])) out.push([yield* c, loop.time()]);
      for (const c of asCompleted([w('x', 1), w('y', 5)], { timeout: 2 })) {
        try {
          out.push([yield* c, loop.time()]);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          out.push(['timeout', loop.time(), repr(e)]);
        }
      }
    }
    run(main());
    expect(out).toEqual([['b', 1], ['c', 2], ['a', 3], ['x', 4], ['timeout', 5, 'TimeoutError()']]);
  });
});

describe('Queue reprs', () => {
  it('prints str and repr forms as asyncio does', () => {
    const out: string[] = [];
    function* main(): Coro<void> {
      const q = new Queue(2);
      out.push(repr(q).slice(0, 9), String(q));
      q.putNowait(1);
      q.putNowait(2);
      out.push(String(q));
      const pq = new PriorityQueue<[number, string]>();
      for (const item of [[2, 'b'], [1, 'z'], [1, 'a'], [3, 'c']] as [number, string][]) pq.putNowait(item);
      out.push(`${String(pq)} ${repr([0, 1, 2, 3].map(() => pq.getNowait()))}`);
      const ev = new Event();
      out.push(`${repr(ev).slice(0, 24)} ${repr(ev).slice(-8)}`);
      yield;
    }
    run(main());
    expect(out).toEqual([
      '<Queue at',
      '<Queue maxsize=2>',
      '<Queue maxsize=2 _queue=[1, 2] tasks=2>',
      "<PriorityQueue maxsize=0 _queue=[(1, 'a'), (2, 'b'), (1, 'z'), (3, 'c')] tasks=4> [[1, 'a'], [1, 'z'], [2, 'b'], [3, 'c']]",
      '<asyncio.locks.Event obj [unset]>',
    ]);
  });
});
