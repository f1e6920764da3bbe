// What the two-host differential programs share (test/runners/faults-, crash-, reset- and
// link-models-differential.test.ts): the Python prelude (a server and a client host on
// the twin, 10 ms apart, the simulation's seed), the TypeScript side's log, a run of a
// server and a client, and the test that compares both sides line for line.

import { expect, it } from 'vitest';
import { Simulation, type Coro } from '../../src/index.js';
import { runNetPython } from '../scenario/oracle/cpython.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { hostLog } from './host-programs.js';

/** The Python side's prelude: `log()`, `err()`, and `sim` with hosts 'server' and 'client'; `setup` after. */
export function prelude(seed = 0, setup = ''): string {
  return `
import asyncio, socket
import net_twin, hosts_twin
net_twin.install(latency=0.01)

def log(*args):
    print(asyncio.get_running_loop().time(), socket.gethostname(), *args)

def err(e):
    return type(e).__name__ + ' ' + str(e)

sim = hosts_twin.Simulation(${seed === 0 ? '' : `seed=${seed}`})
sim.add_host('server')
sim.add_host('client')
${setup}
`;
}

export const PRELUDE = prelude();

export const RUN = `
sim.host('server', server)
sim.client('client', client)
sim.run()
`;

const out: string[] = [];
export const log = hostLog(out);
export const err = (e: unknown): string => `${(e as Error).constructor.name} ${(e as Error).message}`;

/** aiosim's side of the prelude: a simulation 10 ms apart with hosts 'server' and 'client'. */
export function newSimulation(seed?: number): Simulation {
  const sim = new Simulation({ latency: 0.01, ...(seed === undefined ? {} : { seed }) });
  sim.addHost('server');
  sim.addHost('client');
  return sim;
}

/** Run `server` on 'server' and `client` on 'client' until the client ends; the lines logged. */
export function runTs(sim: Simulation, server: () => Coro<void>, client: () => Coro<void>): string[] {
  out.length = 0;
  sim.host('server', server);
  sim.client('client', client);
  sim.run();
  return [...out];
}

/** A case: its name, the Python program (after the prelude), and the TypeScript one's run. */
export type ServerClientCase = readonly [name: string, python: string, ts: () => string[]];

/**
 * One test per case: CPython's output over the twin (`program(python, name)`: by default
 * the prelude, the case and RUN) and the TypeScript run's lines are the same, times included.
 */
export function itMatchesCPython(cases: readonly ServerClientCase[], program = (python: string, _name: string): string => `${PRELUDE}\n${python}\n${RUN}`): void {
  for (const [name, python, ts] of cases) {
    it(name, async () => {
      const expected = await runNetPython(program(python, name));
      const got = ts();
      if (process.env.SHOW_NET_TRACES) console.log(expected);
      expect(got.length).toBeGreaterThan(3);
      expect(got.join('\n')).toBe(expected.trimEnd());
    });
  }
}

/** A test that running `programs` one after the other, from a fresh world each, gives the same lines twice. */
export function itIsDeterministic(programs: readonly (() => string[])[]): void {
  it('gives the same trace twice (deterministic)', () => {
    const all = (): string[] => programs.flatMap((program) => {
      _resetSimulation();
      return program();
    });
    const first = all();
    expect(first.length).toBeGreaterThan(programs.length);
    expect(all()).toEqual(first);
  });
}
