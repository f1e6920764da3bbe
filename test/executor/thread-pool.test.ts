// ThreadPoolExecutor on simulated worker threads. Names, error texts and the order of
// events come from native CPython 3.13.0 (probes on a virtual-clock loop whose selector
// lets threads run only while the loop waits); timelines of sleeping jobs follow aiosim's
// documented semantics (src/executor/thread-pool.ts).

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  blockingSleep, ConcurrentFuture, gather, getCpuCount, repr, RuntimeError, setCpuCount, threading, ThreadPoolExecutor,
  ValueError, withContext, world, type Coro,
} from '../../src/index.js';
import { runScenario } from '../_support/scenario.js';

const DEFAULT_CPUS = getCpuCount();

afterEach(() => {
  setCpuCount(DEFAULT_CPUS);
  world._reset();
  vi.restoreAllMocks();
});

/** What is written to process.stderr while `fn` runs. */
function stderrOf(fn: () => void): string {
  let text = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    vi.restoreAllMocks();
  }
  return text;
}

/** A generator job: logs its start and end on the world's clock, sleeping `d` in between. */
function sleeper(log: string[], d: number) {
  return function* job(tag: string): Generator<unknown, string, unknown> {
    log.push(`${world.now} ${tag} starts in ${threading.currentThread().name}`);
    yield* blockingSleep(d);
    log.push(`${world.now} ${tag} ends`);
    return tag;
  };
}

describe('ThreadPoolExecutor', () => {
  it('starts workers lazily: an idle worker takes a job, else a new one starts while below maxWorkers', () => {
    const log: string[] = [];
    const pool = new ThreadPoolExecutor({ maxWorkers: 3, threadNamePrefix: 'p' });
    const job = sleeper(log, 1);
    const first = pool.submit(job, 'a');
    expect(first.running()).toBe(false);
    expect(first.result()).toBe('a');
    const more = ['b', 'c'].map((t) => pool.submit(job, t));
    expect(more.map((f) => f.result())).toEqual(['b', 'c']);
    pool.shutdown();
    expect(log).toEqual([
      '0 a starts in p_0', '1 a ends',
      '1 b starts in p_0', '1 c starts in p_1', '2 b ends', '2 c ends',
    ]);
  });

  it('names workers ThreadPoolExecutor-N_k, counting only executors without a prefix', () => {
    // CPython: thread_name_prefix or 'ThreadPoolExecutor-%d' % counter(); the default executor's are 'asyncio_k'
    const names = (pool: ThreadPoolExecutor): string => {
      const name = pool.submit(() => threading.currentThread().name).result();
      pool.shutdown();
      return name;
    };
    const a = names(new ThreadPoolExecutor());
    const b = names(new ThreadPoolExecutor({ threadNamePrefix: 'custom' }));
    const c = names(new ThreadPoolExecutor(1));
    const n = Number(/^ThreadPoolExecutor-(\d+)_0$/.exec(a)?.[1]);
    expect([a, b, c]).toEqual([`ThreadPoolExecutor-${n}_0`, 'custom_0', `ThreadPoolExecutor-${n + 1}_0`]);
  });

  it('never runs more than maxWorkers jobs at once and starts queued jobs first in, first out', () => {
    const log: string[] = [];
    const pool = new ThreadPoolExecutor({ maxWorkers: 2, threadNamePrefix: 'w' });
    const futures = ['a', 'b', 'c', 'd', 'e'].map((t) => pool.submit(sleeper(log, 1), t));
    pool.shutdown({ wait: true });
    expect(futures.map((f) => f.result())).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(log).toEqual([
      '0 a starts in w_0', '0 b starts in w_1',
      '1 a ends', '1 c starts in w_0', '1 b ends', '1 d starts in w_1',
      '2 c ends', '2 e starts in w_0', '2 d ends',
      '3 e ends',
    ]);
  });

  it('wakes one idle worker per job, so that every worker stays usable', () => {
    // CPython 3.13.0, max_workers=2: two jobs at once (p_0, p_1), one quick job, then two
    // jobs at once again: both run at the same time on p_0 and p_1, nothing is printed.
    let trace: unknown[] = [];
    const text = stderrOf(() => {
      trace = runScenario(function* main({ loop, log }): Coro<void> {
        const pool = new ThreadPoolExecutor({ maxWorkers: 2, threadNamePrefix: 'p' });
        function* slow(tag: string, ev: ConcurrentFuture<boolean>): Generator<unknown, string, unknown> {
          log(`${tag} starts`);
          yield* ev;
          log(`${tag} ends`);
          return threading.currentThread().name;
        }
        const quick = (tag: string): string => {
          log(`${tag} runs`);
          return threading.currentThread().name;
        };
        const phase = (tags: string[], at: number) => {
          const ev = new ConcurrentFuture<boolean>();
          loop.callLater(at - loop.time(), () => ev.setResult(true));
          return tags.map((t) => loop.runInExecutor(pool, slow, t, ev));
        };
        const n1 = yield* gather(...phase(['a', 'b'], 1));
        const n2 = yield* loop.runInExecutor(pool, quick, 'c');
        const n3 = yield* gather(...phase(['d', 'e'], 2));
        log(`names ${repr([...n1].sort())} ${n1.includes(n2)} ${repr([...n3].sort())}`);
        pool.shutdown();
      });
    });
    expect(trace).toEqual([
      [0, 'a starts'], [0, 'b starts'],
      [1, 'a ends'], [1, 'b ends'],
      [1, 'c runs'],
      [1, 'd starts'], [1, 'e starts'],
      [2, 'd ends'], [2, 'e ends'],
      [2, "names ['p_0', 'p_1'] true ['p_0', 'p_1']"],
      ['return', 'None'],
    ]);
    expect(text).toBe('');
  });

  it('runs plain jobs atomically: their blockingSleep delays only their completion', () => {
    const pool = new ThreadPoolExecutor(1);
    const done: number[] = [];
    const futures = [1, 2].map((d) => pool.submit((x: number) => {
      blockingSleep(x);
      return x * 10;
    }, d));
    for (const f of futures) f.addDoneCallback(() => done.push(world.now));
    expect(futures.map((f) => f.result())).toEqual([10, 20]);
    expect(done).toEqual([1, 3]);
    pool.shutdown();
  });

  it('gives a job\'s exception to its future and keeps the worker', () => {
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'x' });
    const boom = new ValueError('boom');
    let text = '';
    let names: string[] = [];
    text = stderrOf(() => {
      const bad = pool.submit(() => {
        throw boom;
      });
      const good = pool.submit(() => threading.currentThread().name);
      expect(bad.exception()).toBe(boom);
      expect(() => bad.result()).toThrow(boom);
      names = [good.result()];
      pool.shutdown();
    });
    expect(names).toEqual(['x_0']);
    expect(text).toBe('');
  });

  it('passes the arguments and returns what a generator job returns', () => {
    const pool = new ThreadPoolExecutor(2);
    const f = pool.submit(function* add(a: number, b: number): Generator<unknown, number, unknown> {
      yield* blockingSleep(0.5);
      return a + b;
    }, 2, 3);
    expect(f.result()).toBe(5);
    expect(world.now).toBe(0.5);
    pool.shutdown();
  });

  it('maps a function over zipped iterables, in order, up to the shortest', () => {
    const pool = new ThreadPoolExecutor(2);
    expect([...pool.map((a: number, b: number) => a * b, [1, 2, 3], [4, 5])]).toEqual([4, 10]);
    expect([...pool.map(function* slowly(x: number): Generator<unknown, number, unknown> {
      yield* blockingSleep(3 - x);
      return x;
    }, [0, 1, 2])]).toEqual([0, 1, 2]);
    pool.shutdown();
  });

  it('makes map throw the first failure and cancel the jobs not yet started', () => {
    // CPython's Executor.map: the result iterator cancels the remaining futures when it
    // stops early. One worker: job 1 fails, job 2 has started (same turn), job 3 is cancelled.
    const ran: number[] = [];
    const pool = new ThreadPoolExecutor(1);
    function* job(x: number): Generator<unknown, number, unknown> {
      ran.push(x);
      if (x === 1) throw new ValueError('one');
      yield* blockingSleep(1);
      return x;
    }
    expect(() => [...pool.map(job, [1, 2, 3])]).toThrow(/^one$/);
    pool.shutdown({ wait: true });
    expect(ran).toEqual([1, 2]);
  });

  // Regression (issue 16): the job queue was an array shifted at every job taken.
  it('runs 2×10^4 queued jobs first in, first out without copying the queue', () => {
    const n = 20_000;
    const order: number[] = [];
    const shift = vi.spyOn(Array.prototype, 'shift');
    const pool = new ThreadPoolExecutor(1);
    const futures = Array.from({ length: n }, (_, i) => pool.submit((x: number) => {
      order.push(x);
      return x;
    }, i));
    pool.shutdown({ wait: true });
    const shifts = shift.mock.calls.length;
    vi.restoreAllMocks();
    expect(shifts).toBe(0);
    expect(order.every((x, i) => x === i) && order.length === n).toBe(true);
    expect(futures[n - 1]!.result()).toBe(n - 1);
  });

  it('returns from shutdown({ wait: true }) only when every job is done, and refuses new jobs', () => {
    const log: string[] = [];
    const pool = new ThreadPoolExecutor({ maxWorkers: 2, threadNamePrefix: 's' });
    const workers: InstanceType<typeof threading.Thread>[] = [];
    const futures = ['a', 'b', 'c'].map((t) => pool.submit(function* (tag: string): Generator<unknown, void, unknown> {
      workers.push(threading.currentThread());
      yield* sleeper(log, 1)(tag);
    }, t));
    pool.shutdown({ wait: true });
    expect(world.now).toBe(2);
    expect(futures.every((f) => f.done())).toBe(true);
    expect(workers.map((w) => w.isAlive())).toEqual([false, false, false]);
    expect(() => pool.submit(() => 1)).toThrow(RuntimeError);
    expect(() => pool.submit(() => 1)).toThrow(/^cannot schedule new futures after shutdown$/);
  });

  it('returns from shutdown({ wait: false }) at once; queued jobs still run', () => {
    const log: string[] = [];
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'q' });
    const futures = ['a', 'b'].map((t) => pool.submit(sleeper(log, 1), t));
    pool.shutdown({ wait: false });
    expect(world.now).toBe(0);
    expect(futures[1]!.result()).toBe('b');
    expect(log).toEqual(['0 a starts in q_0', '1 a ends', '1 b starts in q_0', '2 b ends']);
  });

  it('cancels the queued jobs, not the running one, on shutdown({ cancelFutures: true })', () => {
    const log: string[] = [];
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'c' });
    const futures = ['a', 'b', 'c'].map((t) => pool.submit(sleeper(log, 1), t));
    blockingSleep(0);
    expect(futures.map((f) => f.running())).toEqual([true, false, false]);
    pool.shutdown({ wait: true, cancelFutures: true });
    expect(futures.map((f) => [f.done(), f.cancelled()])).toEqual([[true, false], [true, true], [true, true]]);
    expect(log).toEqual(['0 a starts in c_0', '1 a ends']);
  });

  it('shuts down with wait when leaving withContext, and gives back the body\'s value', () => {
    const log: string[] = [];
    const pool = new ThreadPoolExecutor(2);
    const value = withContext(pool, (p) => {
      expect(p).toBe(pool);
      p.submit(sleeper(log, 1), 'a');
      p.submit(sleeper(log, 2), 'b');
      return 'body';
    });
    expect(value).toBe('body');
    expect(world.now).toBe(2);
    expect(() => pool.submit(() => 1)).toThrow(/^cannot schedule new futures after shutdown$/);
    const other = new ThreadPoolExecutor(1);
    expect(() => withContext(other, (p) => {
      p.submit(sleeper(log, 1), 'c');
      throw new ValueError('body failed');
    })).toThrow(/^body failed$/);
    expect(world.now).toBe(3);
  });

  it('runs the initializer once in each worker, before its first job', () => {
    const seen: string[] = [];
    const pool = new ThreadPoolExecutor({
      maxWorkers: 2,
      threadNamePrefix: 'i',
      initializer: (...args: unknown[]) => seen.push(`init ${threading.currentThread().name} ${args.join(',')}`),
      initargs: [1, 2],
    });
    const job = (t: string): void => {
      seen.push(`${t} in ${threading.currentThread().name}`);
      blockingSleep(1);
    };
    ['a', 'b', 'c'].map((t) => pool.submit(job, t));
    pool.shutdown();
    expect(seen).toEqual(['init i_0 1,2', 'a in i_0', 'init i_1 1,2', 'b in i_1', 'c in i_0']);
  });

  it('sizes a pool without maxWorkers as min(32, cpu count + 4)', () => {
    setCpuCount(1);
    const log: string[] = [];
    const pool = new ThreadPoolExecutor({ threadNamePrefix: 'd' });
    const futures = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((t) => pool.submit(sleeper(log, 1), t));
    pool.shutdown();
    expect(futures.every((f) => f.done())).toBe(true);
    expect(log.filter((l) => l.startsWith('0 ')).length).toBe(5);
    expect(log.filter((l) => l.startsWith('1 ') && l.includes('starts')).length).toBe(2);
    setCpuCount(2);
    expect(new ThreadPoolExecutor()._maxWorkers).toBe(6);
    setCpuCount(40);
    expect(new ThreadPoolExecutor()._maxWorkers).toBe(32);
    expect(getCpuCount()).toBe(40);
  });

  it('refuses a non-positive maxWorkers and a non-callable initializer', () => {
    for (const n of [0, -1]) {
      expect(() => new ThreadPoolExecutor(n)).toThrow(ValueError);
      expect(() => new ThreadPoolExecutor({ maxWorkers: n })).toThrow(/^max_workers must be greater than 0$/);
    }
    // ThreadPoolExecutor('2') -> TypeError; CPython accepts nan and never starts a worker:
    // aiosim refuses it (docs/divergences.md, "Simulated threads").
    expect(() => new ThreadPoolExecutor('2' as never)).toThrow(TypeError);
    expect(() => new ThreadPoolExecutor('2' as never)).toThrow(/^'<=' not supported between instances of 'str' and 'int'$/);
    expect(() => new ThreadPoolExecutor(NaN)).toThrow(/^max_workers must be greater than 0$/);
    expect(new ThreadPoolExecutor(null as never)._maxWorkers).toBe(new ThreadPoolExecutor()._maxWorkers);
    expect(() => new ThreadPoolExecutor({ initializer: 1 as never })).toThrow(TypeError);
    expect(() => new ThreadPoolExecutor({ initializer: 1 as never })).toThrow(/^initializer must be a callable$/);
    expect(() => setCpuCount(0)).toThrow(ValueError);
  });
});
