import { describe, expectTypeOf, it } from 'vitest';
import { Simulation, type Coro, type HostProcess } from '../../src/index.js';

describe('Simulation types', () => {
  it('infers a restarted process\'s result from its main, unknown with none given', () => {
    const sim = new Simulation();
    function* main(): Coro<number> {
      return 1;
    }
    expectTypeOf(sim.restart('b', main)).toEqualTypeOf<HostProcess<number>>();
    expectTypeOf(sim.restart('b')).toEqualTypeOf<HostProcess<unknown>>();
  });

  it('kills a process of any result type', () => {
    const sim = new Simulation();
    function* main(): Coro<string> {
      return 'x';
    }
    const p = sim.host('b', main);
    expectTypeOf(p).toEqualTypeOf<HostProcess<string>>();
    expectTypeOf(sim.kill(p)).toEqualTypeOf<void>();
    // @ts-expect-error a kill takes a process, not a host's name
    sim.kill('b');
  });
});
