// createTask, loop.createTask and ensureFuture: which loop a task lands on, names,
// and the errors for a missing or closed loop and for things that cannot be awaited.
// Every expectation is CPython 3.13.2's output for the equivalent Python program.

import { describe, expect, it } from 'vitest';
import {
  createTask, ensureFuture, EventLoop, getRunningLoop, repr, RuntimeError, ValueError, type Coro, type Future,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { py } from '../_support/python.js';

function* one(): Coro<number> {
  return 1;
}

describe('createTask', () => {
  it("throws RuntimeError 'no running event loop' outside a running loop", () => {
    const c = one();
    expect(() => createTask(c)).toThrow(RuntimeError);
    expect(() => createTask(c)).toThrow(/^no running event loop$/);
    c.return(0);
  });

  it('creates a task on the running loop with the given name; loop.createTask likewise', () => {
    const loop = new EventLoop();
    const trace: string[] = [];
    function* quick(v: number): Coro<number> {
      trace.push(`quick ${v} runs on ${getRunningLoop() === loop ? 'main' : 'other'}`);
      return v;
    }
    function* main(): Coro<void> {
      const tn = createTask(quick(5), { name: 'w' });
      const tl = loop.createTask(quick(6), { name: 'lw' });
      trace.push(`${tn.getName()} ${tl.getName()} ${yield* tn} ${yield* tl}`);
    }
    loop.runUntilComplete(main());
    loop.close();
    expect(trace).toEqual(['quick 5 runs on main', 'quick 6 runs on main', 'w lw 5 6']);
  });
});

describe('EventLoop.createTask', () => {
  it("throws RuntimeError 'Event loop is closed' on a closed loop", () => {
    const loop = new EventLoop();
    loop.close();
    const c = one();
    expect(() => loop.createTask(c)).toThrow(RuntimeError);
    expect(() => loop.createTask(c)).toThrow(/^Event loop is closed$/);
    c.return(0);
  });
});

describe('ensureFuture', () => {
  it('wraps a coroutine in a Task of the given loop, which runs when that loop runs', () => {
    const loop = new EventLoop();
    const trace: string[] = [];
    function* quick(v: number): Coro<number> {
      trace.push(`quick ${v} runs`);
      return v;
    }
    const t = ensureFuture(quick(2), { loop });
    trace.push(`${t.constructor.name} ${py(t.getLoop() === loop)} ${py(t.done())}`);
    trace.push(`${loop.runUntilComplete(t)}`);
    loop.close();
    expect(trace).toEqual(['Task True False', 'quick 2 runs', '2']);
  });

  it('returns a future as it is, and refuses one of another loop with ValueError', () => {
    const loop = new EventLoop();
    const other = new EventLoop();
    const f = loop.createFuture();
    expect(ensureFuture(f)).toBe(f);
    expect(ensureFuture(f, { loop })).toBe(f);
    expect(() => ensureFuture(f, { loop: other })).toThrow(ValueError);
    expect(() => ensureFuture(f, { loop: other })).toThrow(
      /^The future belongs to a different loop than the one specified as the loop argument$/,
    );
    loop.close();
    other.close();
  });

  it("throws TypeError 'An asyncio.Future, a coroutine or an awaitable is required' for anything else", () => {
    const loop = new EventLoop();
    // Iterators are not awaitables either: asyncio.ensure_future(iter([1, 2])) raises too.
    const iterator = { next: () => ({ done: true, value: undefined }), [Symbol.iterator]() { return this; } };
    const bads: unknown[] = [42, 'abc', [1, 2], undefined, one, [1, 2].values(), new Map().keys(), iterator];
    for (const bad of bads) {
      expect(() => ensureFuture(bad as Coro<number>, { loop })).toThrow(TypeError);
      expect(() => ensureFuture(bad as Coro<number>, { loop })).toThrow(
        /^An asyncio\.Future, a coroutine or an awaitable is required$/,
      );
    }
    loop.close();
  });

  it('is what loop.runUntilComplete uses: an iterator gets the same TypeError', () => {
    // loop.run_until_complete(iter([1, 2])) -> TypeError: An asyncio.Future, a coroutine or an awaitable is required
    const loop = new EventLoop();
    expect(() => loop.runUntilComplete([1, 2].values() as never)).toThrow(TypeError);
    expect(() => loop.runUntilComplete([1, 2].values() as never)).toThrow(/^An asyncio\.Future, a coroutine or an awaitable is required$/);
    loop.close();
  });

  it('uses the running loop by default, or the given one, and wraps an awaitable in a task', () => {
    const loop = new EventLoop();
    const other = new EventLoop();
    const trace: string[] = [];
    function* quick(v: number): Coro<number> {
      trace.push(`quick ${v} runs on ${getRunningLoop() === loop ? 'main' : 'other'}`);
      return v;
    }
    // Python: a class whose __await__ does `yield from asyncio.sleep(0).__await__()` and returns 'awaited'.
    const awaitable = {
      *[Symbol.iterator](): Generator<undefined, string, unknown> {
        yield;
        return 'awaited';
      },
    };
    let t2: Future<number> | undefined;
    let t3Repr = '';
    function* main(): Coro<void> {
      const t1 = ensureFuture(quick(3));
      trace.push(`${t1.constructor.name} ${py(t1.getLoop() === loop)}`);
      t2 = ensureFuture(quick(4), { loop: other });
      trace.push(py(t2.getLoop() === other));
      const t3 = ensureFuture(awaitable);
      t3Repr = normaliseSites(repr(t3));
      trace.push(`${yield* t1} ${yield* t3}`);
    }
    loop.runUntilComplete(main());
    trace.push(`${other.runUntilComplete(t2!)}`);
    loop.close();
    other.close();
    expect(trace).toEqual(['Task True', 'True', 'quick 3 runs on main', '3 awaited', 'quick 4 runs on other', '4']);
    // CPython prints the qualname ensure_future.<locals>._wrap_awaitable; aiosim prints bare
    // function names (docs/divergences.md, "Function names"), so either form passes.
    expect(t3Repr).toMatch(/^<Task pending name='Task-\d+' coro=<(ensure_future\.<locals>\.)?_wrap_awaitable\(\) running at F:L>>$/);
  });
});
