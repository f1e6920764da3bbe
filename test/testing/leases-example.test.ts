// The property runner finding a bug that shows only when clocks disagree
// (examples/19-leases-and-clocks.ts): a worker that times its lease on its own clock writes
// after the lock service let the lease go when its clock runs slow; a margin for the
// drift fixes it.

import { describe, expect, it, vi } from 'vitest';
import { LEASE, leases, LockService, main as example, skews } from '../../examples/19-leases-and-clocks.js';
import { checkProperty, FaultSchedule, replayProperty, runInEnvironment } from '../../src/testing/index.js';

describe('examples/19-leases-and-clocks.ts', () => {
  it('the lock service grants one lease at a time and notes stale writes', () => {
    const s = new LockService();
    expect([s.handle('acquire a', 0), s.handle('acquire b', 0.5), s.handle('write a', 0.9)]).toEqual(['granted', 'busy', 'ok']);
    expect(s.stale).toEqual([]);
    expect([s.handle('write a', LEASE), s.handle('acquire b', LEASE), s.handle('write a', 1.2)]).toEqual(['ok', 'granted', 'ok']);
    expect(s.stale).toEqual(['a at 1.000', 'a at 1.200']);
  });

  it('both workers are safe while the clocks agree', () => {
    for (const use of ['the whole lease', 'with a margin'] as const) {
      expect(runInEnvironment(leases(use), { model: { faults: new FaultSchedule() } }).failed).toBe(false);
    }
  });

  it('finds the slow clock, shrinks the schedule to it, and replays it', () => {
    const result = checkProperty(skews, leases('the whole lease'), { seed: 1, runs: 200, traceKinds: ['fault'] });
    expect(result.failed).toBe(true);
    const { faults } = result.counterexample!.model.faults;
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ kind: 'clock', rate: 0.9 });
    expect(result.report).toMatch(/model: \{"faults":FaultSchedule\(t=[\d.]+ clock [ab] rate 0\.9; t=[\d.]+ clock [ab] rate 1\.0\)\}/);
    const again = replayProperty(skews, leases('the whole lease'), { seed: result.seed, path: result.path!, traceKinds: ['fault'] });
    expect(String(again.trace)).toBe(String(result.counterexample!.trace));
    // A fast clock alone never makes a worker late.
    const fast = new FaultSchedule([{ kind: 'clock', at: 0, duration: 5, a: ['a'], b: [], rate: 1.1 }]);
    expect(runInEnvironment(leases('the whole lease'), { model: { faults: fast } }).failed).toBe(false);
  });

  it('the margin holds for 500 runs', () => {
    expect(checkProperty(skews, leases('with a margin'), { seed: 2, runs: 500 }).report).toBe('property held for 500 runs (seed 2)');
  });

  it('prints the bug found and the fix holding', () => {
    let out = '';
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { out += `${args.join(' ')}\n`; });
    try {
      example();
    } finally {
      spy.mockRestore();
    }
    expect(out).toMatch(/property failed after \d+ runs? \(seed 1/);
    expect(out).toContain('the fix: property held for 500 runs (seed 1)');
    expect(out).toMatch(/  [\d.]+ +fault clock [ab] rate 0\.9\n/);
  });
});
