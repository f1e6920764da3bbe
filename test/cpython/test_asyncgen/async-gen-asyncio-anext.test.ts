// CPython 3.13's test_asyncgen.py, AsyncGenAsyncioTest (aiter, anext and iteration on a
// loop): one `it` per test method, titled after it. Module notes and helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  aiter, anext, asyncFor, asyncGenerator, coroutine, emit, sleep, StopAsyncIteration, StopIteration, type AsyncGen,
  type AsyncGeneratorObject, type AsyncIterableLike, type AsyncIteratorLike, type Coro, type EventLoop,
} from '../../../src/index.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { assertRaises, expectThrows } from '../_support.js';
import { loopPerTest, pyAnext, stopValue } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

class MyError extends Error {}

// `@types.coroutine def _async_yield(v): return (yield v)`
function* asyncYield(v: unknown): Generator<never, unknown, unknown> {
  return yield v as never;
}

type AnextFn = (it: AsyncIteratorLike<number>, ...dflt: [unknown?]) => Coro<unknown>;
const builtinAnext: AnextFn = (it, ...dflt) => (dflt.length === 0 ? anext(it) : anext(it, dflt[0])) as Coro<unknown>;
const ANEXTS: [string, AnextFn][] = [['pure-Python', (it, ...d) => (d.length === 0 ? pyAnext(it) : pyAnext(it, d[0]))], ['builtin', builtinAnext]];

// self.to_list: collect an async iterable with async for.
function* toList<T>(gen: AsyncIterableLike<T>): Coro<T[]> {
  const res: T[] = [];
  yield* asyncFor(gen, function* (i) {
    res.push(i);
  });
  return res;
}

// check_async_iterator_anext, for both anext()s (the test's subTests).
function checkAsyncIteratorAnext(make: () => AsyncIteratorLike<number>): void {
  for (const [, anextFn] of ANEXTS) {
    const g = make();
    function* consume(): Coro<unknown[]> {
      const results: unknown[] = [];
      results.push(yield* anextFn(g));
      results.push(yield* anextFn(g));
      results.push(yield* anextFn(g, 'buckle my shoe'));
      return results;
    }
    expect(loop.runUntilComplete(consume())).toEqual([1, 2, 'buckle my shoe']);
    expectThrows(() => loop.runUntilComplete(consume()), StopAsyncIteration);

    function* test2(): Coro<string> {
      const g1 = make();
      expect(yield* anextFn(g1)).toBe(1);
      expect(yield* anextFn(g1)).toBe(2);
      yield* assertRaises(StopAsyncIteration, () => anextFn(g1));
      yield* assertRaises(StopAsyncIteration, () => anextFn(g1));
      const g2 = make();
      expect(yield* anextFn(g2, 'default')).toBe(1);
      expect(yield* anextFn(g2, 'default')).toBe(2);
      expect(yield* anextFn(g2, 'default')).toBe('default');
      expect(yield* anextFn(g2, 'default')).toBe('default');
      return 'completed';
    }
    expect(loop.runUntilComplete(test2())).toBe('completed');

    // test_send: the awaitable's first send finishes it (StopIteration).
    const obj = anextFn(make(), 'completed')[Symbol.iterator]();
    try {
      expect(obj.next().done).toBe(true);
    } finally {
      obj.return(undefined);
    }

    function* testThrow(): Coro<string> {
      const thrower = anextFn(make(), 'completed');
      expectThrows(() => thrower.throw(new SyntaxError()), SyntaxError);
      return 'completed';
    }
    expect(loop.runUntilComplete(testThrow())).toBe('completed');
  }
}

describe('AsyncGenAsyncioTest', () => {
  it('test_async_generator_anext — anext() and a default on an async generator, both anext()s', () => {
    const agen = asyncGenerator(function* agen(): AsyncGen<number> {
      yield* emit(1);
      yield* emit(2);
    });
    checkAsyncIteratorAnext(() => agen());
  });

  it('test_python_async_iterator_anext — the same on a class whose anext() is a coroutine', () => {
    class MyAsyncIter {
      yielded = 0;
      aiter(): this {
        return this;
      }
      anext = coroutine(function* anext(this: MyAsyncIter): Coro<number> {
        if (this.yielded >= 2) throw new StopAsyncIteration();
        this.yielded += 1;
        return this.yielded;
      });
    }
    checkAsyncIteratorAnext(() => new MyAsyncIter());
  });

  it('test_python_async_iterator_types_coroutine_anext — the same with a plain generator as anext() (types.coroutine)', () => {
    class MyAsyncIterWithTypesCoro {
      yielded = 0;
      aiter(): this {
        return this;
      }
      *anext(): Coro<number> {
        if (this.yielded >= 2) throw new StopAsyncIteration();
        this.yielded += 1;
        return this.yielded;
      }
    }
    checkAsyncIteratorAnext(() => new MyAsyncIterWithTypesCoro());
  });

  it('test_async_gen_aiter — async for over aiter(g)', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
      yield* emit(2);
    });
    const g = gen();
    expect(loop.runUntilComplete(toList(aiter(g)))).toEqual([1, 2]);
  });

  it("test_async_gen_aiter_class — aiter() of a class whose aiter() is an async generator, consumed with anext()", () => {
    const results: number[] = [];
    const aiterOfGen = asyncGenerator(function* __aiter__(): AsyncGen<number> {
      yield* emit(1);
      yield* emit(2);
    });
    class Gen {
      aiter(): AsyncGeneratorObject<number> {
        return aiterOfGen();
      }
    }
    const g = new Gen();
    function* consume(): Coro<void> {
      const ait = aiter(g);
      for (;;) {
        try {
          results.push(yield* anext(ait));
        } catch (e) {
          if (e instanceof StopAsyncIteration) break;
          throw e;
        }
      }
    }
    loop.runUntilComplete(consume());
    expect(results).toEqual([1, 2]);
  });

  it('test_aiter_idempotent — aiter() of an async iterator is itself', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
    });
    const appliedOnce = aiter(gen());
    expect(aiter(appliedOnce)).toBe(appliedOnce);
  });

  it('test_anext_bad_args — anext() with no argument, too many, or a non-iterator raises TypeError', () => {
    // The fourth case, a keyword argument, has no JavaScript counterpart.
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
    });
    const call = (f: (...a: unknown[]) => unknown) => function* (): Coro<void> {
      yield* f() as Coro<unknown>;
    };
    const anyAnext = anext as unknown as (...a: unknown[]) => unknown;
    expectThrows(() => loop.runUntilComplete(call(() => anyAnext())()), TypeError, /^anext expected at least 1 argument, got 0$/);
    expectThrows(() => loop.runUntilComplete(call(() => anyAnext(gen(), 1, 3))()), TypeError, /^anext expected at most 2 arguments, got 3$/);
    expectThrows(() => loop.runUntilComplete(call(() => anyAnext(1, gen()))()), TypeError, /^'int' object is not an async iterator$/);
  });

  it('test_anext_bad_await — an anext() result whose __await__ is no iterator: TypeError, with and without default', () => {
    function* badAwaitable(): Coro<string> {
      const BadAwaitable = { [Symbol.iterator]: () => 42 };
      class MyAsyncIter {
        aiter(): this {
          return this;
        }
        anext(): never {
          return BadAwaitable as never;
        }
      }
      const regex = /__await__.*iterator/;
      let aw: Coro<unknown> = anext(new MyAsyncIter(), 'default') as Coro<unknown>;
      expect((yield* assertRaises(TypeError, aw)).message).toMatch(regex);
      aw = anext(new MyAsyncIter()) as Coro<unknown>;
      expect((yield* assertRaises(TypeError, aw)).message).toMatch(regex);
      return 'completed';
    }
    expect(loop.runUntilComplete(badAwaitable())).toBe('completed');
  });

  it('test_anext_return_iterator — an anext() returning a plain iterator is no awaitable: TypeError', () => {
    class WithIterAnext {
      aiter(): this {
        return this;
      }
      anext(): never {
        return 'abc'[Symbol.iterator]() as never;
      }
    }
    function* check(): Coro<string> {
      yield* assertRaises(TypeError, () => anext(new WithIterAnext(), 'default') as Coro<unknown>);
      yield* assertRaises(TypeError, () => anext(new WithIterAnext()) as Coro<unknown>);
      return 'completed';
    }
    expect(loop.runUntilComplete(check())).toBe('completed');
  });

  it('test_anext_await_raises — an exception raised by the awaitable’s __await__ propagates, with and without default', () => {
    class RaisingAwaitable {
      *[Symbol.iterator](): Generator<never, never, unknown> {
        throw new ZeroDivisionError();
      }
    }
    class WithRaisingAwaitableAnext {
      aiter(): this {
        return this;
      }
      anext(): RaisingAwaitable {
        return new RaisingAwaitable();
      }
    }
    function* doTest(): Coro<string> {
      yield* assertRaises(ZeroDivisionError, () => anext(new WithRaisingAwaitableAnext()) as Coro<unknown>);
      yield* assertRaises(ZeroDivisionError, () => anext(new WithRaisingAwaitableAnext(), 'default') as Coro<unknown>);
      return 'completed';
    }
    expect(loop.runUntilComplete(doTest())).toBe('completed');
  });

  it("test_anext_iter — an anext(agen, 'default') awaitable driven by hand: send, throw and close, both anext()s", () => {
    const agenfn = asyncGenerator(function* agenfn(): AsyncGen<never> {
      try {
        yield* asyncYield(1);
      } catch (e) {
        if (!(e instanceof MyError)) throw e;
        yield* asyncYield(2);
      }
    });
    // _async_yield of test4..6: yields v*10, then returns what v*10+1 is sent.
    function* asyncYield2(v: number): Generator<never, unknown, unknown> {
      yield (v * 10) as never;
      return yield (v * 10 + 1) as never;
    }
    const agenfn4 = asyncGenerator(function* agenfn(): AsyncGen<never> {
      try {
        yield* asyncYield2(1);
      } catch (e) {
        if (!(e instanceof MyError)) throw e;
        yield* asyncYield2(2);
      }
    });
    const agenfn5 = asyncGenerator(function* agenfn(): AsyncGen<string> {
      try {
        yield* asyncYield2(1);
      } catch (e) {
        if (!(e instanceof MyError)) throw e;
        return;
      }
      yield* emit('aaa');
    });
    const agenfn6 = asyncGenerator(function* agenfn(): AsyncGen<string> {
      yield* asyncYield2(1);
      yield* emit('aaa');
    });
    const awaitIter = (fn: AnextFn, agen: AsyncIteratorLike<number>): Iterator<unknown, unknown, unknown> => fn(agen, 'default')[Symbol.iterator]();
    const closing = (g: Iterator<unknown, unknown, unknown>, body: () => void): void => {
      try {
        body();
      } finally {
        g.return!(undefined);
      }
    };
    for (const [, fn] of ANEXTS) {
      let g = awaitIter(fn, agenfn() as never);
      closing(g, () => {
        expect(g.next().value).toBe(1);
        expect(g.throw!(new MyError()).value).toBe(2);
        expect(stopValue(g.next())).toBe('default');
      });
      g = awaitIter(fn, agenfn() as never);
      closing(g, () => {
        expect(g.next().value).toBe(1);
        expect(g.throw!(new MyError()).value).toBe(2);
        expectThrows(() => g.throw!(new MyError()), MyError);
      });
      g = awaitIter(fn, agenfn() as never);
      closing(g, () => {
        expect(g.next().value).toBe(1);
        g.return!(undefined);
        expectThrows(() => g.next(), Error, /cannot reuse/);
      });
      g = awaitIter(fn, agenfn4() as never);
      closing(g, () => {
        expect(g.next().value).toBe(10);
        expect(g.throw!(new MyError()).value).toBe(20);
        expectThrows(() => g.throw!(new MyError('val')), MyError, /val/);
      });
      g = awaitIter(fn, agenfn5() as never);
      closing(g, () => {
        expect(g.next().value).toBe(10);
        expect(stopValue(g.throw!(new MyError()))).toBe('default');
      });
      g = awaitIter(fn, agenfn6() as never);
      closing(g, () => {
        expectThrows(() => g.throw!(new MyError()), MyError);
      });
    }
  });

  it('test_aiter_bad_args — aiter() with no argument, too many, or a non-iterable raises TypeError', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
    });
    const anyAiter = aiter as unknown as (...a: unknown[]) => unknown;
    const call = (f: () => unknown) => function* (): Coro<void> {
      f();
    };
    expectThrows(() => loop.runUntilComplete(call(() => anyAiter())()), TypeError, /^aiter expected 1 argument, got 0$/);
    expectThrows(() => loop.runUntilComplete(call(() => anyAiter(gen(), 1))()), TypeError, /^aiter expected 1 argument, got 2$/);
    expectThrows(() => loop.runUntilComplete(call(() => anyAiter(1))()), TypeError, /^'int' object is not an async iterable$/);
  });

  it('test_async_gen_asyncio_01 — a generator that sleeps between values, and returns early', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
      yield* sleep(0.01);
      yield* emit(2);
      yield* sleep(0.01);
      return;
      yield* emit(3);
    });
    expect(loop.runUntilComplete(toList(gen()))).toEqual([1, 2]);
  });

  it('test_async_gen_asyncio_02 — an error in the generator propagates out of async for', () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
      yield* sleep(0.01);
      yield* emit(2);
      throw new ZeroDivisionError();
      yield* emit(3);
    });
    expectThrows(() => loop.runUntilComplete(toList(gen())), ZeroDivisionError);
  });

  it('test_async_gen_asyncio_03 — async for over an object whose aiter() is an async generator', () => {
    const genAiter = asyncGenerator(function* __aiter__(): AsyncGen<number> {
      yield* emit(1);
      yield* sleep(0.01);
      yield* emit(2);
    });
    class Gen {
      aiter(): AsyncGeneratorObject<number> {
        return genAiter();
      }
    }
    expect(loop.runUntilComplete(toList(new Gen()))).toEqual([1, 2]);
  });

  const foo04 = asyncGenerator(function* foo(): AsyncGen<number> {
    yield* emit(1);
    yield* sleep(0.01);
    try {
      yield* emit(2);
      yield* emit(3);
    } catch (e) {
      if (!(e instanceof ZeroDivisionError)) throw e;
      yield* emit(1000);
    }
    yield* sleep(0.01);
    yield* emit(4);
  });

  it('test_async_gen_asyncio_anext_04 — anext to the end (StopAsyncIteration twice); a throw into an anext awaitable', () => {
    function* run1(): Coro<void> {
      const it = foo04().aiter();
      expect(yield* it.anext()).toBe(1);
      expect(yield* it.anext()).toBe(2);
      expect(yield* it.anext()).toBe(3);
      expect(yield* it.anext()).toBe(4);
      yield* assertRaises(StopAsyncIteration, () => it.anext());
      yield* assertRaises(StopAsyncIteration, () => it.anext());
    }
    function* run2(): Coro<void> {
      const it = foo04().aiter();
      expect(yield* it.anext()).toBe(1);
      expect(yield* it.anext()).toBe(2);
      expect(stopValue(it.anext().throw(new ZeroDivisionError()))).toBe(1000);
      expect(yield* it.anext()).toBe(4);
      yield* assertRaises(StopAsyncIteration, () => it.anext());
    }
    loop.runUntilComplete(run1());
    loop.runUntilComplete(run2());
  });

  it('test_async_gen_asyncio_anext_05 — a value sent into an anext awaitable reaches the generator', () => {
    const foo = asyncGenerator(function* foo(): AsyncGen<number, number> {
      let v = yield* emit<number, number>(1);
      v = yield* emit<number, number>(v!);
      yield* emit<number, number>(v! * 100);
    });
    function* run(): Coro<void> {
      const it = foo().aiter();
      expect(stopValue(it.anext().next())).toBe(1);
      expect(stopValue(it.anext().next(10))).toBe(10);
      expect(stopValue(it.anext().next(12))).toBe(1200);
      yield* assertRaises(StopAsyncIteration, () => it.anext());
    }
    loop.runUntilComplete(run());
  });

  it('test_async_gen_asyncio_anext_06 — asend to the end runs the code after the last value', () => {
    let DONE = 0;
    function* syncFoo(): Generator<undefined> {
      try {
        yield;
      } catch {
        // pass
      }
    }
    const sg = syncFoo();
    sg.next();
    expect(sg.next().done).toBe(true);
    const gen = asyncGenerator(function* gen(): AsyncGen<undefined> {
      try {
        yield* emit(undefined);
      } catch {
        // pass
      }
      DONE = 1;
    });
    function* run(): Coro<void> {
      const g = gen();
      yield* g.asend(undefined);
      yield* assertRaises(StopAsyncIteration, () => g.asend(undefined));
      DONE += 10;
    }
    loop.runUntilComplete(run());
    expect(DONE).toBe(11);
  });

  it('test_async_gen_asyncio_anext_tuple — a tuple emitted after a throw comes out of the StopIteration whole', () => {
    const foo = asyncGenerator(function* foo(): AsyncGen<number[]> {
      try {
        yield* emit([1]);
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit([2]);
      }
    });
    function* run(): Coro<void> {
      const it = foo().aiter();
      expect(yield* it.anext()).toEqual([1]);
      expect(stopValue(it.anext().throw(new ZeroDivisionError()))).toEqual([2]);
      yield* assertRaises(StopAsyncIteration, () => it.anext());
    }
    loop.runUntilComplete(run());
  });

  it('test_async_gen_asyncio_anext_stopiteration — a StopIteration emitted as a value is a value', () => {
    const foo = asyncGenerator(function* foo(): AsyncGen<StopIteration> {
      try {
        yield* emit(new StopIteration(1));
      } catch (e) {
        if (!(e instanceof ZeroDivisionError)) throw e;
        yield* emit(new StopIteration(3));
      }
    });
    function* run(): Coro<void> {
      const it = foo().aiter();
      const v = yield* it.anext();
      expect(v).toBeInstanceOf(StopIteration);
      expect(v.value).toBe(1);
      const v3 = stopValue(it.anext().throw(new ZeroDivisionError()));
      expect(v3).toBeInstanceOf(StopIteration);
      expect((v3 as StopIteration).value).toBe(3);
      yield* assertRaises(StopAsyncIteration, () => it.anext());
    }
    loop.runUntilComplete(run());
  });
});
