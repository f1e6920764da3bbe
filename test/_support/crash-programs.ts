// What the differential programs of crashes, restarts and resets share
// (test/runners/crash-differential.test.ts, reset-differential.test.ts): the Python
// prelude (two hosts on the twin, 10 ms apart), the TypeScript side's log, and a run of a
// server and a client.

import { Simulation, type Coro } from '../../src/index.js';
import { hostLog } from './host-programs.js';

export const PRELUDE = `
import asyncio, socket
import net_twin, hosts_twin
net_twin.install(latency=0.01)

def log(*args):
    print(asyncio.get_running_loop().time(), socket.gethostname(), *args)

def err(e):
    return type(e).__name__ + ' ' + str(e)

sim = hosts_twin.Simulation()
sim.add_host('server')
sim.add_host('client')
`;

export const RUN = `
sim.host('server', server)
sim.client('client', client)
sim.run()
`;

const out: string[] = [];
export const log = hostLog(out);
export const err = (e: unknown): string => `${(e as Error).constructor.name} ${(e as Error).message}`;

export function newSimulation(): Simulation {
  const sim = new Simulation({ latency: 0.01 });
  sim.addHost('server');
  sim.addHost('client');
  return sim;
}

export function runTs(sim: Simulation, server: () => Coro<void>, client: () => Coro<void>): string[] {
  out.length = 0;
  sim.host('server', server);
  sim.client('client', client);
  sim.run();
  return [...out];
}
