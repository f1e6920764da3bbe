// CPython 3.13's test_asyncgen.py, AsyncGenAsyncioTest (continued): aclose, asend and
// athrow on a loop (finalisation and awaitables reused: async-gen-asyncio-shutdown.test.ts).
// One `it` per test method, titled after it. Module notes and helpers: ./_support.ts;
// the table: docs/cpython-tests/test_asyncgen.md.

import { describe, expect, it } from 'vitest';
import {
  anext, asyncGenerator, CancelledError, createTask, emit, gcCollect, RuntimeError, sleep, StopAsyncIteration, StopIteration,
  type AsyncGen, type Coro, type EventLoop,
} from '../../../src/index.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaises, expectThrows } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

class FooEr extends Error {}

describe('AsyncGenAsyncioTest', () => {
  it('test_anext_return_generator — an anext() returning a generator (no awaitable in Python) is refused when awaited', () => {
    // Python's `def __anext__(self): yield` returns a generator, which `await` refuses; a
    // JavaScript generator object is what aiosim awaits, so the port returns a plain
    // iterator that is not awaitable, as test_anext_return_iterator does with iter("abc").
    class WithGenAnext {
      aiter(): this {
        return this;
      }
      anext(): never {
        return [undefined].values() as never;
      }
    }
    function* check(): Coro<string> {
      yield* assertRaises(TypeError, () => anext(new WithGenAnext(), 'default') as Coro<unknown>);
      yield* assertRaises(TypeError, () => anext(new WithGenAnext()) as Coro<unknown>);
      return 'completed';
    }
    expect(loop.runUntilComplete(check())).toBe('completed');
  });

  it("test_async_gen_asyncio_aclose_06 — a finally that awaits and emits makes aclose() raise 'async generator ignored GeneratorExit'", () => {
    const foo = asyncGenerator(function* foo(): AsyncGen<number> {
      try {
        yield* emit(1);
        throw new ZeroDivisionError();
      } finally {
        yield* sleep(0.01);
        yield* emit(12);
      }
    });
    function* main(): Coro<void> {
      const gen = foo();
      const it = gen.aiter();
      yield* it.anext();
      yield* gen.aclose();
    }
    expectThrows(() => loop.runUntilComplete(main()), RuntimeError, /async generator ignored GeneratorExit/);
  });

  it('test_async_gen_asyncio_aclose_07 — aclose() runs a finally that awaits twice, and not the code after it', () => {
    let DONE = 0;
    const foo = asyncGenerator(function* foo(): AsyncGen<number> {
      try {
        yield* emit(1);
        throw new ZeroDivisionError();
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE += 1;
      }
      DONE += 1000;
    });
    function* main(): Coro<void> {
      const gen = foo();
      yield* gen.aiter().anext();
      yield* gen.aclose();
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_aclose_08 — aclose() of a generator suspended at a value, before it awaits a future', () => {
    let DONE = 0;
    const fut = loop.createFuture<void>();
    const foo = asyncGenerator(function* foo(): AsyncGen<number> {
      try {
        yield* emit(1);
        yield* fut;
        DONE += 1000;
        yield* emit(2);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE += 1;
      }
      DONE += 1000;
    });
    function* main(): Coro<void> {
      const gen = foo();
      expect(yield* gen.aiter().anext()).toBe(1);
      yield* gen.aclose();
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(1);
    fut.cancel();
    loop.runUntilComplete(sleep(0.01));
  });

  it('test_async_gen_asyncio_gc_aclose_09 — a generator freed unfinished is closed by the aclose() task the finalizer hook schedules', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      try {
        for (;;) yield* emit(1);
      } finally {
        yield* sleep(0);
        DONE = 1;
      }
    });
    function* main(): Coro<void> {
      let g: ReturnType<typeof gen> | undefined = gen();
      yield* g.anext();
      yield* g.anext();
      g = undefined;
      gcCollect();
      // Starts running the aclose task, then its sleep(0) in the finally block.
      yield* sleep(0);
      yield* sleep(0);
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_aclose_10 — a body that swallows GeneratorExit and ends closes normally', () => {
    let DONE = 0;
    // The sync-generator sanity check: close() of a generator that swallows it.
    function* foo(): Generator<undefined> {
      try {
        yield;
      } catch {
        // pass
      }
    }
    const g0 = foo();
    g0.next();
    g0.return(undefined);
    const gen = asyncGenerator(function* gen(): AsyncGen<undefined> {
      try {
        yield* emit(undefined);
      } catch {
        // pass
      }
      DONE = 1;
    });
    function* main(): Coro<void> {
      const g = gen();
      yield* g.asend(undefined);
      yield* g.aclose();
      DONE += 10;
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(11);
  });

  it("test_async_gen_asyncio_aclose_11 — a body that swallows GeneratorExit and emits again: 'ignored GeneratorExit'", () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(): AsyncGen<undefined> {
      try {
        yield* emit(undefined);
      } catch {
        // pass
      }
      yield* emit(undefined);
      DONE += 1;
    });
    function* main(): Coro<void> {
      const g = gen();
      yield* g.asend(undefined);
      const e = yield* assertRaises(RuntimeError, () => g.aclose());
      expect(e.message).toMatch(/ignored GeneratorExit/);
      DONE += 10;
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(10);
  });

  it('test_async_gen_asyncio_aclose_12 — a finally awaiting a task that fails catches its error', () => {
    let DONE = 0;
    function* target(): Coro<never> {
      yield* sleep(0.01);
      throw new ZeroDivisionError();
    }
    const foo = asyncGenerator(function* foo(): AsyncGen<number> {
      const task = createTask(target());
      try {
        yield* emit(1);
      } finally {
        try {
          yield* task;
        } catch (e) {
          if (!(e instanceof ZeroDivisionError)) throw e;
          DONE = 1;
        }
      }
    });
    function* main(): Coro<void> {
      const gen = foo();
      yield* gen.aiter().anext();
      yield* gen.aclose();
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_asend_01 — asend() gives the next value, sends one in, runs the finally at the end', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(): AsyncGen<number, number> {
      try {
        yield* sleep(0.01);
        const v = yield* emit<number, number>(1);
        yield* sleep(0.01);
        yield* emit<number, number>(v! * 2);
        yield* sleep(0.01);
        return;
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined as never)).toBe(1);
      expect(yield* g.asend(100)).toBe(200);
      yield* assertRaises(StopAsyncIteration, () => g.asend(undefined as never));
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(1);
  });

  it("test_async_gen_asyncio_asend_02 — an error in the body's await after asend() runs the finally and propagates", () => {
    let DONE = 0;
    function* sleepNCrash(delay: number): Coro<never> {
      yield* sleep(delay);
      throw new ZeroDivisionError();
    }
    const gen = asyncGenerator(function* gen(): AsyncGen<number, number> {
      try {
        yield* sleep(0.01);
        const v = yield* emit<number, number>(1);
        yield* sleepNCrash(0.01);
        DONE += 1000;
        yield* emit<number, number>(v! * 2);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined as never)).toBe(1);
      yield* g.asend(100);
    }
    expectThrows(() => loop.runUntilComplete(main()), ZeroDivisionError);
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_asend_03 — a cancellation inside the body after asend() runs the finally and propagates', () => {
    let DONE = 0;
    function* sleepNCrash(delay: number): Coro<void> {
      const fut = loop.createTask(sleep(delay));
      loop.callLater(delay / 2, () => fut.cancel());
      return yield* fut;
    }
    const gen = asyncGenerator(function* gen(): AsyncGen<number, number> {
      try {
        yield* sleep(0.01);
        const v = yield* emit<number, number>(1);
        yield* sleepNCrash(0.01);
        DONE += 1000;
        yield* emit<number, number>(v! * 2);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined as never)).toBe(1);
      yield* g.asend(100);
    }
    expectThrows(() => loop.runUntilComplete(main()), CancelledError);
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_athrow_01 — athrow() of an exception class the body catches gives its next value', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      try {
        yield* sleep(0.01);
        let v: number;
        try {
          yield* emit(1);
          v = 1;
        } catch (e) {
          if (!(e instanceof FooEr)) throw e;
          v = 1000;
          yield* sleep(0.01);
        }
        yield* emit(v * 2);
        yield* sleep(0.01);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined)).toBe(1);
      expect(yield* g.athrow(FooEr)).toBe(2000);
      yield* assertRaises(StopAsyncIteration, () => g.asend(undefined));
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_athrow_02 — a cancellation while handling the thrown exception runs the finally before it propagates', () => {
    let DONE = 0;
    function* sleepNCrash(delay: number): Coro<void> {
      const fut = loop.createTask(sleep(delay));
      loop.callLater(delay / 2, () => fut.cancel());
      return yield* fut;
    }
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      try {
        yield* sleep(0.01);
        try {
          yield* emit(1);
        } catch (e) {
          if (!(e instanceof FooEr)) throw e;
          yield* sleepNCrash(0.01);
        }
        yield* emit(2);
        yield* sleep(0.01);
      } finally {
        yield* sleep(0.01);
        yield* sleep(0.01);
        DONE = 1;
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined)).toBe(1);
      try {
        yield* g.athrow(FooEr);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        expect(DONE).toBe(1);
        throw e;
      }
      expect.fail('CancelledError was not raised');
    }
    expectThrows(() => loop.runUntilComplete(main()), CancelledError);
    expect(DONE).toBe(1);
  });

  it('test_async_gen_asyncio_athrow_03 — athrow() into a body that swallows it and ends raises StopAsyncIteration', () => {
    let DONE = 0;
    const gen = asyncGenerator(function* gen(): AsyncGen<undefined> {
      try {
        yield* emit(undefined);
      } catch {
        // pass
      }
      DONE = 1;
    });
    function* main(): Coro<void> {
      const g = gen();
      yield* g.asend(undefined);
      yield* assertRaises(StopAsyncIteration, () => g.athrow(new Error('ValueError')));
      DONE += 10;
    }
    loop.runUntilComplete(main());
    expect(DONE).toBe(11);
  });

  it('test_async_gen_asyncio_athrow_tuple — a tuple emitted after athrow() comes back whole', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number | number[]> {
      try {
        yield* emit(1);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit([2]);
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined)).toBe(1);
      expect(yield* g.athrow(ZeroDivisionError)).toEqual([2]);
      yield* assertRaises(StopAsyncIteration, () => g.asend(undefined));
    }
    loop.runUntilComplete(main());
  });

  it('test_async_gen_asyncio_athrow_stopiteration — a StopIteration emitted after athrow() is a value', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number | StopIteration> {
      try {
        yield* emit(1);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit(new StopIteration(2));
      }
    });
    function* main(): Coro<void> {
      const g = gen();
      expect(yield* g.asend(undefined)).toBe(1);
      const v = yield* g.athrow(ZeroDivisionError);
      expect(v).toBeInstanceOf(StopIteration);
      expect((v as StopIteration).value).toBe(2);
      yield* assertRaises(StopAsyncIteration, () => g.asend(undefined));
    }
    loop.runUntilComplete(main());
  });
});
