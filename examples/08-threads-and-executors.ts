// "Concurrency and Multithreading" and "Running Blocking Code": the loop's thread versus
// other (simulated) threads, on one virtual clock.

import {
  blockingSleep, createTask, getRunningLoop, ProcessPoolExecutor, run, runCoroutineThreadsafe, signals, sleep, threading,
  ThreadPoolExecutor, type Coro,
} from '../src/index.js';

export function main(): void {
  function* mainCoro(): Coro<void> {
    const loop = getRunningLoop();
    const log = (text: string): void => console.log(`${loop.time().toFixed(2).padStart(5)} [${threading.currentThread().name}] ${text}`);

    // 1. Blocking code delays everything: a 1-second computation on the loop's thread.
    function* ticker(): Coro<void> {
      for (let i = 0; i < 3; i++) {
        yield* sleep(0.5);
        log(`tick ${i}`);
      }
    }
    const t = createTask(ticker());
    yield* sleep(0.6);
    log('CPU-bound work on the loop thread for 1 s');
    blockingSleep(1.0);
    yield* t;

    // 2. The same work in an executor keeps the loop responsive.
    const pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    function cpuBound(n: number): number {
      blockingSleep(1.0);
      return n * n;
    }
    const t2 = createTask(ticker());
    const result = yield* loop.runInExecutor(pool, cpuBound, 7);
    log(`run_in_executor -> ${result}`);
    yield* t2;

    // 3. From another thread: call_soon_threadsafe and run_coroutine_threadsafe.
    function* coroFunc(): Coro<number> {
      return yield* sleep(1, 42);
    }
    const worker = new threading.Thread({
      target: function* other() {
        yield* blockingSleep(0.25);
        loop.callSoonThreadsafe(() => log('callback scheduled from another thread'));
        const future = runCoroutineThreadsafe(coroFunc(), loop);
        log(`run_coroutine_threadsafe -> ${yield* future}`);
      },
    });
    worker.start();
    yield* sleep(2);

    // 4. Cancelling a loop future from another thread: call_soon_threadsafe(fut.cancel).
    const fut = loop.createFuture<void>();
    new threading.Thread({ target: function canceller() { loop.callSoonThreadsafe(() => fut.cancel()); } }).start();
    try {
      yield* fut;
    } catch {
      log(`future cancelled from another thread: ${String(fut.cancelled())}`);
    }

    // 5. A process pool: the job runs in a child process, with copies of its data.
    const procs = new ProcessPoolExecutor(2);
    const doubled = yield* loop.runInExecutor(procs, (xs: number[]) => xs.map((x) => x * 2), [1, 2, 3]);
    log(`process pool -> [${doubled.join(', ')}]`);

    // 6. Signals are handled by the loop of the main thread only.
    const intruder = new threading.Thread({
      target: function addHandler() {
        try {
          loop.addSignalHandler(signals.SIGUSR1, () => {});
        } catch (e) {
          log(`add_signal_handler from a thread: ${(e as Error).message}`);
        }
      },
    });
    intruder.start();
    loop.addSignalHandler(signals.SIGUSR1, () => log('SIGUSR1 handled by the loop'));
    signals.scheduleSignal(signals.SIGUSR1, 0.5);
    yield* sleep(1);
    pool.shutdown();
    procs.shutdown();
  }

  run(mainCoro());
}
