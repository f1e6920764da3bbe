// The property runner finding real races (examples/11-property-testing.ts): a check-then-act
// around an await, a lost wake-up with Event.clear, a lock released before the write it
// protects; and races on the other ties it explores: simulated threads finishing at the same
// instant, a timer late by its jitter. Each is found within a few hundred runs whatever the
// seed, each fix holds, and a reported seed and path replay the same run. Where CPython can
// run the same program, it says what the run without exploration must do.

import { describe, expect, it, vi } from 'vitest';
import { blockingSleep, sleep, TimeoutError, waitFor, type Coro, type EventLoop } from '../../src/index.js';
import {
  checkProperty, jobDuration, replayProperty, runInEnvironment, TieBreaks, timerJitter, type ModelArbitrary, type PropertyOptions,
  type Scenario, type TraceKind,
} from '../../src/testing/index.js';
import {
  booking, bookingModel, bookFixed, bookRacy, counter, main as example, wakeupModel, wakeups,
} from '../../examples/11-property-testing.js';
import { runPython } from '../scenario/oracle/cpython.js';
import { cpythonTrace } from './_support.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const RUNS = 300;

/** The race is found within RUNS runs for every seed, the fix holds, and the report replays. */
function expectFoundAndFixed<M>(model: ModelArbitrary<M>, racy: Scenario<M>, fixed: Scenario<M>, options?: PropertyOptions): void {
  for (const seed of SEEDS) {
    const found = checkProperty(model, racy, { ...options, runs: RUNS, seed });
    expect(found.failed, `seed ${seed}: ${found.report}`).toBe(true);
    expect(found.runs).toBeLessThanOrEqual(RUNS);
    const again = replayProperty(model, racy, { ...options, seed, path: found.path! });
    expect(again.failed).toBe(true);
    expect(again.model).toEqual(found.counterexample!.model);
    expect(String(again.trace)).toBe(String(found.counterexample!.trace));
    const held = checkProperty(model, fixed, { ...options, runs: RUNS, seed });
    expect(held.failed, `seed ${seed}: ${held.report}`).toBe(false);
  }
}

// What the probe of test/testing/trace.test.ts records in CPython.
const PROBE_KINDS: TraceKind[] = ['iteration', 'run', 'timer', 'step', 'suspend', 'done', 'log', 'warning'];

// The probe cannot see _GatheringFuture complete (a subclass of the C Future it does not
// wrap): compare what both can see.
function comparable(lines: readonly string[]): string[] {
  return lines.filter((l) => !/ _GatheringFuture \d+: done/.test(l));
}

describe('a check-then-act around an await (double booking)', () => {
  it('is found within a few hundred runs for any seed, shrunk to both customers at once; reserving first holds', () => {
    expectFoundAndFixed(bookingModel, booking(bookRacy), booking(bookFixed));
    const r = checkProperty(bookingModel, booking(bookRacy), { seed: 1 });
    expect(r.counterexample!.model).toEqual({ ann: 0, bob: 0, payment: 0.1 });
  });

  it('books the seat twice on CPython too, and once with the fix, without exploring', async () => {
    const program = (fixed: boolean): string => `
async def main():
    seats = {}
    async def customer(who, at):
        await asyncio.sleep(at)
        if '1A' in seats:
            return False
        ${fixed ? "seats['1A'] = who\n        await asyncio.sleep(0.1)" : "await asyncio.sleep(0.1)\n        seats['1A'] = who"}
        return True
    confirmed = await asyncio.gather(customer('ann', 0), customer('bob', 0))
    return sum(confirmed) <= 1
`;
    for (const [fixed, book] of [[false, bookRacy], [true, bookFixed]] as const) {
      const expected = await cpythonTrace(program(fixed));
      expect(expected[0]).toBe(fixed ? 'True' : 'False');
      const run = runInEnvironment(booking(book), { model: { ann: 0, bob: 0, payment: 0.1 } }, { traceKinds: PROBE_KINDS });
      expect(run.failed).toBe(!fixed);
      expect(comparable(run.trace.lines())).toEqual(expected.slice(1));
    }
  });
});

describe('a lost wake-up (Event.clear after the work)', () => {
  it('is found within a few hundred runs for any seed, shrunk to two signals at once; clearing first holds', () => {
    expectFoundAndFixed(wakeupModel, wakeups('after'), wakeups('before'));
    const r = checkProperty(wakeupModel, wakeups('after'), { seed: 1 });
    expect(r.counterexample!.model).toEqual({ arrivals: [0, 0] });
  });

  it('loses a signal that comes while the batch is handled, and only then, as the same consumer does on CPython', async () => {
    // pyodide has no signals: there the handler runs from call_later at the arrival time.
    const cases = [[[0], 'after'], [[0, 1], 'after'], [[0, 0.3], 'after'], [[0, 0.3], 'before']] as const;
    const out = await runPython(`
import asyncio
async def scenario(arrivals, clear):
    loop = asyncio.get_running_loop()
    state = {'received': 0, 'handled': 0}
    wakeup = asyncio.Event()
    def on_signal():
        state['received'] += 1
        wakeup.set()
    for t in arrivals:
        loop.call_later(t, on_signal)
    async def consumer():
        while True:
            await wakeup.wait()
            if clear == 'before':
                wakeup.clear()
            batch = state['received'] - state['handled']
            await asyncio.sleep(0.5)
            state['handled'] += batch
            if clear == 'after':
                wakeup.clear()
    c = asyncio.create_task(consumer())
    await asyncio.sleep(5)
    c.cancel()
    await asyncio.wait([c])
    return state['handled'] == state['received']
async def main():
    for arrivals, clear in ${JSON.stringify(cases)}:
        print(await scenario(arrivals, clear))
asyncio.run(main())
`);
    expect(out).toBe('True\nTrue\nFalse\nTrue\n');
    const held = cases.map(([arrivals, clear]) => !runInEnvironment(wakeups(clear), { model: { arrivals: [...arrivals] } }).failed);
    expect(held).toEqual([true, true, false, true]);
  });
});

describe('a lock released before the write it protects', () => {
  it('is found within a few hundred runs for any seed, by breaking the tie of two timers; writing first holds', () => {
    expectFoundAndFixed({}, counter('before write'), counter('after write'));
    const c = checkProperty({}, counter('before write'), { seed: 1 }).counterexample!;
    expect(c.ties).toEqual(new TieBreaks([1]));
    expect(c.decisions).toEqual([{ kind: 'timers', time: 0.5, candidates: 2, chosen: 1 }]);
    expect(c.trace.lines().filter((l) => l.includes('fires')).map((l) => l.replace(/ +/g, ' '))).toEqual([
      '0.25 timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)',
      '0.5 timer 3 fires: _set_result_unless_cancelled(sleep future 3, None)',
      '0.5 timer 2 fires: _set_result_unless_cancelled(sleep future 2, None)',
      '0.75 timer 4 fires: _set_result_unless_cancelled(sleep future 4, None)',
    ]);
  });

  it('passes in CPython\'s own order, as CPython runs it: the bug needs the other order of the tie', async () => {
    expect(checkProperty({}, counter('before write'), { explore: false, runs: 20 }).failed).toBe(false);
    const expected = await cpythonTrace(`
async def main():
    store = {'value': 0}
    lock = asyncio.Lock()
    async def increment():
        await lock.acquire()
        try:
            await asyncio.sleep(0.25)
            value = store['value']
        finally:
            lock.release()
        await asyncio.sleep(0.25)
        store['value'] = value + 1
    await asyncio.gather(increment(), increment())
    return store['value'] == 2
`);
    expect(expected[0]).toBe('True');
    const run = runInEnvironment(counter('before write'), { model: {} }, { traceKinds: PROBE_KINDS });
    expect(run.failed).toBe(false);
    expect(comparable(run.trace.lines())).toEqual(expected.slice(1));
  });
});

describe('simulated threads finishing at the same instant', () => {
  /** Two executor jobs of the same duration; the scenario assumes the first submitted finishes first. */
  function jobs(order: 'assume submission order' | 'sort by job'): Scenario<{ d: number }> {
    return function* main({ d }, loop: EventLoop): Coro<boolean> {
      const finished: number[] = [];
      const job = (n: number) => () => {
        blockingSleep(d);
        return n;
      };
      const f1 = loop.runInExecutor(undefined, job(1));
      const f2 = loop.runInExecutor(undefined, job(2));
      f1.addDoneCallback(() => finished.push(1));
      f2.addDoneCallback(() => finished.push(2));
      yield* f1;
      yield* f2;
      yield* loop.shutdownDefaultExecutor();
      const seen = order === 'sort by job' ? [...finished].sort() : finished;
      return seen.join() === '1,2';
    };
  }

  it('are explored in both orders (the world\'s ties): an order assumption is found, shrunk to the tie', () => {
    const model = { d: jobDuration({ min: 0.5, max: 1, resolution: 0.5 }) };
    expect(checkProperty(model, jobs('assume submission order'), { explore: false, runs: 30 }).failed).toBe(false);
    // The replayed trace is compared whole, thread turns included (thread names are
    // normalised: Thread-N and ThreadPoolExecutor-N counters are process-wide).
    expectFoundAndFixed(model, jobs('assume submission order'), jobs('sort by job'));
    const c = checkProperty(model, jobs('assume submission order'), { seed: 1 }).counterexample!;
    expect(c.model).toEqual({ d: 0.5 });
    expect(c.decisions.map((d) => d.kind)).toEqual(['threads']);
    expect(c.decisions[0]!.time).toBe(0.5);
  });
});

describe('a timer late by its jitter', () => {
  /** A reply due after 0.75 s, late by `late`, awaited with a 1 s timeout. */
  const reply: Scenario<{ late: number }> = function* main({ late }): Coro<boolean> {
    return (yield* waitFor(sleep(0.75 + late, 'ok'), 1)) === 'ok';
  };
  const model = { late: timerJitter(0.5, { resolution: 0.25 }) };

  it('is shrunk to the smallest lateness that misses the deadline', () => {
    const c = checkProperty(model, reply, { seed: 1 }).counterexample!;
    expect(c.model).toEqual({ late: 0.25 });
    expect(c.error).toBeInstanceOf(TimeoutError);
  });

  it('times out at exactly the deadline in both orders of the tie, as CPython does in both', async () => {
    // CPython 3.13, in its own order and with the two timers pushed the other way round.
    const out = await runPython(`
import asyncio
async def main():
    loop = asyncio.get_running_loop()
    for reschedule in (False, True):
        try:
            async with asyncio.timeout(None if reschedule else 1.0) as cm:
                if reschedule:
                    loop.call_soon(cm.reschedule, loop.time() + 1.0)
                await asyncio.sleep(0.75 + 0.25, 'ok')
            print('ok')
        except TimeoutError:
            print('timeout', loop.time() % 1.0)
asyncio.run(main())
`);
    expect(out).toBe('timeout 0.0\ntimeout 0.0\n');
    for (const ties of [new TieBreaks([]), new TieBreaks([1])]) {
      const run = runInEnvironment(reply, { model: { late: 0.25 }, ties });
      expect(run.error).toBeInstanceOf(TimeoutError);
      expect(run.decisions).toHaveLength(ties.choices.length);
    }
  });
});

describe('examples/11-property-testing.ts', () => {
  it('finds each race, replays it to the same trace, and shows each fix holding for 300 runs', () => {
    let out = '';
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { out += `${args.join(' ')}\n`; });
    try {
      example();
    } finally {
      spy.mockRestore();
    }
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('--- '))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('property failed after '))).toHaveLength(3);
    expect(lines.filter((l) => l.endsWith(': the same run, the same trace'))).toHaveLength(3);
    expect(lines.filter((l) => l === 'the fix: property held for 300 runs (seed 1)')).toHaveLength(3);
    expect(out).toContain('model: {"ann":0,"bob":0,"payment":0.1}');
    expect(out).toContain('model: {"arrivals":[0,0]}');
    expect(out).toContain('  t=0.5 timers: #2 of 2 went first (CPython: #1)');
  });
});

