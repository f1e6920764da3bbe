// Simulation's clock API: setClock / addHost({ clock }) / host(…, { clock }) / clockTime,
// the default host's clock staying the global one, and what a skewed clock does to a
// host's timers (docs/network.md, "Clocks").

import { beforeEach, describe, expect, it } from 'vitest';
import { blockingSleep, getRunningLoop, sleep, toThread, ValueError, type Coro } from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { Simulation } from '../../src/runners/simulation.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  _resetSimulation();
});

// A client that records [global time, its loop's time] after each sleep.
function sleeper(delays: readonly number[], seen: [number, number][]): () => Coro<void> {
  return function* main(): Coro<void> {
    for (const d of delays) {
      yield* sleep(d);
      seen.push([world.now, getRunningLoop().time()]);
    }
  };
}

describe('Simulation clocks', () => {
  it('runs a 1 s sleep on a host at rate 1.01 in 0.990099… global seconds, and on another host in 1', () => {
    const sim = new Simulation();
    sim.addHost('fast', { clock: { rate: 1.01 } });
    const fast: [number, number][] = [];
    const plain: [number, number][] = [];
    sim.client('fast', sleeper([1], fast));
    sim.client('plain', sleeper([1], plain));
    sim.run();
    expect(fast).toEqual([[0.9900990099009901, 1.01 * 0.9900990099009901]]);
    expect(plain).toEqual([[1, 1]]);
  });

  it('starts a host with the clock host() is given, at any offset, and reads it with clockTime()', () => {
    const sim = new Simulation();
    const seen: [number, number][] = [];
    sim.client('late', sleeper([0.5], seen), { clock: { offset: -100 } });
    expect(sim.clockTime('late')).toBe(-100);
    sim.run();
    // Near -100 the host's clock is coarser than the global one near 0: -100 + g is
    // already -99.5 a few global ulps before 0.5, and the sleep ends at the first of them.
    expect(seen).toEqual([[0.4999999999999929, -99.5]]);
    expect(-100 + 0.49999999999999284).toBe(-99.50000000000001);
    expect(sim.clockTime('late')).toBe(-99.5);
    expect(sim.clockTime('localhost')).toBe(0.4999999999999929);
  });

  it('moves a waiting timer when the clock changes: later when it slows, at once when it steps past it', () => {
    const sim = new Simulation();
    const seen: [number, number][] = [];
    sim.client('h', sleeper([1, 1], seen));
    sim.network.at(0.5, () => sim.setClock('h', { rate: 0.5 }));
    sim.network.at(2.0, () => sim.setClock('h', { offset: 10 }));
    sim.run();
    // 0.5 s at rate 1, then 0.5 local seconds at rate 0.5 take 1 global second.
    expect(seen[0]).toEqual([1.5, 1]);
    // The second sleep ends at local 2: the step to 12 at global 2 passes it.
    expect(seen[1]).toEqual([2, 12]);
  });

  it('makes a thread\'s time.sleep on a host last seconds of the host\'s clock, and the root thread\'s global ones', () => {
    const sim = new Simulation();
    sim.addHost('fast', { clock: { rate: 1.01 } });
    sim.addHost('double', { clock: { offset: 7, rate: 2 } });
    const seen: string[] = [];
    sim.client('fast', function* main(): Coro<void> {
      blockingSleep(1);
      seen.push(`fast main thread woke at ${world.now}`);
    });
    sim.client('double', function* main(): Coro<void> {
      yield* toThread(() => blockingSleep(1));
      seen.push(`double worker done at ${world.now}, reads ${getRunningLoop().time()}`);
    });
    sim.run();
    blockingSleep(1);
    seen.push(`root thread woke at ${world.now}`);
    // 7 + 2 * g reads 8 first at g = 0.4999999999999998 (8 - 4e-16 rounds to 8); the
    // root thread's second is global: 0.9900990099009901 + 1.
    expect(seen).toEqual([
      'double worker done at 0.4999999999999998, reads 8',
      'fast main thread woke at 0.9900990099009901',
      'root thread woke at 1.99009900990099',
    ]);
    expect(7 + 2 * 0.4999999999999998).toBe(8);
    expect(0.9900990099009901 + 1).toBe(1.99009900990099);
  });

  it('refuses to set the default host\'s clock (it is the global time), an unknown host, or a step back', () => {
    const sim = new Simulation();
    sim.addHost('b', { clock: { offset: 5 } });
    expect(() => sim.setClock('localhost', { rate: 2 })).toThrow(ValueError);
    expect(() => sim.setClock('localhost', { rate: 2 })).toThrow(/^the clock of the default host 'localhost' is the global virtual time: it cannot be set$/);
    expect(() => sim.setClock('nowhere', { rate: 2 })).toThrow(/^no host is named 'nowhere'$/);
    expect(() => sim.setClock('b', { offset: 4 })).toThrow(/^the clock of host 'b' cannot go back/);
    expect(() => sim.host('b', sleeper([], []), { clock: { offset: 0 } })).toThrow(/^the clock of host 'b' cannot go back/);
    expect(sim.clockTime('b')).toBe(5);
  });

  it('adds no host when its clock is bad', () => {
    const sim = new Simulation();
    expect(() => sim.addHost('b', { clock: { rate: -1 } })).toThrow(/^a clock rate must be a finite number > 0, got -1$/);
    expect(() => sim.addHost('c', { clock: { offset: Infinity } })).toThrow(/^a clock offset must be a finite number of seconds, got inf$/);
    expect(() => sim.addHost('d', { clock: { rate: 'fast' as unknown as number } })).toThrow(TypeError);
    expect(sim.network.getHost('b')).toBeUndefined();
    expect(sim.network.getHost('c')).toBeUndefined();
    expect(() => sim.setClock(sim.addHost('e'), { rate: 0 })).toThrow(ValueError);
    expect(sim.network.getHost('e')!.clock.skewed).toBe(false);
  });

  it('still takes addresses as arrays, and takes them in the options object', () => {
    const sim = new Simulation();
    expect(sim.addHost('a', ['10.1.0.1']).ipv4).toEqual(['10.1.0.1']);
    const b = sim.addHost('b', { ipv4: ['10.1.0.2'], clock: { rate: 2 } });
    expect(b.ipv4).toEqual(['10.1.0.2']);
    expect(b.clock.rate).toBe(2);
    expect(sim.addHost('c', {}).ipv4).toEqual(['10.0.0.1']);
  });
});
