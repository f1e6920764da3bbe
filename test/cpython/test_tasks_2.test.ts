// CPython 3.13's test_asyncio/test_tasks.py, part 2: BaseTaskTests from
// test_as_completed_with_unused_timeout to the end of the class, and every other class
// of the module (SetMethodsTest, CTask_Future_Tests, the introspection and current-loop
// tests, GenericTaskTests, the gather tests, RunCoroutineThreadsafeTests, SleepTests).
// Each `it` is named after the CPython method whose behaviour it checks through aiosim's
// API; docs/cpython-tests/test_tasks_2.md maps every method. Expected values are the
// CPython test's own assertions, or CPython 3.13.2's output where the test leaves them
// implicit. CPython's harness (test_utils.TestCase) clears the current loop
// (set_event_loop(None)) and BaseTaskTests installs a task factory building
// Task(coro, loop=loop, name='TestTask'); the helpers below do the same.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allTasks, asCompleted, blockingSleep, CancelledError, createTask, currentTask, ensureFuture, EventLoop, Future,
  gather, gcCollect, InvalidStateError, repr, RuntimeError, setDevMode, setEventLoop, shield, sleep, SystemExit, Task,
  runCoroutineThreadsafe, TimeoutError, ValueError, wait, world, type Coro, type ExceptionContext, type Handle, type TimerHandle,
} from '../../src/index.js';
import { isCoroutine } from '../../src/task/coroutine.js';
import { _enterTask, _leaveTask, _registerTask, _unregisterTask } from '../../src/task/current-task.js';
import { captureAsyncioLogs } from '../_support/capture.js';
import { ctx } from '../_support/python.js';
import { expectSameItems, lineHere, newTask, runBriefly, runOnce, thrown } from './_support.js';

// ---- CPython's harness, translated ------------------------------------------------

/** BaseTaskTests.setUp: a virtual-clock loop whose task factory is newTask; no current loop. */
function newTestLoop(): EventLoop {
  const loop = new EventLoop();
  loop.setTaskFactory((l, coro, options) => new Task(coro, { loop: l, name: 'TestTask', context: options?.context }));
  setEventLoop(undefined);
  return loop;
}

/**
 * test_utils.TestCase for the enclosing describe: before each test, `make()` a loop (the
 * function assigns the variable the tests read) and clear the current loop; after the
 * test, close that loop.
 */
function loopPerTest(make: () => EventLoop): void {
  let current: EventLoop;
  beforeEach(() => {
    current = make();
    setEventLoop(undefined);
  });
  afterEach(() => {
    current.close();
  });
}

/** A coroutine that does nothing (the module's coroutine_function). */
function* coroutineFunction(): Coro<void> {}

beforeEach(() => {
  setEventLoop(undefined);
});

// ---- BaseTaskTests (second half) ---------------------------------------------------

describe('BaseTaskTests', () => {
  // The as_completed tests run a plain-iterator and an `async for` variant; only the
  // first is ported (async iteration is out of aiosim's scope, see CONTRACT.md).
  let loop: EventLoop;
  loopPerTest(() => (loop = newTestLoop()));

  it('test_as_completed_with_unused_timeout — the timeout is disarmed once everything completed', () => {
    function* tryIterator(): Coro<void> {
      for (const f of asCompleted([a], { timeout: 1 })) {
        const v = yield* f;
        expect(v).toBe('a');
      }
    }
    const a = sleep(0.01, 'a');
    const l = newTestLoop();
    l.runUntilComplete(newTask(l, tryIterator()));
    expect(l.time()).toBeCloseTo(0.01, 9);
    // Nothing is left scheduled: the 1 s timeout handle was cancelled.
    l.runUntilIdle();
    expect(l.time()).toBeCloseTo(0.01, 9);
    l.close();
  });

  it('test_as_completed_resume_iterator — a for loop left with break can be resumed on the same iterator', () => {
    function* tryIterator(awaitables: Coro<number>[]): Coro<number[]> {
      let iterations = 0;
      const iterator = asCompleted(awaitables);
      const collected: number[] = [];
      for (const f of iterator) {
        collected.push(yield* f);
        iterations += 1;
        if (iterations === 2) break;
      }
      expect(collected.length).toBe(2);
      for (const f of iterator) collected.push(yield* f);
      return collected;
    }
    function* coro(i: number): Coro<number> {
      return i;
    }
    const l = new EventLoop();
    const results = l.runUntilComplete(tryIterator([coro(0), coro(1), coro(2), coro(3)]));
    expect([...results].sort()).toEqual([0, 1, 2, 3]);
    l.close();
  });

  it('test_as_completed_reverse_wait — the first coroutine awaited gets the first completion', () => {
    const a = sleep(0.05, 'a');
    const b = sleep(0.1, 'b');
    const fs = new Set([a, b]);
    function* test(): Coro<void> {
      const futs = [...asCompleted(fs)];
      expect(futs.length).toBe(2);
      const x = yield* futs[1]!;
      expect(x).toBe('a');
      expect(loop.time()).toBeCloseTo(0.05, 9);
      // CPython's TestLoop.advance_time inside the step: time passes while it runs.
      blockingSleep(0.05);
      const y = yield* futs[0]!;
      expect(y).toBe('b');
      expect(loop.time()).toBeCloseTo(0.1, 9);
    }
    loop.runUntilComplete(test());
  });

  it('test_as_completed_concurrent — the coroutines as_completed hands out can be awaited concurrently', () => {
    const a = sleep(0.05, 'a');
    const b = sleep(0.05, 'b');
    const fs = new Set([a, b]);
    function* test(): Coro<void> {
      const futs = [...asCompleted(fs)];
      expect(futs.length).toBe(2);
      const [done] = yield* wait(futs.map((fut) => ensureFuture(fut)));
      expect(new Set([...done].map((f) => f.result()))).toEqual(new Set(['a', 'b']));
      expect(loop.time()).toBeCloseTo(0.05, 9);
    }
    loop.runUntilComplete(test());
  });

  it('test_as_completed_duplicate_coroutines — a coroutine passed twice runs once', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    function* tryIterator(): Coro<string[]> {
      const result: string[] = [];
      const c = coro('ham');
      for (const f of asCompleted([c, c, coro('spam')])) result.push(yield* f);
      return result;
    }
    const fut = newTask(loop, tryIterator());
    loop.runUntilComplete(fut);
    const result = fut.result();
    expect(new Set(result)).toEqual(new Set(['ham', 'spam']));
    expect(result.length).toBe(2);
  });

  it("test_as_completed_coroutine_without_loop — RuntimeError 'no current event loop' at call time", () => {
    function* coro(): Coro<number> {
      return 42;
    }
    const a = coro();
    const e = thrown(() => [...asCompleted([a])]);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    a.return(0);
  });

  it('test_as_completed_coroutine_use_running_loop — coroutines become tasks of the running loop', () => {
    function* coro(): Coro<number> {
      return 42;
    }
    function* test(): Coro<void> {
      const futs = [...asCompleted([coro()])];
      expect(futs.length).toBe(1);
      expect(yield* futs[0]!).toBe(42);
    }
    loop.runUntilComplete(test());
  });

  it('test_sleep — two sleeps of dt/2 end at dt and the second returns its result', () => {
    const whens: number[] = [];
    const orig = loop.callAt.bind(loop);
    loop.callAt = (when: number, cb: (...args: any[]) => unknown, ...args: unknown[]): TimerHandle => {
      whens.push(when);
      return orig(when, cb, ...args);
    };
    function* sleeper(dt: number, arg: string): Coro<string> {
      yield* sleep(dt / 2);
      const res = yield* sleep(dt / 2, arg);
      return res;
    }
    const t = newTask(loop, sleeper(0.1, 'yeah'));
    loop.runUntilComplete(t);
    expect(t.done()).toBe(true);
    expect(t.result()).toBe('yeah');
    expect(loop.time()).toBeCloseTo(0.1, 9);
    expect(whens.length).toBe(2);
    expect(whens[0]).toBeCloseTo(0.05, 9);
    expect(whens[1]).toBeCloseTo(0.1, 9);
  });

  it('test_sleep_when_delay_is_nan — sleep(NaN) raises ValueError', () => {
    function* sleeper(): Coro<void> {
      yield* sleep(NaN);
    }
    const t = newTask(loop, sleeper());
    const e = thrown(() => loop.runUntilComplete(t));
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).message).toBe('Invalid delay: NaN (not a number)');
  });

  it("test_sleep_cancel — cancelling the sleeping task cancels sleep's timer handle", () => {
    const t = newTask(loop, sleep(10.0, 'yeah'));
    let handle: TimerHandle | undefined;
    const origCallLater = loop.callLater.bind(loop);
    loop.callLater = (delay: number, callback: (...args: any[]) => unknown, ...args: unknown[]): TimerHandle => {
      handle = origCallLater(delay, callback, ...args);
      return handle;
    };
    runBriefly(loop);
    expect(handle!.when()).toBeCloseTo(10.0, 9);
    expect(handle!.cancelled()).toBe(false);
    t.cancel();
    runBriefly(loop);
    expect(handle!.cancelled()).toBe(true);
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

  it('test_task_set_methods — set_result / set_exception on a task raise RuntimeError', () => {
    function* notmuch(): Coro<string> {
      return 'ko';
    }
    const task = newTask(loop, notmuch());
    expect(() => task.setResult('ok')).toThrow(RuntimeError);
    expect(() => task.setResult('ok')).toThrow(/not support set_result/);
    expect(() => task.setException(new ValueError())).toThrow(/not support set_exception/);
    expect(loop.runUntilComplete(task)).toBe('ko');
  });

  it("test_step_result_future — a task awaiting a Future subclass goes through its add_done_callback", () => {
    class Fut<T> extends Future<T> {
      cbAdded = false;
      override addDoneCallback(fn: (f: this) => unknown): void {
        this.cbAdded = true;
        super.addDoneCallback(fn);
      }
    }
    const fut = new Fut<object>({ loop });
    let result: object | undefined;
    function* waitForFuture(): Coro<void> {
      result = yield* fut;
    }
    const t = newTask(loop, waitForFuture());
    runBriefly(loop);
    expect(fut.cbAdded).toBe(true);
    const res = {};
    fut.setResult(res);
    runBriefly(loop);
    expect(result).toBe(res);
    expect(t.done()).toBe(true);
    expect(t.result()).toBeUndefined();
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

  it('test_coroutine_non_gen_function — a coroutine object runs to its return value', () => {
    function* func(): Coro<string> {
      return 'test';
    }
    const coro = func();
    expect(isCoroutine(coro)).toBe(true);
    expect(loop.runUntilComplete(coro)).toBe('test');
  });

  it('test_coroutine_non_gen_function_return_future — a coroutine returning a future returns it, unawaited', () => {
    const fut = loop.createFuture<string>();
    function* func(): Coro<Future<string>> {
      return fut;
    }
    function* coro(): Coro<void> {
      fut.setResult('test');
    }
    const t1 = newTask(loop, func());
    const t2 = newTask(loop, coro());
    const res = loop.runUntilComplete(t1);
    expect(res).toBe(fut);
    expect(t2.result()).toBeUndefined();
  });

  it('test_current_task — current_task() is the running task inside it and None outside', () => {
    expect(currentTask(loop)).toBeUndefined();
    function* coro(): Coro<void> {
      expect(currentTask()).toBe(task);
      expect(currentTask(undefined)).toBe(task);
      expect(currentTask()).toBe(task);
    }
    const task = newTask(loop, coro());
    loop.runUntilComplete(task);
    expect(currentTask(loop)).toBeUndefined();
  });

  it('test_current_task_with_interleaving_tasks — current_task() follows the step that runs', () => {
    expect(currentTask(loop)).toBeUndefined();
    const fut1 = loop.createFuture<boolean>();
    const fut2 = loop.createFuture<boolean>();
    const seen: boolean[] = [];
    function* coro1(): Coro<void> {
      seen.push(currentTask() === task1);
      yield* fut1;
      seen.push(currentTask() === task1);
      fut2.setResult(true);
    }
    function* coro2(): Coro<void> {
      seen.push(currentTask() === task2);
      fut1.setResult(true);
      yield* fut2;
      seen.push(currentTask() === task2);
    }
    const task1 = newTask(loop, coro1());
    const task2 = newTask(loop, coro2());
    loop.runUntilComplete(wait([task1, task2]));
    expect(seen).toEqual([true, true, true, true]);
    expect(currentTask(loop)).toBeUndefined();
  });

  it('test_yield_future_passes_cancel — cancelling outer() cancels inner() and its waiter', () => {
    let proof = 0;
    const waiter = loop.createFuture();
    function* inner(): Coro<void> {
      try {
        yield* waiter;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        proof += 1;
        throw e;
      }
      expect.fail('got past sleep() in inner()');
    }
    function* outer(): Coro<void> {
      try {
        yield* inner();
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        proof += 100;
        return;
      }
      proof += 10;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    f.cancel();
    loop.runUntilComplete(f);
    expect(proof).toBe(101);
    expect(waiter.cancelled()).toBe(true);
  });

  // test_yield_wait_does_not_shield_cancel / test_shield_effect: outer() awaits
  // `guard(inner())` and is cancelled: it raises CancelledError while inner() goes on to
  // the end (proof 1, never 101).
  function expectInnerOutlivesOuter(guard: (inner: Coro<void>) => Coro<unknown> | Future<unknown>): void {
    let proof = 0;
    const waiter = loop.createFuture();
    function* inner(): Coro<void> {
      yield* waiter;
      proof += 1;
    }
    function* outer(): Coro<void> {
      yield* guard(inner());
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    f.cancel();
    expect(() => loop.runUntilComplete(f)).toThrow(CancelledError);
    waiter.setResult(undefined);
    runBriefly(loop);
    expect(proof).toBe(1);
  }

  it('test_yield_wait_does_not_shield_cancel — cancelling outer() ends wait() early and leaves inner() running', () => {
    expectInnerOutlivesOuter((inner) => wait([createTask(inner)]));
  });

  it('test_shield_result — the outer future gets the inner result', () => {
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    inner.setResult(42);
    expect(loop.runUntilComplete(outer)).toBe(42);
  });

  it('test_shield_exception — the outer future gets the inner exception, the same object', () => {
    const inner = loop.createFuture();
    const outer = shield(inner);
    runBriefly(loop);
    const exc = new RuntimeError('expected');
    inner.setException(exc);
    runBriefly(loop);
    expect(outer.exception()).toBe(exc);
  });

  it('test_shield_cancel_inner — cancelling the inner future cancels the outer one', () => {
    const inner = loop.createFuture();
    const outer = shield(inner);
    runBriefly(loop);
    inner.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
  });

  it('test_shield_cancel_outer — cancelling the outer future leaves it with no callbacks', () => {
    const inner = loop.createFuture();
    const outer = shield(inner);
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    expect(outer._doneCallbacks().length).toBe(0);
  });

  it('test_shield_shortcut — shielding a done future gives its result', () => {
    const fut = loop.createFuture<number>();
    fut.setResult(42);
    expect(loop.runUntilComplete(shield(fut))).toBe(42);
  });

  it('test_shield_effect — cancelling outer() does not affect the shielded inner()', () => {
    expectInnerOutlivesOuter((inner) => shield(inner));
  });

  it('test_shield_gather — shield(gather(...)) keeps the gathering going when the outer is cancelled', () => {
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const parent = gather(child1, child2);
    const outer = shield(parent);
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
    expect(parent.result()).toEqual([1, 2]);
  });

  it('test_gather_shield — cancelling gather(shield, shield) cancels the shields, not the children', () => {
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const inner1 = shield(child1);
    const inner2 = shield(child2);
    const parent = gather(inner1, inner2);
    runBriefly(loop);
    parent.cancel();
    runBriefly(loop);
    expect(parent.exception()).toBeInstanceOf(CancelledError);
    expect(inner1.cancelled()).toBe(true);
    expect(inner2.cancelled()).toBe(true);
    expect(child1.cancelled()).toBe(false);
    expect(child2.cancelled()).toBe(false);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
  });

  it("test_shield_coroutine_without_loop — RuntimeError 'no current event loop'", () => {
    function* coro(): Coro<number> {
      return 42;
    }
    const inner = coro();
    const e = thrown(() => shield(inner));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    inner.return(0);
  });

  it('test_shield_coroutine_use_running_loop — a coroutine is wrapped on the running loop', () => {
    function* coro(): Coro<number> {
      return 42;
    }
    function* test(): Coro<Future<number>> {
      return shield(coro());
    }
    const outer = loop.runUntilComplete(test());
    expect(outer._loop).toBe(loop);
    expect(loop.runUntilComplete(outer)).toBe(42);
  });

  it('test_shield_coroutine_use_global_loop — outside a loop, the current loop is used', () => {
    function* coro(): Coro<number> {
      return 42;
    }
    setEventLoop(loop);
    try {
      const outer = shield(coro());
      expect(outer._loop).toBe(loop);
      expect(loop.runUntilComplete(outer)).toBe(42);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_as_completed_invalid_args — a single future or coroutine is refused with TypeError', () => {
    const fut = loop.createFuture();
    expect(() => asCompleted(fut as never).next()).toThrow(TypeError);
    const coro = coroutineFunction();
    expect(() => asCompleted(coro as never).next()).toThrow(TypeError);
    coro.return();
  });

  it('test_wait_invalid_args — wait() wants a non-empty collection of futures', () => {
    const fut = loop.createFuture();
    expect(() => loop.runUntilComplete(wait(fut as never))).toThrow(TypeError);
    const coro = coroutineFunction();
    expect(() => loop.runUntilComplete(wait(coro as never))).toThrow(TypeError);
    coro.return();
    expect(() => loop.runUntilComplete(wait([]))).toThrow(ValueError);
  });

  it('test_log_destroyed_pending_task — a pending task that can never run again is reported as destroyed', () => {
    // CPython reports the task when the garbage collector frees it; aiosim's collection
    // point for the tasks of a loop is loop.close() (docs/divergences.md#collection-timing).
    function* killMe(l: EventLoop): Coro<void> {
      const future = l.createFuture();
      yield* future;
      throw new Error('code never reached');
    }
    const calls: ExceptionContext[] = [];
    loop.setDebug(true);
    loop.setExceptionHandler((_l, context) => calls.push(context));
    const task = ensureFuture(killMe(loop), { loop }) as Task<void>;
    expectSameItems(allTasks(loop), [task]);
    setEventLoop(undefined);
    runOnce(loop);
    expect(loop._ready.length).toBe(0);
    const sourceTraceback = task._sourceTraceback;
    expect(sourceTraceback?.length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
    loop.close();
    expectSameItems(allTasks(loop), []);
    // (Futures are iterable: compare the context's values one by one.)
    expect(calls.length).toBe(1);
    expect(Object.keys(calls[0]!).sort()).toEqual(['message', 'source_traceback', 'task']);
    expect(calls[0]!.message).toBe('Task was destroyed but it is pending!');
    expect(calls[0]!.task).toBe(task);
    expect(calls[0]!.source_traceback).toBe(sourceTraceback);
  });

  it('test_tb_logger_not_called_after_cancel — cancel() of a failed task silences "exception was never retrieved"', () => {
    const l = new EventLoop();
    function* coro(): Coro<void> {
      throw new TypeError();
    }
    function* runner(): Coro<void> {
      const task = newTask(l, coro());
      yield* sleep(0.05);
      task.cancel();
    }
    const records = captureAsyncioLogs(() => {
      l.runUntilComplete(runner());
      l.close();
      gcCollect();
    });
    expect(records.filter((r) => r.levelno >= 40)).toEqual([]);
  });

  it('test_task_source_traceback — in debug mode a task records where it was created', () => {
    loop.setDebug(true);
    const task = newTask(loop, coroutineFunction());
    const lineno = lineHere() - 1;
    const tb = task._sourceTraceback!;
    expect(Array.isArray(tb)).toBe(true);
    // The newest frame is newTask (the Task() call), the one before it this test.
    expect(tb[tb.length - 1]!.name).toBe('newTask');
    expect(tb[tb.length - 2]!.file).toMatch(/test\/cpython\/test_tasks_2\.test\.ts$/);
    expect(tb[tb.length - 2]!.line).toBe(lineno);
    loop.runUntilComplete(task);
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

  it('test_error_in_call_soon — a Task whose first step cannot be scheduled raises, and is reported as destroyed pending', () => {
    loop.callSoon = (): Handle => {
      throw new ValueError();
    };
    function* coro(): Coro<void> {}
    const records = captureAsyncioLogs(() => {
      const gen = coro();
      try {
        expect(() => newTask(loop, gen)).toThrow(ValueError);
      } finally {
        gen.return();
      }
      expect(allTasks(loop).size).toBe(0);
      // CPython frees the task at once; aiosim reports it at the next collection point.
      gcCollect();
    });
    const errors = records.filter((r) => r.levelno === 40);
    expect(errors.length).toBe(1);
    expect(errors[0]!.getMessage()).toMatch(/^Task was destroyed but it is pending!\ntask: <Task pending name='TestTask' coro=<coro\(\) /);
    expect(allTasks(loop).size).toBe(0);
  });

  it('test_create_task_with_noncoroutine — Task(123) raises TypeError, every time', () => {
    expect(() => newTask(loop, 123 as never)).toThrow(TypeError);
    expect(() => newTask(loop, 123 as never)).toThrow(/^a coroutine was expected, got 123$/);
  });

  it('test_create_task_with_async_function — a coroutine makes a Task, every time', () => {
    function* coro(): Coro<void> {}
    let task = newTask(loop, coro());
    expect(task).toBeInstanceOf(Task);
    loop.runUntilComplete(task);
    task = newTask(loop, coro());
    expect(task).toBeInstanceOf(Task);
    loop.runUntilComplete(task);
  });

  it('test_create_task_with_asynclike_function — an object with the coroutine protocol is accepted', () => {
    // CPython's CoroLikeObject: send() raises StopIteration(42); here next() returns 42.
    class CoroLikeObject implements Generator<undefined, number, unknown> {
      next(): IteratorResult<undefined, number> {
        return { done: true, value: 42 };
      }
      throw(): IteratorResult<undefined, number> {
        return { done: true, value: 0 };
      }
      return(): IteratorResult<undefined, number> {
        return { done: true, value: 0 };
      }
      [Symbol.iterator](): this {
        return this;
      }
    }
    let task = newTask(loop, new CoroLikeObject());
    expect(task).toBeInstanceOf(Task);
    expect(loop.runUntilComplete(task)).toBe(42);
    task = newTask(loop, new CoroLikeObject());
    expect(task).toBeInstanceOf(Task);
    expect(loop.runUntilComplete(task)).toBe(42);
  });

  it('test_bare_create_task — asyncio.create_task makes a Task of the running loop', () => {
    function* inner(): Coro<number> {
      return 1;
    }
    function* coro(): Coro<void> {
      const task = createTask(inner());
      expect(task).toBeInstanceOf(Task);
      const ret = yield* task;
      expect(ret).toBe(1);
    }
    loop.runUntilComplete(coro());
  });

  it('test_bare_create_named_task — create_task(name=) names the task, through a task factory too', () => {
    function* coroNoop(): Coro<void> {}
    function* coro(): Coro<void> {
      const task = createTask(coroNoop(), { name: 'No-op' });
      expect(task.getName()).toBe('No-op');
      yield* task;
    }
    loop.runUntilComplete(coro());
  });

  it('test_get_coro — get_coro() returns the coroutine object', () => {
    const l = new EventLoop();
    const coro = coroutineFunction();
    try {
      const task = newTask(l, coro);
      l.runUntilComplete(task);
      expect(task.getCoro()).toBe(coro);
    } finally {
      l.close();
    }
  });

  it('test_subclasses_ctask_cfuture — Task and Future subclasses: add_done_callback is called once on each', () => {
    class CommonFuture<T> extends Future<T> {
      calls = new Map<string, number>();
      override addDoneCallback(fn: (f: this) => unknown): void {
        this.calls.set('add_done_callback', (this.calls.get('add_done_callback') ?? 0) + 1);
        super.addDoneCallback(fn);
      }
    }
    class CommonTask<T> extends Task<T> {
      calls = new Map<string, number>();
      override addDoneCallback(fn: (f: this) => unknown): void {
        this.calls.set('add_done_callback', (this.calls.get('add_done_callback') ?? 0) + 1);
        super.addDoneCallback(fn);
      }
    }
    const fut = new CommonFuture<string>({ loop });
    function* func(): Coro<string> {
      loop.callSoon(() => fut.setResult('spam'));
      return yield* fut;
    }
    const task = new CommonTask(func(), { loop });
    const result = loop.runUntilComplete(task);
    expect(result).toBe('spam');
    expect(Object.fromEntries(task.calls)).toEqual({ add_done_callback: 1 });
    expect(Object.fromEntries(fut.calls)).toEqual({ add_done_callback: 1 });
  });
});

// ---- SetMethodsTest ------------------------------------------------------------------

describe('SetMethodsTest', () => {
  let loop: EventLoop;
  loopPerTest(() => (loop = newTestLoop()));

  /** Replace loop.call_exception_handler with a recorder (CPython: a mock). */
  function mockExceptionHandler(l: EventLoop): ExceptionContext[] {
    const calls: ExceptionContext[] = [];
    l.callExceptionHandler = (context: ExceptionContext): void => {
      calls.push(context);
    };
    return calls;
  }

  function* foo(): Coro<number> {
    yield* sleep(0.1);
    return 10;
  }

  it("test_set_result_causes_invalid_state — Future.set_result on a task: its pending step fails with '_step(): already done'", () => {
    const calls = mockExceptionHandler(loop);
    const coro = foo();
    const task = newTask(loop, coro);
    Future.prototype.setResult.call(task, 'spam');
    expect(loop.runUntilComplete(task)).toBe('spam');
    expect(calls.length).toBe(1);
    const exc = calls[0]!.exception;
    expect(exc).toBeInstanceOf(InvalidStateError);
    expect((exc as Error).message).toMatch(/step\(\): already done/);
    coro.return(0);
  });

  it("test_set_exception_causes_invalid_state — Future.set_exception on a task: its pending step fails with '_step(): already done'", () => {
    class MyExc extends Error {}
    const calls = mockExceptionHandler(loop);
    const coro = foo();
    const task = newTask(loop, coro);
    Future.prototype.setException.call(task, new MyExc());
    expect(() => loop.runUntilComplete(task)).toThrow(MyExc);
    expect(calls.length).toBe(1);
    const exc = calls[0]!.exception;
    expect(exc).toBeInstanceOf(InvalidStateError);
    expect((exc as Error).message).toMatch(/step\(\): already done/);
    coro.return(0);
  });
});

// ---- CTask_Future_Tests --------------------------------------------------------------

describe('CTask_Future_Tests', () => {
  it('test_foobar — a task awaits a Future subclass whose get_loop is broken (the task uses the future\'s loop slot)', () => {
    class Fut<T> extends Future<T> {
      override getLoop(): never {
        throw new TypeError('get_loop is broken');
      }
    }
    function* coro(): Coro<string> {
      yield* fut;
      return 'spam';
    }
    const loop = new EventLoop();
    let res: string;
    const fut = new Fut<number>({ loop });
    try {
      loop.callLater(0.1, () => fut.setResult(1));
      const task = loop.createTask(coro());
      res = loop.runUntilComplete(task);
    } finally {
      loop.close();
    }
    expect(res).toBe('spam');
  });
});

// ---- BaseTaskIntrospectionTests (PyIntrospectionTests / CIntrospectionTests) ---------

describe('BaseTaskIntrospectionTests', () => {
  // The registry functions are aiosim internals, as they are CPython's (_register_task…).
  // A plain object stands for CPython's mock.Mock() loops and tasks.
  const mockLoop = (): EventLoop => ({}) as EventLoop;
  const mockTask = (): object => ({});

  it('test__register_task_1 — a registered task-like object with a _loop is listed by all_tasks', () => {
    const loop = mockLoop();
    const task = { get _loop() { return loop; }, done: () => false };
    expect(allTasks(loop).size).toBe(0);
    _registerTask(task);
    expectSameItems(allTasks(loop), [task]);
    _unregisterTask(task);
  });

  it('test__register_task_2 — all_tasks finds the loop of a task-like object through get_loop()', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => false };
    expect(allTasks(loop).size).toBe(0);
    _registerTask(task as never);
    expectSameItems(allTasks(loop), [task]);
    _unregisterTask(task as never);
  });

  it('test__register_task_3 — all_tasks leaves out a registered task that is done', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => true };
    expect(allTasks(loop).size).toBe(0);
    _registerTask(task as never);
    expect(allTasks(loop).size).toBe(0);
    _unregisterTask(task as never);
  });

  it('test__enter_task — current_task(loop) is the entered task', () => {
    const task = mockTask();
    const loop = mockLoop();
    expect(currentTask(loop)).toBeUndefined();
    _enterTask(loop, task);
    expect(currentTask(loop)).toBe(task);
    _leaveTask(loop, task);
  });

  it('test__enter_task_failure — entering a second task raises RuntimeError and keeps the first', () => {
    const task1 = mockTask();
    const task2 = mockTask();
    const loop = mockLoop();
    _enterTask(loop, task1);
    expect(() => _enterTask(loop, task2)).toThrow(RuntimeError);
    expect(currentTask(loop)).toBe(task1);
    _leaveTask(loop, task1);
  });

  it('test__leave_task — after leaving, current_task(loop) is None', () => {
    const task = mockTask();
    const loop = mockLoop();
    _enterTask(loop, task);
    _leaveTask(loop, task);
    expect(currentTask(loop)).toBeUndefined();
  });

  it('test__leave_task_failure1 — leaving another task than the current one raises RuntimeError', () => {
    const task1 = mockTask();
    const task2 = mockTask();
    const loop = mockLoop();
    _enterTask(loop, task1);
    expect(() => _leaveTask(loop, task2)).toThrow(RuntimeError);
    expect(currentTask(loop)).toBe(task1);
    _leaveTask(loop, task1);
  });

  it('test__leave_task_failure2 — leaving when no task was entered raises RuntimeError', () => {
    const task = mockTask();
    const loop = mockLoop();
    expect(() => _leaveTask(loop, task)).toThrow(RuntimeError);
    expect(currentTask(loop)).toBeUndefined();
  });

  it('test__unregister_task — an unregistered task is no longer listed', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => false };
    _registerTask(task as never);
    _unregisterTask(task as never);
    expect(allTasks(loop).size).toBe(0);
  });

  it('test__unregister_task_not_registered — unregistering an unknown task is a no-op', () => {
    const loop = mockLoop();
    const task = { getLoop: () => loop, done: () => false };
    _unregisterTask(task as never);
    expect(allTasks(loop).size).toBe(0);
  });
});

// ---- BaseCurrentLoopTests (PyCurrentLoopTests / CCurrentLoopTests) -------------------

describe('BaseCurrentLoopTests', () => {
  let loop: EventLoop;
  loopPerTest(() => (loop = new EventLoop()));

  it('test_current_task_no_running_loop — current_task(loop) of a loop that is not running is None', () => {
    expect(currentTask(loop)).toBeUndefined();
  });

  it("test_current_task_no_running_loop_implicit — current_task() with no running loop raises 'no running event loop'", () => {
    expect(() => currentTask()).toThrow(RuntimeError);
    expect(() => currentTask()).toThrow(/no running event loop/);
  });

  it('test_current_task_with_implicit_loop — inside a task, current_task(loop), (None) and () are that task', () => {
    function* coro(): Coro<void> {
      expect(currentTask(loop)).toBe(task);
      expect(currentTask(undefined)).toBe(task);
      expect(currentTask()).toBe(task);
    }
    const task = new Task(coro(), { loop });
    loop.runUntilComplete(task);
    expect(currentTask(loop)).toBeUndefined();
  });
});

// ---- GenericTaskTests ----------------------------------------------------------------

describe('GenericTaskTests', () => {
  it('test_future_subclass — Task is a subclass of Future', () => {
    expect(Task.prototype).toBeInstanceOf(Future);
    expect(Object.getPrototypeOf(Task)).toBe(Future);
  });
});

// ---- GatherTestsBase, FutureGatherTests, CoroutineGatherTests ------------------------

/** test_utils.MockCallback: records the arguments of each call. */
function mockCallback(): ((...args: unknown[]) => void) & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const cb = (...args: unknown[]): void => {
    calls.push(args);
  };
  return Object.assign(cb, { calls });
}

/** GatherTestsBase._run_loop: run_briefly while callbacks are ready. */
function runLoop(loop: EventLoop): void {
  while (loop._ready.length > 0) runBriefly(loop);
}

interface GatherVariant {
  /** The class whose tests these are. */
  name: 'FutureGatherTests' | 'CoroutineGatherTests';
  /** What gather() is given for each future: the future itself, or a coroutine awaiting it. */
  wrapFutures(futures: Future<unknown>[]): (Future<unknown> | Coro<unknown>)[];
  /** gather() as the class calls it (CoroutineGatherTests: inside a task of `loop`). */
  gather(loop: EventLoop, args: (Future<unknown> | Coro<unknown>)[], returnExceptions?: boolean): Future<unknown[]>;
}

function gatherArgs(args: unknown[], returnExceptions: boolean | undefined): unknown[] {
  return returnExceptions === undefined ? args : [...args, { returnExceptions }];
}

const futureGather: GatherVariant = {
  name: 'FutureGatherTests',
  wrapFutures: (futures) => futures,
  gather: (_loop, args, returnExceptions) => (gather as (...a: unknown[]) => Future<unknown[]>)(...gatherArgs(args, returnExceptions)),
};

const coroutineGather: GatherVariant = {
  name: 'CoroutineGatherTests',
  wrapFutures: (futures) =>
    futures.map((fut) => {
      function* coro(): Coro<unknown> {
        return yield* fut;
      }
      return coro();
    }),
  gather: (loop, args, returnExceptions) => {
    function* coro(): Coro<Future<unknown[]>> {
      return (gather as (...a: unknown[]) => Future<unknown[]>)(...gatherArgs(args, returnExceptions));
    }
    return loop.runUntilComplete(coro());
  },
};

for (const variant of [futureGather, coroutineGather]) {
  describe(`${variant.name} (GatherTestsBase)`, () => {
    let oneLoop: EventLoop;
    loopPerTest(() => (oneLoop = newTestLoop()));
    loopPerTest(newTestLoop); // setUp's other_loop, which these tests do not use

    function checkSuccess(returnExceptions?: boolean): void {
      const [a, b, c] = [0, 1, 2].map(() => oneLoop.createFuture<number>()) as [Future<number>, Future<number>, Future<number>];
      const fut = variant.gather(oneLoop, variant.wrapFutures([a, b, c]), returnExceptions);
      const cb = mockCallback();
      fut.addDoneCallback(cb);
      b.setResult(1);
      a.setResult(2);
      runLoop(oneLoop);
      expect(cb.calls.length).toBe(0);
      expect(fut.done()).toBe(false);
      c.setResult(3);
      runLoop(oneLoop);
      expect(cb.calls.length).toBe(1);
      expect(cb.calls[0]![0]).toBe(fut);
      expect(fut.result()).toEqual([2, 1, 3]);
    }

    it('test_success — results come in argument order, and the done callback runs once', () => {
      checkSuccess();
      checkSuccess(false);
    });

    it('test_result_exception_success — the same with return_exceptions=True', () => {
      checkSuccess(true);
    });

    it('test_one_exception — the first exception completes gather; later outcomes change nothing and log nothing', () => {
      const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => oneLoop.createFuture<number>()) as Future<number>[];
      const records = captureAsyncioLogs(() => {
        const fut = variant.gather(oneLoop, variant.wrapFutures([a!, b!, c!, d!, e!]));
        const cb = mockCallback();
        fut.addDoneCallback(cb);
        const exc = new Error('ZeroDivisionError');
        a!.setResult(1);
        b!.setException(exc);
        runLoop(oneLoop);
        expect(fut.done()).toBe(true);
        expect(cb.calls.length).toBe(1);
        expect(cb.calls[0]![0]).toBe(fut);
        expect(fut.exception()).toBe(exc);
        // Does nothing
        c!.setResult(3);
        d!.cancel();
        e!.setException(new RuntimeError());
        e!.exception();
        runLoop(oneLoop);
        expect(fut.exception()).toBe(exc);
        oneLoop.close();
        gcCollect();
      });
      expect(records).toEqual([]);
    });

    it('test_return_exceptions — with return_exceptions=True exceptions are results', () => {
      const [a, b, c, d] = [0, 1, 2, 3].map(() => oneLoop.createFuture<number>()) as Future<number>[];
      const fut = variant.gather(oneLoop, variant.wrapFutures([a!, b!, c!, d!]), true);
      const cb = mockCallback();
      fut.addDoneCallback(cb);
      const exc = new Error('ZeroDivisionError');
      const exc2 = new RuntimeError();
      b!.setResult(1);
      c!.setException(exc);
      a!.setResult(3);
      runLoop(oneLoop);
      expect(fut.done()).toBe(false);
      d!.setException(exc2);
      runLoop(oneLoop);
      expect(fut.done()).toBe(true);
      expect(cb.calls.length).toBe(1);
      expect(cb.calls[0]![0]).toBe(fut);
      const res = fut.result();
      expect(res.length).toBe(4);
      expect(res[0]).toBe(3);
      expect(res[1]).toBe(1);
      expect(res[2]).toBe(exc);
      expect(res[3]).toBe(exc2);
    });
  });
}

describe('GatherTestsBase', () => {
  // CPython runs child interpreters with PYTHONASYNCIODEBUG / PYTHONDEVMODE / -E / -X dev
  // and prints coroutines._is_debug_mode(); aiosim reads the same switches when a loop is
  // made (-E, ignoring the environment, has no equivalent).
  const env = process.env;
  let saved: string | undefined;
  beforeEach(() => {
    saved = env.PYTHONASYNCIODEBUG;
  });
  afterEach(() => {
    if (saved === undefined) delete env.PYTHONASYNCIODEBUG;
    else env.PYTHONASYNCIODEBUG = saved;
    setDevMode(false);
  });

  it('test_env_var_debug — PYTHONASYNCIODEBUG set non-empty, or Development Mode, turns debug mode on', () => {
    const debugOfNewLoop = (): boolean => {
      const l = new EventLoop();
      const d = l.getDebug();
      l.close();
      return d;
    };
    delete env.PYTHONASYNCIODEBUG;
    expect(debugOfNewLoop()).toBe(false);
    env.PYTHONASYNCIODEBUG = '';
    expect(debugOfNewLoop()).toBe(false);
    env.PYTHONASYNCIODEBUG = '1';
    expect(debugOfNewLoop()).toBe(true);
    delete env.PYTHONASYNCIODEBUG;
    setDevMode(true);
    expect(debugOfNewLoop()).toBe(true);
  });
});

describe('FutureGatherTests', () => {
  let oneLoop: EventLoop;
  let otherLoop: EventLoop;
  loopPerTest(() => (oneLoop = newTestLoop()));
  loopPerTest(() => (otherLoop = newTestLoop()));

  it("test_constructor_empty_sequence_without_loop — gather() with no loop raises 'no current event loop'", () => {
    const e = thrown(() => gather());
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
  });

  it('test_constructor_empty_sequence_use_running_loop — gather() in a task is a done future of that loop', () => {
    function* g(): Coro<Future<unknown[]>> {
      return gather();
    }
    const fut = oneLoop.runUntilComplete(g());
    expect(fut).toBeInstanceOf(Future);
    expect(fut._loop).toBe(oneLoop);
    runLoop(oneLoop);
    expect(fut.done()).toBe(true);
    expect(fut.result()).toEqual([]);
  });

  it('test_constructor_empty_sequence_use_global_loop — gather() outside a loop uses the current loop', () => {
    setEventLoop(oneLoop);
    try {
      const fut = gather();
      expect(fut).toBeInstanceOf(Future);
      expect(fut._loop).toBe(oneLoop);
      runLoop(oneLoop);
      expect(fut.done()).toBe(true);
      expect(fut.result()).toEqual([]);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_constructor_heterogenous_futures — futures of two loops raise ValueError', () => {
    const fut1 = oneLoop.createFuture();
    const fut2 = otherLoop.createFuture();
    expect(() => gather(fut1, fut2)).toThrow(ValueError);
  });

  it("test_constructor_homogenous_futures — the gathering future belongs to the children's loop", () => {
    const children = [0, 1, 2].map(() => otherLoop.createFuture());
    let fut = gather(...children);
    expect(fut._loop).toBe(otherLoop);
    runLoop(otherLoop);
    expect(fut.done()).toBe(false);
    fut = gather(...children);
    expect(fut._loop).toBe(otherLoop);
    runLoop(otherLoop);
    expect(fut.done()).toBe(false);
  });

  it('test_one_cancellation — a cancelled child fails gather with CancelledError; gather is not cancelled', () => {
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(() => oneLoop.createFuture<number>()) as Future<number>[];
    const fut = gather(a!, b!, c!, d!, e!);
    const cb = mockCallback();
    fut.addDoneCallback(cb);
    a!.setResult(1);
    b!.cancel();
    runLoop(oneLoop);
    expect(fut.done()).toBe(true);
    expect(cb.calls.length).toBe(1);
    expect(cb.calls[0]![0]).toBe(fut);
    expect(fut.cancelled()).toBe(false);
    expect(fut.exception()).toBeInstanceOf(CancelledError);
    // Does nothing
    c!.setResult(3);
    d!.cancel();
    e!.setException(new RuntimeError());
    e!.exception();
  });

  it('test_result_exception_one_cancellation — with return_exceptions=True a cancelled child gives a CancelledError result', () => {
    const [a, b, c, d, e, f] = [0, 1, 2, 3, 4, 5].map(() => oneLoop.createFuture<number>()) as Future<number>[];
    const fut = gather(a!, b!, c!, d!, e!, f!, { returnExceptions: true });
    const cb = mockCallback();
    fut.addDoneCallback(cb);
    a!.setResult(1);
    const zde = new Error('ZeroDivisionError');
    b!.setException(zde);
    c!.cancel();
    runLoop(oneLoop);
    expect(fut.done()).toBe(false);
    d!.setResult(3);
    e!.cancel();
    const rte = new RuntimeError();
    f!.setException(rte);
    const res = oneLoop.runUntilComplete(fut) as unknown[];
    expect(res[2]).toBeInstanceOf(CancelledError);
    expect(res[4]).toBeInstanceOf(CancelledError);
    res[2] = res[4] = undefined;
    expect(res.length).toBe(6);
    expect([res[0], res[1], res[2], res[3], res[4], res[5]]).toEqual([1, zde, undefined, 3, undefined, rte]);
    expect(res[1]).toBe(zde);
    expect(res[5]).toBe(rte);
    expect(cb.calls.length).toBe(1);
    expect(cb.calls[0]![0]).toBe(fut);
  });
});

describe('CoroutineGatherTests', () => {
  let oneLoop: EventLoop;
  let otherLoop: EventLoop;
  loopPerTest(() => (oneLoop = newTestLoop()));
  loopPerTest(() => (otherLoop = newTestLoop()));

  function* coroAbc(): Coro<string> {
    return 'abc';
  }

  it("test_constructor_without_loop — gather(coroutines) with no loop raises 'no current event loop'", () => {
    const gen1 = coroAbc();
    const gen2 = coroAbc();
    const e = thrown(() => gather(gen1, gen2));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    gen1.return('');
    gen2.return('');
  });

  it('test_constructor_use_running_loop — coroutines become tasks of the running loop', () => {
    const gen1 = coroAbc();
    const gen2 = coroAbc();
    function* g(): Coro<Future<string[]>> {
      return gather(gen1, gen2);
    }
    const fut = oneLoop.runUntilComplete(g());
    expect(fut._loop).toBe(oneLoop);
    expect(oneLoop.runUntilComplete(fut)).toEqual(['abc', 'abc']);
  });

  it('test_constructor_use_global_loop — outside a loop, coroutines become tasks of the current loop', () => {
    setEventLoop(otherLoop);
    try {
      const gen1 = coroAbc();
      const gen2 = coroAbc();
      const fut = gather(gen1, gen2);
      expect(fut._loop).toBe(otherLoop);
      expect(otherLoop.runUntilComplete(fut)).toEqual(['abc', 'abc']);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_duplicate_coroutines — a coroutine passed several times runs once and fills each slot', () => {
    function* coro(s: string): Coro<string> {
      return s;
    }
    const c = coro('abc');
    const fut = coroutineGather.gather(oneLoop, [c, c, coro('def'), c]);
    runLoop(oneLoop);
    expect(fut.result()).toEqual(['abc', 'abc', 'def', 'abc']);
  });

  it('test_cancellation_broadcast — cancelling the task awaiting gather() cancels every child', () => {
    let proof = 0;
    const waiter = oneLoop.createFuture();
    function* inner(): Coro<void> {
      yield* waiter;
      proof += 1;
    }
    const child1 = ensureFuture(inner(), { loop: oneLoop });
    const child2 = ensureFuture(inner(), { loop: oneLoop });
    let gatherer: Future<unknown[]> | undefined;
    function* outer(): Coro<void> {
      gatherer = gather(child1, child2);
      yield* gatherer;
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop: oneLoop });
    runBriefly(oneLoop);
    expect(f.cancel()).toBe(true);
    expect(() => oneLoop.runUntilComplete(f)).toThrow(CancelledError);
    expect(gatherer!.cancel()).toBe(false);
    expect(waiter.cancelled()).toBe(true);
    expect(child1.cancelled()).toBe(true);
    expect(child2.cancelled()).toBe(true);
    runBriefly(oneLoop);
    expect(proof).toBe(0);
  });

  it("test_exception_marking — a second child's exception is marked retrieved: only the first one propagates, nothing is logged", () => {
    function* inner(f: Future<unknown>): Coro<void> {
      yield* f;
      throw new RuntimeError('should not be ignored');
    }
    const a = oneLoop.createFuture();
    const b = oneLoop.createFuture();
    function* outer(): Coro<void> {
      yield* gather(inner(a), inner(b));
    }
    const records = captureAsyncioLogs(() => {
      const f = ensureFuture(outer(), { loop: oneLoop });
      runBriefly(oneLoop);
      a.setResult(undefined);
      runBriefly(oneLoop);
      b.setResult(undefined);
      runBriefly(oneLoop);
      expect(f.exception()).toBeInstanceOf(RuntimeError);
      oneLoop.close();
      gcCollect();
    });
    expect(records).toEqual([]);
  });

  it('test_issue46672 — gather() failing on a non-awaitable leaves its first child to finish quietly', () => {
    // CPython passes {} (not awaitable); in aiosim a trailing plain object is gather's
    // options, so a number stands for it.
    const calls: ExceptionContext[] = [];
    oneLoop.callExceptionHandler = (context: ExceptionContext): void => {
      calls.push(context);
    };
    function* coro(s: string): Coro<string> {
      return s;
    }
    const made: Task<unknown>[] = [];
    oneLoop.setTaskFactory((l, cr) => {
      const t = new Task(cr, { loop: l, name: 'TestTask' });
      made.push(t);
      return t;
    });
    const c = coro('abc');
    const e = thrown(() => coroutineGather.gather(oneLoop, [c, 42 as never]));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe('An asyncio.Future, a coroutine or an awaitable is required');
    runLoop(oneLoop);
    // The task made for c before the failure ran to its end, and its done callback (which
    // sees no gathering future) raised nothing.
    expect(made.filter((t) => t.getCoro() === c).length).toBe(1);
    expect(made.find((t) => t.getCoro() === c)!.result()).toBe('abc');
    expect(calls).toEqual([]);
  });
});

// ---- RunCoroutineThreadsafeTests -----------------------------------------------------

describe('RunCoroutineThreadsafeTests', () => {
  // The target runs in a default-executor worker (a simulated thread) and blocks on the
  // concurrent future's result(), as in CPython; the loop goes on meanwhile.
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    setEventLoop(undefined);
  });
  afterEach(() => {
    // test_utils.TestCase.close_loop: shut the default executor down, then close.
    if (!loop.isClosed()) {
      loop.runUntilComplete(loop.shutdownDefaultExecutor());
      loop.close();
    }
    world._reset();
  });

  /** Wait 0.05 second and return a + b. */
  function* add(a: number, b: number, fail = false, cancel = false): Coro<number> {
    yield* sleep(0.05);
    if (fail) throw new RuntimeError('Fail!');
    if (cancel) {
      currentTask(loop)!.cancel();
      yield* sleep(0);
    }
    return a + b;
  }

  /** Run the add coroutine in the event loop (from the worker thread). */
  function target(opts: { fail?: boolean; cancel?: boolean; timeout?: number; advanceCoro?: boolean } = {}): number {
    const coro = add(1, 2, opts.fail, opts.cancel);
    const future = runCoroutineThreadsafe(coro, loop);
    if (opts.advanceCoro) {
      // With this call, `coro` will be advanced (CPython: call_soon_threadsafe(coro.send, None)).
      loop.callSoonThreadsafe(() => coro.next());
    }
    try {
      return future.result(opts.timeout);
    } finally {
      if (!future.done()) future.cancel();
    }
  }

  it('test_run_coroutine_threadsafe — a coroutine submitted from a thread gives its result to that thread', () => {
    const future = loop.runInExecutor(undefined, () => target());
    const result = loop.runUntilComplete(future);
    expect(result).toBe(3);
    expect(loop.time()).toBeCloseTo(0.05, 9);
  });

  it("test_run_coroutine_threadsafe_with_exception — the coroutine's exception reaches the thread", () => {
    const future = loop.runInExecutor(undefined, () => target({ fail: true }));
    const e = thrown(() => loop.runUntilComplete(future));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as RuntimeError).args).toContain('Fail!');
  });

  it('test_run_coroutine_threadsafe_with_timeout — result(0) times out in the thread and the task is cancelled', () => {
    const made: Task<unknown>[] = [];
    loop.setTaskFactory((l, coro) => {
      const t = new Task(coro, { loop: l });
      made.push(t);
      return t;
    });
    const future = loop.runInExecutor(undefined, () => target({ timeout: 0 }));
    expect(() => loop.runUntilComplete(future)).toThrow(TimeoutError);
    runBriefly(loop);
    // No pending task is left: add() has been cancelled (native CPython 3.13.0 agrees).
    for (const task of allTasks(loop)) expect(task.done()).toBe(true);
    expect(allTasks(loop).size).toBe(0);
    const addTask = made.find((t) => repr(t).includes('add()'));
    expect(addTask?.cancelled()).toBe(true);
  });

  it('test_run_coroutine_threadsafe_task_cancelled — a task that cancels itself gives CancelledError to the thread', () => {
    const future = loop.runInExecutor(undefined, () => target({ cancel: true }));
    expect(() => loop.runUntilComplete(future)).toThrow(CancelledError);
  });

  it("test_run_coroutine_threadsafe_task_factory_exception — a failing task factory's error reaches the thread and the exception handler", () => {
    class NameError extends Error {}
    const taskFactory = (): never => {
      throw new NameError();
    };
    const run = loop.runInExecutor(undefined, () => target({ advanceCoro: true }));
    const calls: [EventLoop, ExceptionContext][] = [];
    loop.setExceptionHandler((l, context) => calls.push([l, context]));
    loop.setTaskFactory(taskFactory);
    const e = thrown(() => loop.runUntilComplete(run));
    loop.setTaskFactory(undefined);
    expect(e).toBeInstanceOf(NameError);
    expect(calls.length).toBe(1);
    expect(calls[0]![0]).toBe(loop);
    expect(calls[0]![1].exception).toBe(e);
  });
});

// ---- SleepTests ----------------------------------------------------------------------

describe('SleepTests', () => {
  let loop: EventLoop;
  loopPerTest(() => (loop = new EventLoop()));

  it('test_sleep_zero — sleep(0, result) yields one iteration (a call_soon made before it has run) and returns result', () => {
    let result = 0;
    const incResult = (num: number): void => {
      result += num;
    };
    function* coro(): Coro<void> {
      loop.callSoon(incResult, 1);
      expect(result).toBe(0);
      const num = yield* sleep(0, 10);
      expect(result).toBe(1);
      incResult(num);
    }
    loop.runUntilComplete(coro());
    expect(result).toBe(11);
  });
});
