// Property tests of the synchronisation primitives over random task programs: mutual
// exclusion for Lock, the bounds of a (Bounded)Semaphore's value, and for the three
// queues (scenarios of test/scenario/, checked on their structured records) that every
// item put is got exactly once, in the discipline's order, with join() returning only
// after every taskDone. Replay a failure with the seed fast-check prints:
//   AIOSIM_SEED=<seed> npx vitest run test/sync/sync-properties.test.ts
// AIOSIM_RUNS=<n> sets the number of runs of every property.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asyncWith, BoundedSemaphore, CancelledError, createTask, EventLoop, gather, Lock, repr, sleep, type AsyncContextManager, type Coro,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { recordScenario, runScenario } from '../scenario/interpreter.js';
import type { EventRecord, RecordsObserver } from '../scenario/observers.js';
import { itemKey, queueProgramArb, type QueueShape } from '../scenario/queue-programs.js';

const SEED = process.env.AIOSIM_SEED === undefined ? undefined : Number(process.env.AIOSIM_SEED);
const RUNS = process.env.AIOSIM_RUNS === undefined ? undefined : Number(process.env.AIOSIM_RUNS);

function params<T>(defaultRuns: number): fc.Parameters<T> {
  return { numRuns: RUNS ?? defaultRuns, ...(SEED === undefined ? {} : { seed: SEED }) };
}

// A pause: -1 is none at all (no suspension), 0 is sleep(0) (one loop iteration).
const delayArb = fc.constantFrom(-1, 0, 0, 0.1, 0.25, 1);

function* delay(d: number): Coro<void> {
  if (d >= 0) yield* sleep(d);
}

// Run `main` on a fresh loop and close it; StalledError (a deadlock) propagates.
function runOnLoop<T>(main: (loop: EventLoop) => Coro<T>): T {
  const loop = new EventLoop();
  try {
    return loop.runUntilComplete(main(loop));
  } finally {
    loop.close();
  }
}

// Every task ended normally or was cancelled: nothing else was raised.
function expectOnlyCancellations(results: unknown[]): void {
  for (const r of results) if (r !== undefined && !(r instanceof CancelledError)) throw r;
}

// ---- Lock and Semaphore: workers taking the primitive, holding it, pausing ----------

interface HoldStep { hold: number; gap: number; viaWith: boolean }
interface Worker { start: number; steps: HoldStep[]; cancelAt: number[] }

const workerArb: fc.Arbitrary<Worker> = fc.record({
  start: delayArb,
  steps: fc.array(fc.record({ hold: delayArb, gap: delayArb, viaWith: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  cancelAt: fc.array(fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 2), { maxLength: 2 }),
});
const workersArb = fc.array(workerArb, { minLength: 1, maxLength: 6 });

interface Gate extends AsyncContextManager<undefined> {
  acquire(): Coro<unknown>;
  release(): void;
}

/**
 * Run `workers` against `gate`; `enter`/`leave` are called when a worker starts and stops
 * holding it. Returns once every worker has finished or been cancelled.
 */
function runWorkers(gate: Gate, workers: Worker[], enter: (i: number) => void, leave: (i: number) => void,
  check: () => void): void {
  runOnLoop(function* main(loop): Coro<void> {
    function* hold(i: number, step: HoldStep): Coro<void> {
      enter(i);
      try {
        yield* delay(step.hold);
      } finally {
        leave(i);
      }
    }
    function* worker(i: number, w: Worker): Coro<void> {
      yield* delay(w.start);
      for (const step of w.steps) {
        if (step.viaWith) {
          yield* asyncWith(gate, () => hold(i, step));
        } else {
          yield* gate.acquire();
          check();
          try {
            yield* hold(i, step);
          } finally {
            gate.release();
          }
        }
        check();
        yield* delay(step.gap);
      }
    }
    const tasks = workers.map((w, i) => createTask(worker(i, w)));
    workers.forEach((w, i) => {
      for (const t of w.cancelAt) loop.callLater(t, () => tasks[i]!.cancel());
    });
    // Check the state at regular virtual times while workers run (a callSoon chain would
    // keep the virtual clock from ever advancing).
    let running = true;
    const probe = (): void => {
      check();
      if (running) loop.callLater(0.05, probe);
    };
    loop.callSoon(probe);
    const results = yield* gather(...tasks, { returnExceptions: true });
    running = false;
    expectOnlyCancellations(results);
  });
}

describe('Lock', () => {
  it('never has two holders, never deadlocks, and ends unlocked without waiters', () => {
    fc.assert(
      fc.property(workersArb, (workers) => {
        const lock = new Lock();
        let holder: number | undefined;
        const violations: string[] = [];
        runWorkers(lock, workers, (i) => {
          if (holder !== undefined) violations.push(`worker ${i} acquired while ${holder} holds the lock`);
          if (!lock.locked()) violations.push(`worker ${i} holds an unlocked lock`);
          holder = i;
        }, () => {
          holder = undefined;
        }, () => {
          if (holder !== undefined && !lock.locked()) violations.push(`worker ${holder} holds an unlocked lock`);
        });
        expect(violations).toEqual([]);
        expect(lock.locked()).toBe(false);
        expect(normaliseSites(repr(lock))).toBe('<asyncio.locks.Lock object at 0x? [unlocked]>');
      }),
      params(300),
    );
  });
});

describe('BoundedSemaphore', () => {
  it('keeps its value between 0 and its bound, never has more holders than the bound, and ends at the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), workersArb, (bound, workers) => {
        const sem = new BoundedSemaphore(bound);
        const holders = new Set<number>();
        const violations: string[] = [];
        const check = (where: string): void => {
          if (sem._value < 0 || sem._value > bound) violations.push(`value ${sem._value} ${where}`);
          if (holders.size > bound) violations.push(`${holders.size} holders ${where}`);
        };
        runWorkers(sem, workers, (i) => {
          holders.add(i);
          check(`after worker ${i} acquired`);
        }, (i) => {
          holders.delete(i);
          check(`after worker ${i} released`);
        }, () => check('between iterations'));
        expect(violations).toEqual([]);
        expect(sem._value).toBe(bound);
        expect(sem.locked()).toBe(false);
        expect(normaliseSites(repr(sem))).toBe(`<asyncio.locks.BoundedSemaphore object at 0x? [unlocked, value:${bound}]>`);
      }),
      params(300),
    );
  });
});

// ---- Queues: producers, consumers (some cancelled), joiners -----------------------------
// Scenarios of the one language (test/scenario/queue-programs.ts); the checks read the
// run's structured records: every queue operation with its item and the size after it.

/**
 * A model of the queue, fed the run's queue operations in order: what it must hold (in
 * put order, the discipline picks from it), what each consumer got and has not marked
 * done, what each joiner saw put before it joined; and what broke the rules.
 */
class QueueModel {
  readonly put: number[] = [];
  readonly got: number[] = [];
  readonly violations: string[] = [];
  readonly #shadow: number[] = [];
  readonly #working = new Map<string, number>();
  readonly #done = new Set<number>();
  readonly #joinedAfter = new Map<string, number[]>();

  constructor(readonly shape: QueueShape) {}

  // Items are numbers ordered as the tuples (priority, producer, seq): a PriorityQueue's order.
  #expectedNext(): number {
    if (this.shape.kind === 'Queue') return this.#shadow[0]!;
    if (this.shape.kind === 'LifoQueue') return this.#shadow[this.#shadow.length - 1]!;
    return Math.min(...this.#shadow);
  }

  event(e: EventRecord): void {
    if (e.who.startsWith('j') && e.text.startsWith('slept')) this.#joinedAfter.set(e.who, [...this.put]);
    if (/^raise (?!CancelledError)/.test(e.text)) this.violations.push(`${e.who} raised: ${e.text}`);
    if (e.fact.kind !== 'queue') return;
    const { op, item, qsize } = e.fact;
    if (op === 'put') this.#putDone(item as number, qsize);
    else if (op === 'get') this.#gotten(e.who, item as number);
    else if (op === 'taskDone') this.#done.add(this.#working.get(e.who)!);
    else if (op === 'join') this.#joined(e.who, qsize);
  }

  #putDone(x: number, qsize: number): void {
    this.put.push(x);
    this.#shadow.push(x);
    if (this.shape.maxsize > 0 && qsize > this.shape.maxsize) this.violations.push(`qsize ${qsize} > maxsize ${this.shape.maxsize}`);
  }

  #gotten(who: string, x: number): void {
    if (this.#shadow.length === 0) {
      this.violations.push(`${who} got ${itemKey(x)} from an empty queue`);
    } else {
      const want = this.#expectedNext();
      if (want !== x) this.violations.push(`${who} got ${itemKey(x)}, expected ${itemKey(want)}`);
      if (this.#shadow.includes(x)) this.#shadow.splice(this.#shadow.indexOf(x), 1);
    }
    this.got.push(x);
    this.#working.set(who, x);
  }

  #joined(who: string, qsize: number): void {
    const before = who === 'main' ? this.put : (this.#joinedAfter.get(who) ?? []);
    const notDone = before.filter((x) => !this.#done.has(x));
    if (notDone.length > 0) this.violations.push(`${who}'s join returned before ${notDone.map(itemKey).join(', ')} were done`);
    if (who === 'main' && qsize !== 0) this.violations.push(`queue not empty after join: qsize ${qsize}`);
  }
}

/** Replay a run's records through the model; the run itself must end normally. */
function checkQueueRun(shape: QueueShape, r: RecordsObserver): QueueModel {
  const model = new QueueModel(shape);
  for (const e of r.events) model.event(e);
  const end = r.lines[r.lines.length - 1];
  if (end !== 'end result None') model.violations.push(`the run ended: ${end}`);
  return model;
}

describe('Queue, LifoQueue, PriorityQueue', () => {
  it("get every item put exactly once, each get returning the discipline's next item; join waits for every taskDone", () => {
    fc.assert(
      fc.property(queueProgramArb(), ({ shape, scenario }) => {
        const run = checkQueueRun(shape, recordScenario(scenario));
        expect(run.violations).toEqual([]);
        expect(run.got.map(itemKey).sort()).toEqual(run.put.map(itemKey).sort());
        expect(new Set(run.got).size).toBe(run.got.length);
        if (shape.kind === 'Queue') {
          // FIFO per producer (implied by the check above, stated on its own).
          for (let pid = 0; pid < shape.producers.length; pid++) {
            const seqs = run.got.map(itemKey).filter((k) => k.startsWith(`${pid}.`)).map((k) => Number(k.split('.')[1]));
            expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          }
        }
      }),
      params(300),
    );
  });

  it('determinism: the same program run twice gives identical traces', () => {
    fc.assert(
      fc.property(queueProgramArb(), ({ scenario }) => {
        expect(runScenario(scenario)).toEqual(runScenario(scenario));
      }),
      params(100),
    );
  });
});
