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

/** A queue that can also be used without waiting (asyncio.Queue's put_nowait / get_nowait). */
export interface NQueue<T> extends BQueue<T> {
  putNowait(item: T): void;
  getNowait(): T;
}

/** A task that can be cancelled. */
export interface CTask<T> extends Awaitable<T> {
  cancel(): boolean;
}

/**
 * What the scaling workloads S1–S3 use beyond Api: queues without waiting, task
 * cancellation and asCompleted. aiosim provides it (and CPython, in workloads.py); the
 * floor does not.
 */
export interface ScaleApi extends Api {
  newQueue<T>(maxsize: number): NQueue<T>;
  createTask<T>(coro: Gen<T>): CTask<T>;
  asCompleted<T>(aws: Awaitable<T>[]): Iterable<Gen<T>>;
}

/** `api` as a ScaleApi, or an error naming the workload that needs one. */
export function scaleApi(api: Api, id: string): ScaleApi {
  if (!('asCompleted' in api)) throw new Error(`${id} needs asCompleted, putNowait/getNowait and Task.cancel, which ${api.name} lacks`);
  return api as ScaleApi;
}

/** The reading end of a stream connection (asyncio.StreamReader). */
export interface NetReader {
  readline(): Gen<Uint8Array>;
  readexactly(n: number): Gen<Uint8Array>;
}

/** The writing end of a stream connection (asyncio.StreamWriter). */
export interface NetWriter {
  write(data: Uint8Array): void;
  drain(): Gen<void>;
  close(): void;
  waitClosed(): Gen<void>;
}

/** A listening server (asyncio.Server). */
export interface NetServer {
  close(): void;
  waitClosed(): Gen<void>;
}

/**
 * What the network workloads W10 and W11 use: streams over the simulated network.
 * aiosim provides it (and CPython over the oracle's twin network, in workloads.py); the
 * floor and fake-timers have no network.
 */
export interface NetApi extends Api {
  /** Start from a fresh process's network (no socket, fds and ports from the start) with this loopback latency; before newLoop(). */
  resetNetwork(loopbackLatency: number): void;
  startServer(handler: (reader: NetReader, writer: NetWriter) => Gen<void>, host: string, port: number, backlog: number): Gen<NetServer>;
  openConnection(host: string, port: number): Gen<[NetReader, NetWriter]>;
}

/** `api` as a NetApi, or an error naming the workload that needs one. */
export function netApi(api: Api, id: string): NetApi {
  if (!('openConnection' in api)) throw new Error(`${id} needs a network (startServer, openConnection), which ${api.name} lacks`);
  return api as NetApi;
}
