// CPython 3.13's test_asyncio/test_locks.py, EventTests (Event): one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, Event, getRunningLoop, repr, type Coro, type Future } from '../../../src/index.js';
import { assertRaises, asyncTestNoLogs, sleep0 } from '../_support.js';
import { expectReturned, RGX_REPR, spawn } from './_support.js';

describe('EventTests', () => {
  it('test_repr — an Event reprs as [unset] / [set], with the number of waiters', () => {
    // A plain `def` test in CPython: no loop is running.
    const ev = new Event();
    expect(repr(ev)).toMatch(/\[unset\]>$/);
    expect(RGX_REPR.exec(repr(ev))?.groups?.['extras']).toBe('unset');
    ev.set();
    expect(repr(ev)).toMatch(/\[set\]>$/);
    expect(repr(ev)).toMatch(RGX_REPR);
    ev._waiters.push({} as Future<boolean>); // CPython appends a mock.Mock()
    expect(repr(ev)).toContain('waiters:1');
    expect(repr(ev)).toMatch(RGX_REPR);
    expect(repr(ev)).toMatch(/^<asyncio\.locks\.Event object at 0x[0-9a-f]+ \[set, waiters:1\]>$/);
  });

  it('test_wait — set() wakes every waiter; the one created last but not yet waiting runs first', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      const result: number[] = [];
      function* c(n: number): Coro<void> {
        if (yield* ev.wait()) result.push(n);
      }
      const [t1, t2] = spawn(c, 1, 2);
      yield* sleep0();
      expect(result).toEqual([]);
      const t3 = createTask(c(3));
      ev.set();
      yield* sleep0();
      expect(result).toEqual([3, 1, 2]);
      expectReturned([t1, t2, t3], undefined);
    });
  });

  it('test_wait_on_set — wait() on a set Event returns true at once', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      ev.set();
      expect(yield* ev.wait()).toBe(true);
    });
  });

  it('test_wait_cancel — a cancelled wait raises CancelledError and leaves no waiter', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      const w = createTask(ev.wait());
      getRunningLoop().callSoon(() => w.cancel());
      yield* assertRaises(CancelledError, w);
      expect(ev._waiters).toHaveLength(0);
    });
  });

  it('test_clear — set() and clear() toggle isSet()', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      expect(ev.isSet()).toBe(false);
      ev.set();
      expect(ev.isSet()).toBe(true);
      ev.clear();
      expect(ev.isSet()).toBe(false);
    });
  });

  it('test_clear_with_waiters — set(); clear(); set(); set() wakes an existing waiter exactly once', () => {
    asyncTestNoLogs(function* () {
      const ev = new Event();
      const result: number[] = [];
      function* c1(): Coro<boolean> {
        if (yield* ev.wait()) result.push(1);
        return true;
      }
      const t = createTask(c1());
      yield* sleep0();
      expect(result).toEqual([]);
      ev.set();
      ev.clear();
      expect(ev.isSet()).toBe(false);
      ev.set();
      ev.set();
      expect(ev._waiters).toHaveLength(1);
      yield* sleep0();
      expect(result).toEqual([1]);
      expect(ev._waiters).toHaveLength(0);
      expect(t.done()).toBe(true);
      expect(t.result()).toBe(true);
    });
  });
});
