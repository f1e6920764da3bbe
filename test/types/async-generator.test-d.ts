// Type behaviour of async generators: asyncGenerator keeps the function's parameters, the
// awaitables of anext/asend/athrow/aclose give the value type with yield* and gather,
// anext/aiter infer the item type, emit() evaluates to what asend() sends when the body
// says so, and asyncFor gives the body's { return } value.

import { describe, expectTypeOf, it } from 'vitest';
import {
  aiter, anext, asCompleted, asyncFor, asyncGenerator, emit, gather, sleep,
  type AsyncGen, type AsyncGeneratorObject, type AwaitResult, type AsyncGenASend, type Coro, type Future, type LoopReturn,
} from '../../src/index.js';

const ticker = asyncGenerator(function* ticker(n: number): AsyncGen<number> {
  for (let i = 0; i < n; i++) {
    yield* sleep(1);
    yield* emit(i);
  }
});

const echo = asyncGenerator(function* echo(): AsyncGen<string, number> {
  const got = yield* emit<string, number>('ready');
  expectTypeOf(got).toEqualTypeOf<number | undefined>();
});

declare const fut: Future<string>;

describe('asyncGenerator', () => {
  it('keeps the parameters and gives an AsyncGeneratorObject of the emitted type', () => {
    expectTypeOf(ticker).parameters.toEqualTypeOf<[number]>();
    expectTypeOf(ticker(3)).toEqualTypeOf<AsyncGeneratorObject<number, undefined>>();
    expectTypeOf(echo()).toEqualTypeOf<AsyncGeneratorObject<string, number>>();
  });

  it('gives the emitted type from its awaitables', () => {
    function* main(): Coro<void> {
      const ag = ticker(3);
      expectTypeOf(yield* ag.anext()).toEqualTypeOf<number>();
      expectTypeOf(yield* echo().asend(1)).toEqualTypeOf<string>();
      expectTypeOf<AwaitResult<AsyncGenASend<number>>>().toEqualTypeOf<number>();
      const [a, b] = yield* gather(ag.anext(), fut);
      expectTypeOf(a).toEqualTypeOf<number>();
      expectTypeOf(b).toEqualTypeOf<string>();
      yield* ag.aclose();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('refuses to send a value of the wrong type', () => {
    // @ts-expect-error echo's consumer sends numbers
    echo().asend('x');
  });
});

describe('aiter, anext and asyncFor', () => {
  it('infer the item type', () => {
    function* main(): Coro<number | undefined> {
      const it = aiter(ticker(2));
      expectTypeOf(it).toEqualTypeOf<AsyncGeneratorObject<number, undefined>>();
      expectTypeOf(yield* anext(it)).toEqualTypeOf<number>();
      expectTypeOf(yield* anext(it, 'end')).toEqualTypeOf<number | string>();
      const r = yield* asyncFor(ticker(5), function* (i) {
        expectTypeOf(i).toEqualTypeOf<number>();
        if (i === 3) return { return: i };
        return asyncFor.CONTINUE;
      });
      expectTypeOf(r).toEqualTypeOf<LoopReturn<number> | undefined>();
      yield* asyncFor(asCompleted([fut]), function* (f) {
        expectTypeOf(f).toEqualTypeOf<Future<string>>();
      });
      return r?.return;
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<number | undefined>>();
  });
});

describe('AsyncGen', () => {
  it('refuses a return value, as Python refuses `return 123` in an async generator (test_asyncgen AsyncGenSyntaxTest 03-05)', () => {
    asyncGenerator(function* foo(): AsyncGen<undefined> {
      yield* emit(undefined);
      // @ts-expect-error an async generator returns nothing
      return 123;
    });
  });
});
