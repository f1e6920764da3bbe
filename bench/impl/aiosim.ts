// aiosim as a workload Api: the public entry point, used as a user would (and, for the
// network workloads, the test fixtures' reset to a fresh process's world between runs).

import { _resetSimulation } from '../../src/executor/reset.js';
import { asCompleted, createTask, EventLoop, gather, Lock, openConnection, Queue, Simulation, sleep, startServer } from '../../src/index.js';
import type { Awaitable, CTask, Gen, Loop, NetApi, NetReader, NetServer, NetWriter, ScaleApi } from '../workloads/api.js';

export const aiosimApi: ScaleApi & NetApi = {
  name: 'aiosim',
  // EventLoop is a Loop; the cast only spares TypeScript comparing generic iterator types.
  newLoop: () => new EventLoop() as unknown as Loop,
  sleep,
  createTask: <T>(coro: Gen<T>): CTask<T> => createTask(coro),
  // The array form: the scaling workloads gather up to 10^6 tasks, too many to spread.
  gather: <T>(aws: Awaitable<T>[]): Awaitable<T[]> => gather(aws) as unknown as Awaitable<T[]>,
  newQueue: <T>(maxsize: number) => new Queue<T>({ maxsize }),
  newLock: () => new Lock(),
  asCompleted: <T>(aws: Awaitable<T>[]): Iterable<Gen<T>> => asCompleted(aws),
  resetNetwork(loopbackLatency: number): void {
    if (!_resetSimulation()) throw new Error('resetNetwork: a loop is running');
    new Simulation({ loopbackLatency });
  },
  startServer: (handler: (reader: NetReader, writer: NetWriter) => Gen<void>, host: string, port: number, backlog: number): Gen<NetServer> =>
    startServer(handler, host, port, { backlog }),
  openConnection: (host: string, port: number): Gen<[NetReader, NetWriter]> => openConnection(host, port),
};
