// The exploration hooks under the property runner: the loop's choice among timers due at
// exactly the same time, and the world's choice among simulated-thread steps due at the
// same instant. They reorder only what asyncio leaves open (never callSoon's FIFO, done
// callbacks, different deadlines, or one thread's own steps), and change nothing when off.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { blockingSleep, EventLoop, sleep, Thread, type Coro } from '../../src/index.js';
import { world } from '../../src/runtime/world.js';
import type { TieChooser } from '../../src/events/timer-heap.js';
import { recordScenario } from '../scenario/interpreter.js';
import { anyLoopProgramArb, loopProgramArb, TIMER_HEAVY } from '../scenario/loop-programs.js';
import type { RecordsObserver } from '../scenario/observers.js';

afterEach(() => world._reset());

/** A chooser taking its answers from `choices` (then 0), recording each question. */
function scripted(choices: readonly number[]): { choose: TieChooser; asked: number[] } {
  const asked: number[] = [];
  let i = 0;
  return { asked, choose: (n) => { asked.push(n); return (choices[i++] ?? 0) % n; } };
}

function loopWith(choose: TieChooser | undefined): EventLoop {
  const loop = new EventLoop();
  loop._tieChooser = choose;
  return loop;
}

/** Run `setup` on a loop with `choose`, until idle; returns what the callbacks logged. */
function order(choose: TieChooser | undefined, setup: (loop: EventLoop, log: (s: string) => () => void) => void): string[] {
  const loop = loopWith(choose);
  const seen: string[] = [];
  setup(loop, (s) => function cb() { seen.push(`${loop.time()} ${s}`); });
  loop.runUntilIdle();
  loop.close();
  return seen;
}

describe('EventLoop._tieChooser (timers due at exactly the same time)', () => {
  const threeAtOne = (loop: EventLoop, log: (s: string) => () => void): void => {
    loop.callLater(1, log('a'));
    loop.callLater(2, log('late'));
    loop.callLater(1, log('b'));
    loop.callLater(1, log('c'));
  };

  it('asks once per position among the live timers of a tie, and never for a lone timer', () => {
    const s = scripted([]);
    expect(order(s.choose, threeAtOne)).toEqual(order(undefined, threeAtOne));
    expect(s.asked).toEqual([3, 2]);
  });

  it('runs the chosen timer first, then chooses among the rest', () => {
    // heapq's order for a, b, c at 1.0 is a, b, c: choice 2 takes c, then 1 takes b.
    expect(order(undefined, threeAtOne)).toEqual(['1 a', '1 b', '1 c', '2 late']);
    expect(order(scripted([2, 1]).choose, threeAtOne)).toEqual(['1 c', '1 b', '1 a', '2 late']);
    expect(order(scripted([1]).choose, threeAtOne)).toEqual(['1 b', '1 a', '1 c', '2 late']);
  });

  it('reaches every order of a tie', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) orders.add(order(scripted([i, j]).choose, threeAtOne).join(','));
    expect(orders.size).toBe(6);
  });

  it('keeps callSoon callbacks (ready before the timers) first and FIFO, and timers of different deadlines in deadline order', () => {
    const setup = (loop: EventLoop, log: (s: string) => () => void): void => {
      loop.callLater(0.5, log('t0.5'));
      loop.callLater(1, log('a'));
      loop.callLater(1, log('b'));
      loop.callLater(0.5, () => {
        loop.callSoon(log('soon1'));
        loop.callSoon(log('soon2'));
      });
    };
    expect(order(scripted([1, 1]).choose, setup)).toEqual(['0.5 t0.5', '0.5 soon1', '0.5 soon2', '1 b', '1 a']);
  });

  it('gives cancelled timers no choice', () => {
    const s = scripted([1]);
    const seen = order(s.choose, (loop, log) => {
      loop.callLater(1, log('a'));
      loop.callLater(1, log('b')).cancel();
      loop.callLater(1, log('c'));
    });
    expect(s.asked).toEqual([2]);
    expect(seen).toEqual(['1 c', '1 a']);
  });

  it('changes nothing when every choice is CPython\'s: the same trace as no chooser (random programs with equal deadlines)', () => {
    fc.assert(fc.property(anyLoopProgramArb(), (program) => {
      expect(recordScenario(program, () => loopWith(() => 0)).lines).toEqual(recordScenario(program).lines);
    }), { numRuns: 150 });
  });

  it('keeps callSoon FIFO, done callbacks in registration order, timers never early and different deadlines in order, under any choices', () => {
    const arb = fc.tuple(fc.oneof(anyLoopProgramArb(), loopProgramArb(TIMER_HEAVY)), fc.array(fc.nat({ max: 7 }), { maxLength: 50 }));
    fc.assert(fc.property(arb, ([program, choices]) => {
      const r = recordScenario(program, () => loopWith(scripted(choices).choose));
      checkInvariants(r);
    }), { numRuns: 150 });
  });

  it('explores orders CPython leaves open: some choices change some programs\' traces', () => {
    let changed = 0;
    fc.assert(fc.property(anyLoopProgramArb(), fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 50 }), (program, choices) => {
      if (recordScenario(program, () => loopWith(scripted(choices).choose)).lines.join('\n') !== recordScenario(program).lines.join('\n')) changed++;
    }), { numRuns: 100, seed: 1 });
    expect(changed).toBeGreaterThan(0);
  });
});

// The invariants of test/loop/properties.test.ts that hold whatever order ties take.
function checkInvariants(r: RecordsObserver): void {
  const soon = r.handles.filter((h) => h.kind === 'soon' && h.runEvs.length > 0);
  expect([...soon].sort((a, b) => a.runEvs[0]! - b.runEvs[0]!).map((h) => h.id)).toEqual(soon.map((h) => h.id));
  const timers = r.handles.filter((h) => h.kind !== 'soon');
  for (const h of timers) for (const t of h.runTimes) expect(h.when! < t + 1e-9).toBe(true);
  const fired = timers.filter((h) => h.runEvs.length === 1);
  for (const a of fired) {
    for (const b of fired) {
      if (!(a.when! < b.when!) || Math.max(a.scheduledAt, b.scheduledAt) >= Math.min(a.runTimes[0]!, b.runTimes[0]!)) continue;
      expect(a.runEvs[0]!, `h${a.id} (when=${a.when}) fired after h${b.id} (when=${b.when})`).toBeLessThan(b.runEvs[0]!);
    }
  }
  for (const h of r.handles) expect(h.runEvs.length).toBe(h.cancelledBeforeRun ? 0 : 1);
  for (const f of [...r.futures, ...r.tasks]) {
    const evs = f.doneCbs.filter((cb) => cb.length > 0).map((cb) => cb[0]!.ev);
    expect(evs).toEqual([...evs].sort((a, b) => a - b));
  }
}

describe('world tie choices (simulated-thread steps at the same instant)', () => {
  /** Threads a, b, c each sleep 1 s, then make two thread-safe calls: the order the loop sees them. */
  function threadCalls(choose: () => void): string[] {
    world._reset();
    choose();
    const loop = new EventLoop();
    const seen: string[] = [];
    function* main(): Coro<void> {
      for (const tag of ['a', 'b', 'c']) {
        new Thread({
          target: () => {
            blockingSleep(1);
            loop.callSoonThreadsafe(function first() { seen.push(`${tag}1`); });
            loop.callSoonThreadsafe(function second() { seen.push(`${tag}2`); });
          },
        }).start();
      }
      yield* sleep(2);
    }
    loop.runUntilComplete(main());
    loop.close();
    return seen;
  }

  const sameThreadInOrder = (seen: string[]): boolean => ['a', 'b', 'c'].every((t) => seen.indexOf(`${t}1`) < seen.indexOf(`${t}2`));

  it('runs them FIFO without a chooser', () => {
    expect(threadCalls(() => undefined)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
  });

  it('interleaves different threads\' steps but keeps one thread\'s calls in program order, under any choices', () => {
    const orders = new Set<string>();
    fc.assert(fc.property(fc.array(fc.nat({ max: 5 }), { maxLength: 8 }), (choices) => {
      const seen = threadCalls(() => world._setTieChooser(scripted(choices).choose));
      expect(seen).toHaveLength(6);
      expect(sameThreadInOrder(seen)).toBe(true);
      orders.add(seen.join(','));
    }), { numRuns: 200, seed: 3 });
    expect(orders.size).toBeGreaterThan(6);
  });

  it('keeps one thread\'s calls in program order under a scheduling seed too (a seed used to permute them)', () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const seen = threadCalls(() => world.setSchedulingSeed(seed));
      expect(sameThreadInOrder(seen), `seed ${seed}: ${seen.join(',')}`).toBe(true);
      orders.add(seen.join(','));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('asks only when steps of different owners are due at the same instant', () => {
    world._reset();
    const s = scripted([]);
    world._setTieChooser(s.choose);
    const seen: string[] = [];
    for (const [tag, d] of [['x', 2], ['y', 1], ['z', 3]] as const) {
      new Thread({ target: function* step(): Generator<unknown, void, unknown> { yield* blockingSleep(d); seen.push(tag); } }).start();
    }
    blockingSleep(5);
    // At t=0 three threads start (a tie of three, then two); their wake-ups are all apart.
    expect(s.asked).toEqual([3, 2]);
    expect(seen).toEqual(['y', 'x', 'z']);
  });
});
