// CPython 3.13's test_asyncio/test_context.py, DecimalContextTest: each task has a copy of
// the context, so a setting one task makes (there, the `decimal` module's precision, which
// lives in a context variable) is not seen by another. aiosim has no `decimal`: the
// precision is a ContextVar of its own, and the division rounds to it.
// Table: docs/cpython-tests/test_context.md.

import { describe, expect, it } from 'vitest';
import { contextvars, gather, run, sleep, type Coro } from '../../../src/index.js';

// decimal's current context, reduced to its precision (significant digits).
const precision = new contextvars.ContextVar<number>('decimal_context', { default: 28 });

// Decimal(x) / Decimal(y) in the current context, as str() prints it.
function divide(x: number, y: number): string {
  return String(Number((x / y).toPrecision(precision.get())));
}

// decimal.localcontext(): a setting that holds until the block ends.
function* localPrecision<T>(prec: number, body: () => Coro<T>): Coro<T> {
  const token = precision.set(prec);
  try {
    return yield* body();
  } finally {
    precision.reset(token);
  }
}

describe('DecimalContextTest', () => {
  it("test_asyncio_task_decimal_context — each gathered task keeps its own precision across its sleep", () => {
    function* fractions(t: number, prec: number, x: number, y: number): Coro<[string, string]> {
      return yield* localPrecision(prec, function* () {
        const a = divide(x, y);
        yield* sleep(t);
        const b = divide(x, y ** 2);
        return [a, b] as [string, string];
      });
    }
    function* main(): Coro<[[string, string], [string, string]]> {
      const [r1, r2] = yield* gather(fractions(0.1, 3, 1, 3), fractions(0.2, 6, 1, 3));
      return [r1, r2];
    }
    const [r1, r2] = run(main());
    expect(r1[0]).toBe('0.333');
    expect(r1[1]).toBe('0.111');
    expect(r2[0]).toBe('0.333333');
    expect(r2[1]).toBe('0.111111');
    expect(precision.get()).toBe(28);
  });
});
