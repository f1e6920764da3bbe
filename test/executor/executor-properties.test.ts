// Property tests of ThreadPoolExecutor on the simulated threads, over random job mixes
// (atomic and generator jobs, sleeping various times, submitted at various virtual times,
// with or without a scheduling seed). Replay a failure with the seed fast-check prints:
//   AIOSIM_SEED=<seed> npx vitest run test/executor/executor-properties.test.ts
// AIOSIM_RUNS=<n> sets the number of runs of every property.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  blockingSleep, EventLoop, gather, sleep, threading, ThreadPoolExecutor, world, wrapFuture, type Coro, type Future,
} from '../../src/index.js';

const SEED = process.env.AIOSIM_SEED === undefined ? undefined : Number(process.env.AIOSIM_SEED);
const RUNS = process.env.AIOSIM_RUNS === undefined ? undefined : Number(process.env.AIOSIM_RUNS);

function params<T>(defaultRuns: number): fc.Parameters<T> {
  return {
    numRuns: RUNS ?? defaultRuns,
    ...(SEED === undefined ? {} : { seed: SEED }),
    plugins: [fc.interruptAfterTimeLimit(10_000, { failOnInterrupt: true }) as fc.Plugin<T>],
  };
}

afterEach(() => {
  world._reset();
  vi.restoreAllMocks();
});

/** One job: when it is submitted, whether its body is a generator, what it sleeps (in turn). */
interface JobSpec {
  submitAt: number;
  generator: boolean;
  sleeps: number[];
}

interface Scenario {
  maxWorkers: number;
  jobs: JobSpec[];
  /** world.setSchedulingSeed(seed), or FIFO ties. */
  seed: number | undefined;
  /** Submit with pool.submit (then wrapFuture) or with loop.runInExecutor. */
  via: 'submit' | 'runInExecutor';
}

// Times and sleeps are multiples of 0.25, so that sums are exact.
const quarter = (max: number) => fc.integer({ min: 0, max: max * 4 }).map((n) => n / 4);

const jobArb: fc.Arbitrary<JobSpec> = fc.record({
  submitAt: quarter(2),
  generator: fc.boolean(),
  sleeps: fc.array(fc.constantFrom(0, 0.25, 0.5, 1), { minLength: 1, maxLength: 3 }),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  maxWorkers: fc.integer({ min: 1, max: 4 }),
  jobs: fc.array(jobArb, { minLength: 1, maxLength: 10 }),
  seed: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
  via: fc.constantFrom('submit' as const, 'runInExecutor' as const),
});

interface RunRecord {
  /** Every event, in the order it happened: `time what`. */
  events: string[];
  /** Per job: how many times its body started. */
  runs: number[];
  /** Per job: start and completion times (completion: the concurrent future is done). */
  starts: number[];
  ends: number[];
  /** Job indices in the order they were submitted. */
  submitted: number[];
  workerNames: Set<string>;
  results: unknown[];
  stderr: string;
}

function runScenarioOnPool(s: Scenario): RunRecord {
  world._reset();
  world.setSchedulingSeed(s.seed);
  const n = s.jobs.length;
  const rec: RunRecord = {
    events: [], runs: Array<number>(n).fill(0), starts: Array<number>(n).fill(NaN), ends: Array<number>(n).fill(NaN),
    submitted: [], workerNames: new Set(), results: [], stderr: '',
  };
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    rec.stderr += String(chunk);
    return true;
  });
  const loop = new EventLoop();
  const pool = new ThreadPoolExecutor({ maxWorkers: s.maxWorkers, threadNamePrefix: 'p' });
  const started = (i: number): void => {
    rec.runs[i]!++;
    rec.starts[i] = world.now;
    const name = threading.currentThread().name;
    rec.workerNames.add(name);
    rec.events.push(`${world.now} start ${i} in ${name}`);
  };
  const futures: Future<unknown>[] = [];
  const submit = (i: number): void => {
    const spec = s.jobs[i]!;
    rec.submitted.push(i);
    rec.events.push(`${loop.time()} submit ${i}`);
    const job = spec.generator
      ? function* generatorJob(k: number): Generator<unknown, number, unknown> {
        started(k);
        for (const d of spec.sleeps) yield* blockingSleep(d);
        return k;
      }
      : function atomicJob(k: number): number {
        started(k);
        for (const d of spec.sleeps) blockingSleep(d);
        return k;
      };
    let fut: Future<unknown>;
    if (s.via === 'submit') {
      const cf = pool.submit(job, i);
      cf.addDoneCallback(() => {
        rec.ends[i] = world.now;
        rec.events.push(`${world.now} done ${i}`);
      });
      fut = wrapFuture(cf, { loop });
    } else {
      fut = loop.runInExecutor(pool, job, i);
      fut.addDoneCallback(() => rec.events.push(`${loop.time()} loop sees ${i}`));
    }
    futures[i] = fut;
  };
  s.jobs.forEach((spec, i) => loop.callAt(spec.submitAt, submit, i));
  function* main(): Coro<unknown[]> {
    yield* sleep(2.5);
    return yield* gather(...futures);
  }
  try {
    rec.results = loop.runUntilComplete(main());
  } finally {
    loop.close();
    pool.shutdown({ wait: true });
    write.mockRestore();
  }
  if (s.via === 'runInExecutor') {
    // The completion time of a job is the end of its body: its start plus what it slept.
    s.jobs.forEach((spec, i) => {
      rec.ends[i] = rec.starts[i]! + spec.sleeps.reduce((a, b) => a + b, 0);
    });
  }
  return rec;
}

/** FIFO list scheduling on maxWorkers workers: when each job starts and ends. */
function reference(s: Scenario, submitted: number[]): { starts: number[]; ends: number[] } {
  const free = Array<number>(s.maxWorkers).fill(0);
  const starts: number[] = [];
  const ends: number[] = [];
  let last = 0;
  for (const i of submitted) {
    const spec = s.jobs[i]!;
    const w = free.indexOf(Math.min(...free));
    const start = Math.max(spec.submitAt, free[w]!, last);
    last = start;
    starts[i] = start;
    ends[i] = start + spec.sleeps.reduce((a, b) => a + b, 0);
    free[w] = ends[i]!;
  }
  return { starts, ends };
}

describe('ThreadPoolExecutor properties', () => {
  it('runs every submitted job exactly once, and each future gets its own job\'s result', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const r = runScenarioOnPool(s);
      expect(r.runs).toEqual(s.jobs.map(() => 1));
      expect(r.results).toEqual(s.jobs.map((_, i) => i));
    }), params(150));
  });

  it('never runs more than maxWorkers jobs at once, on at most maxWorkers named workers', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const r = runScenarioOnPool(s);
      for (const t of r.starts) {
        const running = r.starts.filter((st, j) => st <= t && t < r.ends[j]!).length;
        expect(running).toBeLessThanOrEqual(s.maxWorkers);
      }
      const allowed = Array.from({ length: s.maxWorkers }, (_, k) => `p_${k}`);
      for (const name of r.workerNames) expect(allowed).toContain(name);
    }), params(150));
  });

  it('starts a queued job as soon as a worker is free, first in, first out', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const r = runScenarioOnPool(s);
      const ref = reference(s, r.submitted);
      expect({ starts: r.starts, ends: r.ends, stderr: r.stderr }).toEqual({ starts: ref.starts, ends: ref.ends, stderr: '' });
    }), params(150));
  });

  it('gives the same run, event for event, every time for the same scenario and scheduling seed', () => {
    fc.assert(fc.property(scenarioArb, (s) => {
      const a = runScenarioOnPool(s);
      const b = runScenarioOnPool(s);
      expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    }), params(100));
  });

  it('returns from shutdown({ wait: true }) only after every job has finished', () => {
    const arb = fc.record({
      maxWorkers: fc.integer({ min: 1, max: 4 }),
      jobs: fc.array(jobArb, { minLength: 0, maxLength: 10 }),
      before: quarter(2),
      seed: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
    });
    fc.assert(fc.property(arb, ({ maxWorkers, jobs, before, seed }) => {
      world._reset();
      world.setSchedulingSeed(seed);
      const pool = new ThreadPoolExecutor({ maxWorkers, threadNamePrefix: 'w' });
      const workers = new Set<InstanceType<typeof threading.Thread>>();
      const ends: number[] = [];
      const futures = jobs.map((spec) => {
        const body = spec.generator
          ? function* (): Generator<unknown, void, unknown> {
            workers.add(threading.currentThread());
            for (const d of spec.sleeps) yield* blockingSleep(d);
          }
          : () => {
            workers.add(threading.currentThread());
            for (const d of spec.sleeps) blockingSleep(d);
          };
        const f = pool.submit(body);
        f.addDoneCallback(() => ends.push(world.now));
        return f;
      });
      blockingSleep(before);
      pool.shutdown({ wait: true });
      expect(futures.every((f) => f.done())).toBe(true);
      expect(ends).toHaveLength(jobs.length);
      expect(world.now).toBe(Math.max(before, ...ends));
      expect([...workers].filter((w) => w.isAlive()).map((w) => w.name)).toEqual([]);
    }), params(150));
  });
});
