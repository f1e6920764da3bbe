// CPython 3.13's test_asyncio/test_futures.py, DuckTests: one `it` per test method, titled
// after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { ensureFuture, EventLoop, Future, wrapFuture } from '../../../src/index.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

// A duck-typed future (DuckFuture): not a Future, but it advertises itself as one.
class DuckFuture {
  _asyncioFutureBlocking = false;
  #cancelled = false;
  #result: unknown = undefined;
  #exception: unknown = undefined;

  cancel(): boolean {
    if (this.done()) return false;
    this.#cancelled = true;
    return true;
  }
  cancelled(): boolean {
    return this.#cancelled;
  }
  done(): boolean {
    return this.#cancelled || this.#result !== undefined || this.#exception !== undefined;
  }
  result(): unknown {
    if (this.#exception !== undefined) throw this.#exception;
    return this.#result;
  }
  exception(): unknown {
    return this.#exception;
  }
  setResult(result: unknown): void {
    this.#result = result;
  }
  setException(exception: unknown): void {
    this.#exception = exception;
  }
  *[Symbol.iterator](): Generator<unknown, unknown, unknown> {
    if (!this.done()) {
      this._asyncioFutureBlocking = true;
      yield this;
    }
    return this.result();
  }
}

describe('DuckTests', () => {
  it('test_wrap_future — wrapFuture returns a duck-typed future as it is', () => {
    const f = new DuckFuture();
    expect(wrapFuture(f as unknown as Future<unknown>)).toBe(f);
  });

  it('test_ensure_future — ensureFuture returns a duck-typed future as it is', () => {
    const f = new DuckFuture();
    expect(ensureFuture(f as unknown as Future<unknown>)).toBe(f);
  });
});
