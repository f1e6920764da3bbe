// The environment's arbitraries: values on a grid within their range that print as
// written, shrinking towards the nominal value (no jitter, the shortest duration, CPython's
// order), and TieBreaks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/index.js';
import {
  jobDuration, modelDelay, signalArrival, TieBreaks, tieBreaks, timerJitter, type FcArbitrary,
} from '../../src/testing/index.js';

/** The value a failing property shrinks to. */
function shrunk<T>(arb: FcArbitrary<T>, fails: (v: T) => boolean): T {
  const r = fc.check(fc.property(arb, (v) => !fails(v)), { seed: 5, numRuns: 500 });
  expect(r.failed).toBe(true);
  return r.counterexample![0];
}

describe('timerJitter / jobDuration / signalArrival / modelDelay', () => {
  it('draw values within the range, on the grid, printing as decimals', () => {
    const values = fc.sample(modelDelay({ min: 0.05, max: 0.5 }), { numRuns: 500, seed: 1 });
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(0.05);
      expect(v).toBeLessThanOrEqual(0.5);
      expect(String(v)).toMatch(/^0\.\d{1,3}$/);
    }
    expect(new Set(values).size).toBeGreaterThan(50);
    const tenths = fc.sample(jobDuration({ max: 1, resolution: 0.1 }), { numRuns: 300, seed: 2 });
    expect(new Set(tenths)).toEqual(new Set([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]));
    const wholes = fc.sample(signalArrival({ min: 2, max: 8, resolution: 2 }), { numRuns: 100, seed: 3 });
    expect(new Set(wholes)).toEqual(new Set([2, 4, 6, 8]));
    const jitter = fc.sample(timerJitter(0.25, { resolution: 0.25 }), { numRuns: 100, seed: 4 });
    expect(new Set(jitter)).toEqual(new Set([0, 0.25]));
  });

  it('shrink towards the nominal value: no jitter, the smallest duration or delay', () => {
    expect(shrunk(timerJitter(0.1), (j) => j > 0)).toBe(0.001);
    expect(shrunk(timerJitter(0.1), () => true)).toBe(0);
    expect(shrunk(jobDuration({ min: 0.2, max: 3 }), (d) => d >= 1)).toBe(1);
    expect(shrunk(modelDelay({ min: 0.5, max: 3, resolution: 0.5 }), () => true)).toBe(0.5);
  });

  it('reject ranges outside 0 <= min <= max and resolutions off a 1/n grid', () => {
    expect(() => modelDelay({ min: 2, max: 1 })).toThrow(new ValueError('modelDelay(): need 0 <= min <= max (finite seconds), got min=2, max=1'));
    expect(() => timerJitter(-1)).toThrow(ValueError);
    expect(() => jobDuration({ max: Infinity })).toThrow(ValueError);
    expect(() => signalArrival({ max: 1, resolution: 0.3 })).toThrow(
      new ValueError('signalArrival(): resolution must be 1/n of a second or a whole number of seconds, got 0.3'),
    );
    expect(() => modelDelay({ min: 0.1, max: 0.9, resolution: 1 })).toThrow(
      new ValueError('modelDelay(): no value on the grid of 1 s between 0.1 and 0.9'),
    );
  });

  it('compose with fast-check\'s combinators', () => {
    const arb = fc.record({ arrivals: fc.array(signalArrival({ max: 1 }), { minLength: 2, maxLength: 2 }), d: jobDuration({ max: 1 }) });
    for (const v of fc.sample(arb, { numRuns: 20, seed: 1 })) {
      expect(v.arrivals).toHaveLength(2);
      expect(typeof v.d).toBe('number');
    }
  });
});

describe('TieBreaks / tieBreaks()', () => {
  it('holds non-negative integer choices and prints them', () => {
    const t = new TieBreaks([1, 0, 3]);
    expect(t.choices).toEqual([1, 0, 3]);
    expect(String(t)).toBe('TieBreaks([1, 0, 3])');
    expect(fc.stringify(t)).toBe('TieBreaks([1, 0, 3])');
    expect(new TieBreaks().choices).toEqual([]);
    expect(() => new TieBreaks([-1])).toThrow(new ValueError('a tie choice must be an integer >= 0, got -1'));
  });

  it('generates up to maxDecisions choices and shrinks towards CPython\'s order (no choices)', () => {
    for (const t of fc.sample(tieBreaks({ maxDecisions: 5 }), { numRuns: 100, seed: 1 })) {
      expect(t.choices.length).toBeLessThanOrEqual(5);
      for (const c of t.choices) expect(c).toBeGreaterThanOrEqual(0);
    }
    expect(shrunk(tieBreaks(), () => true).choices).toEqual([]);
    // A failure that needs the first tie of two broken the other way shrinks to one choice
    // that does it (the runner reports the choice as taken: see property.test.ts).
    const one = shrunk(tieBreaks(), (t) => (t.choices[0] ?? 0) % 2 === 1).choices;
    expect(one).toHaveLength(1);
    expect(one[0]! % 2).toBe(1);
  });
});
