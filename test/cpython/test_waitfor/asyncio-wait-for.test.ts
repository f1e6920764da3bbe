// Port of CPython 3.13's Lib/test/test_asyncio/test_waitfor.py (issue 10): the same
// behaviours checked through aiosim's API. Each CPython method runs, as in
// IsolatedAsyncioTestCase, as the main task of a debug-mode run(); the virtual times
// asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: AsyncioWaitForTest. Table: docs/cpython-tests/test_waitfor.md.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, getRunningLoop, sleep, TimeoutError, wait, waitFor, type Coro, type Future,
} from '../../../src/index.js';
import { ctx, withCtx } from '../../_support/python.js';
import { assertRaises, asyncTest, me, now } from '../_support.js';

// A very small timeout: it passes the "timeout > 0" check.
const EPSILON = 0.0001;

// The inner task of test_wait_for_waits_for_task_cancellation*: cancelled in a 10 s sleep,
// it cleans up for EPSILON; `ended()` runs as it ends, however it ends.
function* slowToCancel(ended: () => void): Coro<void> {
  try {
    yield* sleep(10);
  } catch (e) {
    if (e instanceof CancelledError) yield* sleep(EPSILON);
    throw e;
  } finally {
    ended();
  }
}

// A task that runs for TASK_TIMEOUT seconds (loop time), ignoring cancel requests.
class SlowTask {
  static readonly TASK_TIMEOUT = 0.2;
  exited = false;
  cancels: number[] = [];

  *run(): Coro<void> {
    const exitat = now() + SlowTask.TASK_TIMEOUT;
    for (;;) {
      const tosleep = exitat - now();
      if (tosleep <= 0) break;
      try {
        yield* sleep(tosleep);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        this.cancels.push(now());
      }
    }
    this.exited = true;
  }
}

describe('AsyncioWaitForTest', () => {
  it('test_asyncio_wait_for_cancelled — cancelling the waiting task waits for the inner coroutine to exit', () => {
    asyncTest(function* () {
      const t = new SlowTask();
      const waitfortask = createTask(waitFor(t.run(), SlowTask.TASK_TIMEOUT * 2));
      yield* sleep(0);
      waitfortask.cancel();
      yield* wait([waitfortask]);
      expect(t.exited).toBe(true);
      // The coroutine swallowed the cancellation and returned: so does wait_for.
      expect([t.cancels, now(), waitfortask.cancelled(), waitfortask.exception()]).toEqual([[0], 0.2, false, undefined]);
    });
  });

  it('test_asyncio_wait_for_timeout — on timeout the inner coroutine is cancelled and waited for', () => {
    asyncTest(function* () {
      const t = new SlowTask();
      let result: unknown = 'not returned';
      try {
        result = yield* waitFor(t.run(), SlowTask.TASK_TIMEOUT / 2);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
      expect(t.exited).toBe(true);
      // It swallowed the cancellation at 0.1 and returned at 0.2: wait_for returns None.
      expect([t.cancels, now(), result]).toEqual([[0.1], 0.2, undefined]);
    });
  });

  it('test_wait_for_timeout_less_then_0_or_0_future_done — a done future is returned even with timeout 0', () => {
    asyncTest(function* () {
      const fut = getRunningLoop().createFuture<string>();
      fut.setResult('done');
      const ret = yield* waitFor(fut, 0);
      expect(ret).toBe('done');
      expect(fut.done()).toBe(true);
    });
  });

  it('test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started — timeout 0 never starts a coroutine', () => {
    asyncTest(function* () {
      let fooStarted = false;
      function* foo(): Coro<void> {
        fooStarted = true;
      }
      const e = yield* assertRaises(TimeoutError, () => waitFor(foo(), 0));
      expect(fooStarted).toBe(false);
      expect(e.cause).toBeInstanceOf(CancelledError);
      expect(now()).toBe(0);
    });
  });

  it('test_wait_for_timeout_less_then_0_or_0 — a timeout of 0 or less cancels the running task and waits for it', () => {
    asyncTest(function* () {
      for (const timeout of [0, -1]) {
        let fooRunning: boolean | undefined;
        const started = getRunningLoop().createFuture<void>();
        function* foo(): Coro<string> {
          fooRunning = true;
          started.setResult(undefined);
          try {
            yield* sleep(10);
          } finally {
            fooRunning = false;
          }
          return 'done';
        }
        const fut = createTask(foo());
        yield* started;
        yield* assertRaises(TimeoutError, () => waitFor(fut, timeout));
        expect(fut.done()).toBe(true);
        expect(fut.cancelled()).toBe(true);
        expect(fooRunning).toBe(false);
        expect(now()).toBe(0);
      }
    });
  });

  it('test_wait_for — the task is cancelled at the timeout and has finished when TimeoutError is raised', () => {
    asyncTest(function* () {
      let fooRunning: boolean | undefined;
      function* foo(): Coro<string> {
        fooRunning = true;
        try {
          yield* sleep(300); // support.LONG_TIMEOUT
        } finally {
          fooRunning = false;
        }
        return 'done';
      }
      const fut = createTask(foo());
      yield* assertRaises(TimeoutError, () => waitFor(fut, 0.1));
      expect(fut.done()).toBe(true);
      expect(fut.cancelled()).toBe(true);
      expect(fooRunning).toBe(false);
      expect(now()).toBe(0.1);
    });
  });

  it('test_wait_for_blocking — timeout None just awaits', () => {
    asyncTest(function* () {
      function* coro(): Coro<string> {
        return 'done';
      }
      const res = yield* waitFor(coro(), { timeout: undefined });
      expect(res).toBe('done');
    });
  });

  it('test_wait_for_race_condition — a result set by a callback soon after is returned', () => {
    asyncTest(function* () {
      const loop = getRunningLoop();
      const fut = loop.createFuture<string>();
      const task = waitFor(fut, { timeout: 0.2 });
      loop.callSoon((v: string) => fut.setResult(v), 'ok');
      const res = yield* task;
      expect(res).toBe('ok');
      expect(now()).toBe(0);
    });
  });

  it('test_wait_for_cancellation_race_condition — a coroutine that swallows the timeout cancel returns its value', () => {
    asyncTest(function* () {
      function* inner(): Coro<number> {
        yield* assertRaises(CancelledError, () => sleep(1));
        return 1;
      }
      const result = yield* waitFor(inner(), { timeout: 0.01 });
      expect(result).toBe(1);
      expect([now(), me().cancelling()]).toEqual([0.01, 0]);
    });
  });

  it('test_wait_for_waits_for_task_cancellation — TimeoutError comes after the task cleaned up; its context is CancelledError', () => {
    asyncTest(function* () {
      let taskDone = false;
      let doneAt = -1;
      const innerTask = createTask(slowToCancel(() => {
        taskDone = true;
        doneAt = now();
      }));
      const e = yield* assertRaises(TimeoutError, () => waitFor(innerTask, { timeout: EPSILON }));
      expect(taskDone).toBe(true);
      expect(ctx(e)).toBeInstanceOf(CancelledError);
      expect((ctx(e) as object).constructor).toBe(CancelledError);
      expect([doneAt, now()]).toEqual([0.0002, 0.0002]);
    });
  });

  it('test_wait_for_waits_for_task_cancellation_w_timeout_0 — the same with timeout 0', () => {
    asyncTest(function* () {
      let taskDone = false;
      function* foo(): Coro<void> {
        const innerTask = createTask(slowToCancel(() => {
          taskDone = true;
        }));
        yield* sleep(EPSILON);
        yield* waitFor(innerTask, { timeout: 0 });
      }
      const e = yield* assertRaises(TimeoutError, () => foo());
      expect(taskDone).toBe(true);
      expect((ctx(e) as object).constructor).toBe(CancelledError);
      expect(now()).toBe(0.0002);
    });
  });

  it('test_wait_for_reraises_exception_during_cancellation — an error raised by the cancelled task wins', () => {
    class FooException extends Error {}
    asyncTest(function* () {
      function* foo(): Coro<void> {
        function* inner(): Coro<void> {
          // try: await sleep(0.2) finally: raise FooException (chained to the CancelledError)
          try {
            yield* sleep(0.2);
          } catch (c) {
            throw withCtx(new FooException(), c);
          }
          throw new FooException();
        }
        const innerTask = createTask(inner());
        yield* waitFor(innerTask, { timeout: EPSILON });
      }
      const e = yield* assertRaises(FooException, () => foo());
      // 3.13: the TimeoutError is inserted before the CancelledError in the chain.
      expect(ctx(e)).toBeInstanceOf(TimeoutError);
      expect(ctx(ctx(e))).toBeInstanceOf(CancelledError);
      expect(now()).toBe(EPSILON);
    });
  });

  function* cancelWaitFor(timeout: number | undefined): Coro<void> {
    const loop = getRunningLoop();
    function* blockingCoroutine(): Coro<void> {
      const fut: Future<void> = loop.createFuture();
      yield* fut; // never set
    }
    const task = createTask(blockingCoroutine());
    const waiting = createTask(waitFor(task, timeout));
    loop.callSoon(() => waiting.cancel());
    yield* assertRaises(CancelledError, () => waiting);
    // Python issue #23219: cancelling the wait must also cancel the task.
    expect(task.cancelled()).toBe(true);
    expect(now()).toBe(0);
  }

  it('test_cancel_blocking_wait_for — cancelling wait_for(task, None) cancels the task', () => {
    asyncTest(() => cancelWaitFor(undefined));
  });

  it('test_cancel_wait_for — cancelling wait_for(task, 60) cancels the task', () => {
    asyncTest(() => cancelWaitFor(60));
  });

  it('test_wait_for_cancel_suppressed — a task that suppresses the timeout cancel and returns: wait_for returns it', () => {
    asyncTest(function* () {
      function* return42(): Coro<number | undefined> {
        try {
          yield* sleep(10);
        } catch (e) {
          if (e instanceof CancelledError) return 42;
          throw e;
        }
        return undefined;
      }
      const res = yield* waitFor(return42(), { timeout: 0.1 });
      expect(res).toBe(42);
      expect([now(), me().cancelling()]).toEqual([0.1, 0]);
    });
  });

  it('test_wait_for_issue86296 — a cancel arriving after the inner task finished still cancels the caller', () => {
    asyncTest(function* () {
      function* inner(): Coro<string> {
        return 'done';
      }
      const innerTask = createTask(inner());
      let reachedEnd = false;
      function* waitForCoro(): Coro<void> {
        yield* waitFor(innerTask, { timeout: 100 });
        yield* sleep(1);
        reachedEnd = true;
      }
      const task = createTask(waitForCoro());
      expect(task.done()).toBe(false);
      yield* sleep(0);
      task.cancel();
      yield* assertRaises(CancelledError, () => task);
      expect(innerTask.done()).toBe(true);
      expect(yield* innerTask).toBe('done');
      expect(reachedEnd).toBe(false);
      expect(now()).toBe(0);
    });
  });
});
