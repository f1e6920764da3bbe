// The registry of tracked coroutines never started (src/task/unawaited.ts): the newest in
// a slot, older ones in a list, taken in creation order by a collection point. Its
// invariants: a coroutine is tracked once, until it starts or is closed (idempotently);
// what is taken comes in creation order whatever was untracked in between, past the
// slot's renewal too; what a collection point puts back keeps its place.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  _heldCoroutines, _isUnawaited, _retrackUnawaited, _takeUnawaited, _trackUnawaited, _untrackUnawaited, type TrackedCoroutine,
} from '../../src/task/unawaited.js';

const make = (name: string): TrackedCoroutine => ({ __name__: name });
const track = (c: TrackedCoroutine): TrackedCoroutine => {
  _trackUnawaited(c, undefined, undefined, false);
  return c;
};
const names = (): string[] => _takeUnawaited().map((r) => r.coro.__name__);

beforeEach(() => {
  _takeUnawaited();
});

describe('the never-started registry', () => {
  it('gives back what was tracked and not untracked, in creation order', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => track(make(n)));
    _untrackUnawaited(b!);
    _untrackUnawaited(d!);
    _untrackUnawaited(d!);
    expect([a, c].every((x) => _isUnawaited(x))).toBe(true);
    expect([b, d].some((x) => _isUnawaited(x))).toBe(false);
    expect(names()).toEqual(['a', 'c']);
    expect(names()).toEqual([]);
    expect(_isUnawaited(a)).toBe(false);
  });

  it('keeps creation order when the newest starts at once, as almost every coroutine does', () => {
    const out: string[] = [];
    for (let i = 0; i < 600; i++) {
      const c = track(make(`c${i}`));
      if (i % 7 !== 0) _untrackUnawaited(c);
      else out.push(`c${i}`);
    }
    expect(names()).toEqual(out);
  });

  it('takes creation numbers that order the records among other objects', () => {
    track(make('a'));
    track(make('b'));
    const seqs = _takeUnawaited().map((r) => r.seq);
    expect(seqs[1]! > seqs[0]!).toBe(true);
  });

  it('records what a coroutine holds and where it was created', () => {
    const inner = track(make('inner'));
    const outer = make('outer');
    const site = [{ file: 'f.ts', line: 3, name: 'main' }];
    _trackUnawaited(outer, _heldCoroutines([1, inner, 'x']), site, true);
    const recs = _takeUnawaited();
    expect(recs.map((r) => [r.coro.__name__, r.holds?.map((h) => h.__name__), r.createdAt, r.origin])).toEqual([
      ['inner', undefined, undefined, false],
      ['outer', ['inner'], site, true],
    ]);
    expect(_heldCoroutines([1, inner])).toBeUndefined();
  });

  it('puts back records a collection point must not report at the old end, still untrackable', () => {
    const [a, b] = ['a', 'b'].map((n) => track(make(n)));
    const taken = _takeUnawaited();
    const c = track(make('c'));
    track(make('d'));
    _retrackUnawaited(taken);
    expect([a, b, c].every((x) => _isUnawaited(x))).toBe(true);
    _untrackUnawaited(b!);
    expect(names()).toEqual(['a', 'c', 'd']);
  });
});
