// HostClock: a host's time as the global time through an offset and a rate, the first
// global instant a local deadline is reached at, continuity at a rate change, forward-only
// steps and the checks of offsets and rates (docs/network.md, "Clocks").

import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/index.js';
import { HostClock } from '../../src/net/host-clock.js';

// The double just below x (x > 0).
function prevDouble(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

// A small deterministic generator (no Math.random in tests either: failures replay).
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('HostClock', () => {
  it('reads the global time unchanged until set, with no float operation', () => {
    const clock = new HostClock();
    const g = 0.1 + 0.2;
    expect(clock.skewed).toBe(false);
    expect(clock.local(g)).toBe(g);
    expect(clock.rate).toBe(1);
  });

  it('reads offset + rate * g when set at global time 0', () => {
    const clock = new HostClock();
    clock.set({ offset: 5, rate: 1.01 }, 0, true, 'b');
    for (const g of [0, 0.3, 1, 2.7, 1e6]) expect(clock.local(g)).toBe(5 + 1.01 * g);
  });

  it('keeps the clock continuous at a rate change and changes only its slope', () => {
    const clock = new HostClock();
    clock.set({ offset: 3, rate: 0.995 }, 0, true, 'b');
    const before = clock.local(1.7);
    clock.set({ rate: 1.05 }, 1.7, false, 'b');
    expect(clock.local(1.7)).toBe(before);
    expect(clock.local(2.7)).toBe(before + 1.05 * (2.7 - 1.7));
  });

  it('finds the first global instant a local deadline is reached at, for any offset and rate', () => {
    const random = lcg(21);
    const rates = [1 / 3, 0.999999, 1.0000001, 1.01, 3, 1e-6, 1e6];
    const offsets = [0, -5, 12345.678, 1e9, 1e12];
    for (const rate of rates) {
      for (const offset of offsets) {
        const clock = new HostClock();
        clock.set({ offset, rate }, 0, true, 'h');
        for (let i = 0; i < 40; i++) {
          const now = random() * 100;
          const when = clock.local(now) + random() * 10 * Math.max(1, rate);
          if (!(when > clock.local(now))) continue;
          const g = clock.globalAt(when, now);
          // Never before the deadline; and the double before it would be too early.
          expect(clock.local(g)).toBeGreaterThanOrEqual(when);
          expect(g).toBeGreaterThan(now);
          expect(clock.local(prevDouble(g)) < when || prevDouble(g) <= now).toBe(true);
        }
      }
    }
  });

  it('gives Infinity for a deadline no finite global instant reaches', () => {
    const clock = new HostClock();
    clock.set({ rate: 1e-300 }, 0, true, 'h');
    expect(clock.globalAt(1e300, 0)).toBe(Infinity);
  });

  it('makes a 1 s sleep at rate 1.01 last the first instant with 1.01 * g >= 1', () => {
    const clock = new HostClock();
    clock.set({ rate: 1.01 }, 0, true, 'h');
    const g = clock.globalAt(1, 0);
    expect(g).toBe(0.9900990099009901);
    expect(1.01 * g).toBeGreaterThanOrEqual(1);
    expect(1.01 * prevDouble(g)).toBeLessThan(1);
  });

  it('steps forward, and refuses to step back once the host exists', () => {
    const clock = new HostClock();
    clock.set({ offset: 2 }, 1, true, 'b');
    clock.set({ offset: 2.5 }, 1, false, 'b');
    expect(clock.local(1)).toBe(3.5);
    expect(() => clock.set({ offset: 1 }, 1, false, 'b')).toThrow(ValueError);
    expect(() => clock.set({ offset: 1 }, 1, false, 'b')).toThrow(
      /^the clock of host 'b' cannot go back \(loop\.time\(\) is time\.monotonic\(\)\): it reads 3\.5, the offset would set it to 2\.0$/,
    );
    expect(clock.local(1)).toBe(3.5);
    // The clock a host starts with may be anywhere.
    clock.set({ offset: -10 }, 1, true, 'b');
    expect(clock.local(1)).toBe(-9);
  });

  it('is the global clock again, exactly, with offset 0 and rate 1', () => {
    const clock = new HostClock();
    clock.set({ offset: 0.5, rate: 2 }, 0, true, 'b');
    clock.set({ offset: 0, rate: 1 }, 4, true, 'b');
    expect(clock.skewed).toBe(false);
    expect(clock.local(0.1 + 0.2)).toBe(0.1 + 0.2);
  });

  it('tells its watchers after each change', () => {
    const clock = new HostClock();
    const seen: number[] = [];
    clock._watchers.add(() => seen.push(clock.rate));
    clock.set({ rate: 1.5 }, 0, true, 'b');
    clock.set({ rate: 0.5 }, 1, false, 'b');
    expect(seen).toEqual([1.5, 0.5]);
  });

  it('refuses a rate that is not finite and > 0 and an offset that is not finite, changing nothing', () => {
    const clock = new HostClock();
    for (const rate of [0, -1, NaN, Infinity]) {
      expect(() => clock.set({ rate }, 0, true, 'b')).toThrow(ValueError);
    }
    expect(() => clock.set({ rate: 0 }, 0, true, 'b')).toThrow(/^a clock rate must be a finite number > 0, got 0$/);
    expect(() => clock.set({ rate: '2' as unknown as number }, 0, true, 'b')).toThrow(TypeError);
    expect(() => clock.set({ offset: NaN }, 0, true, 'b')).toThrow(/^a clock offset must be a finite number of seconds, got nan$/);
    expect(() => clock.set({ offset: -Infinity }, 0, true, 'b')).toThrow(ValueError);
    expect(() => clock.set({ offset: null as unknown as number }, 0, true, 'b')).toThrow(TypeError);
    expect(() => clock.set({ offset: 1, rate: NaN }, 0, true, 'b')).toThrow(ValueError);
    expect(clock.skewed).toBe(false);
  });
});
