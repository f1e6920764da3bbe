// waitFor(): results, TimeoutError at the deadline, the timeout <= 0 path, inner tasks
// that clean up, fail or swallow the cancellation, cancellation of the caller, coroutines
// awaited in the caller's own task, and waitFor(shield(task), 0). Every expectation is
// CPython 3.13.2's output for the equivalent Python program (virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  createTask, currentTask, eagerTaskFactory, repr, shield, sleep, ValueError, waitFor, type Coro, type Task,
} from '../../src/index.js';
import { asCancelled, asTimeout, ctx, py, withCtx } from '../_support/python.js';
import { runScenario, taskNumber, ticker, type Scene } from '../_support/scenario.js';

describe('waitFor', () => {
  it('returns the result of a coroutine, a future or a task finishing in time', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* inner(): Coro<string> {
        yield* sleep(0.5);
        return 'r';
      }
      log(`got ${repr(yield* waitFor(inner(), 1))}`);
      const f = loop.createFuture<string>();
      loop.callLater(0.25, (v: string) => f.setResult(v), 'f');
      log(`got ${repr(yield* waitFor(f, 1))}`);
      log(`got ${repr(yield* waitFor(inner(), undefined))}`);
      const t = createTask(inner());
      const r = yield* waitFor(t, 10);
      const timers = loop._scheduled.filter((h) => !h.cancelled()).map((h) => h.when());
      log(`got ${repr(r)} timers=${repr(timers)}`);
    });
    expect(trace).toEqual([
      [0.5, "got 'r'"], [0.75, "got 'f'"], [1.25, "got 'r'"], [1.75, "got 'r' timers=[]"], ['return', 'None'],
    ]);
  });

  it('raises TimeoutError caused by the CancelledError at the deadline, cancelling the awaited coroutine', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const me = currentTask() as Task<unknown>;
      function* inner(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          log(`inner cancelled ${repr(asCancelled(e))} task=${py(currentTask() === me)}`);
          throw e;
        }
      }
      try {
        yield* waitFor(inner(), 1.5);
      } catch (e) {
        const te = asTimeout(e);
        log(`raised ${repr(te)} cause=${repr(te.cause)} ctx_is_cause=${py(ctx(te) === te.cause)} cancelling=${me.cancelling()}`);
      }
    });
    expect(trace).toEqual([
      [1.5, 'inner cancelled CancelledError() task=True'],
      [1.5, 'raised TimeoutError() cause=CancelledError() ctx_is_cause=True cancelling=0'], ['return', 'None'],
    ]);
  });

  it('raises TimeoutError two iterations after the deadline when awaiting a task', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* inner(): Coro<void> {
        try {
          yield* sleep(1);
        } catch (e) {
          asCancelled(e);
          log('inner sees cancellation');
          throw e;
        }
      }
      const t = createTask(inner());
      loop.callAt(0.5, () => ticker(loop, log, 4));
      try {
        yield* waitFor(t, 0.5);
      } catch (e) {
        asTimeout(e);
        log('timeout raised');
      }
    });
    expect(trace).toEqual([
      [0.5, 'tick 0'], [0.5, 'inner sees cancellation'], [0.5, 'tick 1'], [0.5, 'timeout raised'], [0.5, 'tick 2'],
      ['return', 'None'],
    ]);
  });

  it("waits for a task's cleanup after cancelling it at the deadline", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          asCancelled(e);
          log('cleanup starts');
          yield* sleep(0.5);
          log('cleanup ends');
          throw e;
        }
      }
      const t = createTask(inner());
      try {
        yield* waitFor(t, 1);
      } catch (e) {
        log(`raised ${repr(asTimeout(e))} t.cancelled=${py(t.cancelled())}`);
      }
    });
    expect(trace).toEqual([
      [1, 'cleanup starts'], [1.5, 'cleanup ends'], [1.5, 'raised TimeoutError() t.cancelled=True'], ['return', 'None'],
    ]);
  });

  it('raises the exception the task raised during its cleanup, with a TimeoutError in its context', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          throw withCtx(new ValueError('cleanup failed'), asCancelled(e)); // Python's implicit chaining
        }
      }
      try {
        yield* waitFor(createTask(inner()), 1);
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        const c = ctx(e) as Error;
        log(`raised ${repr(e)} ctx=${repr(c)} ctx.cause=${repr(c.cause)} ctx.ctx=${repr(ctx(c))}`);
      }
    });
    expect(trace).toEqual([
      [1, "raised ValueError('cleanup failed') ctx=TimeoutError() ctx.cause=CancelledError() ctx.ctx=CancelledError()"],
      ['return', 'None'],
    ]);
  });

  it('with a timeout of 0 or less, never starts a coroutine, cancels and awaits a task, returns a done result', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      let started = false;
      function* func(): Coro<string> {
        started = true;
        return 'never';
      }
      const before = createTask(sleep(0));
      yield* before;
      for (const d of [0, -1]) {
        try {
          yield* waitFor(func(), d);
        } catch (e) {
          const te = asTimeout(e);
          log(`timeout ${d}: ${repr(te)} cause=${repr(te.cause)} started=${py(started)}`);
        }
      }
      const after = createTask(sleep(0));
      yield* after;
      log(`tasks consumed ${taskNumber(after) - taskNumber(before) - 1}`);
      function* slow(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          asCancelled(e);
          log('task cancelled, cleaning up');
          yield* sleep(0.1);
          throw e;
        }
      }
      const t = createTask(slow());
      yield;
      try {
        yield* waitFor(t, 0);
      } catch (e) {
        log(`timeout: ${repr(asTimeout(e))} t.cancelled=${py(t.cancelled())}`);
      }
      const f = loop.createFuture<string>();
      f.setResult('done');
      log(`done future: ${repr(yield* waitFor(f, 0))}`);
      const f2 = loop.createFuture<string>();
      f2.setException(new ValueError('v'));
      try {
        yield* waitFor(f2, -1);
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log(`done future: ${repr(e)}`);
      }
      function* ignores(): Coro<string> {
        try {
          yield* sleep(10);
        } catch (e) {
          asCancelled(e);
          return 'ignored';
        }
        return 'slept';
      }
      const t2 = createTask(ignores());
      yield;
      log(`zero with swallowing task: ${repr(yield* waitFor(t2, 0))}`);
    });
    expect(trace).toEqual([
      [0, 'timeout 0: TimeoutError() cause=CancelledError() started=False'],
      [0, 'timeout -1: TimeoutError() cause=CancelledError() started=False'], [0, 'tasks consumed 2'],
      [0, 'task cancelled, cleaning up'], [0.1, 'timeout: TimeoutError() t.cancelled=True'],
      [0.1, "done future: 'done'"], [0.1, "done future: ValueError('v')"],
      [0.1, "zero with swallowing task: 'ignored'"], ['return', 'None'],
    ]);
  });

  it('returns the value of an inner coroutine or task that swallows the cancellation', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<number> {
        try {
          yield* sleep(10);
        } catch (e) {
          asCancelled(e);
          log('inner swallows');
          return 42;
        }
        return 0;
      }
      const me = currentTask() as Task<unknown>;
      log(`coroutine: ${yield* waitFor(inner(), 0.5)} cancelling=${me.cancelling()}`);
      log(`task: ${yield* waitFor(createTask(inner()), 0.5)} cancelling=${me.cancelling()}`);
      function* caller(): Coro<number> {
        return yield* waitFor(inner(), 10);
      }
      const c = createTask(caller());
      yield* sleep(1);
      c.cancel();
      log(`cancelled caller: ${yield* c} cancelling=${c.cancelling()}`);
    });
    expect(trace).toEqual([
      [0.5, 'inner swallows'], [0.5, 'coroutine: 42 cancelling=0'], [1, 'inner swallows'],
      [1, 'task: 42 cancelling=0'], [2, 'inner swallows'], [2, 'cancelled caller: 42 cancelling=1'],
      ['return', 'None'],
    ]);
  });

  it('cancels the awaited task, with the message, when the caller is cancelled', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          log(`inner cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const it = createTask(inner());
      function* caller(): Coro<void> {
        yield* waitFor(it, 5);
      }
      const c = createTask(caller());
      yield* sleep(0.5);
      c.cancel('stop');
      try {
        yield* c;
      } catch (e) {
        log(`caller raised ${repr(asCancelled(e))} it.cancelled=${py(it.cancelled())}`);
      }
    });
    expect(trace).toEqual([
      [0.5, "inner cancelled CancelledError('stop')"], [0.5, "caller raised CancelledError('stop') it.cancelled=True"],
      ['return', 'None'],
    ]);
  });

  it("awaits a coroutine in the caller's task: no new task, no extra loop iteration", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const me = currentTask();
      function* inner(): Coro<number> {
        log(`inner runs in caller=${py(currentTask() === me)}`);
        return 1;
      }
      ticker(loop, log, 2);
      const before = createTask(sleep(0));
      const r = yield* waitFor(inner(), 5);
      log(`returned ${r} without yielding`);
      const after = createTask(sleep(0));
      log(`tasks consumed ${taskNumber(after) - taskNumber(before) - 1}`);
      yield* after;
    });
    expect(trace).toEqual([
      [0, 'inner runs in caller=True'], [0, 'returned 1 without yielding'], [0, 'tasks consumed 0'], [0, 'tick 0'],
      [0, 'tick 1'], [0, 'tick 2'], ['return', 'None'],
    ]);
  });

  it('cancels only the shield with waitFor(shield(task), 0); the task keeps running', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* work(): Coro<string> {
        yield* sleep(1);
        log('work done');
        return 'w';
      }
      const t = createTask(work());
      const s = shield(t);
      try {
        yield* waitFor(s, 0);
      } catch (e) {
        log(`timeout ${repr(asTimeout(e))} s.cancelled=${py(s.cancelled())} t.done=${py(t.done())}`);
      }
      log(`task result ${repr(yield* t)}`);
    });
    expect(trace).toEqual([
      [0, 'timeout TimeoutError() s.cancelled=True t.done=False'], [1, 'work done'], [1, "task result 'w'"],
      ['return', 'None'],
    ]);
  });

  it('returns the result of an eager task that finished, even with a timeout of 0', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      loop.setTaskFactory(eagerTaskFactory);
      function* quick(v: number): Coro<number> {
        log(`quick ${v} runs`);
        return v;
      }
      log(`wait_for 0 -> ${repr(yield* waitFor(quick(4), 0))}`);
      function* slow(): Coro<string> {
        log('slow starts');
        yield* sleep(1);
        return 'slow';
      }
      try {
        yield* waitFor(slow(), 0);
      } catch (e) {
        log(`wait_for slow 0 ${repr(asTimeout(e))}`);
      }
      loop.setTaskFactory(undefined);
    });
    expect(trace).toEqual([
      [0, 'quick 4 runs'], [0, 'wait_for 0 -> 4'], [0, 'slow starts'], [0, 'wait_for slow 0 TimeoutError()'],
      ['return', 'None'],
    ]);
  });

  it('raises CancelledError in a caller cancelled after the awaited task finished (gh-86296)', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* inner(): Coro<string> {
        log('inner runs');
        return 'done';
      }
      const innerTask = createTask(inner());
      function* waitForCoro(): Coro<void> {
        const r = yield* waitFor(innerTask, 100);
        log(`wait_for returned ${repr(r)}`);
        yield* sleep(1);
        log('reached end');
      }
      const task = createTask(waitForCoro());
      yield;
      log(`cancel ${py(task.cancel())} inner.done=${py(innerTask.done())}`);
      try {
        yield* task;
      } catch (e) {
        log(`task raised ${repr(asCancelled(e))}`);
      }
      log(`inner result ${repr(yield* innerTask)}`);
    });
    expect(trace).toEqual([
      [0, 'inner runs'], [0, "wait_for returned 'done'"], [0, 'cancel True inner.done=True'],
      [0, 'task raised CancelledError()'], [0, "inner result 'done'"], ['return', 'None'],
    ]);
  });

  it('times out when the future completes at the very deadline, after the wakeup was scheduled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const fut = loop.createFuture<string>();
      loop.callSoon((v: string) => fut.setResult(v), 'ok');
      log(repr(yield* waitFor(fut, 0.2)));
      const f2 = loop.createFuture<string>();
      loop.callAt(loop.time() + 0.2, (v: string) => f2.setResult(v), 'same time');
      try {
        log(repr(yield* waitFor(f2, 0.2)));
      } catch (e) {
        log(`timeout ${repr(asTimeout(e))} f2=${repr(f2)}`);
      }
    });
    expect(trace).toEqual([
      [0, "'ok'"], [0.2, "timeout TimeoutError() f2=<Future finished result='same time'>"], ['return', 'None'],
    ]);
  });

  it('raises the very value the awaitable threw when it is not an Error (docs/divergences.md, "Thrown values")', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* fails(): Coro<number> {
        yield* sleep(0.1);
        throw 'inner text';
      }
      for (const aw of [fails(), createTask(fails())]) {
        try {
          yield* waitFor(aw, 1);
        } catch (e) {
          log(`raised ${repr(e)}`);
        }
      }
    });
    expect(trace).toEqual([[0.1, "raised 'inner text'"], [0.1, "raised 'inner text'"], ['return', 'None']]);
  });

  it("raises CPython's TypeError for what cannot be awaited and for a timeout that is not a number", () => {
    // for args in [(1, 1), (1, None), ([1], 1), (None, 5), (1, 0), ([1], -1)]:
    //     try: await asyncio.wait_for(*args) / except TypeError as e: log(repr(e))
    // c = asyncio.sleep(0); try: await asyncio.wait_for(c, '1') / except TypeError as e: log(repr(e)); c.close()
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      for (const [aw, t] of [[1, 1], [1, null], [[1], 1], [null, 5], [1, 0], [[1], -1]] as const) {
        try {
          yield* waitFor(aw as never, t as never);
        } catch (e) {
          if (!(e instanceof TypeError)) throw e;
          log(repr(e));
        }
      }
      const c = sleep(0);
      try {
        yield* waitFor(c, '1' as never);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        log(repr(e));
      }
      c.return(undefined);
    });
    expect(trace).toEqual([
      [0, `TypeError("object int can't be used in 'await' expression")`],
      [0, `TypeError("object int can't be used in 'await' expression")`],
      [0, `TypeError("object list can't be used in 'await' expression")`],
      [0, `TypeError("object NoneType can't be used in 'await' expression")`],
      [0, "TypeError('An asyncio.Future, a coroutine or an awaitable is required')"],
      [0, "TypeError('An asyncio.Future, a coroutine or an awaitable is required')"],
      [0, `TypeError("'<=' not supported between instances of 'str' and 'int'")`],
      ['return', 'None'],
    ]);
  });
});
