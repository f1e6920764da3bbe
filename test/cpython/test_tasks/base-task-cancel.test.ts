// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests (cancel(), its messages,
// cancelling() and uncancel()): one `it` per test method, titled after it. Module notes and
// shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, currentTask, ensureFuture, EventLoop, Future, gather, repr, sleep, SystemExit, Task, TimeoutError,
  ValueError, wait, type Coro,
} from '../../../src/index.js';
import { thrown } from '../../_support/capture.js';
import { ctx } from '../../_support/python.js';
import { assertRaisesSync, newTask, runBriefly } from '../_support.js';
import { loopPerTest, newFuture, newTaskTestLoop, newTestLoop, type TestLoop } from './_support.js';

describe('BaseTaskTests', () => {
  let loop: TestLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  it('test_task_cancel_message_getter — cancel(msg) stores the message, which the CancelledError carries', () => {
    function* coro(): Coro<void> {}
    const t = newTask(loop, coro());
    expect('_cancelMessage' in t).toBe(true);
    expect(t._cancelMessage).toBeUndefined();
    t.cancel('my message');
    expect(t._cancelMessage).toBe('my message');
    const exc = assertRaisesSync(CancelledError, () => loop.runUntilComplete(t));
    expect(exc.args[0]).toBe('my message');
  });

  it('test_task_cancel_message_setter — a cancel message changed before the step is the one raised', () => {
    function* coro(): Coro<void> {}
    const t = newTask(loop, coro());
    t.cancel('my message');
    t._cancelMessage = 'my new message';
    expect(t._cancelMessage).toBe('my new message');
    const exc = assertRaisesSync(CancelledError, () => loop.runUntilComplete(t));
    expect(exc.args[0]).toBe('my new message');
  });

  it('test_cancelling — cancel() makes cancelling() true and the repr say cancelling; a second cancel() is True', () => {
    const loop2 = newTestLoop();
    function* task(): Coro<void> {
      yield* sleep(10);
    }
    const t = newTask(loop2, task());
    expect(t.cancelling()).toBeFalsy();
    expect(repr(t)).not.toContain(' cancelling ');
    expect(t.cancel()).toBe(true);
    expect(t.cancelling()).toBeTruthy();
    expect(repr(t)).toContain(' cancelling ');
    expect(t.cancel()).toBe(true);
    expect(() => loop2.runUntilComplete(t)).toThrow(CancelledError);
  });

  it('test_uncancel_basic — uncancel() withdraws a request; it has no effect once the task is done', () => {
    const loop2 = newTestLoop();
    function* task(): Coro<void> {
      try {
        yield* sleep(10);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        (currentTask() as Task).uncancel();
        yield* sleep(10);
      }
    }
    const t = newTask(loop2, task());
    loop2.runUntilComplete(sleep(0.01));

    // Cancel the first sleep.
    expect(t.cancel()).toBe(true);
    expect(repr(t)).toContain(' cancelling ');
    expect(t.cancelling()).toBe(1);
    expect(t.cancelled()).toBe(false);
    loop2.runUntilComplete(sleep(0.01));

    // After uncancel().
    expect(repr(t)).not.toContain(' cancelling ');
    expect(t.cancelling()).toBe(0);
    expect(t.cancelled()).toBe(false);

    // Cancel the second sleep.
    expect(t.cancel()).toBe(true);
    expect(t.cancelling()).toBe(1);
    expect(t.cancelled()).toBe(false);
    expect(() => loop2.runUntilComplete(t)).toThrow(CancelledError);
    expect(t.cancelled()).toBe(true);
    expect(t.done()).toBe(true);

    t.uncancel();
    expect(t.cancelled()).toBe(true);
    expect(t.done()).toBe(true);
  });

  it('test_uncancel_structured_blocks — a hand-made timeout turns its own cancellation into TimeoutError', () => {
    const loop2 = newTestLoop();
    function* makeRequestWithTimeout(sleepFor: number, timeoutAfter: number): Coro<[boolean, boolean, boolean]> {
      const task = currentTask() as Task;
      const taskLoop = task.getLoop();
      let timedOut = false;
      let structuredBlockFinished = false;
      let outerCodeReached = false;
      const onTimeout = (): void => {
        timedOut = true;
        task.cancel();
      };
      const timeoutHandle = taskLoop.callLater(timeoutAfter, onTimeout);
      try {
        // sys.exception() inside the finally block: the exception being propagated, if any.
        let active: unknown;
        try {
          // The structured block affected by the timeout.
          yield* sleep(sleepFor);
          structuredBlockFinished = true;
        } catch (e) {
          active = e;
          throw e;
        } finally {
          timeoutHandle.cancel();
          if (timedOut && task.uncancel() === 0 && active instanceof Error && active.constructor === CancelledError) {
            // eslint-disable-next-line no-unsafe-finally
            throw new TimeoutError();
          }
        }
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        expect(timedOut).toBe(true);
      }
      // Outer code not affected by the timeout.
      outerCodeReached = true;
      yield* sleep(0);
      return [timedOut, structuredBlockFinished, outerCodeReached];
    }

    // The one that times out.
    const t1 = newTask(loop2, makeRequestWithTimeout(10.0, 0.1));
    let [timedOut, structuredBlockFinished, outerCodeReached] = loop2.runUntilComplete(t1);
    expect(timedOut).toBe(true);
    expect(structuredBlockFinished).toBe(false);
    expect(outerCodeReached).toBe(true);
    expect(t1.cancelling()).toBe(0);

    // The one that does not.
    const t2 = newTask(loop2, makeRequestWithTimeout(0, 10.0));
    [timedOut, structuredBlockFinished, outerCodeReached] = loop2.runUntilComplete(t2);
    expect(timedOut).toBe(false);
    expect(structuredBlockFinished).toBe(true);
    expect(outerCodeReached).toBe(true);
    expect(t2.cancelling()).toBe(0);
  });

  it('test_uncancel_resets_must_cancel — uncancel() to zero withdraws a cancel requested while runnable', () => {
    const loop2 = newTestLoop();
    const fut = new Future<void>({ loop: loop2 });
    function* coro(): Coro<number> {
      yield* fut;
      return 42;
    }
    const task = newTask(loop2, coro());
    loop2.runUntilComplete(sleep(0)); // The task now waits for fut.
    fut.setResult(undefined); // The task is runnable.
    try {
      task.cancel();
      expect(task.cancelling()).toBe(1);
      expect(task._mustCancel).toBe(true);
      task.uncancel();
      expect(task.cancelling()).toBe(0);
      expect(task._mustCancel).toBe(false);
    } finally {
      expect(loop2.runUntilComplete(task)).toBe(42);
    }
  });

  it('test_cancel — a task cancelled while sleeping ends cancelled without waiting for the timer', () => {
    const loop2 = newTestLoop();
    function* task(): Coro<number> {
      yield* sleep(10.0);
      return 12;
    }
    const t = newTask(loop2, task());
    loop2.callSoon(() => t.cancel());
    expect(() => loop2.runUntilComplete(t)).toThrow(CancelledError);
    expect(t.done()).toBe(true);
    expect(t.cancelled()).toBe(true);
    expect(t.cancel()).toBe(false);
    // TestLoop's generator: one deadline, at 10, and no time passes.
    expect(loop2.deadlines).toEqual([10.0]);
    expect(loop2.time()).toBe(0);
  });

  // (cancel() arguments, CancelledError.args): Python's None is undefined here.
  const cancelCases: [unknown[], unknown[]][] = [
    [[], []],
    [[undefined], []],
    [['my message'], ['my message']],
    [[5], [5]], // Non-string values round-trip.
  ];

  // test_cancel_with_message_then_future_*: a task cancels a sleeping task with `cancelArgs`,
  // waits for it, then calls `read(task)` (result() or exception()), which raises the
  // CancelledError carrying the message.
  function expectCancelledRead(read: (task: Task<void>) => unknown): void {
    for (const [cancelArgs, expectedArgs] of cancelCases) {
      const loop2 = newTestLoop();
      function* sleeper(): Coro<void> {
        yield* sleep(10);
      }
      function* coro(): Coro<void> {
        const task = newTask(loop2, sleeper());
        yield* sleep(0);
        task.cancel(...cancelArgs);
        yield* wait([task]);
        read(task);
      }
      const task = newTask(loop2, coro());
      const exc = assertRaisesSync(CancelledError, () => loop2.runUntilComplete(task));
      expect(exc.args).toEqual(expectedArgs);
      loop2.close();
    }
  }

  it('test_cancel_with_message_then_future_result — result() of the cancelled task raises with the message', () => {
    expectCancelledRead((task) => task.result());
  });

  it('test_cancel_with_message_then_future_exception — exception() of the cancelled task raises with the message', () => {
    expectCancelledRead((task) => task.exception());
  });

  it('test_cancellation_exception_context — the awaiting task sees the CancelledError with the message', () => {
    const loop2 = newTestLoop();
    const fut = loop2.createFuture<void>();
    let caught: unknown;
    function* sleeper(): Coro<void> {
      fut.setResult(undefined);
      yield* sleep(10);
    }
    function* coro(): Coro<void> {
      const innerTask = newTask(loop2, sleeper());
      yield* fut;
      loop2.callSoon(innerTask.cancel.bind(innerTask), 'msg');
      try {
        yield* innerTask;
      } catch (ex) {
        if (!(ex instanceof CancelledError)) throw ex;
        caught = ex;
        const err = new ValueError('cancelled'); // raise ValueError("cancelled") from ex
        err.cause = ex;
        throw err;
      }
    }
    const task = newTask(loop2, coro());
    const exc = assertRaisesSync(ValueError, () => loop2.runUntilComplete(task));
    expect(exc.args).toEqual(['cancelled']);
    expect(caught).toBeInstanceOf(CancelledError);
    expect((caught as CancelledError).args).toEqual(['msg']);
    expect(exc.cause).toBe(caught);
  });

  it('test_cancel_with_message_before_starting_task — a task cancelled with a message before it starts', () => {
    const loop2 = newTestLoop();
    function* sleeper(): Coro<void> {
      yield* sleep(10);
    }
    function* coro(): Coro<void> {
      const task = newTask(loop2, sleeper());
      // No sleep here on purpose: the task has not started.
      task.cancel('my message');
      yield* wait([task]);
      task.exception();
    }
    const task = newTask(loop2, coro());
    const exc = assertRaisesSync(CancelledError, () => loop2.runUntilComplete(task));
    expect(exc.args).toEqual(['my message']);
  });

  it('test_cancel_yield — a task cancelled between two bare yields ends cancelled', () => {
    function* task(): Coro<number> {
      yield* sleep(0);
      yield* sleep(0);
      return 12;
    }
    const t = newTask(loop, task());
    runBriefly(loop); // Start the coroutine.
    t.cancel();
    expect(() => loop.runUntilComplete(t)).toThrow(CancelledError);
    expect(t.done()).toBe(true);
    expect(t.cancelled()).toBe(true);
    expect(t.cancel()).toBe(false);
  });

  it('test_cancel_inner_future — cancelling the awaited future cancels the task', () => {
    const f = newFuture(loop);
    function* task(): Coro<number> {
      yield* f;
      return 12;
    }
    const t = newTask(loop, task());
    runBriefly(loop); // Start the task.
    f.cancel();
    expect(() => loop.runUntilComplete(t)).toThrow(CancelledError);
    expect(f.cancelled()).toBe(true);
    expect(t.cancelled()).toBe(true);
  });

  it('test_cancel_both_task_and_inner_future — cancelling the future, then the task, cancels both', () => {
    const f = newFuture(loop);
    function* task(): Coro<number> {
      yield* f;
      return 12;
    }
    const t = newTask(loop, task());
    runBriefly(loop);
    f.cancel();
    t.cancel();
    expect(() => loop.runUntilComplete(t)).toThrow(CancelledError);
    expect(t.done()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(t.cancelled()).toBe(true);
  });

  // test_cancel_task_catching / _ignoring: step `t` (awaiting fut1, then fut2) until it
  // waits on fut2, then cancel it: the cancellation goes to fut2.
  function cancelAtSecondAwait(t: Task<unknown>, fut1: Future<unknown>, fut2: Future<unknown>): void {
    runBriefly(loop);
    expect(t._futWaiter).toBe(fut1); // White-box.
    fut1.setResult(undefined);
    runBriefly(loop);
    expect(t._futWaiter).toBe(fut2); // White-box.
    t.cancel();
    expect(fut2.cancelled()).toBe(true);
  }

  it('test_cancel_task_catching — a task that catches the CancelledError and returns is not cancelled', () => {
    const fut1 = newFuture(loop);
    const fut2 = newFuture(loop);
    function* task(): Coro<number | undefined> {
      yield* fut1;
      try {
        yield* fut2;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        return 42;
      }
      return undefined;
    }
    const t = newTask(loop, task());
    cancelAtSecondAwait(t, fut1, fut2);
    expect(loop.runUntilComplete(t)).toBe(42);
    expect(t.cancelled()).toBe(false);
  });

  it('test_cancel_task_ignoring — a task that swallows the CancelledError goes on to its next await', () => {
    const fut1 = newFuture(loop);
    const fut2 = newFuture(loop);
    const fut3 = newFuture<number>(loop);
    function* task(): Coro<number> {
      yield* fut1;
      try {
        yield* fut2;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
      const res = yield* fut3;
      return res;
    }
    const t = newTask(loop, task());
    cancelAtSecondAwait(t, fut1, fut2);
    runBriefly(loop);
    expect(t._futWaiter).toBe(fut3); // White-box.
    fut3.setResult(42);
    expect(loop.runUntilComplete(t)).toBe(42);
    expect(fut3.cancelled()).toBe(false);
    expect(t.cancelled()).toBe(false);
  });

  // test_cancel_current_task / test_cancel_at_end: a task cancels itself, then awaits a
  // 100 s sleep (`thenSleep`) or returns at once; either way it ends cancelled. Returns its loop.
  function runSelfCancellingTask(thenSleep: boolean): TestLoop {
    const loop2 = newTestLoop();
    const seen: boolean[] = [];
    function* task(): Coro<number> {
      t.cancel();
      seen.push(t._mustCancel); // White-box.
      // The sleep is cancelled at once.
      if (thenSleep) yield* sleep(100);
      return 12;
    }
    const t = newTask(loop2, task());
    expect(t.cancelled()).toBe(false);
    expect(() => loop2.runUntilComplete(t)).toThrow(CancelledError);
    expect(seen).toEqual([true]);
    expect(t.done()).toBe(true);
    expect(t.cancelled()).toBe(true);
    expect(t._mustCancel).toBe(false); // White-box.
    expect(t.cancel()).toBe(false);
    return loop2;
  }

  it('test_cancel_current_task — a task cancelling itself: its next await raises at once', () => {
    const loop2 = runSelfCancellingTask(true);
    // The 100 s timer was cancelled: no time passed.
    expect(loop2.time()).toBe(0);
  });

  it('test_cancel_at_end — a coroutine that returns right after cancelling its task ends cancelled', () => {
    runSelfCancellingTask(false);
  });

  it('test_cancel_awaited_task — the task a self-cancelled task awaits next is cancelled too (bpo-34872)', () => {
    const loop2 = newTestLoop();
    let nestedTask: Task<void> | undefined;
    const fut = newFuture(loop2);
    function* nested(): Coro<void> {
      yield* fut;
    }
    function* coro(): Coro<void> {
      // A sub-task, left to start.
      nestedTask = newTask(loop2, nested());
      yield* sleep(0);
      // Cancel the current task, then block on the nested task: it is cancelled at once.
      task.cancel();
      yield* nestedTask;
    }
    const task = newTask(loop2, coro());
    expect(() => loop2.runUntilComplete(task)).toThrow(CancelledError);
    expect(task.cancelled()).toBe(true);
    expect(nestedTask!.cancelled()).toBe(true);
    expect(fut.cancelled()).toBe(true);
  });

  it('test_task_cancel_sleeping_task — a timer cancels a task awaited by another, which sees CancelledError', () => {
    function* sleep_(dt: number): Coro<void> {
      yield* sleep(dt);
    }
    function* doit(): Coro<string> {
      const sleeper = newTask(loop, sleep_(5000));
      loop.callLater(0.1, () => sleeper.cancel());
      try {
        yield* sleeper;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        return 'cancelled';
      }
      return 'slept in';
    }
    expect(loop.runUntilComplete(doit())).toBe('cancelled');
    expect(loop.time()).toBeCloseTo(0.1, 9);
  });

  it('test_task_cancel_waiter_future — cancel() cancels the awaited future and clears _fut_waiter', () => {
    const fut = loop.createFuture();
    function* coro(): Coro<void> {
      yield* fut;
    }
    const task = newTask(loop, coro());
    runBriefly(loop);
    expect(task._futWaiter).toBe(fut);
    task.cancel();
    runBriefly(loop);
    expect(() => loop.runUntilComplete(task)).toThrow(CancelledError);
    expect(task._futWaiter).toBeUndefined();
    expect(fut.cancelled()).toBe(true);
  });

  it('test_baseexception_during_cancel — SystemExit raised while handling the cancellation escapes the loop', () => {
    function* sleeper(): Coro<void> {
      yield* sleep(10);
    }
    const baseExc = new SystemExit();
    function* notmutch(): Coro<void> {
      try {
        yield* sleeper();
      } catch (e) {
        if (e instanceof CancelledError) throw baseExc;
        throw e;
      }
    }
    const task = newTask(loop, notmutch());
    runBriefly(loop);
    expect(loop._scheduled[0]!.when()).toBeCloseTo(10.0, 9);
    task.cancel();
    expect(task.done()).toBe(false);
    expect(() => runBriefly(loop)).toThrow(SystemExit);
    expect(task.done()).toBe(true);
    expect(task.cancelled()).toBe(false);
    expect(task.exception()).toBe(baseExc);
  });

  it('test_cancel_gather_1 — a gathering future refuses cancellation once all children are done', () => {
    const l = new EventLoop();
    const fut = l.createFuture<number>();
    function* create(): Coro<Future<number[]>> {
      function* childCoro(): Coro<number> {
        return yield* fut;
      }
      const gatherFuture = gather(childCoro());
      return ensureFuture(gatherFuture);
    }
    const gatherTask = l.runUntilComplete(create());
    let cancelResult: boolean | undefined;
    fut.addDoneCallback(() => {
      cancelResult = gatherTask.cancel();
    });
    fut.setResult(42);
    l.runUntilComplete(gatherTask);
    expect(cancelResult).toBe(false);
    expect(gatherTask.cancelled()).toBe(false);
    expect(gatherTask.result()).toEqual([42]);
    l.close();
  });

  describe('test_cancel_gather_2 — cancel(msg) of a task awaiting gather() reaches the caller with its args, unchained', () => {
    const cases: [unknown[], unknown[]][] = [[[], []], [[undefined], []], [['my message'], ['my message']], [[5], [5]]];
    for (const [cancelArgs, expectedArgs] of cases) {
      it(`cancel(${cancelArgs.map((a) => repr(a)).join(', ')})`, () => {
        const l = new EventLoop();
        function* test(): Coro<void> {
          let time = 0;
          for (;;) {
            time += 0.05;
            yield* gather(sleep(0.05), { returnExceptions: true });
            if (time > 1) return;
          }
        }
        function* main(): Coro<void> {
          const qwe = newTask(l, test());
          yield* sleep(0.2);
          qwe.cancel(...(cancelArgs as [unknown?]));
          yield* qwe;
        }
        const exc = thrown(() => l.runUntilComplete(main()));
        l.close();
        expect(exc).toBeInstanceOf(CancelledError);
        expect((exc as CancelledError).args).toEqual(expectedArgs);
        // The innermost context is the exception itself (depth 0).
        expect(ctx(exc) ?? null).toBeNull();
      });
    }
  });

});
