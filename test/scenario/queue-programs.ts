// Random producer/consumer scenarios on one queue (Queue, LifoQueue or PriorityQueue),
// for the queues' property tests: producers put numbered items with pauses between,
// consumers get them forever (doing some work, then taskDone, even when cancelled),
// some consumers are cancelled at random times, joiners wait for join(). Main waits for
// the producers, joins the queue, waits for the joiners, then cancels the consumers.
// Core language only: CPython could run these too.

import fc from 'fast-check';
import type { Action, Scenario, Step } from './language.js';

type Kind = 'Queue' | 'LifoQueue' | 'PriorityQueue';

/** What is drawn before it is laid out as a scenario. */
export interface QueueShape {
  kind: Kind;
  maxsize: number;
  producers: { start: number; items: { priority: number; gap: number }[] }[];
  consumers: { start: number; work: number; cancelAt: number[] }[];
  joiners: number[];
}

// A pause: -1 is none at all (no suspension), 0 is sleep(0) (one loop iteration).
const delayArb = fc.constantFrom(-1, 0, 0, 0.1, 0.25, 1);
const pause = (d: number): Step[] => (d >= 0 ? [['sleep', d]] : []);

const shapeArb: fc.Arbitrary<QueueShape> = fc.record({
  kind: fc.constantFrom<Kind>('Queue', 'LifoQueue', 'PriorityQueue'),
  maxsize: fc.integer({ min: 0, max: 3 }),
  producers: fc.array(
    fc.record({
      start: delayArb,
      items: fc.array(fc.record({ priority: fc.integer({ min: 0, max: 3 }), gap: delayArb }), { maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  // Consumer 0 is never cancelled, so the queue always drains.
  consumers: fc.array(
    fc.record({ start: delayArb, work: delayArb, cancelAt: fc.array(fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 2), { maxLength: 3 }) }),
    { minLength: 1, maxLength: 3 },
  ),
  joiners: fc.array(fc.constantFrom(0, 0.1, 0.5, 1, 2), { maxLength: 2 }),
});

/**
 * Item `seq` of producer `pid` with `priority`, as one number that orders as the tuple
 * (priority, pid, seq) does (pid < 10, seq < 10): a PriorityQueue's order.
 */
export const item = (priority: number, pid: number, seq: number): number => priority * 100 + pid * 10 + seq;

/** An item's producer and sequence number: `<pid>.<seq>`. */
export const itemKey = (x: number): string => `${Math.floor(x / 10) % 10}.${x % 10}`;

const QUEUE_KINDS = { Queue: 'fifo', LifoQueue: 'lifo', PriorityQueue: 'priority' } as const;

/** Lay a drawn program out as a scenario: main is body 0, then producers p<i>, consumers c<i>, joiners j<i>. */
function layOut(p: QueueShape): Scenario {
  const total = p.producers.reduce((n, s) => n + s.items.length, 0);
  const producers = p.producers.map((s, pid): Step[] => [
    ...pause(s.start),
    ...s.items.flatMap((it, seq): Step[] => [['put', 0, item(it.priority, pid, seq)], ...pause(it.gap)]),
  ]);
  // Forever, as far as these items go: one get more than there are items blocks until cancelled.
  const consumers = p.consumers.map((s): Step[] => [
    ...pause(s.start),
    ['repeatSteps', total + 1, [['get', 0], ['try', pause(s.work), 'BaseException', [['taskDone', 0], ['reraise']]], ['taskDone', 0]]],
  ]);
  const joiners = p.joiners.map((start): Step[] => [['sleep', start], ['join', 0]]);
  const label = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const tasks = [...label('p', producers.length), ...label('c', consumers.length), ...label('j', joiners.length)];
  const callbacks: Action[][] = [];
  const cancels = p.consumers.flatMap((s, i) => (i === 0 ? [] : s.cancelAt.map((t): Action => ['callLater', t, callbacks.push([['cancel', `t:c${i}`, null]]) - 1])));
  const consumerRefs = label('t:c', consumers.length);
  const main: Step[] = [
    ...tasks.map((t, i): Step => ['spawn', i + 1, t]),
    ...cancels,
    ['gather', label('t:p', producers.length), true],
    ['join', 0],
    ['gather', label('t:j', joiners.length), true],
    ...consumerRefs.map((ref): Step => ['cancel', ref, null]),
    ['gather', consumerRefs, true],
  ];
  return {
    id: 'queue-program', futures: 0, callbacks,
    bodies: [main, ...producers, ...consumers, ...joiners],
    sync: { queues: [{ kind: QUEUE_KINDS[p.kind], maxsize: p.maxsize }] },
  };
}

/** Random queue programs: the drawn shape (for the checks) and its scenario. */
export function queueProgramArb(): fc.Arbitrary<{ shape: QueueShape; scenario: Scenario }> {
  return shapeArb.map((shape) => ({ shape, scenario: layOut(shape) }));
}
