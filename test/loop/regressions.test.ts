// Regression tests for loop bugs found by the property tests.

import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/index.js';

describe('EventLoop.runUntilIdle', () => {
  it('runs a live timer left behind a cancelled one that became due (the cancelled count runs high)', () => {
    // Found by the "exactly once" property: the cancelled timer at 0.2 leaves the heap as
    // due without decrementing the cancelled count, which then equals the heap size.
    const loop = new EventLoop();
    const fired: string[] = [];
    loop.callLater(0.2, () => fired.push(`A@${loop.time()}`));
    const b = loop.callLater(0.2, () => fired.push('B'));
    loop.callLater(1, () => fired.push(`C@${loop.time()}`));
    b.cancel();
    loop.runUntilIdle();
    expect(fired).toEqual(['A@0.2', 'C@1']);
    loop.close();
  });
});

describe('EventLoop clock precision', () => {
  it('fires a timer whose deadline the clock resolution cannot reach at large times', () => {
    // At t=1e9, time + 1e-9 == time: CPython's loop spins forever on such a timer.
    const loop = new EventLoop({ start: 1e9 });
    const fired: number[] = [];
    loop.callLater(0.7, () => fired.push(loop.time()));
    loop.runUntilIdle(1000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThan(1e9 + 0.7 - 1e-6);
    expect(fired[0]).toBeLessThan(1e9 + 0.7 + 1e-6);
    loop.close();
  });

  it('stops advance() at the horizon when the timer there cannot become due', () => {
    const loop = new EventLoop({ start: 1e9 });
    const fired: number[] = [];
    loop.callLater(0.5, () => fired.push(loop.time()));
    loop.advance(0.5);
    expect(loop.time()).toBe(1e9 + 0.5);
    loop.advance(1);
    expect(fired).toHaveLength(1);
    expect(loop.time()).toBe(1e9 + 1.5);
    loop.close();
  });
});

describe('Handle', () => {
  it('reports a callback that cancelled its own handle and then raised as None()', () => {
    // Found by the conformance corpus (gen-20261123-777). CPython 3.13:
    //   h = loop.call_soon(cb) where cb does h.cancel(); raise ValueError
    //   -> 'Exception in callback None()'
    const loop = new EventLoop();
    const messages: string[] = [];
    loop.setExceptionHandler((_l, ctx) => messages.push(String(ctx.message)));
    const h = loop.callSoon(() => {
      h.cancel();
      throw new Error('boom');
    });
    loop.callSoon(() => loop.stop());
    loop.runForever();
    expect(messages).toEqual(['Exception in callback None()']);
    loop.close();
  });
});
