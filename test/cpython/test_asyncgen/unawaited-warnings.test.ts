// CPython 3.13's test_asyncgen.py, TestUnawaitedWarnings: an async generator's awaitables
// never awaited warn when freed (in aiosim: at gcCollect()), the ones that ran do not.
// One `it` per test method, titled after it. Module notes and helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { asyncGenerator, emit, gcCollect, RuntimeError, warnings, type AsyncGen } from '../../../src/index.js';
import { expectThrows } from '../_support.js';

// `@types.coroutine def _async_yield(v): return (yield v)`
function* asyncYield(v: unknown): Generator<never, unknown, unknown> {
  return yield v as never;
}

const gen = asyncGenerator(function* gen(): AsyncGen<number> {
  yield* emit(1);
});

// What `fn` warns, as `<category>: <message>` (assertWarnsRegex's record).
function warned(fn: () => void): string[] {
  const shown: string[] = [];
  warnings.catchWarnings({}, () => {
    warnings.simplefilter('always');
    warnings.showwarning = (m, c) => shown.push(`${c.name}: ${String(m)}`);
    fn();
  });
  return shown;
}

describe('TestUnawaitedWarnings', () => {
  it("test_asend — an asend() never awaited warns: coroutine method 'asend' of 'gen' was never awaited", () => {
    // The free-list detail of gh-113753 is CPython's: an asend that ran first.
    const g0 = gen();
    expect(g0.asend(undefined).next().done).toBe(true);
    expect(
      warned(() => {
        const g = gen();
        g.asend(undefined);
        gcCollect();
      }),
    ).toEqual(["RuntimeWarning: coroutine method 'asend' of 'gen' was never awaited"]);
  });

  it("test_athrow — an athrow() never awaited warns: coroutine method 'athrow' of 'gen' was never awaited", () => {
    expect(
      warned(() => {
        const g = gen();
        g.athrow(RuntimeError);
        gcCollect();
      }),
    ).toEqual(["RuntimeWarning: coroutine method 'athrow' of 'gen' was never awaited"]);
  });

  it("test_aclose — an aclose() never awaited warns: coroutine method 'aclose' of 'gen' was never awaited", () => {
    expect(
      warned(() => {
        const g = gen();
        g.aclose();
        gcCollect();
      }),
    ).toEqual(["RuntimeWarning: coroutine method 'aclose' of 'gen' was never awaited"]);
  });

  it('test_aclose_throw — an aclose() thrown into raises what was thrown and does not warn', () => {
    const empty = asyncGenerator(function* gen(): AsyncGen<never> {
      return;
    });
    class MyException extends Error {}
    expect(
      warned(() => {
        const g = empty();
        expectThrows(() => g.aclose().throw(new MyException()), MyException);
        gcCollect();
      }),
    ).toEqual([]);
  });

  it("test_asend_send_already_running — a second asend() while one runs: 'anext(): asynchronous generator is already running', no warning", () => {
    const agenfn = asyncGenerator(function* agenfn(): AsyncGen<never> {
      for (;;) yield* asyncYield(1);
    });
    expect(
      warned(() => {
        const agen = agenfn();
        const g = agen.asend(undefined as never);
        g.next();
        const g2 = agen.asend(undefined as never);
        expectThrows(() => g2.next(), RuntimeError, /^anext\(\): asynchronous generator is already running$/);
        gcCollect();
      }),
    ).toEqual([]);
  });

  it("test_athrow_send_already_running — an athrow() while an asend() runs: 'athrow(): asynchronous generator is already running', no warning", () => {
    const agenfn = asyncGenerator(function* agenfn(): AsyncGen<never> {
      for (;;) yield* asyncYield(1);
    });
    expect(
      warned(() => {
        const agen = agenfn();
        const g = agen.asend(undefined as never);
        g.next();
        const g2 = agen.athrow(Error);
        expectThrows(() => g2.next(), RuntimeError, /^athrow\(\): asynchronous generator is already running$/);
        gcCollect();
      }),
    ).toEqual([]);
  });
});
