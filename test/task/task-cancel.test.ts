// Task cancellation: before the first step, while awaiting, during the task's own step,
// the cancelling()/uncancel() counter, messages through nested tasks, tasks that
// swallow the CancelledError, and a BaseException raised while handling one.
// Every expectation is CPython 3.13.2's output for the equivalent Python program.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, currentTask, EventLoop, repr, SystemExit, type Coro, type Future, type Task,
} from '../../src/index.js';
import { asCancelled, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';

function* sleep0(): Coro<void> {
  yield;
}

describe('Task.cancel', () => {
  it('cancels a task before its first step: the coroutine body never runs', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* never(): Coro<void> {
        log('never runs');
      }
      ticker(loop, log, 3);
      const t = createTask(never());
      log(`cancel ${py(t.cancel())} cancelling=${t.cancelling()} done=${py(t.done())}`);
      try {
        yield* t;
      } catch (e) {
        log(`main caught ${repr(asCancelled(e))} args=${repr(asCancelled(e).args)}`);
      }
      log(`done=${py(t.done())} cancelled=${py(t.cancelled())} cancelling=${t.cancelling()}`);
      const t2 = createTask(never());
      t2.cancel('early');
      try {
        yield* t2;
      } catch (e) {
        log(`main caught ${repr(asCancelled(e))} args=${repr(asCancelled(e).args)}`);
      }
      const t3 = createTask(never());
      t3.cancel(5);
      yield;
      try {
        t3.result();
      } catch (e) {
        const c = asCancelled(e);
        log(`result() raised ${repr(c)} args=${repr(c.args)} str=${repr(c.message)}`);
      }
      const t4 = createTask(never());
      t4.cancel(undefined);
      yield;
      try {
        t4.exception();
      } catch (e) {
        log(`exception() raised ${repr(asCancelled(e))} args=${repr(asCancelled(e).args)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'cancel True cancelling=1 done=False'], [0, 'tick 0'], [0, 'tick 1'],
      [0, 'main caught CancelledError() args=[]'], [0, 'done=True cancelled=True cancelling=1'],
      [0, 'tick 2'], [0, 'tick 3'], [0, "main caught CancelledError('early') args=['early']"],
      [0, "result() raised CancelledError(5) args=[5] str='5'"],
      [0, 'exception() raised CancelledError() args=[]'], ['return', 'None'],
    ]);
  });

  it('cancels the awaited future at once; the message reaches the coroutine on the next iteration', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const fut = loop.createFuture();
      const t = createTask(waiter(fut, log));
      yield;
      ticker(loop, log, 3);
      const r = t.cancel('stop');
      log(`cancel ${py(r)} fut.cancelled=${py(fut.cancelled())} task.done=${py(t.done())} cancelling=${t.cancelling()}`);
      try {
        yield* t;
      } catch (e) {
        log(`main caught ${repr(asCancelled(e))}`);
      }
      log(`cancelled=${py(t.cancelled())}`);
    });
    expect(trace).toEqual([
      [0, 'waiter awaits'], [0, 'cancel True fut.cancelled=True task.done=False cancelling=1'],
      [0, 'tick 0'], [0, "waiter caught CancelledError('stop')"], [0, 'tick 1'],
      [0, "main caught CancelledError('stop')"], [0, 'cancelled=True'], [0, 'tick 2'], ['return', 'None'],
    ]);
  });

  it('cancelling the current task makes its next await raise; returning right after still ends cancelled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* selfcancel(): Coro<void> {
        const t = currentTask() as Task<void>;
        log(`cancel ${py(t.cancel('me'))} cancelling=${t.cancelling()}`);
        log('still running');
        try {
          yield;
        } catch (e) {
          log(`next await raised ${repr(asCancelled(e))}`);
          throw e;
        }
        log('not reached');
      }
      function* cancelThenReturn(): Coro<number> {
        currentTask()!.cancel();
        log('returning 12');
        return 12;
      }
      function* cancelThenAwaitFuture(fut: Future<unknown>): Coro<void> {
        currentTask()!.cancel();
        try {
          yield* fut;
        } catch (e) {
          log(`future await raised ${repr(asCancelled(e))} fut.cancelled=${py(fut.cancelled())}`);
          throw e;
        }
      }
      ticker(loop, log, 3);
      const t = createTask(selfcancel());
      try {
        yield* t;
      } catch (e) {
        log(`main caught ${repr(asCancelled(e))}`);
      }
      log(`selfcancel cancelled=${py(t.cancelled())}`);
      const t2 = createTask(cancelThenReturn());
      try {
        log(`got ${yield* t2}`);
      } catch (e) {
        log(`main caught ${repr(asCancelled(e))}`);
      }
      log(`cancel_then_return cancelled=${py(t2.cancelled())}`);
      const fut = loop.createFuture();
      const t3 = createTask(cancelThenAwaitFuture(fut));
      try {
        yield* t3;
      } catch (e) {
        log(`main caught ${repr(asCancelled(e))}`);
      }
      log(`cancelled=${py(t3.cancelled())}`);
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'cancel True cancelling=1'], [0, 'still running'], [0, 'tick 1'],
      [0, "next await raised CancelledError('me')"], [0, 'tick 2'], [0, "main caught CancelledError('me')"],
      [0, 'selfcancel cancelled=True'], [0, 'tick 3'], [0, 'returning 12'], [0, 'main caught CancelledError()'],
      [0, 'cancel_then_return cancelled=True'], [0, 'future await raised CancelledError() fut.cancelled=True'],
      [0, 'main caught CancelledError()'], [0, 'cancelled=True'], ['return', 'None'],
    ]);
  });

  it('returns False for a done task and leaves cancelling() at 0', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* quick(): Coro<number> {
        return 1;
      }
      const t = createTask(quick());
      yield* t;
      log(`cancel=${py(t.cancel())} cancelled=${py(t.cancelled())} cancelling=${t.cancelling()} result=${t.result()}`);
    });
    expect(trace).toEqual([[0, 'cancel=False cancelled=False cancelling=0 result=1'], ['return', 'None']]);
  });

  it('leaves a task that catches CancelledError and returns 42 finished, not cancelled', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* stubborn(fut: Future<unknown>): Coro<number | undefined> {
        try {
          yield* fut;
        } catch (e) {
          asCancelled(e);
          log('stubborn caught');
          return 42;
        }
        return undefined;
      }
      const fut = loop.createFuture();
      const t = createTask(stubborn(fut));
      yield;
      log(`cancel ${py(t.cancel())}`);
      const r = yield* t;
      log(`got ${r} cancelled=${py(t.cancelled())} cancelling=${t.cancelling()} fut.cancelled=${py(fut.cancelled())}`);
    });
    expect(trace).toEqual([
      [0, 'cancel True'], [0, 'stubborn caught'],
      [0, 'got 42 cancelled=False cancelling=1 fut.cancelled=True'], ['return', 'None'],
    ]);
  });

  it('carries the message through nested tasks, innermost first, one iteration apart', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* leaf(fut: Future<unknown>): Coro<void> {
        try {
          yield* fut;
        } catch (e) {
          log(`leaf ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      function* middle(fut: Future<unknown>): Coro<void> {
        try {
          yield* createTask(leaf(fut), { name: 'leaf' });
        } catch (e) {
          log(`middle ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      function* top(fut: Future<unknown>): Coro<void> {
        try {
          yield* createTask(middle(fut), { name: 'middle' });
        } catch (e) {
          log(`top ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const fut = loop.createFuture();
      const t = createTask(top(fut), { name: 'top' });
      for (let i = 0; i < 3; i++) yield;
      ticker(loop, log, 4);
      log(`cancel ${py(t.cancel('bye'))} fut.cancelled=${py(fut.cancelled())}`);
      try {
        yield* t;
      } catch (e) {
        log(`main ${repr(asCancelled(e))}`);
      }
    });
    expect(trace).toEqual([
      [0, 'cancel True fut.cancelled=True'], [0, 'tick 0'], [0, "leaf CancelledError('bye')"], [0, 'tick 1'],
      [0, "middle CancelledError('bye')"], [0, 'tick 2'], [0, "top CancelledError('bye')"], [0, 'tick 3'],
      [0, "main CancelledError('bye')"], [0, 'tick 4'], ['return', 'None'],
    ]);
  });

  it('does not cancel a task whose awaited task swallows the cancellation: it gets that result', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* ignorer(fut: Future<unknown>): Coro<string> {
        try {
          yield* fut;
        } catch (e) {
          asCancelled(e);
          log('ignorer swallowed');
        }
        yield;
        log('ignorer returns');
        return 'ignored';
      }
      function* outerOf(t: Task<string>): Coro<string> {
        try {
          const v = yield* t;
          log(`outer got ${v}`);
          yield;
          log('outer continues');
          return v;
        } catch (e) {
          log(`outer cancelled ${repr(asCancelled(e))}`);
          throw e;
        }
      }
      const fut = loop.createFuture();
      const ti = createTask(ignorer(fut));
      const to = createTask(outerOf(ti));
      yield;
      ticker(loop, log, 5);
      log(`cancel outer ${py(to.cancel())} inner.cancelling=${ti.cancelling()} fut.cancelled=${py(fut.cancelled())}`);
      const r = yield* to;
      log(`got ${r} outer.cancelled=${py(to.cancelled())} outer.cancelling=${to.cancelling()} inner.cancelled=${py(ti.cancelled())}`);
    });
    expect(trace).toEqual([
      [0, 'cancel outer True inner.cancelling=1 fut.cancelled=True'], [0, 'tick 0'], [0, 'ignorer swallowed'],
      [0, 'tick 1'], [0, 'ignorer returns'], [0, 'tick 2'], [0, 'outer got ignored'], [0, 'tick 3'],
      [0, 'outer continues'], [0, 'tick 4'],
      [0, 'got ignored outer.cancelled=False outer.cancelling=1 inner.cancelled=False'], [0, 'tick 5'],
      ['return', 'None'],
    ]);
  });

  it('hands the coroutine’s own CancelledError to the first result() only; later calls get a new one without the message', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const seen: CancelledError[] = [];
      function* inner(fut: Future<unknown>): Coro<void> {
        try {
          yield* fut;
        } catch (e) {
          seen.push(asCancelled(e));
          throw e;
        }
      }
      const t = createTask(inner(loop.createFuture()));
      yield;
      t.cancel('msg');
      try {
        yield* t;
      } catch (e) {
        log(`main got the same instance: ${py(e === seen[0])} ${repr(asCancelled(e))}`);
      }
      try {
        t.result();
      } catch (e) {
        log(`second result(): same=${py(e === seen[0])} ${repr(asCancelled(e))}`);
      }
      try {
        t.exception();
      } catch (e) {
        log(`exception(): ${repr(asCancelled(e))}`);
      }
      const t2 = createTask(inner(loop.createFuture()));
      yield;
      t2.cancel();
      yield;
      yield;
      try {
        t2.result();
      } catch (e) {
        log(`result() after done, nobody awaited: same=${py(e === seen[1])} ${repr(asCancelled(e))}`);
      }
    });
    expect(trace).toEqual([
      [0, "main got the same instance: True CancelledError('msg')"], [0, 'second result(): same=False CancelledError()'],
      [0, 'exception(): CancelledError()'], [0, 'result() after done, nobody awaited: same=True CancelledError()'],
      ['return', 'None'],
    ]);
  });

  it('lets a SystemExit raised in an except-CancelledError block escape runUntilComplete; the task holds it', () => {
    const loop = new EventLoop();
    const trace: [number, string][] = [];
    const log = (e: string): void => void trace.push([loop.time(), e]);
    const exit = new SystemExit(3);
    function* exiter(fut: Future<unknown>): Coro<void> {
      try {
        yield* fut;
      } catch (e) {
        asCancelled(e);
        log('raising SystemExit');
        throw exit;
      }
    }
    function* quick(): Coro<number> {
      return 1;
    }
    const fut = loop.createFuture();
    const t = loop.createTask(exiter(fut));
    loop.runUntilComplete(sleep0());
    log(`cancel ${py(t.cancel())} done=${py(t.done())}`);
    try {
      loop.runUntilComplete(t);
    } catch (e) {
      if (!(e instanceof SystemExit)) throw e;
      log(`run_until_complete raised ${repr(e)}`);
    }
    log(`done=${py(t.done())} cancelled=${py(t.cancelled())} exception=${repr(t.exception())} same=${py(t.exception() === exit)} running=${py(loop.isRunning())}`);
    log(`loop still usable: ${loop.runUntilComplete(quick())}`);
    loop.close();
    expect(trace).toEqual([
      [0, 'cancel True done=False'], [0, 'raising SystemExit'], [0, 'run_until_complete raised SystemExit(3)'],
      [0, 'done=True cancelled=False exception=SystemExit(3) same=True running=False'], [0, 'loop still usable: 1'],
    ]);
  });
});

describe('Task.cancelling and Task.uncancel', () => {
  it('count cancel requests; uncancel stops at 0 and has no effect once the task is done', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const fut = loop.createFuture();
      const t = createTask(waiter(fut, log));
      yield;
      log(`${py(t.cancel())} ${t.cancelling()} ${py(t.cancel())} ${t.cancelling()}`);
      log(`uncancel ${t.uncancel()} ${t.uncancel()} ${t.uncancel()}`);
      try {
        yield* t;
      } catch (e) {
        log(`still cancelled: ${repr(asCancelled(e))} ${py(t.cancelled())} ${t.cancelling()}`);
      }
      log(`after done: cancel=${py(t.cancel())} uncancel=${t.uncancel()} cancelling=${t.cancelling()}`);
    });
    expect(trace).toEqual([
      [0, 'waiter awaits'], [0, 'True 1 True 2'], [0, 'uncancel 1 0 0'], [0, 'waiter caught CancelledError()'],
      [0, 'still cancelled: CancelledError() True 0'], [0, 'after done: cancel=False uncancel=0 cancelling=0'],
      ['return', 'None'],
    ]);
  });

  it('keeps counting down with uncancel after the task is done, while cancel then returns False', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* stubborn(fut: Future<unknown>): Coro<number | undefined> {
        try {
          yield* fut;
        } catch (e) {
          asCancelled(e);
          return 42;
        }
        return undefined;
      }
      const t = createTask(stubborn(loop.createFuture()));
      yield;
      t.cancel();
      t.cancel();
      yield* t;
      log(`done with cancelling=${t.cancelling()} uncancel=${t.uncancel()} cancelling=${t.cancelling()} cancel=${py(t.cancel())} cancelling=${t.cancelling()}`);
    });
    expect(trace).toEqual([
      [0, 'done with cancelling=2 uncancel=1 cancelling=1 cancel=False cancelling=1'], ['return', 'None'],
    ]);
  });

  it('withdraws the pending cancel of a runnable task when uncancel brings the count to 0 (3.13)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      function* returnAfter(fut: Future<unknown>): Coro<number> {
        yield* fut;
        return 42;
      }
      const fut2 = loop.createFuture();
      const t2 = createTask(returnAfter(fut2));
      yield;
      fut2.setResult(undefined);
      log(`runnable: cancel=${py(t2.cancel())} cancelling=${t2.cancelling()} uncancel=${t2.uncancel()}`);
      log(`got ${yield* t2} cancelled=${py(t2.cancelled())}`);
      const fut3 = loop.createFuture();
      const t3 = createTask(returnAfter(fut3));
      yield;
      fut3.setResult(undefined);
      log(`runnable: cancel=${py(t3.cancel())} cancel=${py(t3.cancel())} uncancel=${t3.uncancel()}`);
      try {
        yield* t3;
      } catch (e) {
        log(`one request left: ${repr(asCancelled(e))} cancelled=${py(t3.cancelled())}`);
      }
    });
    expect(trace).toEqual([
      [0, 'runnable: cancel=True cancelling=1 uncancel=0'], [0, 'got 42 cancelled=False'],
      [0, 'runnable: cancel=True cancel=True uncancel=1'], [0, 'one request left: CancelledError() cancelled=True'],
      ['return', 'None'],
    ]);
  });
});

// Python: async def waiter(fut): log; await fut; on CancelledError log and re-raise.
function* waiter(fut: Future<unknown>, log: (e: string) => void): Coro<void> {
  log('waiter awaits');
  try {
    yield* fut;
  } catch (e) {
    log(`waiter caught ${repr(asCancelled(e))}`);
    throw e;
  }
}
