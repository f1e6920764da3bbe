// ThreadPoolExecutor: jobs run on simulated worker threads, at most maxWorkers at a
// time; the others wait in a FIFO queue. Workers start lazily, one per job that finds
// no idle worker, as CPython's do.
// asyncio: concurrent.futures.ThreadPoolExecutor

import { ProcessCounter } from '../runtime/thread-ident.js';
import { RuntimeError, ValueError } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { Deque } from '../runtime/deque.js';
import { pyTypeName } from '../format/py-repr.js';
import type { ContextManager } from '../task/context-manager.js';
import { ConcurrentFuture } from './concurrent-future.js';
import { block, currentThread, Thread, wakeWaiters, type WaitRequest } from './thread.js';

let cpuCount = 4;

/** Return the simulated CPU count (Python's `os.process_cpu_count()`). */
export function getCpuCount(): number {
  return cpuCount;
}

/**
 * Set the CPU count the simulation reports (Python's `os.process_cpu_count()`, default
 * 4 here): a ThreadPoolExecutor without maxWorkers gets min(32, cpus + 4) workers.
 */
export function setCpuCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`cpu count must be a positive integer, got ${n}`);
  cpuCount = n;
}

/** Options of ThreadPoolExecutor, Python's keyword arguments. */
export interface ThreadPoolOptions {
  maxWorkers?: number | null;
  threadNamePrefix?: string | null;
  initializer?: ((...args: unknown[]) => unknown) | null;
  initargs?: readonly unknown[] | null;
}

/** A job queued for a worker. */
interface WorkItem {
  future: ConcurrentFuture<unknown>;
  fn: (...args: unknown[]) => unknown;
  args: readonly unknown[];
}

function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}

// The worker's turn ends here long enough to live through what the job slept.
const settle: WaitRequest = { kind: 'aiosim.wait', until: undefined, deadline: undefined };

// asyncio: ThreadPoolExecutor._counter, one per (simulated) process.
const executorCounter = new ProcessCounter();

/** @internal Number default thread name prefixes from 0 again (test fixtures reset the simulation). */
export function _resetExecutorCounter(): void {
  executorCounter.reset();
}

/**
 * @internal Check a pool's `max_workers` as concurrent.futures does (`max_workers <= 0`).
 * NaN is refused too: CPython accepts it and then never starts a worker, so every job
 * would wait forever.
 * @throws ValueError `max_workers must be greater than 0`; TypeError for a value that is not a number.
 */
export function checkMaxWorkers(max: number): number {
  if (typeof max !== 'number') throw new TypeError(`'<=' not supported between instances of '${pyTypeName(max)}' and 'int'`);
  if (!(max > 0)) throw new ValueError('max_workers must be greater than 0');
  return max;
}

/**
 * An executor running jobs on simulated worker threads.
 *
 * `submit(fn, ...args)` returns a ConcurrentFuture. A job is a plain function (atomic:
 * its blockingSleep calls make it finish later) or a generator function (it can
 * `yield*` blocking waits and interleave with the loop).
 *
 * @example
 * const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
 * const value = yield* loop.runInExecutor(pool, blockingIo);
 * asyncio: concurrent.futures.ThreadPoolExecutor
 */
export class ThreadPoolExecutor implements ContextManager<ThreadPoolExecutor> {
  /** @internal */
  readonly _maxWorkers: number;
  readonly #queue = new Deque<WorkItem | null>();
  #idle = 0;
  readonly #threads: Thread[] = [];
  #shutdown = false;
  #joinsDeferred = false;
  readonly #prefix: string;
  readonly #initializer: ((...args: unknown[]) => unknown) | undefined;
  readonly #initargs: readonly unknown[];

  constructor(options?: number | null | ThreadPoolOptions) {
    // Anything but an options object is max_workers itself, checked as Python checks it.
    const o: ThreadPoolOptions = typeof options === 'object' && options !== null ? options : { maxWorkers: options ?? undefined };
    const max = checkMaxWorkers(o.maxWorkers ?? Math.min(32, cpuCount + 4));
    if (o.initializer != null && typeof o.initializer !== 'function') throw new TypeError('initializer must be a callable');
    this._maxWorkers = max;
    this.#prefix = o.threadNamePrefix || `${new.target === ThreadPoolExecutor ? 'ThreadPoolExecutor' : new.target.name}-${executorCounter.next() - 1}`;
    this.#initializer = o.initializer ?? undefined;
    this.#initargs = o.initargs ?? [];
  }

  /** @internal Whether shutdown() was called. */
  get _isShutdown(): boolean {
    return this.#shutdown;
  }

  /**
   * Queue `fn(...args)` for a worker and return its future.
   * @throws RuntimeError `cannot schedule new futures after shutdown`.
   * asyncio: Executor.submit
   */
  submit<T>(fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): ConcurrentFuture<T> {
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    const future = new ConcurrentFuture<T>();
    this.#queue.push({ future: future as ConcurrentFuture<unknown>, fn: fn as WorkItem['fn'], args });
    this.#adjustThreadCount();
    wakeWaiters();
    return future;
  }

  // asyncio: ThreadPoolExecutor._adjust_thread_count — an idle worker takes the job, or a
  // new worker starts if there are fewer than maxWorkers.
  #adjustThreadCount(): void {
    if (this.#idle > 0) {
      this.#idle--;
      return;
    }
    const n = this.#threads.length;
    if (n < this._maxWorkers) {
      const executor = this;
      const t = new Thread({ name: `${this.#prefix}_${n}`, target: function* _worker() { yield* executor.#work(); } });
      t.start();
      this.#threads.push(t);
    }
  }

  // asyncio: thread._worker — take jobs until the queue says stop.
  *#work(): Generator<WaitRequest, void, unknown> {
    this.#initializer?.(...this.#initargs);
    for (;;) {
      let item = this.#queue.shift();
      if (item === undefined) {
        this.#idle++;
        // Every idle worker wakes when a job arrives; the first takes it, the others
        // wait again (as threads blocked in SimpleQueue.get would go on waiting).
        while (this.#queue.length === 0) yield* block(() => this.#queue.length > 0, undefined, () => undefined, 'work', 'yield');
        item = this.#queue.shift()!;
      }
      if (item !== null) {
        yield* this.#run(item);
        continue;
      }
      // A stop marker: pass it on to the next worker (a put wakes the idle ones, as
      // SimpleQueue.put does).
      this.#queue.push(null);
      wakeWaiters();
      return;
    }
  }

  // asyncio: thread._WorkItem.run
  *#run(item: WorkItem): Generator<WaitRequest, void, unknown> {
    if (!item.future.setRunningOrNotifyCancel()) return;
    let result: unknown;
    const thread = currentThread();
    try {
      // A plain-function job is an atomic stretch: blocking calls in it block at once.
      thread._interleaving = false;
      try {
        result = this._invoke(item.fn, item.args);
      } finally {
        thread._interleaving = true;
      }
      if (isGenerator(result)) result = yield* result as Generator<WaitRequest, unknown, unknown>;
    } catch (e) {
      if (currentThread()._debt > 0) yield settle;
      item.future.setException(_asException(e));
      return;
    }
    if (currentThread()._debt > 0) yield settle;
    item.future.setResult(result);
  }

  /** @internal Call a job (a process pool calls it as in a child process). */
  _invoke(fn: (...args: unknown[]) => unknown, args: readonly unknown[]): unknown {
    return fn(...args);
  }

  /**
   * Return the results of `fn` over the arguments (zipped iterables), in order, as an
   * iterator: the jobs are submitted at once, each result is waited for when the
   * iterator reaches it, and if one fails the jobs not reached yet are cancelled.
   * asyncio: Executor.map
   */
  map<T>(fn: (...args: any[]) => T, ...iterables: Iterable<unknown>[]): IterableIterator<T> {
    const columns = iterables.map((it) => [...it]);
    const n = Math.min(...columns.map((c) => c.length));
    const futures = Array.from({ length: n }, (_, i) => this.submit(fn, ...columns.map((c) => c[i])));
    // asyncio: the jobs are submitted now; each result is waited for when asked, and
    // the ones not asked for yet are cancelled if a result fails.
    return (function* results(): Generator<T, void, unknown> {
      let i = 0;
      try {
        for (; i < futures.length; i++) yield futures[i]!.result();
      } finally {
        for (const f of futures.slice(i)) f.cancel();
      }
    })();
  }


  /**
   * Stop taking jobs; with `cancelFutures`, cancel the queued ones; with `wait`
   * (default), block until every worker has finished.
   * asyncio: Executor.shutdown
   */
  shutdown(options?: boolean | null | { wait?: boolean | null; cancelFutures?: boolean | null }): void {
    // Python's `wait=None` is false, as any falsy value is; only an absent one means true.
    const o = typeof options === 'object' && options !== null ? options : { wait: options };
    const wait = o.wait === undefined ? true : Boolean(o.wait);
    this.#shutdown = true;
    if (o.cancelFutures) {
      while (this.#queue.length > 0) {
        const item = this.#queue.shift();
        if (item) item.future.cancel();
      }
    }
    this.#queue.push(null);
    wakeWaiters();
    if (wait && !this.#joinsDeferred) for (const t of this.#threads) t._joinNow();
  }

  /**
   * @internal shutdown(wait) for a generator thread body: the joins give the turn away
   * (the loop's thread goes on meanwhile, as it does while CPython's _do_shutdown thread
   * joins the workers), where a plain call would block within the turn.
   */
  *_shutdownAndJoin(): Generator<WaitRequest, void, unknown> {
    // shutdown(wait=True) as CPython calls it (a subclass sees wait: true), with the
    // joins left to this generator.
    this.#joinsDeferred = true;
    try {
      this.shutdown({ wait: true });
    } finally {
      this.#joinsDeferred = false;
    }
    for (const t of this.#threads) yield* t.join();
  }

  enter(): ThreadPoolExecutor {
    return this;
  }

  exit(): false {
    this.shutdown({ wait: true });
    return false;
  }
}
