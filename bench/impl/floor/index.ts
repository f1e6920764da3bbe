// The plain-JS floor as a workload Api: the fastest plain TypeScript doing the work
// (and the allocation) the asyncio API forces, to show what V8 allows.

import type { Api, Awaitable, Gen, Loop } from '../../workloads/api.js';
import { FloorLoop, runningLoop } from './loop.js';
import { FLock, FQueue } from './sync.js';
import { FFuture, FTask, gather, sleep } from './task.js';

// The floor loop with the Loop methods that need futures and tasks.
class FloorEventLoop extends FloorLoop implements Loop {
  createFuture<T>(): FFuture<T> {
    return new FFuture<T>(this);
  }

  runUntilComplete<T>(coro: Gen<T>): T {
    const task = new FTask<T>(this, coro);
    task.addDoneCallback(() => this.stop());
    this.runForever();
    return task.get();
  }
}

export const floorApi: Api = {
  name: 'floor',
  newLoop: () => new FloorEventLoop(),
  sleep,
  createTask: <T>(coro: Gen<T>): Awaitable<T> => new FTask<T>(runningLoop(), coro),
  gather: <T>(aws: Awaitable<T>[]): Awaitable<T[]> => gather(aws as FFuture<T>[]),
  newQueue: <T>(maxsize: number) => new FQueue<T>(maxsize),
  newLock: () => new FLock(),
};
