// aiosim as a workload Api: the public entry point, used as a user would.

import { createTask, EventLoop, gather, Lock, Queue, sleep } from '../../src/index.js';
import type { Api, Awaitable, Gen, Loop } from '../workloads/api.js';

export const aiosimApi: Api = {
  name: 'aiosim',
  // EventLoop is a Loop; the cast only spares TypeScript comparing generic iterator types.
  newLoop: () => new EventLoop() as unknown as Loop,
  sleep,
  createTask: <T>(coro: Gen<T>): Awaitable<T> => createTask(coro),
  gather: <T>(aws: Awaitable<T>[]): Awaitable<T[]> => gather(...aws) as unknown as Awaitable<T[]>,
  newQueue: <T>(maxsize: number) => new Queue<T>({ maxsize }),
  newLock: () => new Lock(),
};
