// aiosim as a workload Api: the public entry point, used as a user would.

import { asCompleted, createTask, EventLoop, gather, Lock, Queue, sleep } from '../../src/index.js';
import type { Awaitable, CTask, Gen, Loop, ScaleApi } from '../workloads/api.js';

export const aiosimApi: ScaleApi = {
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
};
