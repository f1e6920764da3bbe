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
