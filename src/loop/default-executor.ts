// A loop's default executor: the ThreadPoolExecutor `runInExecutor(undefined, …)` uses
// (made on first use, its threads named asyncio_N), its replacement, and its shutdown
// from a separate thread, so that the loop goes on while the workers finish.
// asyncio: BaseEventLoop.run_in_executor / set_default_executor / shutdown_default_executor / _do_shutdown

import { RuntimeError, TimeoutError } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { named } from '../format/named.js';
import { pyNumber } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _setResultUnlessCancelled } from '../future/set-result-unless-cancelled.js';
import { _tracer } from '../log/trace-hook.js';
import { RuntimeWarning, warnings } from '../log/warnings.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { Thread } from '../executor/thread.js';
import { ThreadPoolExecutor } from '../executor/thread-pool.js';
import { asyncWith } from '../task/context-manager.js';
import type { Coro } from '../task/coroutine.js';
import { timeout as timeoutCm } from '../task/timeout.js';

/** @internal The default executor of one loop. */
export class DefaultExecutor {
  #executor: ThreadPoolExecutor | undefined;
  #shutdownCalled = false;

  /**
   * The executor for `runInExecutor(undefined, …)`, made on first use.
   * @throws RuntimeError `Executor shutdown has been called`.
   */
  get(): ThreadPoolExecutor {
    let pool = this.#executor;
    if (this.#shutdownCalled) throw new RuntimeError('Executor shutdown has been called');
    if (pool === undefined) {
      pool = new ThreadPoolExecutor({ threadNamePrefix: 'asyncio' });
      this.#executor = pool;
    }
    return pool;
  }

  /** @throws TypeError `executor must be ThreadPoolExecutor instance`. */
  set(executor: ThreadPoolExecutor): void {
    if (!(executor instanceof ThreadPoolExecutor)) throw new TypeError('executor must be ThreadPoolExecutor instance');
    this.#executor = executor;
  }

  /** The loop closes: no executor is made any more, and the one there is stops without waiting. */
  close(): void {
    this.#shutdownCalled = true;
    const executor = this.#executor;
    if (executor !== undefined) {
      this.#executor = undefined;
      executor.shutdown({ wait: false });
    }
  }

  /**
   * Shut the executor down from a separate thread and wait, at most `timeout` seconds,
   * for its workers to finish; on timeout a RuntimeWarning says so and the executor is
   * left to finish. No executor is made afterwards.
   */
  *shutdown(loop: AbstractEventLoop, timeout: number | null | undefined): Coro<void> {
    this.#shutdownCalled = true;
    const executor = this.#executor;
    if (executor === undefined) return;
    const future = loop.createFuture<void>();
    if (_tracer !== undefined) _tracer.futureRole(future, 'BaseEventLoop.shutdown_default_executor');
    // asyncio: BaseEventLoop._do_shutdown, on its own thread (the loop goes on while it
    // waits for the workers). A generator body, so that waiting for the workers never
    // holds the loop's thread.
    const doShutdown = named('_do_shutdown', function* (fut: Future<void>): Generator<unknown, void, unknown> {
      try {
        yield* executor._shutdownAndJoin();
        if (!loop.isClosed()) loop.callSoonThreadsafe!(_setResultUnlessCancelled, fut, undefined);
      } catch (ex) {
        if (!loop.isClosed() && !fut.cancelled()) loop.callSoonThreadsafe!((e: unknown) => fut._setExceptionCarried(e), _asException(ex));
      }
    });
    const thread = new Thread({ target: doShutdown, args: [future] });
    thread.start();
    try {
      yield* asyncWith(timeoutCm(timeout), function* () {
        yield* future;
      });
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      warnings.warn(`The executor did not finishing joining its threads within ${pyNumber(timeout!)} seconds.`, RuntimeWarning, 2);
      executor.shutdown({ wait: false });
      return;
    }
    thread._joinNow();
  }
}
