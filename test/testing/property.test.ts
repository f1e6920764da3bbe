// The property runner: checkProperty / assertProperty / replayProperty / runInEnvironment.
// What a report says, that replaying a reported seed and path (or the reported environment)
// gives the same run and trace, how runs are isolated, and the option errors.

import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  blockingSleep, createTask, EventLoop, getRunningLoop, KeyboardInterrupt, signals, sleep, Thread, ValueError, type Coro,
} from '../../src/index.js';
import { world } from '../../src/runtime/world.js';
import { counter } from '../../examples/11-property-testing.js';
import { captureAsyncioLogs } from '../_support/capture.js';
import {
  assertProperty, checkProperty, jobDuration, LoopCheckError, modelDelay, PropertyFailure, PropertyFalse, replayProperty,
  runInEnvironment, TieBreaks, type PropertyRun, type Scenario,
} from '../../src/testing/index.js';

/** Two tasks increment a counter under a lock that is released before the write (a tie race). */
const racyCounter = counter('before write') as () => Coro<boolean>;

/** Fails when the delay is at least 0.5 s: the model's bug. */
const slowIsBad: Scenario<{ delay: number }> = function* main({ delay }): Coro<boolean> {
  yield* sleep(delay);
  if (delay >= 0.5) throw new Error(`too slow: ${delay}`);
  return true;
};
const delayModel = { delay: modelDelay({ max: 2, resolution: 0.1 }) };

describe('checkProperty', () => {
  it('reports a passing property with its number of runs and seed', () => {
    const r = checkProperty(delayModel, function* main({ delay }): Coro<boolean> { yield* sleep(delay); return true; }, { runs: 25, seed: 3 });
    expect(r).toMatchObject({ failed: false, runs: 25, seed: 3, path: undefined, counterexample: undefined });
    expect(r.report).toBe('property held for 25 runs (seed 3)');
  });

  it('shrinks a failure to the smallest failing model value, and reports the seed, path, model, error and trace', () => {
    const r = checkProperty(delayModel, slowIsBad, { seed: 42 });
    expect(r.failed).toBe(true);
    const c = r.counterexample!;
    expect(c.model).toEqual({ delay: 0.5 });
    expect(c.error).toEqual(new Error('too slow: 0.5'));
    expect(c.failed).toBe(true);
    expect(c.decisions).toEqual([]);
    expect(c.ties).toEqual(new TieBreaks([]));
    expect(r.path).toMatch(/^\d+(:\d+)*$/);
    expect(r.report.split('\n')).toEqual([
      `property failed after ${r.runs} run${r.runs === 1 ? '' : 's'} (seed 42, path "${r.path}"), shrunk ${r.shrinks} time${r.shrinks === 1 ? '' : 's'}`,
      `replay: { seed: 42, path: "${r.path}" }`,
      'model: {"delay":0.5}',
      'ties: every tie went CPython\'s way',
      'error: Error: too slow: 0.5',
      'trace:',
      ...c.trace.lines().map((l) => `  ${l}`),
    ]);
    expect(String(c.trace)).toContain('main: done, exception=Error(\'too slow: 0.5\')');
  });

  it('explores ties: a bug hidden by CPython\'s order of equal deadlines is found, and the tie is named', () => {
    expect(checkProperty({}, racyCounter, { explore: false, runs: 50 }).failed).toBe(false);
    const r = checkProperty({}, racyCounter, { seed: 1 });
    expect(r.failed).toBe(true);
    const c = r.counterexample!;
    expect(c.error).toBeInstanceOf(PropertyFalse);
    expect(c.decisions).toEqual([{ kind: 'timers', time: 0.5, candidates: 2, chosen: 1 }]);
    expect(c.ties).toEqual(new TieBreaks([1]));
    expect(r.report).toContain('ties: TieBreaks([1]), broken otherwise than CPython breaks them at\n  t=0.5 timers: #2 of 2 went first (CPython: #1)\nerror: PropertyFalse: the scenario returned false');
  });

  it('gives the same result for the same seed', () => {
    const a = checkProperty(delayModel, slowIsBad, { seed: 7 });
    const b = checkProperty(delayModel, slowIsBad, { seed: 7 });
    expect(b.report).toBe(a.report);
    expect(b.path).toBe(a.path);
  });

  it('fails a run whose scenario throws, returns false, or leaves a task behind (the end-of-test checks)', () => {
    expect(checkProperty({}, () => false, { runs: 1 }).counterexample!.error).toEqual(new PropertyFalse());
    expect(checkProperty({}, function* main(): Coro<boolean> { yield* sleep(1); return false; }, { runs: 1 }).failed).toBe(true);
    const leak = checkProperty({}, function* main(): Coro<boolean> { createTask(sleep(10)); yield* sleep(1); return true; }, { runs: 1 });
    expect(leak.counterexample!.error).toBeInstanceOf(LoopCheckError);
    expect(leak.report).toContain('Task was destroyed but it is pending!');
    const logs = captureAsyncioLogs(() => {
      expect(checkProperty({}, function* main(): Coro<boolean> { createTask(sleep(10)); yield* sleep(1); return true; }, { runs: 1, checks: false }).failed).toBe(false);
    });
    expect(logs.map((r) => r.getMessage().split('\n')[0])).toEqual(['Task was destroyed but it is pending!']);
  });

  it('fails a run whose scenario returns anything but a boolean (a forgotten return), with a TypeError saying so', () => {
    const forgot = function* main({ delay }: { delay: number }): Coro<void> {
      yield* sleep(delay);
      void (getRunningLoop().time() === delay);
    };
    const r = checkProperty(delayModel, forgot as never, { runs: 5 });
    expect(r.failed).toBe(true);
    expect(r.counterexample!.error).toEqual(new TypeError('the scenario returned None, not a boolean: return true when the property holds, false when it does not (a scenario that checks with assertions ends with return true)'));
    expect(r.report).toContain('error: TypeError: the scenario returned None, not a boolean');
    expect(checkProperty({}, (() => 1) as never, { runs: 1 }).counterexample!.error).toEqual(new TypeError('the scenario returned 1, not a boolean: return true when the property holds, false when it does not (a scenario that checks with assertions ends with return true)'));
    expect(checkProperty({}, (() => undefined) as never, { runs: 1 }).failed).toBe(true);
  });

  it('holds for a scenario that checks with assertions and returns true, and fails when an assertion throws', () => {
    const asserted = (limit: number): Scenario<{ delay: number }> => function* main({ delay }): Coro<boolean> {
      yield* sleep(delay);
      expect(getRunningLoop().time()).toBeLessThanOrEqual(limit);
      return true;
    };
    expect(checkProperty(delayModel, asserted(2), { runs: 10 }).failed).toBe(false);
    const r = checkProperty(delayModel, asserted(1), { runs: 50, seed: 4 });
    expect(r.failed).toBe(true);
    expect(r.counterexample!.model).toEqual({ delay: 1.1 });
    expect(r.counterexample!.error).toBeInstanceOf(Error);
    expect(String((r.counterexample!.error as Error).message)).toMatch(/^expected 1\.1 to be less than or equal to 1/);
  });

  it('fails a scenario that returns its body instead of being it (it would pass without running)', () => {
    const r = checkProperty({}, (() => function* main(): Coro<boolean> { return false; }) as never, { runs: 1 });
    expect(r.counterexample!.error).toEqual(new TypeError('the scenario returned a function: pass the generator function itself (function* main(model, loop) { … })'));
  });

  it('stops the search on KeyboardInterrupt and SystemExit, as they stop a program', () => {
    expect(() => checkProperty({}, () => { throw new KeyboardInterrupt(); }, { runs: 5 })).toThrow(KeyboardInterrupt);
  });

  it('reports a scenario that keeps state between runs (its counterexample passes when run again)', () => {
    let calls = 0;
    const r = checkProperty({}, () => ++calls !== 3, { runs: 5, explore: false });
    expect(r.failed).toBe(true);
    expect(r.report).toContain('error: none: the counterexample passed when run again (does the scenario keep state between runs?)');
  });

  it('records the kinds asked for and cuts the report\'s trace at reportLines', () => {
    const r = checkProperty(delayModel, slowIsBad, { seed: 42, traceKinds: ['step'], reportLines: 1 });
    expect(r.counterexample!.trace.lines()).toEqual(['0.0 main: start', '0.5 main: resume after sleep future 1']);
    expect(r.report.split('\n').slice(-3)).toEqual(['trace:', '  0.0 main: start', '  … 1 more lines (result.counterexample.trace)']);
  });

  it('refuses a path without its seed and a bad number of runs', () => {
    expect(() => checkProperty({}, () => true, { path: '0:1' })).toThrow(new ValueError('a path replays only with the seed it came from: pass { seed, path }'));
    expect(() => checkProperty({}, () => true, { runs: 0 })).toThrow(new ValueError('runs must be an integer >= 1, got 0'));
  });

  it('refuses bad numbers before the first run, instead of reporting every run as failing', () => {
    let runs = 0;
    const scenario = (): boolean => ++runs > 0;
    for (const [options, error] of [
      [{ seed: NaN }, 'seed must be an integer, got nan'],
      [{ reportLines: -1 }, 'reportLines must be an integer >= 0, got -1'],
      [{ timeLimit: Infinity }, 'timeLimit must be a finite number of seconds >= 0, got inf'],
      [{ start: -Infinity }, 'start must be a finite number of seconds >= 0, got -inf'],
      [{ clockResolution: 0 }, 'clockResolution must be a finite number of seconds > 0, got 0'],
    ] as const) {
      expect(() => checkProperty({}, scenario, options)).toThrow(new ValueError(error));
      expect(() => runInEnvironment(scenario, { model: {} }, options)).toThrow(new ValueError(error));
    }
    expect(() => replayProperty({}, scenario, { seed: 1.5, path: '0' })).toThrow(new ValueError('seed must be an integer, got 1.5'));
    expect(runs).toBe(0);
  });

  it('starts every run from a fresh world: nothing a run left scheduled reaches the next one or what follows', () => {
    // Each run leaves a signal due at t=100 and a thread sleeping until t=50; after the loop
    // closes, the signal would hit its default action (SystemExit) in whatever ran the world next.
    const seen: number[] = [];
    const r = checkProperty({ d: jobDuration({ max: 1 }) }, ({ d }, loop) => {
      seen.push(loop.time());
      loop.addSignalHandler(signals.SIGUSR1, () => undefined);
      signals.scheduleSignal(signals.SIGUSR1, 100);
      new Thread({ target: () => blockingSleep(50 + d) }).start();
      loop.runUntilIdle();
      return true;
      // The thread still sleeps when the run ends: only the reset is under test here.
    }, { runs: 20, seed: 1, checks: { danglingThreads: false } });
    expect(r.failed).toBe(false);
    expect(seen.every((t) => t === 0)).toBe(true);
    expect(world.hasEvents).toBe(false);
    blockingSleep(200);
  });
});

describe('replayProperty / runInEnvironment', () => {
  it('replays a reported seed and path: the same model, ties, error and trace', () => {
    const r = checkProperty({ d: modelDelay({ max: 1, resolution: 0.25 }) }, function* main({ d }): Coro<boolean> {
      yield* sleep(d);
      return yield* racyCounter();
    }, { seed: 11 });
    expect(r.failed).toBe(true);
    const again = replayProperty({ d: modelDelay({ max: 1, resolution: 0.25 }) }, function* main({ d }): Coro<boolean> {
      yield* sleep(d);
      return yield* racyCounter();
    }, { seed: r.seed, path: r.path! });
    const c = r.counterexample!;
    expect({ ...again, trace: String(again.trace) }).toEqual({ ...c, trace: String(c.trace) });
    expect(again.trace.lines().length).toBeGreaterThan(10);
  });

  it('runs a reported environment directly, as a plain regression test', () => {
    const r = checkProperty({}, racyCounter, { seed: 2 });
    const c = r.counterexample!;
    const run: PropertyRun<object> = runInEnvironment(racyCounter, { model: {}, ties: c.ties });
    expect(run.failed).toBe(true);
    expect(String(run.trace)).toBe(String(c.trace));
    expect(runInEnvironment(racyCounter, { model: {} }).failed).toBe(false);
  });

  it('needs both the seed and the path', () => {
    expect(() => replayProperty({}, () => true, { seed: 1 } as never)).toThrow(new ValueError('replayProperty() needs the { seed, path } of a report'));
  });
});

describe('assertProperty', () => {
  it('throws PropertyFailure with the report as its message and the scenario\'s error as its cause', () => {
    let failure: PropertyFailure<{ delay: number }> | undefined;
    try {
      assertProperty(delayModel, slowIsBad, { seed: 42 });
    } catch (e) {
      failure = e as PropertyFailure<{ delay: number }>;
    }
    expect(failure).toBeInstanceOf(PropertyFailure);
    expect(failure!.name).toBe('PropertyFailure');
    expect(failure!.message).toBe(failure!.result.report);
    expect(failure!.message).toMatch(/^property failed after \d+ runs? \(seed 42, path "[\d:]+"\)/);
    expect(failure!.cause).toEqual(new Error('too slow: 0.5'));
  });

  it('returns the result when the property holds', () => {
    expect(assertProperty({}, () => true, { runs: 3 }).runs).toBe(3);
  });
});

describe('types', () => {
  it('infers the model from a record of arbitraries or from one arbitrary', () => {
    checkProperty({ delay: modelDelay({ max: 1 }), n: fc.nat(3) }, (model, loop) => {
      expectTypeOf(model).toEqualTypeOf<{ delay: number; n: number }>();
      expectTypeOf(loop).toEqualTypeOf<EventLoop>();
      return true;
    }, { runs: 1 });
    checkProperty(fc.array(jobDuration({ max: 1 })), (durations) => {
      expectTypeOf(durations).toEqualTypeOf<number[]>();
      return true;
    }, { runs: 1 });
    // aiosim's arbitraries are fast-check arbitraries to fast-check's combinators.
    expectTypeOf(fc.tuple(modelDelay({ max: 1 }), fc.boolean())).toEqualTypeOf<fc.Arbitrary<[number, boolean]>>();
  });
});
