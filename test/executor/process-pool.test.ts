// ProcessPoolExecutor: jobs run as in a child process (CPython: a fresh interpreter that
// unpickles the job): plain data crosses by copy, the parent's loops are out of reach,
// and the job runs on the child's main thread.

import { afterEach, describe, expect, it } from 'vitest';
import {
  EventLoop, getEventLoop, getRunningLoop, ProcessPoolExecutor, RuntimeError, threading, ValueError, world, type Coro,
} from '../../src/index.js';

afterEach(() => {
  world._reset();
});

function runMain<T>(main: () => Coro<T>): T {
  const loop = new EventLoop();
  try {
    return loop.runUntilComplete(main());
  } finally {
    loop.close();
  }
}

describe('ProcessPoolExecutor', () => {
  it('copies arguments and results across the process boundary', () => {
    const arg = { items: [1, 2, 3] };
    const result = runMain(function* () {
      const pool = new ProcessPoolExecutor(2);
      const r = yield* getRunningLoop().runInExecutor(pool, (a: { items: number[] }) => {
        a.items.push(4);
        return { sum: a.items.reduce((x, y) => x + y, 0), same: a === arg };
      }, arg);
      pool.shutdown();
      return r;
    });
    expect(result).toEqual({ sum: 10, same: false });
    expect(arg.items).toEqual([1, 2, 3]);
  });

  it("refuses a max_workers that is not a number with CPython's TypeError, and NaN or 0 with ValueError", () => {
    expect(() => new ProcessPoolExecutor('2' as never)).toThrow(TypeError);
    expect(() => new ProcessPoolExecutor('2' as never)).toThrow(/^'<=' not supported between instances of 'str' and 'int'$/);
    expect(() => new ProcessPoolExecutor({ maxWorkers: NaN })).toThrow(ValueError);
    expect(() => new ProcessPoolExecutor(0)).toThrow(/^max_workers must be greater than 0$/);
  });

  it('refuses what cannot be pickled, as CPython does', () => {
    class Widget {}
    const error = runMain(function* () {
      const pool = new ProcessPoolExecutor(1);
      try {
        yield* getRunningLoop().runInExecutor(pool, (_w: Widget) => 1, new Widget());
      } catch (e) {
        return e;
      } finally {
        pool.shutdown();
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("cannot pickle 'Widget' object");
  });

  it("fails a job that uses the parent's loop", () => {
    const error = runMain(function* () {
      const loop = getRunningLoop();
      const pool = new ProcessPoolExecutor(1);
      try {
        yield* loop.runInExecutor(pool, () => loop.callSoon(() => undefined));
      } catch (e) {
        return e;
      } finally {
        pool.shutdown();
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as Error).message).toMatch(/belongs to another process/);
  });

  it("runs the job on the child's main thread: getEventLoop() makes a loop there", () => {
    // CPython 3.13: the job runs in the child's MainThread, where get_event_loop() with no
    // loop set creates one (with a DeprecationWarning aiosim does not emit).
    const seen = runMain(function* () {
      const parent = getRunningLoop();
      const pool = new ProcessPoolExecutor(1);
      const r = yield* parent.runInExecutor(pool, () => {
        const loop = getEventLoop();
        const made = loop instanceof EventLoop && loop !== (parent as unknown);
        (loop as EventLoop).close();
        return made;
      });
      pool.shutdown();
      return r;
    });
    expect(seen).toBe(true);
    expect(threading.currentThread().name).toBe('MainThread');
  });
});
