// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests (shield, and awaits that do not
// shield): one `it` per test method, titled after it. Module notes and shared helpers:
// ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, ensureFuture, Future, gather, RuntimeError, setEventLoop, shield, wait, type Coro,
} from '../../../src/index.js';
import { thrown } from '../../_support/capture.js';
import { runBriefly } from '../_support.js';
import { loopPerTest, newTaskTestLoop, type TestLoop } from './_support.js';

describe('BaseTaskTests', () => {
  let loop: TestLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  it('test_yield_future_passes_cancel — cancelling outer() cancels inner() and its waiter', () => {
    let proof = 0;
    const waiter = loop.createFuture();
    function* inner(): Coro<void> {
      try {
        yield* waiter;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        proof += 1;
        throw e;
      }
      expect.fail('got past sleep() in inner()');
    }
    function* outer(): Coro<void> {
      try {
        yield* inner();
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        proof += 100;
        return;
      }
      proof += 10;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    f.cancel();
    loop.runUntilComplete(f);
    expect(proof).toBe(101);
    expect(waiter.cancelled()).toBe(true);
  });

  // test_yield_wait_does_not_shield_cancel / test_shield_effect: outer() awaits
  // `guard(inner())` and is cancelled: it raises CancelledError while inner() goes on to
  // the end (proof 1, never 101).
  function expectInnerOutlivesOuter(guard: (inner: Coro<void>) => Coro<unknown> | Future<unknown>): void {
    let proof = 0;
    const waiter = loop.createFuture();
    function* inner(): Coro<void> {
      yield* waiter;
      proof += 1;
    }
    function* outer(): Coro<void> {
      yield* guard(inner());
      proof += 100;
    }
    const f = ensureFuture(outer(), { loop });
    runBriefly(loop);
    f.cancel();
    expect(() => loop.runUntilComplete(f)).toThrow(CancelledError);
    waiter.setResult(undefined);
    runBriefly(loop);
    expect(proof).toBe(1);
  }

  it('test_yield_wait_does_not_shield_cancel — cancelling outer() ends wait() early and leaves inner() running', () => {
    expectInnerOutlivesOuter((inner) => wait([createTask(inner)]));
  });

  it('test_shield_result — the outer future gets the inner result', () => {
    const inner = loop.createFuture<number>();
    const outer = shield(inner);
    inner.setResult(42);
    expect(loop.runUntilComplete(outer)).toBe(42);
  });

  it('test_shield_exception — the outer future gets the inner exception, the same object', () => {
    const inner = loop.createFuture();
    const outer = shield(inner);
    runBriefly(loop);
    const exc = new RuntimeError('expected');
    inner.setException(exc);
    runBriefly(loop);
    expect(outer.exception()).toBe(exc);
  });

  it('test_shield_cancel_inner — cancelling the inner future cancels the outer one', () => {
    const inner = loop.createFuture();
    const outer = shield(inner);
    runBriefly(loop);
    inner.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
  });

  it('test_shield_cancel_outer — cancelling the outer future leaves it with no callbacks', () => {
    const inner = loop.createFuture();
    const outer = shield(inner);
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    expect(outer._doneCallbacks().length).toBe(0);
  });

  it('test_shield_shortcut — shielding a done future gives its result', () => {
    const fut = loop.createFuture<number>();
    fut.setResult(42);
    expect(loop.runUntilComplete(shield(fut))).toBe(42);
  });

  it('test_shield_effect — cancelling outer() does not affect the shielded inner()', () => {
    expectInnerOutlivesOuter((inner) => shield(inner));
  });

  it('test_shield_gather — shield(gather(...)) keeps the gathering going when the outer is cancelled', () => {
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const parent = gather(child1, child2);
    const outer = shield(parent);
    runBriefly(loop);
    outer.cancel();
    runBriefly(loop);
    expect(outer.cancelled()).toBe(true);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
    expect(parent.result()).toEqual([1, 2]);
  });

  it('test_gather_shield — cancelling gather(shield, shield) cancels the shields, not the children', () => {
    const child1 = loop.createFuture<number>();
    const child2 = loop.createFuture<number>();
    const inner1 = shield(child1);
    const inner2 = shield(child2);
    const parent = gather(inner1, inner2);
    runBriefly(loop);
    parent.cancel();
    runBriefly(loop);
    expect(parent.exception()).toBeInstanceOf(CancelledError);
    expect(inner1.cancelled()).toBe(true);
    expect(inner2.cancelled()).toBe(true);
    expect(child1.cancelled()).toBe(false);
    expect(child2.cancelled()).toBe(false);
    child1.setResult(1);
    child2.setResult(2);
    runBriefly(loop);
  });

  it("test_shield_coroutine_without_loop — RuntimeError 'no current event loop'", () => {
    function* coro(): Coro<number> {
      return 42;
    }
    const inner = coro();
    const e = thrown(() => shield(inner));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/no current event loop/);
    inner.return(0);
  });

  it('test_shield_coroutine_use_running_loop — a coroutine is wrapped on the running loop', () => {
    function* coro(): Coro<number> {
      return 42;
    }
    function* test(): Coro<Future<number>> {
      return shield(coro());
    }
    const outer = loop.runUntilComplete(test());
    expect(outer._loop).toBe(loop);
    expect(loop.runUntilComplete(outer)).toBe(42);
  });

  it('test_shield_coroutine_use_global_loop — outside a loop, the current loop is used', () => {
    function* coro(): Coro<number> {
      return 42;
    }
    setEventLoop(loop);
    try {
      const outer = shield(coro());
      expect(outer._loop).toBe(loop);
      expect(loop.runUntilComplete(outer)).toBe(42);
    } finally {
      setEventLoop(undefined);
    }
  });

});
