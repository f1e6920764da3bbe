// Hand-written scenarios with simulated threads: each pins one mechanism of CPython's
// executors and thread-safe calls (their traces come from native CPython 3.13; see
// native.ts and tools/threads.tool.ts).

import type { Action, Scenario } from './language.js';

const base: { threads: boolean; futures: number; callbacks: Action[][] } = { threads: true, futures: 1, callbacks: [] };

export const THREAD_EDGE_CASES: Scenario[] = [
  {
    // run_in_executor: the job runs while the loop waits; the asyncio future completes
    // through call_soon_threadsafe(_set_state) once the job returns.
    ...base,
    id: 'thr-run-in-executor',
    bodies: [[['runInExecutor', null, 0, 'a'], ['yield'], ['await', 'x:a'], ['return', 1]]],
    jobs: [[['log', 'working'], ['tsleep', 1.5], ['return', 42]]],
  },
  {
    // A pool of one worker queues the second job until the first is done.
    ...base,
    id: 'thr-pool-queue',
    pools: [1],
    bodies: [[['runInExecutor', 0, 0, 'a'], ['runInExecutor', 0, 0, 'b'], ['gather', ['x:a', 'x:b'], false]]],
    jobs: [[['tsleep', 1], ['return', 'done']]],
  },
  {
    // The default executor grows a worker per job that finds none idle, up to
    // min(32, cpus + 4); an idle worker takes the next job.
    ...base,
    id: 'thr-default-executor-workers',
    bodies: [[
      ['runInExecutor', null, 0, 'a'], ['runInExecutor', null, 0, 'b'], ['runInExecutor', null, 1, 'c'],
      ['gather', ['x:a', 'x:b', 'x:c'], false], ['runInExecutor', null, 1, 'd'], ['await', 'x:d'],
    ]],
    jobs: [[['tsleep', 0.5], ['log', 'slow']], [['log', 'quick'], ['return', 2]]],
  },
  {
    // A job raising: the exception reaches the awaiting task.
    ...base,
    id: 'thr-job-raises',
    bodies: [[['runInExecutor', null, 0, 'a'], ['try', [['await', 'x:a']], 'ValueError', [['log', 'handled']]]]],
    jobs: [[['tsleep', 0.25], ['raise', 'ValueError', 'bad job']]],
  },
  {
    // Cancelling the asyncio future of a job that is running: the job goes on, its
    // result is dropped (the concurrent future could not be cancelled).
    ...base,
    id: 'thr-cancel-running-job',
    bodies: [[['runInExecutor', null, 0, 'a'], ['sleep', 0.5], ['cancel', 'x:a', null], ['try', [['await', 'x:a']], 'CancelledError', []], ['sleep', 2]]],
    jobs: [[['tsleep', 1], ['log', 'still ran'], ['return', 1]]],
  },
  {
    // Cancelling the future of a job still queued: the job never runs.
    ...base,
    id: 'thr-cancel-queued-job',
    pools: [1],
    bodies: [[['runInExecutor', 0, 0, 'a'], ['runInExecutor', 0, 1, 'b'], ['yield'], ['cancel', 'x:b', null], ['gather', ['x:a', 'x:b'], true], ['sleep', 2]]],
    jobs: [[['tsleep', 1], ['return', 'a']], [['log', 'never'], ['return', 'b']]],
  },
  {
    // The page's idiom: a thread cancels a task with loop.call_soon_threadsafe(fut.cancel).
    ...base,
    id: 'thr-cancel-threadsafe',
    bodies: [[['spawn', 1, 'a1'], ['startThread', 0, 'canceller'], ['try', [['await', 't:a1']], 'CancelledError', []], ['return', 'ok']], [['sleep', 10], ['return', 'late']]],
    jobs: [[['tsleep', 0.5], ['cancelThreadsafe', 't:a1']]],
  },
  {
    // call_soon_threadsafe wakes a loop waiting in its selector for a distant timer.
    ...base,
    id: 'thr-wake-selector',
    callbacks: [[['log', 'woken']], [['log', 'timer']]],
    bodies: [[['callLater', 5, 1], ['startThread', 0, 'waker'], ['sleep', 6]]],
    jobs: [[['tsleep', 1], ['callSoonThreadsafe', 0]]],
  },
  {
    // set_result from another thread, done right: call_soon_threadsafe(fut.set_result).
    ...base,
    id: 'thr-set-result-threadsafe',
    bodies: [[['startThread', 0, 'producer'], ['await', 'f:0']]],
    jobs: [[['tsleep', 0.25], ['setResultThreadsafe', 0, 'payload']]],
  },
  {
    // Debug mode: call_soon from a worker thread raises the thread check's RuntimeError.
    ...base,
    id: 'thr-debug-thread-check',
    debug: true,
    callbacks: [[['log', 'cb']]],
    bodies: [[['runInExecutor', null, 0, 'a'], ['try', [['await', 'x:a']], 'Exception', []]]],
    jobs: [[['callSoon', 0]]],
  },
  {
    // Without debug mode the same call_soon is not checked (and does not wake the loop).
    ...base,
    id: 'thr-call-soon-unchecked',
    callbacks: [[['log', 'cb']]],
    bodies: [[['runInExecutor', null, 0, 'a'], ['await', 'x:a'], ['sleep', 1]]],
    jobs: [[['callSoon', 0], ['return', 0]]],
  },
  {
    // run_coroutine_threadsafe from a worker: the coroutine runs as a task on the loop;
    // the concurrent future's result arrives through the chained callbacks.
    ...base,
    id: 'thr-run-coroutine-threadsafe',
    bodies: [[['startThread', 0, 'submitter'], ['sleep', 3]], [['sleep', 1], ['return', 'from loop']]],
    jobs: [[['runCoroutineThreadsafe', 1, 'rc'], ['tsleep', 2], ['log', 'after']]],
  },
  {
    // asyncio.to_thread: the job in the default executor, awaited directly.
    ...base,
    id: 'thr-to-thread',
    bodies: [[['toThread', 0], ['toThread', 0]]],
    jobs: [[['tsleep', 0.5], ['return', 'x']]],
  },
  {
    // Blocking the loop's thread (time.sleep in a task) delays every task and timer,
    // while a worker thread goes on.
    ...base,
    id: 'thr-blocking-loop-thread',
    callbacks: [[['log', 'timer at 1']]],
    bodies: [[['callLater', 1, 0], ['runInExecutor', null, 0, 'a'], ['blockingSleep', 2], ['await', 'x:a']]],
    jobs: [[['tsleep', 0.5], ['log', 'job at 0.5'], ['return', 1]]],
  },
  {
    // shutdown_default_executor: joins the workers in a helper thread, then completes.
    ...base,
    id: 'thr-shutdown-default-executor',
    bodies: [[['runInExecutor', null, 0, 'a'], ['shutdownDefaultExecutor'], ['await', 'x:a']]],
    jobs: [[['tsleep', 1], ['return', 5]]],
  },
  {
    // Shutting a pool down from the loop's thread blocks the loop until its jobs end;
    // cancel_futures cancels the queued ones.
    ...base,
    id: 'thr-pool-shutdown-wait',
    pools: [1],
    callbacks: [[['log', 'timer']]],
    bodies: [[['callLater', 0.5, 0], ['runInExecutor', 0, 0, 'a'], ['runInExecutor', 0, 0, 'b'], ['yield'], ['poolShutdown', 0, true, true], ['gather', ['x:a', 'x:b'], true]]],
    jobs: [[['tsleep', 1], ['return', 'j']]],
  },
  {
    // After shutdown, run_in_executor on that pool raises.
    ...base,
    id: 'thr-submit-after-shutdown',
    pools: [2],
    bodies: [[['poolShutdown', 0, false, false], ['try', [['runInExecutor', 0, 0, 'a']], 'Exception', [['log', 'refused']]]]],
    jobs: [[['return', 1]]],
  },
  {
    // A job still queued on a pool when run() ends never runs (its worker is busy
    // sleeping): nothing of the scenario outlives it. Regression: the oracle's worker,
    // unwound at the end, used to take the queued job.
    ...base,
    id: 'thr-queued-job-at-end',
    pools: [1],
    bodies: [[['runInExecutor', 0, 0, 'a'], ['sleep', 0.5], ['runInExecutor', 0, 1, 'b'], ['return', 'done']]],
    jobs: [[['tsleep', 1], ['log', 'first done']], [['log', 'never']]],
  },
  {
    // Two threads and the loop at the same instants: FIFO by scheduling order.
    ...base,
    id: 'thr-same-instant',
    callbacks: [[['log', 'cb0']], [['log', 'cb1']]],
    bodies: [[['startThread', 0, 'T1'], ['startThread', 1, 'T2'], ['callLater', 1, 0], ['sleep', 2]]],
    jobs: [[['tsleep', 1], ['callSoonThreadsafe', 1], ['log', 'T1 done']], [['tsleep', 1], ['log', 'T2 woke'], ['tsleep', 0]]],
  },
];
