// WaiterList: the FIFO waiter lists of the primitives, checked against a plain array with
// CPython's deque semantics (append, popleft, remove of the first occurrence) over random
// operation sequences, and structurally: removing a waiter anywhere never scans or copies.
// Replay a property failure with the seed fast-check prints:
//   AIOSIM_SEED=<seed> npx vitest run test/sync/waiters.test.ts

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allCancelled, WaiterList, WaiterNode } from '../../src/sync/waiters.js';

const SEED = process.env.AIOSIM_SEED === undefined ? undefined : Number(process.env.AIOSIM_SEED);
const seeded = SEED === undefined ? {} : { seed: SEED };

// `pick` chooses among the nodes handed out so far (removed ones included).
type Op = { op: 'push' } | { op: 'shift' } | { op: 'remove'; pick: number } | { op: 'at'; index: number } | { op: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ op: 'push' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'shift' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('at' as const), index: fc.integer({ min: -2, max: 30 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('WaiterList', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('behaves as a deque under append, popleft, remove, indexing and clear (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const list = new WaiterList<number>();
        const model: number[] = [];
        const nodes: WaiterNode<number>[] = [];
        for (const o of ops) {
          switch (o.op) {
            case 'push':
              nodes.push(list.push(nodes.length));
              model.push(nodes.length - 1);
              break;
            case 'shift':
              expect(list.shift()).toBe(model.shift());
              break;
            case 'remove': {
              if (nodes.length === 0) break;
              const node = nodes[o.pick % nodes.length]!;
              const i = model.indexOf(node.value);
              expect(list.remove(node)).toBe(i >= 0);
              if (i >= 0) model.splice(i, 1);
              break;
            }
            case 'at':
              expect(list.at(o.index)).toBe(o.index < 0 ? undefined : model[o.index]);
              break;
            case 'clear':
              list.clear();
              model.length = 0;
              break;
          }
          expect(list.length).toBe(model.length);
          expect(list.first).toBe(model[0]);
        }
        expect([...list]).toEqual(model);
        const walked: number[] = [];
        for (let n = list.firstNode; n !== undefined; n = n.next) walked.push(n.value);
        expect(walked).toEqual(model);
      }),
      { numRuns: 300, ...seeded },
    );
  });

  it('removes a node once: a second remove, or one after shift, changes nothing', () => {
    const list = new WaiterList<string>();
    const a = list.push('a');
    const b = list.push('b');
    list.push('c');
    expect(list.remove(b)).toBe(true);
    expect(list.remove(b)).toBe(false);
    expect(list.shift()).toBe('a');
    expect(list.remove(a)).toBe(false);
    expect([...list]).toEqual(['c']);
  });

  it('does not remove a node it never held', () => {
    const list = new WaiterList<string>();
    list.push('x');
    expect(list.remove(new WaiterNode('x'))).toBe(false);
    expect([...list]).toEqual(['x']);
  });

  it('does not remove a node of another list', () => {
    const one = new WaiterList<string>();
    const other = new WaiterList<string>();
    const node = one.push('x');
    other.push('y');
    expect(other.remove(node)).toBe(false);
    expect([...one]).toEqual(['x']);
    expect([...other]).toEqual(['y']);
  });

  it('removes any of 10^5 waiters without scanning or copying an array', () => {
    const indexOf = vi.spyOn(Array.prototype, 'indexOf');
    const splice = vi.spyOn(Array.prototype, 'splice');
    const shift = vi.spyOn(Array.prototype, 'shift');
    const list = new WaiterList<number>();
    const nodes = Array.from({ length: 100_000 }, (_, i) => list.push(i));
    // Every tenth from the middle outwards, then the head: the shapes of cancellation.
    for (let i = 5; i < nodes.length; i += 10) list.remove(nodes[i]!);
    let first = -1;
    for (let k = 0; k < 10; k++) first = list.shift()!;
    const calls = indexOf.mock.calls.length + splice.mock.calls.length + shift.mock.calls.length;
    vi.restoreAllMocks();
    expect(calls).toBe(0);
    expect(list.length).toBe(90_000 - 10);
    expect(first).toBe(10);
  });
});

describe('allCancelled', () => {
  const fut = (cancelled: boolean) => ({ cancelled: () => cancelled });

  it('is true without waiters and when every waiter is cancelled', () => {
    expect(allCancelled(undefined)).toBe(true);
    const list = new WaiterList<{ cancelled(): boolean }>();
    expect(allCancelled(list)).toBe(true);
    list.push(fut(true));
    list.push(fut(true));
    expect(allCancelled(list)).toBe(true);
  });

  it('is false as soon as one waiter is not cancelled', () => {
    const list = new WaiterList<{ cancelled(): boolean }>();
    list.push(fut(true));
    list.push(fut(false));
    expect(allCancelled(list)).toBe(false);
  });
});
