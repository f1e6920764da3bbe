// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests part 1 (the methods defined
// before test_as_completed_with_unused_timeout), ported to aiosim's API. Each `it` is
// named after the CPython method and checks the same observable behaviour; expected
// values are the CPython test's own assertions or, where they depend on CPython's
// TestLoop, the output of the same program on CPython 3.13.2 with a virtual clock.
// The table of what is ported and why not is docs/cpython-tests/test_tasks.md.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_COMPLETED, asCompleted, blockingSleep, CancelledError, currentTask, ensureFuture, EventLoop, FIRST_COMPLETED,
  FIRST_EXCEPTION, Future, repr, RuntimeError, setEventLoop, sleep, Task, TimeoutError, ValueError, wait,
  type Coro, type ReturnWhen,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { ZeroDivisionError } from '../_support/python.js';
import { assertRaisesSync, expectSameItems, newTask, runBriefly } from './_support.js';

function newFuture<T = unknown>(loop: EventLoop): Future<T> {
  return new Future<T>({ loop });
}

// Loops a test makes are closed after it (test_utils.TestCase.set_event_loop's cleanup).
let loops: EventLoop[] = [];

// A virtual-clock loop that records every deadline given to callAt (callLater goes
// through it): what test_utils.TestLoop sends to the test's time generator.
interface TestLoop extends EventLoop {
  deadlines: number[];
}

function newTestLoop(): TestLoop {
  const loop = new EventLoop() as TestLoop;
  loops.push(loop);
  loop.deadlines = [];
  const callAt = loop.callAt.bind(loop);
  loop.callAt = (when, callback, ...args) => {
    loop.deadlines.push(when);
    return callAt(when, callback, ...args);
  };
  // test_utils.TestCase.set_event_loop: the loop must be passed explicitly.
  setEventLoop(undefined);
  return loop;
}

// The `self.loop` of BaseTaskTests.setUp: a test loop whose task factory is new_task.
let loop: TestLoop;

beforeEach(() => {
  loops = [];
  loop = newTestLoop();
  loop.setTaskFactory((l, coro) => newTask(l as EventLoop, coro));
});

afterEach(() => {
  for (const l of loops) if (!l.isClosed()) l.close();
  setEventLoop(undefined);
});

describe('BaseTaskTests', () => {
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

  it('test_other_loop_future — awaiting a future of another loop fails the task with RuntimeError', () => {
    const otherLoop = newTestLoop();
    const fut = newFuture(otherLoop);
    function* run(f: Future<unknown>): Coro<void> {
      yield* f;
    }
    const exc = assertRaisesSync(RuntimeError, () => loop.runUntilComplete(run(fut)));
    expect(exc.message).toMatch(/Task .* got Future .* attached/);
    // The whole message, as CPython 3.13.2 prints it (names 'None' under a task factory).
    expect(normaliseSites(exc.message)).toBe(
      "Task <Task pending name='None' coro=<run() running at F:L> cb=[_run_until_complete_cb() at F:L]> "
      + 'got Future <Future pending> attached to a different loop',
    );
  });

  it('test_task_awaits_on_itself — a task awaiting itself fails with RuntimeError', () => {
    let task: Future<void> | undefined;
    function* test(): Coro<void> {
      yield* task!;
    }
    task = ensureFuture(test(), { loop });
    const exc = assertRaisesSync(RuntimeError, () => loop.runUntilComplete(task!));
    expect(exc.message).toMatch(/^Task cannot await on itself/);
    expect(normaliseSites(exc.message)).toBe(
      "Task cannot await on itself: <Task pending name='None' coro=<test() running at F:L> cb=[_run_until_complete_cb() at F:L]>",
    );
  });

  it('test_task_class — a Task runs its coroutine on the loop it was given', () => {
    function* notmuch(): Coro<string> {
      return 'ok';
    }
    let t = newTask(loop, notmuch());
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');
    expect(t._loop).toBe(loop);
    expect(t.getLoop()).toBe(loop);

    const loop2 = newTestLoop();
    t = newTask(loop2, notmuch());
    expect(t._loop).toBe(loop2);
    loop2.runUntilComplete(t);
    loop2.close();
  });

  it('test_ensure_future_coroutine — a coroutine becomes a task of the given, running or current loop', () => {
    function* notmuch(): Coro<string> {
      return 'ok';
    }
    let t = ensureFuture(notmuch(), { loop });
    expect(t._loop).toBe(loop);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');

    // No loop given, none running, none current.
    const a = notmuch();
    expect(() => ensureFuture(a)).toThrow(RuntimeError);
    expect(() => ensureFuture(a)).toThrow(/no current event loop/);
    a.return('');

    function* test(): Coro<Future<string>> {
      return ensureFuture(notmuch());
    }
    t = loop.runUntilComplete(test());
    expect(t._loop).toBe(loop);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');

    setEventLoop(loop);
    t = ensureFuture(notmuch());
    expect(t._loop).toBe(loop);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');
  });

  it('test_ensure_future_future — a future is returned as it is, unless it belongs to another loop', () => {
    const fOrig = newFuture<string>(loop);
    fOrig.setResult('ko');
    let f = ensureFuture(fOrig);
    loop.runUntilComplete(f);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe('ko');
    expect(f).toBe(fOrig);

    const loop2 = newTestLoop();
    expect(() => ensureFuture(fOrig, { loop: loop2 })).toThrow(ValueError);
    loop2.close();
    f = ensureFuture(fOrig, { loop });
    expect(f).toBe(fOrig);
  });

  it('test_ensure_future_task — a task is returned as it is, unless it belongs to another loop', () => {
    function* notmuch(): Coro<string> {
      return 'ok';
    }
    const tOrig = newTask(loop, notmuch());
    let t = ensureFuture(tOrig);
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('ok');
    expect(t).toBe(tOrig);

    const loop2 = newTestLoop();
    expect(() => ensureFuture(tOrig, { loop: loop2 })).toThrow(ValueError);
    loop2.close();
    t = ensureFuture(tOrig, { loop });
    expect(t).toBe(tOrig);
  });

  it('test_ensure_future_awaitable — an awaitable object (its iterator drives a coroutine) is wrapped in a task', () => {
    // Python's __await__ is the object's Symbol.iterator in aiosim.
    class Aw {
      constructor(readonly coro: Coro<string>) {}
      [Symbol.iterator](): Coro<string> {
        return this.coro;
      }
    }
    function* coro(): Coro<string> {
      return 'ok';
    }
    const loop2 = newTestLoop();
    const fut = ensureFuture(new Aw(coro()), { loop: loop2 });
    loop2.runUntilComplete(fut);
    expect(fut.result()).toBe('ok');
  });

  it('test_ensure_future_task_awaitable — the task made for an awaitable runs a wrapping coroutine', () => {
    class Aw {
      [Symbol.iterator](): Coro<string> {
        return sleep(0, 'ok');
      }
    }
    const loop2 = newTestLoop();
    const task = ensureFuture(new Aw(), { loop: loop2 }) as Task<string>;
    loop2.runUntilComplete(task);
    expect(task.done()).toBe(true);
    expect(task.result()).toBe('ok');
    // types.CoroutineType: a coroutine object (a generator made by a generator function).
    expect(Object.prototype.toString.call(task.getCoro())).toBe('[object Generator]');
    loop2.close();
  });

  it('test_ensure_future_neither — neither a future nor an awaitable is a TypeError', () => {
    expect(() => ensureFuture('ok' as never)).toThrow(TypeError);
    expect(() => ensureFuture('ok' as never)).toThrow('An asyncio.Future, a coroutine or an awaitable is required');
  });

  it('test_ensure_future_error_msg — the ValueError for a future of another loop', () => {
    const loop2 = newTestLoop();
    const f = newFuture(loop);
    const exc = assertRaisesSync(ValueError, () => ensureFuture(f, { loop: loop2 }));
    expect(exc.message).toBe('The future belongs to a different loop than the one specified as the loop argument');
    loop2.close();
  });

  it('test_get_stack — get_stack() of a task running a nested await names the outer coroutine', () => {
    let T: Task<void> | undefined;
    let frameName: string | undefined;
    function* foo(): Coro<void> {
      yield* bar();
    }
    function* bar(): Coro<void> {
      frameName = T!.getStack()[0]?.name;
    }
    function* runner(): Coro<void> {
      T = ensureFuture(foo(), { loop }) as Task<void>;
      yield* T;
    }
    loop.runUntilComplete(runner());
    expect(frameName).toBe('foo');
  });

  it('test_task_repr — pending, cancelling, cancelled and finished reprs', () => {
    loop.setDebug(false);
    function* notmuch(): Coro<string> {
      return 'abc';
    }
    // Python's Dummy callable is a function here: its repr carries its source site.
    function Dummy(_fut: unknown): void {}
    const r = (x: unknown): string => normaliseSites(repr(x));

    let t = newTask(loop, notmuch());
    t.addDoneCallback(Dummy);
    expect(r(t)).toBe("<Task pending name='TestTask' coro=<notmuch() running at F:L> cb=[Dummy() at F:L]>");
    t.cancel(); // Does not take effect at once.
    expect(r(t)).toBe("<Task cancelling name='TestTask' coro=<notmuch() running at F:L> cb=[Dummy() at F:L]>");
    assertRaisesSync(CancelledError, () => loop.runUntilComplete(t));
    expect(r(t)).toBe("<Task cancelled name='TestTask' coro=<notmuch() done, defined at F:L>>");

    t = newTask(loop, notmuch());
    loop.runUntilComplete(t);
    expect(r(t)).toBe("<Task finished name='TestTask' coro=<notmuch() done, defined at F:L> result='abc'>");
  });

  it('test_task_repr_autogenerated — default names are Task-N with increasing N', () => {
    function* notmuch(): Coro<number> {
      return 123;
    }
    const t1 = newTask(loop, notmuch(), null); // name=None
    const t2 = newTask(loop, notmuch(), null);
    expect(repr(t1)).not.toBe(repr(t2));
    const m1 = /^<Task pending name='Task-(\d+)'/.exec(repr(t1));
    const m2 = /^<Task pending name='Task-(\d+)'/.exec(repr(t2));
    expect(m1).not.toBeNull();
    expect(m2).not.toBeNull();
    expect(Number(m1![1])).toBeLessThan(Number(m2![1]));
    loop.runUntilComplete(t1);
    loop.runUntilComplete(t2);
  });

  it('test_task_set_name_pylong — an integer name is its decimal text, not a Task-N counter', () => {
    function* notmuch(): Coro<number> {
      return 123;
    }
    const t = newTask(loop, notmuch(), 987654321);
    expect(t.getName()).toBe('987654321');
    t.setName(123456789);
    expect(t.getName()).toBe('123456789');
    loop.runUntilComplete(t);
  });

  it('test_task_repr_name_not_str — set_name() stores str() of a non-string', () => {
    function* notmuch(): Coro<number> {
      return 123;
    }
    const t = newTask(loop, notmuch());
    t.setName(new Set([6]));
    expect(t.getName()).toBe('{6}');
    loop.runUntilComplete(t);
  });

  it('test_task_repr_wait_for — the repr of a waiting task shows wait_for=<the future>', () => {
    loop.setDebug(false);
    function* wait_for<T>(fut: Future<T>): Coro<T> {
      return yield* fut;
    }
    const fut = newFuture(loop);
    const task = newTask(loop, wait_for(fut));
    runBriefly(loop);
    const escaped = repr(fut).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(repr(task)).toMatch(new RegExp(`^<Task .* wait_for=${escaped}>$`));
    fut.setResult(undefined);
    loop.runUntilComplete(task);
  });

  it('test_task_basics — a coroutine awaiting two coroutines returns their sum', () => {
    function* outer(): Coro<number> {
      const a = yield* inner1();
      const b = yield* inner2();
      return a + b;
    }
    function* inner1(): Coro<number> {
      return 42;
    }
    function* inner2(): Coro<number> {
      return 1000;
    }
    expect(loop.runUntilComplete(outer())).toBe(1042);
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

  it('test_stop_while_run_in_complete — stop() inside the task makes run_until_complete raise', () => {
    const loop2 = newTestLoop();
    let x = 0;
    function* task(): Coro<void> {
      while (x < 10) {
        yield* sleep(0.1);
        x += 1;
        if (x === 2) loop2.stop();
      }
    }
    const t = newTask(loop2, task());
    const exc = assertRaisesSync(RuntimeError, () => loop2.runUntilComplete(t));
    expect(exc.message).toBe('Event loop stopped before Future completed.');
    expect(t.done()).toBe(false);
    expect(x).toBe(2);
    // TestLoop is told of deadlines 0.1, 0.2 and 0.3 and moves its clock on to the last
    // one at once; on a virtual clock (CPython 3.13.2 too) the loop stops at 0.2 with the
    // 0.3 timer pending.
    expect(loop2.deadlines.map((d) => Number(d.toFixed(9)))).toEqual([0.1, 0.2, 0.3]);
    expect(loop2.time()).toBeCloseTo(0.2, 9);
    t.cancel();
    expect(() => loop2.runUntilComplete(t)).toThrow(CancelledError);
  });

  // test_wait / test_wait_with_iterator_of_tasks: a task waits for sleeps of 0.1 and 0.15 s,
  // given as `aws(b, a)`, and finds both done at 0.15 (the only deadlines). Returns a function
  // running such a task again on the same loop.
  function waitForTwoSleeps(aws: (b: Task<void>, a: Task<void>) => Iterable<Task<void>>): () => void {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    const b = newTask(loop2, sleep(0.15));
    function* foo(): Coro<number> {
      const [done, pending] = yield* wait(aws(b, a));
      expectSameItems(done, [a, b]);
      expectSameItems(pending, []);
      return 42;
    }
    const runFoo = (): void => {
      expect(loop2.runUntilComplete(newTask(loop2, foo()))).toBe(42);
      expect(loop2.time()).toBeCloseTo(0.15, 9);
    };
    runFoo();
    expect(loop2.deadlines).toEqual([0.1, 0.15]);
    return runFoo;
  }

  it('test_wait — wait() returns when all tasks are done; again at once when they already are', () => {
    const again = waitForTwoSleeps((b, a) => [b, a]);
    // Again: no time passes, and another path is taken.
    again();
  });

  it('test_wait_duplicate_coroutines — a task given twice counts once', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    const c = loop.createTask(coro('test'));
    const task = newTask(loop, wait([c, c, loop.createTask(coro('spam'))]));
    const [done, pending] = loop.runUntilComplete(task);
    expect(pending.size).toBe(0);
    expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(['test', 'spam']));
  });

  it('test_wait_errors — an empty set and an invalid return_when are ValueErrors', () => {
    const e1 = assertRaisesSync(ValueError, () => loop.runUntilComplete(wait(new Set<Future<unknown>>())));
    expect(e1.message).toBe('Set of Tasks/Futures is empty.');
    // -1 is not a valid return_when.
    const sleepCoro = sleep(10.0);
    const waitCoro = wait([sleepCoro as unknown as Future<unknown>], { returnWhen: -1 as unknown as ReturnWhen });
    const e2 = assertRaisesSync(ValueError, () => loop.runUntilComplete(waitCoro));
    expect(e2.message).toBe('Invalid return_when value: -1');
    sleepCoro.return(undefined);
  });

  it('test_wait_first_completed — FIRST_COMPLETED returns with the first task done at t=0.1', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(10.0));
    const b = newTask(loop2, sleep(0.1));
    const task = newTask(loop2, wait([b, a], { returnWhen: FIRST_COMPLETED }));
    const [done, pending] = loop2.runUntilComplete(task);
    expectSameItems(done, [b]);
    expectSameItems(pending, [a]);
    expect(a.done()).toBe(false);
    expect(b.done()).toBe(true);
    expect(b.result()).toBeUndefined();
    expect(loop2.time()).toBeCloseTo(0.1, 9);
    expect(loop2.deadlines).toEqual([10.0, 0.1]);
    // Let the other sleep finish.
    loop2.runUntilComplete(wait([a, b]));
    expect(loop2.time()).toBe(10);
  });

  it('test_wait_really_done — tasks done in the same iteration are all in done', () => {
    function* coro1(): Coro<void> {
      yield* sleep(0);
    }
    function* coro2(): Coro<void> {
      yield* sleep(0);
      yield* sleep(0);
    }
    const a = newTask(loop, coro1());
    const b = newTask(loop, coro2());
    const task = newTask(loop, wait([b, a], { returnWhen: FIRST_COMPLETED }));
    const [done] = loop.runUntilComplete(task);
    expectSameItems(done, [a, b]);
    expect(a.done()).toBe(true);
    expect(a.result()).toBeUndefined();
    expect(b.done()).toBe(true);
    expect(b.result()).toBeUndefined();
  });

  it('test_wait_first_exception — FIRST_EXCEPTION with a task that fails at once returns at t=0', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(10.0));
    function* exc(): Coro<void> {
      throw new ZeroDivisionError('err');
    }
    const b = newTask(loop2, exc());
    const task = newTask(loop2, wait([b, a], { returnWhen: FIRST_EXCEPTION }));
    const [done, pending] = loop2.runUntilComplete(task);
    expectSameItems(done, [b]);
    expectSameItems(pending, [a]);
    expect(loop2.time()).toBe(0);
    expect(loop2.deadlines).toEqual([10.0]);
    loop2.runUntilComplete(wait([a, b]));
    expect(loop2.time()).toBe(10);
  });

  it('test_wait_first_exception_in_wait — FIRST_EXCEPTION returns when a task fails while waited for', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(10.0));
    function* exc(): Coro<void> {
      yield* sleep(0.01);
      throw new ZeroDivisionError('err');
    }
    const b = newTask(loop2, exc());
    const task = wait([b, a], { returnWhen: FIRST_EXCEPTION });
    const [done, pending] = loop2.runUntilComplete(task);
    expectSameItems(done, [b]);
    expectSameItems(pending, [a]);
    expect(loop2.time()).toBeCloseTo(0.01, 9);
    expect(loop2.deadlines).toEqual([10.0, 0.01]);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_wait_with_exception — ALL_COMPLETED returns a failed task among the done ones', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    function* sleeper(): Coro<void> {
      yield* sleep(0.15);
      throw new ZeroDivisionError('really');
    }
    const b = newTask(loop2, sleeper());
    function* foo(): Coro<void> {
      const [done, pending] = yield* wait<unknown>([b, a]);
      expect(done.size).toBe(2);
      expect(pending.size).toBe(0);
      const errors = [...done].filter((f) => f.exception() !== undefined);
      expect(errors.length).toBe(1);
    }
    loop2.runUntilComplete(newTask(loop2, foo()));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    loop2.runUntilComplete(newTask(loop2, foo()));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    expect(loop2.deadlines).toEqual([0.1, 0.15]);
  });

  it('test_wait_with_timeout — a timeout returns the tasks done by then at t=0.11', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    const b = newTask(loop2, sleep(0.15));
    function* foo(): Coro<void> {
      const [done, pending] = yield* wait([b, a], { timeout: 0.11 });
      expectSameItems(done, [a]);
      expectSameItems(pending, [b]);
    }
    loop2.runUntilComplete(newTask(loop2, foo()));
    expect(loop2.time()).toBeCloseTo(0.11, 9);
    expect(loop2.deadlines).toEqual([0.1, 0.15, 0.11]);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_wait_concurrent_complete — a task due at the timeout instant is done', () => {
    const loop2 = newTestLoop();
    const a = newTask(loop2, sleep(0.1));
    const b = newTask(loop2, sleep(0.15));
    const [done, pending] = loop2.runUntilComplete(wait([b, a], { timeout: 0.1 }));
    expectSameItems(done, [a]);
    expectSameItems(pending, [b]);
    expect(loop2.time()).toBeCloseTo(0.1, 9);
    expect(loop2.deadlines).toEqual([0.1, 0.15, 0.1]);
    loop2.runUntilComplete(wait([a, b]));
  });

  it('test_wait_with_iterator_of_tasks — wait() accepts an iterator of tasks', () => {
    waitForTwoSleeps((b, a) => [b, a].values());
  });

  it('test_wait_generator — wait() consumes a lazy iterable that creates the tasks', () => {
    const loop2 = newTestLoop();
    function* func(a: number): Coro<number> {
      return a;
    }
    // Python's generator expression. A JavaScript generator object is a coroutine to
    // aiosim, so the lazy iterable is written by hand.
    const created: Task<number>[] = [];
    const lazyTasks: Iterable<Task<number>> = {
      [Symbol.iterator]() {
        let i = 0;
        return {
          next(): IteratorResult<Task<number>, undefined> {
            if (i >= 10) return { done: true, value: undefined };
            const t = newTask(loop2, func(i++));
            created.push(t);
            return { done: false, value: t };
          },
        };
      },
    };
    function* main(): Coro<void> {
      expect(created.length).toBe(0);
      const [done, pending] = yield* wait(lazyTasks, { returnWhen: ALL_COMPLETED });
      expect(done.size).toBe(10);
      expect(pending.size).toBe(0);
    }
    loop2.runUntilComplete(main());
    expect(created.length).toBe(10);
  });

  it('test_as_completed — results come in completion order; a blocking step delays the last one (iterator form)', () => {
    // The async-iterator half (`async for`) is not ported: see docs/cpython-tests/test_tasks.md.
    const loop2 = newTestLoop();
    // Disable the "slow callback" warning.
    loop2.slowCallbackDuration = 1.0;
    const completed = new Set<string>();
    let timeShifted = false;
    function* sleeper(dt: number, x: string): Coro<string> {
      yield* sleep(dt);
      completed.add(x);
      if (!timeShifted && completed.has('a') && completed.has('b')) {
        timeShifted = true;
        // TestLoop.advance_time inside a step: time passes while the step runs.
        blockingSleep(0.14);
      }
      return x;
    }
    function* tryIterator(awaitables: Coro<string>[]): Coro<string[]> {
      const values: string[] = [];
      for (const f of asCompleted(awaitables)) values.push(yield* f);
      return values;
    }
    const a = sleeper(0.01, 'a');
    const b = sleeper(0.01, 'b');
    const c = sleeper(0.15, 'c');
    const res = loop2.runUntilComplete(newTask(loop2, tryIterator([b, c, a])));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
    expect(res.slice(0, 2)).toContain('a');
    expect(res.slice(0, 2)).toContain('b');
    expect(res[2]).toBe('c');
  });

  it('test_as_completed_with_timeout — the timeout makes the next await raise TimeoutError at t=0.12 (iterator form)', () => {
    const loop2 = newTestLoop();
    const a = loop2.createTask(sleep(0.1, 'a'));
    const b = loop2.createTask(sleep(0.15, 'b'));
    function* tryIterator(): Coro<[number, unknown][]> {
      const values: [number, unknown][] = [];
      for (const f of asCompleted([a, b], { timeout: 0.12 })) {
        if (values.length > 0) blockingSleep(0.02);
        try {
          values.push([1, yield* f]);
        } catch (exc) {
          if (!(exc instanceof TimeoutError)) throw exc;
          values.push([2, exc]);
        }
      }
      return values;
    }
    const res = loop2.runUntilComplete(newTask(loop2, tryIterator()));
    expect(res.length).toBe(2);
    expect(res[0]).toEqual([1, 'a']);
    expect(res[1]![0]).toBe(2);
    expect(res[1]![1]).toBeInstanceOf(TimeoutError);
    expect(loop2.time()).toBeCloseTo(0.12, 9);
    // Let b finish (CPython 3.13.2: at 0.15).
    loop2.runUntilComplete(wait([a, b]));
    expect(loop2.time()).toBeCloseTo(0.15, 9);
  });
});
