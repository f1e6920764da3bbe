// CPython 3.13's test_asyncgen.py, AsyncGenAsyncioTest (continued): finalisation (the
// loop's hooks, shutdown_asyncgens), async generator expressions, and awaitables reused.
// One `it` per test method, titled after it. Module notes and helpers: ./_support.ts;
// the table: docs/cpython-tests/test_asyncgen.md.

import { describe, expect, it } from 'vitest';
import {
  allTasks, anext, asyncFor, asyncGenerator, CancelledError, createTask, emit, gcCollect, GeneratorExit, getRunningLoop, run,
  RuntimeError, sleep, StopAsyncIteration, StopIteration,
  type AsyncGen, type Coro, type EventLoop, type ExceptionContext, type Task,
} from '../../../src/index.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaises, expectThrows } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

// async_iterate(): yields 1 and 2.
const asyncIterate = asyncGenerator(function* asyncIterate(): AsyncGen<number> {
  yield* emit(1);
  yield* emit(2);
});

describe('AsyncGenAsyncioTest', () => {
  it('test_async_gen_asyncio_shutdown_01 — shutdown_asyncgens() finalises the generators of cancelled tasks', () => {
    let finalized = 0;
    const waiter = asyncGenerator(function* waiter(timeout: number): AsyncGen<number> {
      try {
        yield* sleep(timeout);
        yield* emit(1);
      } finally {
        yield* sleep(0);
        finalized += 1;
      }
    });
    function* wait(): Coro<void> {
      yield* asyncFor(waiter(1), function* () {});
    }
    const t1 = loop.createTask(wait());
    const t2 = loop.createTask(wait());
    loop.runUntilComplete(sleep(0.1));
    t1.cancel();
    t2.cancel();
    expectThrows(() => loop.runUntilComplete(t1), CancelledError);
    expectThrows(() => loop.runUntilComplete(t2), CancelledError);
    loop.runUntilComplete(loop.shutdownAsyncgens());
    expect(finalized).toBe(2);
  });

  it('test_async_gen_asyncio_shutdown_02 — a generator left after break closes at run() without a report', () => {
    const messages: ExceptionContext[] = [];
    const it = asyncIterate();
    function* main(): Coro<void> {
      getRunningLoop().setExceptionHandler((_loop, context) => messages.push(context));
      yield* asyncFor(it, function* () {
        return asyncFor.BREAK;
      });
    }
    run(main());
    expect(messages).toEqual([]);
  });

  it("test_async_gen_asyncio_shutdown_exception_01 — an error in a generator's finally at shutdown is reported to the exception handler", () => {
    const messages: ExceptionContext[] = [];
    const asyncIterateFailing = asyncGenerator(function* asyncIterate(): AsyncGen<number> {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        throw new ZeroDivisionError();
      }
    });
    const it = asyncIterateFailing();
    function* main(): Coro<void> {
      getRunningLoop().setExceptionHandler((_loop, context) => messages.push(context));
      yield* asyncFor(it, function* () {
        return asyncFor.BREAK;
      });
    }
    run(main());
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.asyncgen).toBe(it);
    expect(message!.exception).toBeInstanceOf(ZeroDivisionError);
    expect(message!.message).toContain('an error occurred during closing of asynchronous generator');
    expect(message!.message).toMatch(/^an error occurred during closing of asynchronous generator <async_generator object asyncIterate at 0x[0-9a-f]+>$/);
  });

  it("test_async_gen_asyncio_shutdown_exception_02 — the aclose() task of a generator freed in main fails: 'unhandled exception during asyncio.run() shutdown'", () => {
    const messages: ExceptionContext[] = [];
    const asyncIterateFailing = asyncGenerator(function* asyncIterate(): AsyncGen<number> {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        throw new ZeroDivisionError();
      }
    });
    function* main(): Coro<void> {
      getRunningLoop().setExceptionHandler((_loop, context) => messages.push(context));
      yield* asyncFor(asyncIterateFailing(), function* () {
        return asyncFor.BREAK;
      });
      gcCollect();
    }
    run(main());
    expect(messages).toHaveLength(1);
    expect(messages[0]!.exception).toBeInstanceOf(ZeroDivisionError);
    expect(messages[0]!.message).toContain('unhandled exception during asyncio.run() shutdown');
  });

  it('test_async_gen_expression_01 — an async generator of an async generator (what the expression means), collected', () => {
    // Async generator expressions and comprehensions are Python syntax: the port writes
    // `(i * 2 async for i in arange(n))` as the generator it stands for.
    const arange = asyncGenerator(function* arange(n: number): AsyncGen<number> {
      for (let i = 0; i < n; i++) {
        yield* sleep(0.01);
        yield* emit(i);
      }
    });
    const makeArange = asyncGenerator(function* genexpr(n: number): AsyncGen<number> {
      const inner = arange(n);
      for (;;) {
        let i: number;
        try {
          i = yield* anext(inner);
        } catch (e) {
          if (e instanceof StopAsyncIteration) return;
          throw e;
        }
        yield* emit(i * 2);
      }
    });
    function* main(): Coro<number[]> {
      const res: number[] = [];
      yield* asyncFor(makeArange(10), function* (i) {
        res.push(i);
      });
      return res;
    }
    expect(loop.runUntilComplete(main())).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('test_async_gen_expression_02 — a generator expression that awaits is an async generator, collected', () => {
    function* wrap(n: number): Coro<number> {
      yield* sleep(0.01);
      return n;
    }
    const makeArange = asyncGenerator(function* genexpr(n: number): AsyncGen<number> {
      for (let i = 0; i < n; i++) if ((yield* wrap(i)) !== 0) yield* emit(i * 2);
    });
    function* main(): Coro<number[]> {
      const res: number[] = [];
      yield* asyncFor(makeArange(10), function* (i) {
        res.push(i);
      });
      return res;
    }
    expect(loop.runUntilComplete(main())).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('test_asyncgen_nonstarted_hooks_are_cancellable — a generator left after break at run() end reports nothing', () => {
    const messages: ExceptionContext[] = [];
    function* main(): Coro<void> {
      getRunningLoop().setExceptionHandler((_loop, context) => messages.push(context));
      yield* asyncFor(asyncIterate(), function* () {
        return asyncFor.BREAK;
      });
    }
    run(main());
    expect(messages).toEqual([]);
    gcCollect();
  });

  it('test_async_gen_await_same_anext_coro_twice — awaiting an anext() awaitable twice raises RuntimeError', () => {
    function* main(): Coro<void> {
      const it = asyncIterate();
      const nxt = it.anext();
      yield* nxt;
      const e = yield* assertRaises(RuntimeError, () => nxt);
      expect(e.message).toBe('cannot reuse already awaited __anext__()/asend()');
      yield* it.aclose();
    }
    loop.runUntilComplete(main());
  });

  it('test_async_gen_await_same_aclose_coro_twice — awaiting an aclose() awaitable twice raises RuntimeError', () => {
    function* main(): Coro<void> {
      const it = asyncIterate();
      const nxt = it.aclose();
      yield* nxt;
      const e = yield* assertRaises(RuntimeError, () => nxt);
      expect(e.message).toBe('cannot reuse already awaited aclose()/athrow()');
    }
    loop.runUntilComplete(main());
  });

  it('test_async_gen_throw_same_aclose_coro_twice — throw(GeneratorExit) into an aclose() twice: StopIteration, then RuntimeError', () => {
    const it = asyncIterate();
    const nxt = it.aclose();
    // Python's StopIteration out of throw(): the awaitable finishes.
    expect(nxt.throw(new GeneratorExit()).done).toBe(true);
    expectThrows(() => nxt.throw(new GeneratorExit()), RuntimeError, /^cannot reuse already awaited aclose\(\)\/athrow\(\)$/);
  });

  it('test_async_gen_throw_custom_same_aclose_coro_twice — throw(MyException) into an aclose() twice: it, then RuntimeError', () => {
    const it = asyncIterate();
    class MyException extends Error {}
    const nxt = it.aclose();
    expectThrows(() => nxt.throw(new MyException()), MyException);
    expectThrows(() => nxt.throw(new MyException()), RuntimeError, /^cannot reuse already awaited aclose\(\)\/athrow\(\)$/);
  });

  it('test_async_gen_throw_custom_same_athrow_coro_twice — throw(MyException) into an athrow() twice: it, then RuntimeError', () => {
    const it = asyncIterate();
    class MyException extends Error {}
    const nxt = it.athrow(MyException);
    expectThrows(() => nxt.throw(new MyException()), MyException);
    expectThrows(() => nxt.throw(new MyException()), RuntimeError, /^cannot reuse already awaited aclose\(\)\/athrow\(\)$/);
  });

  it('test_async_gen_aclose_twice_with_different_coros — aclose() twice, two awaitables: both finish', () => {
    function* main(): Coro<void> {
      const it = asyncIterate();
      yield* it.aclose();
      yield* it.aclose();
    }
    loop.runUntilComplete(main());
  });

  it('test_async_gen_aclose_after_exhaustion — aclose() of an exhausted generator finishes', () => {
    function* main(): Coro<void> {
      const it = asyncIterate();
      yield* asyncFor(it, function* () {});
      yield* it.aclose();
    }
    loop.runUntilComplete(main());
  });

  it('test_async_gen_aclose_compatible_with_get_stack — a task running aclose() has a stack to get', () => {
    const agen = asyncGenerator(function* asyncGenerator_(): AsyncGen<object> {
      yield* emit({});
    });
    function* main(): Coro<void> {
      const ag = agen();
      createTask(ag.aclose());
      for (const task of allTasks()) expect(() => (task as Task<unknown>).getStack()).not.toThrow();
    }
    loop.runUntilComplete(main());
  });
});
