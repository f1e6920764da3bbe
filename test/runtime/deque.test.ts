// Deque: a ring buffer with Array's method names, checked against a plain array (the
// model) over random operation sequences, and structurally: it never calls the Array
// methods that copy (shift, unshift, splice), and its buffer shrinks once drained.
// Replay a property failure with the seed fast-check prints:
//   AIOSIM_SEED=<seed> npx vitest run test/runtime/deque.test.ts

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deque } from '../../src/runtime/deque.js';

const SEED = process.env.AIOSIM_SEED === undefined ? undefined : Number(process.env.AIOSIM_SEED);
const seeded = SEED === undefined ? {} : { seed: SEED };

type Op = { op: 'push' | 'unshift'; value: number } | { op: 'shift' | 'pop' | 'clear' } | { op: 'at'; index: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('push' as const), value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unshift' as const), value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('shift' as const, 'pop' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('at' as const), index: fc.integer({ min: -40, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
);

describe('Deque', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('behaves as an array under push, unshift, shift, pop, at and clear (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const d = new Deque<number>();
        const model: number[] = [];
        for (const o of ops) {
          switch (o.op) {
            case 'push':
              expect(d.push(o.value)).toBe(model.push(o.value));
              break;
            case 'unshift':
              expect(d.unshift(o.value)).toBe(model.unshift(o.value));
              break;
            case 'shift':
              expect(d.shift()).toBe(model.shift());
              break;
            case 'pop':
              expect(d.pop()).toBe(model.pop());
              break;
            case 'at':
              expect(d.at(o.index)).toBe(model.at(o.index));
              break;
            case 'clear':
              d.clear();
              model.length = 0;
              break;
          }
          expect(d.length).toBe(model.length);
        }
        expect([...d]).toEqual(model);
      }),
      { numRuns: 300, ...seeded },
    );
  });

  it('takes its initial items in order', () => {
    const d = new Deque(['a', 'b', 'c']);
    expect([...d]).toEqual(['a', 'b', 'c']);
    expect(d.shift()).toBe('a');
    expect(d.pop()).toBe('c');
    expect(d.length).toBe(1);
  });

  it('returns undefined from shift, pop and at when empty', () => {
    const d = new Deque<number>();
    expect(d.shift()).toBeUndefined();
    expect(d.pop()).toBeUndefined();
    expect(d.at(0)).toBeUndefined();
    expect(d.length).toBe(0);
  });

  it('keeps FIFO order across wrap-around and growth', () => {
    const d = new Deque<number>();
    const out: number[] = [];
    // Interleave so that the head moves around the ring while it grows.
    for (let i = 0; i < 1000; i++) {
      d.push(i);
      if (i % 3 === 0) out.push(d.shift()!);
    }
    while (d.length > 0) out.push(d.shift()!);
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('never calls the copying Array methods (shift, unshift, splice) at 10^5 items', () => {
    const shift = vi.spyOn(Array.prototype, 'shift');
    const unshift = vi.spyOn(Array.prototype, 'unshift');
    const splice = vi.spyOn(Array.prototype, 'splice');
    const d = new Deque<number>();
    for (let i = 0; i < 100_000; i++) d.push(i);
    for (let i = 0; i < 50_000; i++) d.unshift(-i);
    let sum = 0;
    while (d.length > 0) sum += d.shift()! + (d.pop() ?? 0);
    const calls = shift.mock.calls.length + unshift.mock.calls.length + splice.mock.calls.length;
    vi.restoreAllMocks();
    expect(calls).toBe(0);
    expect(sum).toBe((99_999 * 100_000) / 2 - (49_999 * 50_000) / 2);
  });

  it('gives its buffer back once drained (memory stays flat)', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 1 << 16; i++) d.push(i);
    expect(d._capacity).toBe(1 << 16);
    while (d.length > 3) d.shift();
    expect(d._capacity).toBeLessThanOrEqual(16);
    expect([...d]).toEqual([(1 << 16) - 3, (1 << 16) - 2, (1 << 16) - 1]);
  });
});
