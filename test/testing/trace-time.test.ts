// How traces print virtual times: rounded to the clock resolution, as Python floats.

import { describe, expect, it } from 'vitest';
import { formatTime, roundTime, timeDecimals } from '../../src/testing/trace-time.js';

describe('timeDecimals', () => {
  it('gives as many decimals as the resolution takes to 3 significant digits', () => {
    expect([1e-9, 1e-6, 0.001, 0.25, 1 / 3, 0.1, 1, 1.5, 100].map(timeDecimals)).toEqual([9, 6, 3, 2, 3, 1, 0, 1, 0]);
  });

  it('caps the decimals at 100 and falls back to 1e-9 for a resolution that is not a positive number', () => {
    expect(timeDecimals(1e-300)).toBe(100);
    expect([0, -1, NaN, Infinity].map(timeDecimals)).toEqual([9, 9, 9, 9]);
  });
});

describe('formatTime', () => {
  it('prints times without float noise, as Python floats', () => {
    expect([0.1 + 0.2, 0.8999999999999999, 0.15000000000000002, 2, 0, -0].map((t) => formatTime(t, 9))).toEqual(['0.3', '0.9', '0.15', '2.0', '0.0', '0.0']);
  });

  it('keeps times a resolution apart distinct', () => {
    expect(formatTime(1 + 1e-9, 9)).toBe('1.000000001');
    expect(formatTime(1e9 + 0.5, 9)).toBe('1000000000.5');
    expect(formatTime(1 / 3, 2)).toBe('0.33');
  });

  it('rounds a tie up, on the float\'s exact value', () => {
    // 1/1024 = 0.0009765625 exactly: a tie at 9 decimals.
    expect(formatTime(1 / 1024, 9)).toBe('0.000976563');
    expect(roundTime(2.5, 0)).toBe(3);
    expect(roundTime(Infinity, 9)).toBe(Infinity);
  });
});
