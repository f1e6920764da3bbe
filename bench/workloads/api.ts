// What a workload needs from the implementation under test: a loop with callSoon /
// callLater, futures, tasks, sleep, gather, Queue and Lock. aiosim and the plain-JS
// floor both provide it, so each workload is written once (bench/workloads/w*.ts).

/** A callback as loops run it. */
export type Cb = (...args: any[]) => unknown;

/** A coroutine: a generator driven by a task. */
export type Gen<T> = Generator<unknown, T, unknown>;

/** Something `yield*` can await (a Future or a Task). */
export interface Awaitable<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
}

/** A scheduled timer. */
export interface Cancellable {
  cancel(): void;
}

/** A future whose result is set by a callback. */
export interface Fut<T> extends Awaitable<T> {
  setResult(value: T): void;
}

/** The subset of an event loop the workloads use. */
export interface Loop {
  time(): number;
  callSoon(callback: Cb, ...args: unknown[]): unknown;
  callLater(delay: number, callback: Cb, ...args: unknown[]): Cancellable;
  createFuture<T>(): Fut<T>;
  runForever(): void;
  runUntilComplete<T>(coro: Gen<T>): T;
  stop(): void;
  close(): void;
}

/** A FIFO queue of items with a bound (asyncio.Queue). */
export interface BQueue<T> {
  put(item: T): Gen<void>;
  get(): Gen<T>;
}

/** A FIFO lock (asyncio.Lock). */
export interface BLock {
  acquire(): Gen<true>;
  release(): void;
}

/** One implementation of the asyncio subset. */
export interface Api {
  readonly name: string;
  newLoop(): Loop;
  sleep(delay: number): Gen<void>;
  createTask<T>(coro: Gen<T>): Awaitable<T>;
  gather<T>(aws: Awaitable<T>[]): Awaitable<T[]>;
  newQueue<T>(maxsize: number): BQueue<T>;
  newLock(): BLock;
}
