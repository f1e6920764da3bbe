// CPython 3.13's test_asyncio/test_events.py, TimerTests: one `it` per test method, titled
// after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { repr, TimerHandle } from '../../../src/index.js';
import { normaliseSites } from '../../_support/capture.js';
import { siteHere } from '../_support.js';
import { fakeLoop, noop, resetAfterEach } from './_support.js';

resetAfterEach();

describe('TimerTests', () => {
  it('test_when — when() is the scheduled time', () => {
    const when = 12.5;
    const h = new TimerHandle(when, () => false, [], fakeLoop(false));
    expect(h.when()).toBe(when);
  });

  it('test_timer — a TimerHandle keeps callback and arguments; cancel() drops them', () => {
    const callback = (...args: unknown[]): unknown[] => args;
    const args = [1, 2, 3];
    const h = new TimerHandle(12.5, callback, args, fakeLoop(false));
    expect(h._callback).toBe(callback);
    expect(h._args).toBe(args);
    expect(h.cancelled()).toBe(false);
    h.cancel();
    expect(h.cancelled()).toBe(true);
    expect(h._callback).toBe(undefined);
    expect(h._args).toBe(undefined);
  });

  it('test_timer_repr — `when=` follows the class name; a cancelled timer keeps only it', () => {
    // CPython prints when=123 for the int 123; JavaScript numbers are floats (docs/divergences.md#the-loop).
    const h = new TimerHandle(123, noop, [], fakeLoop(false));
    expect(normaliseSites(repr(h))).toBe('<TimerHandle when=123.0 noop() at F:L>');
    h.cancel();
    expect(repr(h)).toBe('<TimerHandle cancelled when=123.0>');
    const g = new TimerHandle(123.25, noop, [], fakeLoop(false));
    expect(normaliseSites(repr(g))).toBe('<TimerHandle when=123.25 noop() at F:L>');
  });

  it('test_timer_repr_debug — in debug mode the creation site shows and survives cancel()', () => {
    const [h, created] = [new TimerHandle(123, noop, [], fakeLoop(true)), siteHere()];
    const source = /noop\(\) at (\S+test_events\/_support\.ts:\d+(?::\d+)?) created at/.exec(repr(h))?.[1];
    expect(repr(h)).toBe(`<TimerHandle when=123.0 noop() at ${source} created at ${created}>`);
    h.cancel();
    expect(repr(h)).toBe(`<TimerHandle cancelled when=123.0 noop() at ${source} created at ${created}>`);
  });
});
