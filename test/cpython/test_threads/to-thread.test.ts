// Port of CPython 3.13's Lib/test/test_asyncio/test_threads.py (issue 10): asyncio.to_thread
// checked through aiosim's toThread on simulated worker threads. Each CPython method is an
// IsolatedAsyncioTestCase method: here the main task of run(…, { debug: true }).
// This file: ToThreadTests, the module's one class. Table: docs/cpython-tests/test_threads.md.

import { afterEach, describe, expect, it } from 'vitest';
import { contextvars, gather, RuntimeError, threading, toThread, world } from '../../../src/index.js';
import { asyncTest } from '../_support.js';

afterEach(() => {
  world._reset();
});

describe('ToThreadTests', () => {
  it('test_to_thread — the function runs on a worker thread and its result is awaited', () => {
    let ranOn: string | undefined;
    asyncTest(function* () {
      const result = yield* toThread((xs: number[]) => {
        ranOn = threading.currentThread().name;
        return xs.reduce((a, b) => a + b, 0);
      }, [40, 2]);
      expect(result).toBe(42);
    });
    // The default executor's first worker (CPython: thread_name_prefix='asyncio').
    expect(ranOn).toBe('asyncio_0');
  });

  it('test_to_thread_exception — an exception raised in the thread reaches the awaiting task', () => {
    asyncTest(function* () {
      let caught: unknown;
      try {
        yield* toThread(() => {
          throw new RuntimeError('test');
        });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RuntimeError);
      expect(String((caught as Error).message)).toBe('test');
    });
  });

  it('test_to_thread_once — the function is called exactly once', () => {
    let calls = 0;
    asyncTest(function* () {
      yield* toThread(() => {
        calls++;
      });
      expect(calls).toBe(1);
    });
    expect(calls).toBe(1);
  });

  it('test_to_thread_concurrent — ten calls gathered each run once', () => {
    const calls: number[] = [];
    const threads = new Set<string>();
    asyncTest(function* () {
      const futs = [];
      for (let i = 0; i < 10; i++) {
        futs.push(toThread(() => {
          calls.push(1);
          threads.add(threading.currentThread().name);
        }));
      }
      yield* gather(...futs);
      expect(calls.reduce((a, b) => a + b, 0)).toBe(10);
    });
    // Never more workers than the default executor's min(32, cpus + 4) = 8 (4 simulated CPUs).
    expect(threads.size).toBeGreaterThan(0);
    expect(threads.size).toBeLessThanOrEqual(8);
  });

  it('test_to_thread_args_kwargs — the arguments reach the function as given', () => {
    const seen: unknown[][] = [];
    asyncTest(function* () {
      // Python's keyword argument something=True is an options object in aiosim.
      yield* toThread((...args: unknown[]) => {
        seen.push(args);
      }, 'test', { something: true });
    });
    expect(seen).toEqual([['test', { something: true }]]);
  });

  it("test_to_thread_contextvars — the function runs in a copy of the caller's context", () => {
    const testCtx = new contextvars.ContextVar<string>('test_ctx');
    const getCtx = (): string => testCtx.get();
    asyncTest(function* () {
      testCtx.set('parrot');
      const result = yield* toThread(getCtx);
      expect(result).toBe('parrot');
    });
  });
});
