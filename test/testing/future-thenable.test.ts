// Futures (and tasks) are thenables: outside an async-function step, `await fut` in any
// JavaScript async function settles when the future is done; `yield* fut` never uses
// then(). Inside a step, the await is the task's (async-coroutine.test.ts).

import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError, createTask, EventLoop, Future, repr, sleep, type Coro } from '../../src/index.js';
import { Trace } from '../../src/testing/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';

class MyError extends Error {}

async function settle<T>(p: PromiseLike<T>): Promise<['ok', T] | ['error', unknown]> {
  try {
    return ['ok', await p];
  } catch (e) {
    return ['error', e];
  }
}

describe('Future.then', () => {
  it('settles at once for a done future: its result, its exception (retrieved), or CancelledError', async () => {
    const loop = new EventLoop();
    const ok = loop.createFuture<number>();
    ok.setResult(42);
    const err = new MyError('bad');
    const failed = loop.createFuture<number>();
    failed.setException(err);
    const cancelled = loop.createFuture<number>();
    cancelled.cancel('why');
    expect(await settle(ok)).toEqual(['ok', 42]);
    const [kind, e] = await settle(failed);
    expect(kind).toBe('error');
    expect(e).toBe(err);
    const [, c] = await settle(cancelled);
    expect(c).toBeInstanceOf(CancelledError);
    expect(repr(c)).toBe("CancelledError('why')");
    // Awaiting retrieved the exception: closing reports nothing.
    expect(captureAsyncioLogs(() => loop.close())).toEqual([]);
  });

  it('settles a pending future through a done callback the loop runs, shown in reprs and traces', async () => {
    const loop = new EventLoop();
    const trace = new Trace().attach(loop);
    const fut = loop.createFuture<string>();
    const p = Promise.resolve(fut);
    await Promise.resolve();
    expect(normaliseSites(repr(fut))).toBe('<Future pending cb=[Future.then.<locals>.settle() at F:L]>');
    loop.callLater(1, () => fut.setResult('late'));
    loop.runUntilComplete(sleep(2));
    trace.detach();
    loop.close();
    expect(await p).toBe('late');
    expect(trace.lines().filter((l) => l.startsWith('1.0'))).toEqual([
      '1.0 iteration 2',
      '1.0   timer 1 fires: <lambda>()',
      "1.0   future 1: done, result='late'",
      '1.0 iteration 3',
      '1.0   run Future.then.<locals>.settle(future 1)',
    ]);
  });

  it('lets an async function that returns a future resolve with its result', async () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const p = (async () => fut)();
    fut.setResult(7);
    loop.runUntilComplete(sleep(0));
    loop.close();
    expect(await p).toBe(7);
  });

  it("works with vitest's resolves and rejects", async () => {
    const loop = new EventLoop();
    function* ok(): Coro<number> {
      yield* sleep(1);
      return 3;
    }
    function* bad(): Coro<number> {
      throw new MyError('boom');
    }
    const t1 = loop.createTask(ok());
    const t2 = loop.createTask(bad());
    loop.runUntilComplete(sleep(1));
    await expect(t1).resolves.toBe(3);
    await expect(t2).rejects.toThrow(MyError);
    // The rejection retrieved the exception: closing reports nothing.
    expect(captureAsyncioLogs(() => loop.close())).toEqual([]);
  });

  it('is not used by yield*, repr or util.inspect', () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const then = vi.spyOn(Future.prototype, 'then');
    try {
      const text = `${String(fut)} ${repr(fut)} ${inspect(fut)}`;
      expect(text).toContain('<Future pending>');
      const result = loop.runUntilComplete(loop.createTask((function* main(): Coro<number> {
        loop.callSoon(() => fut.setResult(5));
        return (yield* fut) + (yield* createTask(sleep(0, 1)));
      })()));
      expect(result).toBe(6);
      expect(then).not.toHaveBeenCalled();
    } finally {
      then.mockRestore();
      loop.close();
    }
  });
});
