// Programs drawn by the picture tests: one that makes the timeline draw every kind of box,
// bar, arrow and mark (a step done, failed and cancelled, callbacks, timers fired and
// cancelled, a thread's turns, an exception raised in a coroutine awaited inline, a log
// record, a warning), and one with many arrows across rows.

import {
  blockingSleep, CancelledError, coroutine, createTask, getRunningLoop, Lock, Queue, sleep, ThreadPoolExecutor, ValueError, warnings,
  type Coro,
} from '../../src/index.js';
import type { Trace } from '../../src/testing/index.js';
import { captureAsyncioLogs } from '../_support/capture.js';
import { traced } from './_support.js';

const failing = coroutine(function* failing(): Coro<never> {
  yield* sleep(0.25);
  throw new ValueError('boom');
});

const recovering = coroutine(function* recovering(): Coro<string> {
  try {
    return yield* failing();
  } catch {
    return 'recovered';
  }
});

function* forever(): Coro<void> {
  yield* sleep(100);
}

/** The trace of a program whose picture shows every kind of mark. */
export function everything(): Trace {
  const pool = new ThreadPoolExecutor(1);
  let trace: Trace | undefined;
  captureAsyncioLogs(() => warnings.catchWarnings({ record: true }, () => {
    trace = traced(function* main(): Coro<string> {
      const loop = getRunningLoop();
      const job = loop.runInExecutor(pool, function job() {
        blockingSleep(0.5);
        return 1;
      });
      const doomed = createTask(failing());
      const waiting = createTask(forever());
      loop.callLater(10, function never() {}).cancel();
      loop.callSoon(function boom() {
        throw new ValueError('in callback');
      });
      warnings.warn('careful', warnings.RuntimeWarning);
      const text = yield* recovering();
      waiting.cancel();
      try {
        yield* waiting;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      try {
        yield* doomed;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
      }
      return `${text} ${yield* job}`;
    });
  }));
  pool.shutdown();
  return trace!;
}

/** The trace of three workers taking items from a queue under a lock: many arrows across rows. */
export function queueWorkers(): Trace {
  return traced(function* main(): Coro<void> {
    const q = new Queue<number>();
    const lock = new Lock();
    const workers = [1, 2, 3].map((n) => createTask((function* worker(): Coro<void> {
      for (;;) {
        yield* q.get();
        yield* lock.acquire();
        try {
          yield* sleep(0.05 * n);
        } finally {
          lock.release();
        }
      }
    })()));
    for (let i = 0; i < 6; i++) {
      q.putNowait(i);
      yield* sleep(0.1);
    }
    for (const w of workers) w.cancel();
    yield* sleep(0);
  });
}
