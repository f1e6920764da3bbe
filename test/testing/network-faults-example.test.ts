// The property runner finding bugs that show only under network faults
// (examples/18-network-faults.ts): retries over a lossy link apply a deposit twice when a
// reply is lost (or a request duplicated), reconnects through a partition do the same;
// idempotency keys fix both. Each bug is found, shrunk to the faults that matter, named
// in the report, and replayed to the same run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Account, depositsOverTcp, depositsOverUdp, main as example, partitions } from '../../examples/18-network-faults.js';
import { checkProperty, FaultSchedule, replayProperty, runInEnvironment, TieBreaks } from '../../src/testing/index.js';

describe('examples/18-network-faults.ts', () => {
  it('the account applies a request twice without idempotency keys, once with them', () => {
    const plain = new Account('none');
    expect([plain.handle('deposit d1 10'), plain.handle('deposit d1 10'), plain.handle('balance b1')]).toEqual(['d1 ok 10', 'd1 ok 20', 'b1 balance 20']);
    const keyed = new Account('idempotency keys');
    expect([keyed.handle('deposit d1 10'), keyed.handle('deposit d1 10'), keyed.handle('balance b1')]).toEqual(['d1 ok 10', 'd1 ok 10', 'b1 balance 10']);
    expect(keyed.applied).toEqual(new Map([['d1', 1]]));
  });

  it('finds the lost reply, shrinks it to that one loss, and replays it', () => {
    const result = checkProperty({}, depositsOverUdp('none'), { seed: 1, runs: 300 });
    expect(result.failed).toBe(true);
    const c = result.counterexample!;
    // One fault: the bank's reply to the first deposit is lost, so the client sends it again.
    expect(c.decisions.map((d) => d.what)).toEqual(['message 2 bank->client dropped']);
    expect(result.report).toContain('\n  t=0.01 message 2 bank->client dropped\n');
    const again = replayProperty({}, depositsOverUdp('none'), { seed: result.seed, path: result.path! });
    expect(again.decisions).toEqual(c.decisions);
    expect(String(again.trace)).toBe(String(c.trace));
  });

  it('is what the README shows', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const shown = /console\.log\(result\.report\);\n```\n\n```\n([^`]*)  …\n```/.exec(readme)![1]!;
    const result = checkProperty({}, depositsOverUdp('none'), { seed: 1, runs: 300, traceKinds: ['message', 'fault'] });
    expect(result.report.startsWith(shown)).toBe(true);
    expect(shown.split('\n').length).toBeGreaterThan(10);
  });

  it('a duplicated request breaks the plain service, not the fixed one', () => {
    // The first datagram (the first deposit) arrives twice.
    const ties = new TieBreaks([], [2]);
    const plain = runInEnvironment(depositsOverUdp('none'), { model: {}, ties });
    expect(plain.failed).toBe(true);
    expect(plain.decisions.map((d) => d.what)).toEqual(['message 1 client->bank duplicated']);
    const fixed = runInEnvironment(depositsOverUdp('idempotency keys'), { model: {}, ties });
    expect(fixed.failed).toBe(false);
    // A lost reply, too.
    expect(runInEnvironment(depositsOverUdp('idempotency keys'), { model: {}, ties: new TieBreaks([], [0, 1]) }).failed).toBe(false);
  });

  it('the fix holds for 1,000 runs over the lossy link', () => {
    const result = checkProperty({}, depositsOverUdp('idempotency keys'), { seed: 2, runs: 1000 });
    expect(result.report).toBe('property held for 1000 runs (seed 2)');
  });

  it('finds a partition that makes the client send a deposit again, and the fix holds', () => {
    const found = checkProperty(partitions, depositsOverTcp('none'), { seed: 1, runs: 300 });
    expect(found.failed).toBe(true);
    const { faults } = found.counterexample!.model;
    expect(faults.faults).toHaveLength(1);
    expect(faults.faults[0]!.kind).toBe('partition');
    // A partition shorter than the client's 1 s wait for a reply cannot make it resend.
    expect(faults.faults[0]!.duration).toBeGreaterThanOrEqual(1);
    expect(checkProperty(partitions, depositsOverTcp('idempotency keys'), { seed: 1, runs: 300 }).failed).toBe(false);
    // A partition from 0.035 s, after the first deposit reached the bank (0.03) and before
    // its reply reaches the client (0.04), for 1.5 s: the client sends it again after the repair.
    const schedule = new FaultSchedule([{ kind: 'partition', at: 0.035, duration: 1.5, a: ['client'], b: ['bank'] }]);
    expect(runInEnvironment(depositsOverTcp('none'), { model: { faults: schedule } }).failed).toBe(true);
    expect(runInEnvironment(depositsOverTcp('idempotency keys'), { model: { faults: schedule } }).failed).toBe(false);
    expect(runInEnvironment(depositsOverTcp('none'), { model: { faults: new FaultSchedule() } }).failed).toBe(false);
  });

  it('prints each bug found and each fix holding', () => {
    let out = '';
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { out += `${args.join(' ')}\n`; });
    try {
      example();
    } finally {
      spy.mockRestore();
    }
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('property failed after '))).toHaveLength(2);
    expect(lines.filter((l) => /^the fix: property held for \d+ runs \(seed 1\)$/.test(l))).toHaveLength(2);
    expect(out).toContain('  t=0.01 message 2 bank->client dropped');
    expect(out).toMatch(/model: \{"faults":FaultSchedule\(t=[\d.]+ partition \{client\} \| \{bank\}; t=[\d.]+ repair \{client\} \| \{bank\}\)\}/);
  });
});
