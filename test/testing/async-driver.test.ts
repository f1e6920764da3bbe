// Async-function coroutines, one behaviour at a time: when the function starts, where
// cancellation lands, what happens to exceptions, reprs, and where the mode differs from
// CPython by design (docs/divergences.md, "Async functions"). Expected values for the
// asyncio behaviours come from CPython 3.13.2 running the same program:
//
//   async def body(): log.append('body ran')
//   async def survivor():                     # cancelled at t=2 with 'stop'
//       try: await asyncio.sleep(10)
//       except asyncio.CancelledError as e: log(caught, t, cancelling()); log(uncancel())
//       await asyncio.sleep(1); return 'survived'
//   async def selfcancel():
//       asyncio.current_task().cancel('self'); await asyncio.sleep(5)
//   -> never-started task cancelled=True (body never ran)
//      caught CancelledError('stop') at 2.0 cancelling=1 / uncancel -> 0 / survived at 3.0
//      next await raised CancelledError('self') at 3.0, task cancelled
//      the exception a task raises is the very object awaiting it raises
//      KeyboardInterrupt out of run_until_complete at 1.0; the loop runs again afterwards

import { describe, expect, it } from 'vitest';
import {
  blockingSleep, CancelledError, coroutine, createTask, currentTask, eagerTaskFactory, EventLoop, gcCollect, getRunningLoop,
  KeyboardInterrupt, Lock, logging, Queue, repr, runCoroutineThreadsafe, RuntimeError, sleep, toThread, ValueError, waitFor,
  warnings, type Coro, type Task,
} from '../../src/index.js';
import { _restoreDefaultFilters } from '../../src/log/warnings.js';
import { isCoroutine } from '../../src/task/coroutine.js';
import {
  asyncCoroutine, AsyncCoroutine, awaitable, LoopCheckError, runUntilCompleteAsync, Trace, withLoopAsync,
} from '../../src/testing/index.js';
import { normaliseSites } from '../_support/capture.js';

async function run<T>(main: AsyncCoroutine<T> | Generator<unknown, T, unknown>, loop = new EventLoop()): Promise<T> {
  try {
    return await runUntilCompleteAsync(loop, main);
  } finally {
    loop.close();
  }
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('asyncCoroutine', () => {
  it('makes a coroutine object that runs nothing until its task steps it', async () => {
    const log: string[] = [];
    const body = asyncCoroutine(async function body(): Promise<void> {
      log.push('body ran');
    });
    const coro = body();
    expect(coro).toBeInstanceOf(AsyncCoroutine);
    expect(isCoroutine(coro)).toBe(true);
    expect(log).toEqual([]);
    const result = await run(asyncCoroutine(async function main(): Promise<boolean> {
      const t = createTask(coro);
      t.cancel();
      await awaitable(sleep(0));
      return t.cancelled();
    })());
    expect(result).toBe(true);
    expect(log).toEqual([]);
  });

  it('raises CancelledError at the await, with its message; the function may catch it and go on', async () => {
    const log: string[] = [];
    const survivor = asyncCoroutine(async function survivor(): Promise<string> {
      const t = currentTask() as Task<string>;
      try {
        await awaitable(sleep(10));
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log.push(`caught ${repr(e)} at ${t.getLoop().time()} cancelling=${t.cancelling()}`);
        log.push(`uncancel -> ${t.uncancel()}`);
      }
      await awaitable(sleep(1));
      return 'survived';
    });
    const loop = new EventLoop();
    const result = await run(asyncCoroutine(async function main(): Promise<string> {
      const s = createTask(survivor());
      await awaitable(sleep(2));
      s.cancel('stop');
      return `${await s} at ${loop.time()}`;
    })(), loop);
    expect(log).toEqual(["caught CancelledError('stop') at 2 cancelling=1", 'uncancel -> 0']);
    expect(result).toBe('survived at 3');
  });

  it('makes the next await of a task that cancelled itself raise at once', async () => {
    const log: string[] = [];
    const loop = new EventLoop();
    const selfcancel = asyncCoroutine(async function selfcancel(): Promise<void> {
      currentTask()!.cancel('self');
      log.push('still running after cancel()');
      try {
        await awaitable(sleep(5));
      } catch (e) {
        log.push(`next await raised ${repr(e)} at ${loop.time()}`);
        throw e;
      }
    });
    const result = await run(asyncCoroutine(async function main(): Promise<string> {
      await awaitable(sleep(3));
      const c = createTask(selfcancel());
      try {
        await c;
      } catch (e) {
        return `cancelled=${c.cancelled()} ${repr(e)}`;
      }
      return 'not cancelled';
    })(), loop);
    expect(log).toEqual(['still running after cancel()', "next await raised CancelledError('self') at 3"]);
    expect(result).toBe("cancelled=true CancelledError('self')");
  });

  it('stores the exception the function throws: awaiting the task throws that very object', async () => {
    class MyError extends Error {}
    const err = new MyError('bad');
    const thrower = asyncCoroutine(async function thrower(): Promise<void> {
      await awaitable(sleep(0));
      throw err;
    });
    const [same, stored] = await run(asyncCoroutine(async function main(): Promise<[boolean, boolean]> {
      const th = createTask(thrower());
      try {
        await th;
      } catch (e) {
        return [e === err, th.exception() === err];
      }
      return [false, false];
    })());
    expect([same, stored]).toEqual([true, true]);
  });

  it('lets KeyboardInterrupt out of runUntilCompleteAsync; the loop runs again afterwards', async () => {
    const loop = new EventLoop();
    const ki = asyncCoroutine(async function ki(): Promise<void> {
      await awaitable(sleep(1));
      throw new KeyboardInterrupt('ki');
    });
    const e = await rejection(runUntilCompleteAsync(loop, ki()));
    expect(e).toBeInstanceOf(KeyboardInterrupt);
    expect(repr(e)).toBe("KeyboardInterrupt('ki')");
    expect(loop.time()).toBe(1);
    const again = asyncCoroutine(async function again(): Promise<string> {
      await awaitable(sleep(1));
      return 'again';
    });
    expect(await run(again(), loop)).toBe('again');
    expect(loop.time()).toBe(2);
  });

  it('takes yield* in a generator coroutine and await in an async function alike, typed', async () => {
    const twice = asyncCoroutine(async function twice(n: number): Promise<number> {
      await awaitable(sleep(1));
      return n * 2;
    });
    function* gen(): Coro<number> {
      const a: number = yield* twice(1);
      return a + (yield* createTask(twice(2)));
    }
    const result = await run(asyncCoroutine(async function main(): Promise<number> {
      const fromGen: number = await awaitable(gen());
      const direct: number = await twice(10);
      return fromGen + direct;
    })());
    expect(result).toBe(26);
  });

  it("awaits sleep(), aiosim's other coroutines and coroutine(fn) ones without awaitable(), as await does in Python", async () => {
    // async def one(): return 'one'
    // async def main():
    //     q = asyncio.Queue(); lock = asyncio.Lock(); loop = asyncio.get_running_loop()
    //     await asyncio.sleep(1); log(loop.time()); await q.put(5); log(await q.get())
    //     await lock.acquire(); log(lock.locked()); lock.release()
    //     log(await asyncio.wait_for(asyncio.sleep(1, 'w'), 5), loop.time()); log(await one())
    // → 1.0 / 5 / True / w 2.0 / one, and no warning
    const one = coroutine(function* one(): Coro<string> {
      return 'one';
    });
    const log: unknown[] = [];
    const warned = await shownAsync(() =>
      run(asyncCoroutine(async function main(): Promise<void> {
        const q = new Queue<number>();
        const lock = new Lock();
        const loop = getRunningLoop();
        await sleep(1);
        log.push(loop.time());
        await q.put(5);
        log.push(await q.get());
        await lock.acquire();
        log.push(lock.locked());
        lock.release();
        log.push(await waitFor(sleep(1, 'w'), 5), loop.time());
        log.push(await one());
      })()),
    );
    expect(log).toEqual([1, 5, true, 'w', 2, 'one']);
    expect(warned).toEqual([]);
  });
});

/** The texts of the warnings shown while the promise `fn` returns settles, and then at gcCollect(). */
async function shownAsync(fn: () => Promise<unknown>): Promise<string[]> {
  const out: string[] = [];
  const saved = warnings.showwarning;
  warnings.simplefilter('always');
  warnings.showwarning = (m) => out.push(String(m));
  try {
    await fn();
    gcCollect();
  } finally {
    warnings.showwarning = saved;
    _restoreDefaultFilters();
  }
  return out;
}

describe('async-function task reprs', () => {
  it("shows the function's name and definition site, as a generator task's repr does", async () => {
    const worker = asyncCoroutine(async function worker(): Promise<number> {
      await awaitable(sleep(1));
      return 2;
    });
    const reprs = await run(asyncCoroutine(async function main(): Promise<string[]> {
      const t = createTask(worker(), { name: 'w' });
      await awaitable(sleep(0));
      const pending = repr(t);
      await t;
      return [pending, repr(t)];
    })());
    expect(reprs.map(normaliseSites)).toEqual([
      "<Task pending name='w' coro=<worker() running at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
      "<Task finished name='w' coro=<worker() done, defined at F:L> result=2>",
    ]);
    // JavaScript cannot tell where an async function is suspended: the site is its definition.
    expect(reprs[0]).toMatch(/coro=<worker\(\) running at test\/testing\/async-driver\.test\.ts:\d+>/);
  });
});

describe('where async functions differ from CPython', () => {
  it('refuses to run under a synchronous driver, before the function starts', () => {
    const log: string[] = [];
    const main = asyncCoroutine(async function main(): Promise<void> {
      log.push('ran');
    });
    const loop = new EventLoop();
    let error: unknown;
    try {
      loop.runUntilComplete(main());
    } catch (e) {
      error = e;
    } finally {
      loop.close();
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as Error).message).toBe('main() is an async-function coroutine: run its loop with runUntilCompleteAsync(), which lets its awaits go on between the loop\'s callbacks');
    expect(log).toEqual([]);
  });

  it('raises RuntimeError at a second await taken while the first is pending (Promise.all): one await at a time', async () => {
    const result = await run(asyncCoroutine(async function main(): Promise<string> {
      const loop = currentTask()!.getLoop();
      const a = loop.createFuture<number>();
      const b = loop.createFuture<number>();
      loop.callLater(1, () => a.setResult(1));
      try {
        await Promise.all([a, b]);
      } catch (e) {
        return `${repr(e)} at ${loop.time()}`;
      }
      return 'no error';
    })());
    expect(result).toBe(
      "RuntimeError('main() awaited <Future pending> while it was already awaiting: a task awaits one thing at a time (await gather(…) or wait(…) for several)') at 0",
    );
  });

  it('rejects an await of a coroutine outside any task', async () => {
    const main = asyncCoroutine(async function main(): Promise<void> {});
    const e = await rejection(Promise.resolve().then(() => main()));
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe('await main() outside a task: only an asyncCoroutine function running in a task can await a coroutine (run it with runUntilCompleteAsync())');
    const warned = await shownAsync(async () => {
      const g = await rejection((async () => awaitable(sleep(1)))());
      expect(g.message).toMatch(/^await sleep\(\) outside a task/);
      // Without awaitable() too: aiosim's coroutines are thenables that need a task.
      const h = await rejection((async () => {
        await sleep(2);
      })());
      expect(h).toBeInstanceOf(RuntimeError);
      expect(h.message).toMatch(/^await sleep\(\) outside a task: only an asyncCoroutine function running in a task can await a coroutine/);
      const q = await rejection((async () => new Queue().get())());
      expect(q.message).toMatch(/^await Queue\.get\(\) outside a task: /);
    });
    // None of them ever ran.
    expect(warned).toEqual(["coroutine 'sleep' was never awaited", "coroutine 'sleep' was never awaited", "coroutine 'Queue.get' was never awaited"]);
  });

  it('cannot run in an eager first step: the task fails with RuntimeError', async () => {
    const loop = new EventLoop();
    loop.setTaskFactory(eagerTaskFactory);
    const child = asyncCoroutine(async function child(): Promise<void> {});
    const e = await rejection(run(asyncCoroutine(async function main(): Promise<void> {
      await createTask(child());
    })(), loop));
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe("child() is an async-function coroutine: it cannot run in an eager task's first step (eager task factories are for generator coroutines)");
  });

  it('raises "cannot reuse already awaited coroutine" when a finished one is awaited again', async () => {
    const once = asyncCoroutine(async function once(): Promise<number> {
      return 1;
    });
    const result = await run(asyncCoroutine(async function main(): Promise<string> {
      const c = once();
      const first = await c;
      try {
        await c;
      } catch (e) {
        return `${first} ${repr(e)}`;
      }
      return 'reused';
    })());
    expect(result).toBe("1 RuntimeError('cannot reuse already awaited coroutine')");
  });

  it('continues in the same step after awaiting a settled promise or a plain value', async () => {
    const loop = new EventLoop();
    const trace = new Trace({ kinds: ['iteration', 'step', 'suspend', 'done'] }).attach(loop);
    const result = await run(asyncCoroutine(async function main(): Promise<number> {
      const a = await Promise.resolve(1);
      const b = await 2;
      const c = await (async () => 3)();
      return a + b + c;
    })(), loop);
    trace.detach();
    expect(result).toBe(6);
    expect(trace.lines()).toEqual(['0.0 iteration 1', '0.0   main: start', '0.0   main: done, result=6', '0.0 iteration 2']);
  });

  it('lets a foreign promise hold the step and the whole loop: no callback runs, virtual time stands still', async () => {
    const loop = new EventLoop();
    const log: string[] = [];
    const started = Date.now();
    const result = await run(asyncCoroutine(async function main(): Promise<string> {
      loop.callSoon(() => log.push(`callback at ${loop.time()}`));
      loop.callLater(0.001, () => log.push(`timer at ${loop.time()}`));
      await new Promise((resolve) => setTimeout(resolve, 30));
      log.push(`after the real timer at ${loop.time()}`);
      await awaitable(sleep(0.01));
      return 'done';
    })(), loop);
    expect(result).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(log).toEqual(['after the real timer at 0', 'callback at 0', 'timer at 0.001']);
  });

  it('awaits a future an async function returns: the result is its result, not the future', async () => {
    const result = await run(asyncCoroutine(async function main(): Promise<unknown> {
      const loop = currentTask()!.getLoop();
      const fut = loop.createFuture<string>();
      loop.callLater(1, () => fut.setResult('from the future'));
      return fut;
    })());
    expect(result).toBe('from the future');
  });

  it("leaves a closed async function where it stands: its finally block does not run", async () => {
    const log: string[] = [];
    const records: logging.LogRecord[] = [];
    const handler: logging.Handler = { handle: (r) => records.push(r) };
    const forever = asyncCoroutine(async function forever(): Promise<void> {
      try {
        await awaitable(sleep(100));
      } finally {
        log.push('finally ran');
      }
    });
    const loop = new EventLoop();
    logging.getLogger('asyncio').addHandler(handler);
    try {
      await runUntilCompleteAsync(loop, asyncCoroutine(async function main(): Promise<void> {
        createTask(forever());
        await awaitable(sleep(1));
      })());
      loop.close();
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(records.map((r) => normaliseSites(r.getMessage()).replace(/Task-\d+/, 'Task-?'))).toEqual([
      "Task was destroyed but it is pending!\ntask: <Task pending name='Task-?' coro=<forever() done, defined at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
    ]);
    expect(log).toEqual([]);
  });

  it('runs beside simulated threads, but not under a thread blocked in an atomic body', async () => {
    const loop = new EventLoop();
    const child = asyncCoroutine(async function child(): Promise<string> {
      await awaitable(sleep(1));
      return 'child';
    });
    const main = asyncCoroutine(async function main(): Promise<string> {
      const fromThread = await awaitable(toThread(() => {
        blockingSleep(2);
        return 'thread';
      }));
      try {
        // The thread's result() lets the loop iterate under it: child's step cannot go on there.
        await awaitable(toThread(() => runCoroutineThreadsafe(child(), loop).result()));
      } catch (e) {
        return `${fromThread} at ${loop.time()}; ${repr(e)}`;
      }
      return 'ran';
    });
    const records: logging.LogRecord[] = [];
    const handler: logging.Handler = { handle: (r) => records.push(r) };
    logging.getLogger('asyncio').addHandler(handler);
    try {
      expect(await run(main(), loop)).toBe(
        "thread at 2; RuntimeError('child() is an async-function coroutine: it cannot run while a simulated thread blocks in an atomic body (fut.result(), thread.join()) and the loop iterates under it')",
      );
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    // The child task failed at its first step and the thread retrieved that: nothing is left to report.
    expect(records).toEqual([]);
  });

  it('refuses a second driver while one runs', async () => {
    const a = new EventLoop();
    const b = new EventLoop();
    const first = runUntilCompleteAsync(a, asyncCoroutine(async function main(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 10));
    })());
    // loop_b.run_until_complete(asyncio.sleep(1)) while loop_a runs: RuntimeError, and the
    // coroutine, never run, is reported as never awaited.
    let e: Error | undefined;
    const warned = await shownAsync(async () => {
      e = await rejection(runUntilCompleteAsync(b, sleep(1)));
      await first;
      a.close();
      b.close();
    });
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e!.message).toBe('Cannot run the event loop while another loop is running');
    expect(warned).toEqual(["coroutine 'sleep' was never awaited"]);
  });
});

describe('withLoopAsync', () => {
  it("runs an async body as the test's main coroutine and returns its result", async () => {
    const result = await withLoopAsync(async (loop) => {
      await awaitable(sleep(2));
      return loop.time();
    });
    expect(result).toBe(2);
  });

  it('refuses a timeLimit, which only the synchronous withLoop has', async () => {
    const e = await rejection(withLoopAsync(async () => {}, { timeLimit: 1 }));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe('withLoopAsync() takes no timeLimit: it runs the body with runUntilCompleteAsync(), which has none');
  });

  it('fails the test with CPython\'s message when it leaves a task pending', async () => {
    const idle = asyncCoroutine(async function idle(): Promise<void> {
      await awaitable(sleep(10));
    });
    const e = await rejection(withLoopAsync(async () => {
      createTask(idle());
      await awaitable(sleep(0.1));
    }));
    expect(e).toBeInstanceOf(LoopCheckError);
    expect(normaliseSites((e as LoopCheckError).problems[0]!.message).replace(/Task-\d+/, 'Task-?')).toBe(
      "Task was destroyed but it is pending!\ntask: <Task pending name='Task-?' coro=<idle() done, defined at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
    );
  });
});
