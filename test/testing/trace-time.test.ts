// How traces print virtual times: rounded to the clock resolution, as Python floats, the
// same rule as test/testing/trace_probe.py applies to CPython's trace.

import { describe, expect, it } from 'vitest';
import { EventLoop, getRunningLoop, sleep, type Coro } from '../../src/index.js';
import { Trace } from '../../src/testing/index.js';
import { formatTime, roundTime, timeDecimals } from '../../src/testing/trace-time.js';
import { cpythonTrace, tracedRun } from './_support.js';

// Times that floats cannot hold exactly: 0.1 + 0.1 + 0.1 is 0.30000000000000004, and main
// ends at 0.9000000000000001.
const noisyMain = function* main(): Coro<number> {
  const loop = getRunningLoop();
  for (let i = 0; i < 3; i++) yield* sleep(0.1);
  loop.callLater(0.05, function print() {}, 'late');
  yield* sleep(0.6);
  return loop.time();
};

const noisyProgram = `
async def main():
    loop = asyncio.get_running_loop()
    for _ in range(3):
        await asyncio.sleep(0.1)
    loop.call_later(0.05, print, 'late')
    await asyncio.sleep(0.6)
    return loop.time()
`;


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

describe('Trace times', () => {
  it('prints times rounded to the clock resolution, as CPython\'s trace does with the same rule', async () => {
    const expected = await cpythonTrace(noisyProgram);
    expect(expected.slice(0, 2)).toEqual(['late', '0.9000000000000001']);
    const { result, trace } = tracedRun(noisyMain);
    expect(result).toBe(0.9000000000000001);
    expect(trace.lines()).toEqual(expected.slice(2));
    // The events keep the exact times; the text has no float noise in times (a result is a
    // value, printed whole).
    expect(trace.events.at(-1)!.time).toBe(0.9000000000000001);
    expect(trace.lines().filter((l) => /\d\.\d{4,}/.test(l))).toEqual(['0.9    main: done, result=0.9000000000000001']);
    expect(trace.lines().filter((l) => l.includes('scheduled at'))).toEqual([
      '0.0    timer 1 scheduled at 0.1: _set_result_unless_cancelled(sleep future 1, None)',
      '0.1    timer 2 scheduled at 0.2: _set_result_unless_cancelled(sleep future 2, None)',
      '0.2    timer 3 scheduled at 0.3: _set_result_unless_cancelled(sleep future 3, None)',
      '0.3    timer 4 scheduled at 0.35: print(\'late\')',
      '0.3    timer 5 scheduled at 0.9: _set_result_unless_cancelled(sleep future 4, None)',
    ]);
  });

  it('rounds times to the resolution of the loop it was attached to', () => {
    const loop = new EventLoop({ clockResolution: 0.25 });
    const trace = new Trace({ kinds: ['timer'] }).attach(loop);
    loop.runUntilComplete(sleep(1 / 3));
    trace.detach();
    loop.close();
    expect(trace.clockResolution).toBe(0.25);
    expect(trace.lines()).toEqual([
      '0.0  timer 1 scheduled at 0.33: _set_result_unless_cancelled(sleep future 1, None)',
      '0.33 timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)',
    ]);
    expect(new Trace().clockResolution).toBe(1e-9);
  });
});
