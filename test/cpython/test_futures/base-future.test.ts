// CPython 3.13's test_asyncio/test_futures.py, BaseFutureTests (CFutureTests,
// CSubFutureTests and PyFutureTests in CPython): one `it` per test method, titled after it.
// Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { _chainFuture } from '../../../src/executor/chain-future.js';
import { lastFrameSite } from '../../../src/format/stack.js';
import { _setResultUnlessCancelled } from '../../../src/future/set-result-unless-cancelled.js';
import {
  CancelledError, ConcurrentFuture, EventLoop, Future, gcCollect, InvalidStateError, isFuture, RuntimeError,
  setEventLoop, StopIteration, threading, ThreadPoolExecutor, wrapFuture, type Coro, type logging,
} from '../../../src/index.js';
import { captureAsyncioLogs, normaliseSites, thrown } from '../../_support/capture.js';
import { runBriefly, siteHere } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

// Module-level callbacks, as in the Python module (their names show in reprs).
function _fakefunc(f: unknown): unknown {
  return f;
}
function first_cb(): void {}
function last_cb(): void {}

describe('BaseFutureTests', () => {
  it('test_isfuture — objects advertising _asyncioFutureBlocking and Future instances are futures; classes are not', () => {
    class MyFuture {
      _asyncioFutureBlocking = false;
    }
    expect(isFuture(MyFuture)).toBe(false);
    expect(isFuture(new MyFuture())).toBe(true);
    expect(isFuture(1)).toBe(false);
    expect(isFuture({})).toBe(false);
    const f = loop.createFuture();
    expect(isFuture(f)).toBe(true);
    expect(isFuture(Future)).toBe(false);
    // mock.Mock(type(f)): an object whose class is Future.
    expect(isFuture(Object.create(Future.prototype))).toBe(true);
    f.cancel();
  });

  it('test_initial_state — a new future is neither done nor cancelled; cancel() makes it cancelled', () => {
    const f = new Future({ loop });
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(false);
    f.cancel();
    expect(f.cancelled()).toBe(true);
  });

  it('test_constructor_without_loop — without a running or current loop, Future() raises RuntimeError', () => {
    const e = thrown(() => new Future());
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
  });

  it('test_constructor_use_running_loop — Future() inside a running loop binds to it', () => {
    const f = loop.runUntilComplete((function* test(): Coro<Future<unknown>> {
      return new Future();
    })());
    expect(f._loop).toBe(loop);
    expect(f.getLoop()).toBe(loop);
  });

  it('test_constructor_use_global_loop — Future() outside a running loop binds to the current loop', () => {
    setEventLoop(loop);
    const f = new Future();
    expect(f._loop).toBe(loop);
    expect(f.getLoop()).toBe(loop);
  });

  it('test_future_cancel_message_getter — cancel(msg) is kept as the cancel message', () => {
    const f = new Future({ loop });
    expect(f._cancelMessage).toBe(undefined);
    f.cancel('my message');
    const e = thrown(() => loop.runUntilComplete(f));
    expect(e).toBeInstanceOf(CancelledError);
    expect(f._cancelMessage).toBe('my message');
  });

  it('test_future_cancel_message_setter — a cancel message changed after cancel() is the one raised', () => {
    const f = new Future({ loop });
    f.cancel('my message');
    f._cancelMessage = 'my new message';
    expect(f._cancelMessage).toBe('my new message');
    const e = thrown(() => loop.runUntilComplete(f));
    // Oracle: CancelledError.args == ('my new message',)
    expect(e).toBeInstanceOf(CancelledError);
    expect((e as CancelledError).args).toEqual(['my new message']);
    expect(f._cancelMessage).toBe('my new message');
  });

  it('test_cancel — a cancelled future is done; result()/exception() raise CancelledError; no second completion', () => {
    const f = new Future({ loop });
    expect(f.cancel()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(thrown(() => f.result())).toBeInstanceOf(CancelledError);
    expect(thrown(() => f.exception())).toBeInstanceOf(CancelledError);
    expect(thrown(() => f.setResult(undefined))).toBeInstanceOf(InvalidStateError);
    expect(thrown(() => f.setException(undefined))).toBeInstanceOf(InvalidStateError);
    expect(f.cancel()).toBe(false);
  });

  it('test_result — result() raises InvalidStateError while pending, then returns the result', () => {
    const f = new Future<number | undefined>({ loop });
    expect(thrown(() => f.result())).toBeInstanceOf(InvalidStateError);
    f.setResult(42);
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(true);
    expect(f.result()).toBe(42);
    expect(f.exception()).toBe(undefined);
    expect(thrown(() => f.setResult(undefined))).toBeInstanceOf(InvalidStateError);
    expect(thrown(() => f.setException(undefined))).toBeInstanceOf(InvalidStateError);
    expect(f.cancel()).toBe(false);
  });

  it('test_exception — exception() raises InvalidStateError while pending; result() then raises the exception', () => {
    const exc = new RuntimeError();
    const f = new Future({ loop });
    expect(thrown(() => f.exception())).toBeInstanceOf(InvalidStateError);
    f.setException(exc);
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(true);
    expect(thrown(() => f.result())).toBe(exc);
    expect(f.exception()).toBe(exc);
    expect(thrown(() => f.setResult(undefined))).toBeInstanceOf(InvalidStateError);
    expect(thrown(() => f.setException(undefined))).toBeInstanceOf(InvalidStateError);
    expect(f.cancel()).toBe(false);
  });

  it('test_stop_iteration_exception — a StopIteration is stored as a RuntimeError caused by it', () => {
    const exc = new StopIteration();
    const f = new Future({ loop });
    f.setException(exc);
    expect(f.cancelled()).toBe(false);
    expect(f.done()).toBe(true);
    expect(thrown(() => f.result())).toBeInstanceOf(RuntimeError);
    const stored = f.exception() as Error;
    expect(stored).toBeInstanceOf(RuntimeError);
    // Oracle: str(exc) == 'StopIteration interacts badly with generators and cannot be raised into a Future'
    expect(stored.message).toBe('StopIteration interacts badly with generators and cannot be raised into a Future');
    expect(stored.message).toMatch(/StopIteration .* cannot be raised/);
    expect(stored.cause).toBe(exc);
  });

  it('test_stop_iteration_subclass_exception — a StopIteration subclass (instance or class) is stored the same way', () => {
    class MyStopIteration extends StopIteration {}
    const exc = new MyStopIteration();
    const f = new Future({ loop });
    f.setException(exc);
    const stored = f.exception() as Error;
    expect(stored).toBeInstanceOf(RuntimeError);
    expect(stored.message).toMatch(/StopIteration .* cannot be raised/);
    expect(stored.cause).toBe(exc);
    // Oracle: set_exception(MyStop) (the class) gives RuntimeError(...) caused by MyStop().
    const g = new Future({ loop });
    g.setException(MyStopIteration);
    expect((g.exception() as Error).cause).toBeInstanceOf(MyStopIteration);
  });

  it('test_exception_class — setException(SomeErrorClass) stores an instance of it', () => {
    const f = new Future({ loop });
    f.setException(RuntimeError);
    expect(f.exception()).toBeInstanceOf(RuntimeError);
  });

  it('test_yield_from_twice — the first yield* of a pending future yields it; a second one returns at once', () => {
    const f = new Future<number>({ loop });
    function* fixture(): Generator<unknown, void, unknown> {
      yield 'A';
      const x = yield* f;
      yield ['B', x];
      const y = yield* f;
      yield ['C', y];
    }
    const g = fixture();
    expect(g.next().value).toBe('A');
    expect(g.next().value).toBe(f);
    f.setResult(42);
    expect(g.next().value).toEqual(['B', 42]);
    expect(g.next().value).toEqual(['C', 42]);
  });

  it('test_future_repr — pending/cancelled/finished states, callbacks (first, <N more>, last) and the debug creation site', () => {
    loop.setDebug(true);
    const [fPendingDebug, site] = [new Future({ loop }), siteHere()];
    expect(lastFrameSite(fPendingDebug._sourceTraceback!)).toBe(site);
    expect(String(fPendingDebug)).toBe(`<Future pending created at ${site}>`);
    fPendingDebug.cancel();

    loop.setDebug(false);
    const fPending = new Future({ loop });
    expect(String(fPending)).toBe('<Future pending>');
    fPending.cancel();

    const fCancelled = new Future({ loop });
    fCancelled.cancel();
    expect(String(fCancelled)).toBe('<Future cancelled>');

    const fResult = new Future({ loop });
    fResult.setResult(4);
    expect(String(fResult)).toBe('<Future finished result=4>');
    expect(fResult.result()).toBe(4);

    const exc = new RuntimeError();
    const fException = new Future({ loop });
    fException.setException(exc);
    expect(String(fException)).toBe('<Future finished exception=RuntimeError()>');
    expect(fException.exception()).toBe(exc);

    const fOne = new Future({ loop });
    fOne.addDoneCallback(_fakefunc);
    expect(String(fOne)).toMatch(/^<Future pending cb=\[_fakefunc\(\) at \S*base-future\.test\.ts:\d+(:\d+)?\]>$/);
    fOne.cancel();
    expect(String(fOne)).toBe('<Future cancelled>');

    const fTwo = new Future({ loop });
    fTwo.addDoneCallback(first_cb);
    fTwo.addDoneCallback(last_cb);
    expect(normaliseSites(String(fTwo))).toBe('<Future pending cb=[first_cb() at F:L, last_cb() at F:L]>');
    fTwo.cancel();

    const fMany = new Future({ loop });
    fMany.addDoneCallback(first_cb);
    for (let i = 0; i < 8; i++) fMany.addDoneCallback(_fakefunc);
    fMany.addDoneCallback(last_cb);
    expect(normaliseSites(String(fMany))).toBe('<Future pending cb=[first_cb() at F:L, <8 more>, last_cb() at F:L]>');
    fMany.cancel();
    expect(String(fMany)).toBe('<Future cancelled>');
  });

  it('test_copy_state — chaining copies a result, an exception and a cancellation to another future', () => {
    // asyncio's _copy_future_state, observed through _chain_future (the only caller).
    // Oracle: the copy happens in the source's done callback, so one iteration later.
    const f = new Future<number>({ loop });
    const newf = new Future<number>({ loop });
    _chainFuture(f, newf);
    f.setResult(10);
    expect(newf.done()).toBe(false);
    runBriefly(loop);
    expect(newf.done()).toBe(true);
    expect(newf.result()).toBe(10);

    const fException = new Future({ loop });
    const newfException = new Future({ loop });
    _chainFuture(fException, newfException);
    const exc = new RuntimeError();
    fException.setException(exc);
    runBriefly(loop);
    expect(newfException.done()).toBe(true);
    expect(thrown(() => newfException.result())).toBe(exc);
    fException.exception();

    const fCancelled = new Future({ loop });
    const newfCancelled = new Future({ loop });
    _chainFuture(fCancelled, newfCancelled);
    fCancelled.cancel();
    runBriefly(loop);
    expect(newfCancelled.cancelled()).toBe(true);
  });

  it('test_iter — driving `yield* fut` twice without a task raises "await wasn\'t used with future"', () => {
    const fut = new Future({ loop });
    function* coro(): Generator<unknown, void, unknown> {
      yield* fut;
    }
    const test = (): void => {
      const [arg1, arg2] = coro();
      void [arg1, arg2];
    };
    const e = thrown(test);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/await wasn't used/);
    fut.cancel();
  });

  describe('never-retrieved exceptions at a collection point (asyncio.base_events logger)', () => {
    /** What is logged at a collection point once `use` has handled a new future of `loop`. */
    function logsAtCollection(use: (fut: Future<unknown>) => void): logging.LogRecord[] {
      return captureAsyncioLogs(() => {
        use(new Future({ loop }));
        gcCollect();
      });
    }

    it('test_tb_logger_abandoned — a pending future logs nothing', () => {
      expect(logsAtCollection(() => {})).toEqual([]);
    });

    it('test_tb_logger_not_called_after_cancel — cancel() after setException silences the report', () => {
      const logs = logsAtCollection((fut) => {
        fut.setException(new Error());
        fut.cancel();
      });
      expect(logs).toEqual([]);
    });

    it('test_tb_logger_result_unretrieved — a result nobody read logs nothing', () => {
      const logs = logsAtCollection((fut) => {
        fut.setResult(42);
      });
      expect(logs).toEqual([]);
    });

    it('test_tb_logger_result_retrieved — a result that was read logs nothing', () => {
      const logs = logsAtCollection((fut) => {
        fut.setResult(42);
        fut.result();
      });
      expect(logs).toEqual([]);
    });

    it('test_tb_logger_exception_unretrieved — an exception nobody retrieved is logged as an error', () => {
      const logs = logsAtCollection((fut) => {
        fut.setException(new RuntimeError('boom'));
        runBriefly(loop);
      });
      expect(logs.map((r) => r.levelname)).toEqual(['ERROR']);
    });

    it('test_tb_logger_exception_retrieved — exception() silences the report', () => {
      const logs = logsAtCollection((fut) => {
        fut.setException(new RuntimeError('boom'));
        fut.exception();
      });
      expect(logs).toEqual([]);
    });

    it('test_tb_logger_exception_result_retrieved — result() raising the exception silences the report', () => {
      const logs = logsAtCollection((fut) => {
        fut.setException(new RuntimeError('boom'));
        expect(thrown(() => fut.result())).toBeInstanceOf(RuntimeError);
      });
      expect(logs).toEqual([]);
    });

    for (const [name, debug] of [['test_future_exception_never_retrieved', false], ['test_future_exception_never_retrieved_debug', true]] as const) {
      it(`${name} — exactly one error record 'Future exception was never retrieved' carrying the exception`, () => {
        loop.setDebug(debug);
        const exc = new RuntimeError('memory');
        const logs = captureAsyncioLogs(() => {
          let future: Future<unknown> | undefined = new Future({ loop });
          future.setException(exc);
          future = undefined;
          runBriefly(loop);
          gcCollect();
        });
        expect(logs).toHaveLength(1);
        expect(logs[0]!.levelname).toBe('ERROR');
        expect(logs[0]!.excInfo).toBe(exc);
        // Oracle: 'Future exception was never retrieved\nfuture: <Future finished exception=MemoryError()>'
        expect(logs[0]!.getMessage()).toMatch(/^Future exception was never retrieved\n/s);
        expect(logs[0]!.getMessage().split('\n')[1]).toMatch(/^future: <Future finished exception=RuntimeError\('memory'\)( created at \S+)?>$/);
        expect(logs[0]!.getMessage().includes(' created at ')).toBe(debug);
      });
    }
  });

  it('test_wrap_future — a job submitted to a ThreadPoolExecutor, wrapped, runs in another thread', () => {
    const run = (arg: string): [string, number] => [arg, threading.getIdent()];
    const ex = new ThreadPoolExecutor(1);
    const f1 = ex.submit(run, 'oi');
    const f2 = wrapFuture(f1, { loop });
    const [res, ident] = loop.runUntilComplete(f2);
    expect(isFuture(f2)).toBe(true);
    expect(res).toBe('oi');
    expect(ident).not.toBe(threading.getIdent());
    ex.shutdown({ wait: true });
  });

  it('test_wrap_future_future — wrapFuture returns an asyncio Future as it is', () => {
    const f1 = new Future({ loop });
    expect(wrapFuture(f1)).toBe(f1);
  });

  it('test_wrap_future_without_loop — without a running or current loop, wrapFuture raises RuntimeError', () => {
    const ex = new ThreadPoolExecutor(1);
    const f1 = ex.submit((arg: string) => [arg, threading.getIdent()], 'oi');
    const e = thrown(() => wrapFuture(f1));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    ex.shutdown({ wait: true });
  });

  it('test_wrap_future_use_running_loop — wrapFuture inside a running loop uses it', () => {
    const ex = new ThreadPoolExecutor(1);
    const f1 = ex.submit((arg: string) => [arg, threading.getIdent()], 'oi');
    const f2 = loop.runUntilComplete((function* test(): Coro<Future<unknown>> {
      return wrapFuture(f1);
    })());
    expect(f2._loop).toBe(loop);
    ex.shutdown({ wait: true });
  });

  it('test_wrap_future_use_global_loop — wrapFuture outside a running loop uses the current loop', () => {
    setEventLoop(loop);
    const ex = new ThreadPoolExecutor(1);
    const f1 = ex.submit((arg: string) => [arg, threading.getIdent()], 'oi');
    const f2 = wrapFuture(f1);
    expect(f2._loop).toBe(loop);
    ex.shutdown({ wait: true });
  });

  it('test_wrap_future_cancel — cancelling the wrapper cancels the concurrent future', () => {
    const f1 = new ConcurrentFuture();
    const f2 = wrapFuture(f1, { loop });
    f2.cancel();
    runBriefly(loop);
    expect(f1.cancelled()).toBe(true);
    expect(f2.cancelled()).toBe(true);
  });

  it('test_wrap_future_cancel2 — cancelling the wrapper of a finished concurrent future leaves its result', () => {
    const f1 = new ConcurrentFuture<number>();
    const f2 = wrapFuture(f1, { loop });
    f1.setResult(42);
    f2.cancel();
    runBriefly(loop);
    expect(f1.cancelled()).toBe(false);
    expect(f1.result()).toBe(42);
    expect(f2.cancelled()).toBe(true);
  });

  it('test_future_source_traceback — in debug mode a future records where it was created', () => {
    loop.setDebug(true);
    const [future, site] = [new Future({ loop }), siteHere()];
    expect(Array.isArray(future._sourceTraceback)).toBe(true);
    const last = future._sourceTraceback!.at(-1)!;
    expect(`${last.file}:${last.line}`).toBe(site);
    expect(last.file).toMatch(/base-future\.test\.ts$/);
    future.cancel();
  });

  it('test_set_result_unless_cancelled — the sleep() timer callback leaves a cancelled future cancelled', () => {
    const fut = new Future({ loop });
    fut.cancel();
    _setResultUnlessCancelled(fut, 2);
    expect(fut.cancelled()).toBe(true);
  });

  it('test_future_stop_iteration_args — the await iterator of a done future returns its result, a tuple included', () => {
    const fut = new Future<[number, number]>({ loop });
    fut.setResult([1, 2]);
    const fi = fut[Symbol.iterator]();
    const step = fi.next();
    expect(step.done).toBe(true);
    expect(step.value).toEqual([1, 2]);
  });
});
