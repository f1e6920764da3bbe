// The event loop with executors and threads: runInExecutor, setDefaultExecutor,
// shutdownDefaultExecutor, close(), run(), toThread, runCoroutineThreadsafe
// and the page's loop.callSoonThreadsafe(fut.cancel) idiom.
// Traces come from native CPython 3.13.0: probes on a virtual-clock BaseEventLoop whose
// selector lets threads run only while the loop waits (jobs waiting on an event that a
// loop timer sets stand for jobs taking virtual time), and, for shutdown_default_executor,
// real time.sleep jobs with asyncio.run (times rounded to 0.25 s).

import { afterEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, CancelledError, ConcurrentFuture, EventLoop, gather, getRunningLoop, RecursionError, repr, run,
  runCoroutineThreadsafe, RuntimeError, sleep, threading, ThreadPoolExecutor, toThread, ValueError, warnings, world, type Coro,
} from '../../src/index.js';
import { runScenario, ticker, type TraceEvent } from '../_support/scenario.js';

afterEach(() => {
  world._reset();
});

/** An event a job can wait for (`yield* ev`), set by the loop at virtual time `at`. */
function eventAt(loop: EventLoop, at: number, log?: (e: string) => void): ConcurrentFuture<boolean> {
  const ev = new ConcurrentFuture<boolean>();
  loop.callLater(at - loop.time(), () => {
    log?.('set');
    ev.setResult(true);
  });
  return ev;
}

describe('EventLoop.runInExecutor', () => {
  it('completes the asyncio future through callSoonThreadsafe(_set_state), one iteration after the job', () => {
    // CPython 3.13.0: job runs while the loop waits; _call_set_state (in the worker) calls
    // call_soon_threadsafe(_set_state); _set_state completes the future; its callbacks run next.
    const trace = runScenario(function* main({ loop, log }): Coro<number> {
      const fut = loop.runInExecutor(undefined, () => {
        log('job runs');
        return 42;
      });
      fut.addDoneCallback(() => log('done cb'));
      ticker(loop, log, 5);
      log('await');
      const r = yield* fut;
      log(`resumed ${r}`);
      return r;
    });
    expect(trace).toEqual([
      [0, 'await'],
      [0, 'job runs'],
      [0, 'tick 0'],
      [0, 'tick 1'],
      [0, 'done cb'],
      [0, 'resumed 42'],
      [0, 'tick 2'],
      ['return', '42'],
    ]);
  });

  it('queues jobs on a given executor and completes each when its worker finishes it', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const ev = eventAt(loop, 1, log);
      const fa = loop.runInExecutor(pool, function* a(): Generator<unknown, string, unknown> {
        log('a start');
        yield* ev;
        log('a end');
        return 'A';
      });
      const fb = loop.runInExecutor(pool, () => {
        log('b runs');
        return 'B';
      });
      log(repr(yield* gather(fa, fb)));
      pool.shutdown();
    });
    expect(trace).toEqual([
      [0, 'a start'], [1, 'set'], [1, 'a end'], [1, 'b runs'], [1, "['A', 'B']"], ['return', 'None'],
    ]);
  });

  it('cancels the pending job when the asyncio future is cancelled', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
      const ev = eventAt(loop, 1, log);
      const fa = loop.runInExecutor(pool, function* a(): Generator<unknown, string, unknown> {
        log('a start');
        yield* ev;
        log('a end');
        return 'A';
      });
      const fb = loop.runInExecutor(pool, () => log('b runs'));
      fb.addDoneCallback(() => log('fb done cb'));
      ticker(loop, log, 4);
      log(`cancel fb ${fb.cancel()}`);
      try {
        yield* fb;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log('fb CancelledError');
      }
      log(`a -> ${repr(yield* fa)}`);
      pool.shutdown();
    });
    expect(trace).toEqual([
      [0, 'cancel fb true'],
      [0, 'fb CancelledError'],
      [0, 'a start'],
      [0, 'tick 0'],
      [0, 'fb done cb'],
      [0, 'tick 1'], [0, 'tick 2'], [0, 'tick 3'], [0, 'tick 4'],
      [1, 'set'],
      [1, 'a end'],
      [1, "a -> 'A'"],
      ['return', 'None'],
    ]);
  });

  it('defers what an atomic job does after blockingSleep, its completion included', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const fut = loop.runInExecutor(undefined, (x: number) => {
        blockingSleep(1);
        loop.callSoonThreadsafe(log, 'job threadsafe');
        return x;
      }, 7);
      loop.callLater(0.5, log, 'timer 0.5');
      log(`got ${yield* fut}`);
    });
    expect(trace).toEqual([[0.5, 'timer 0.5'], [1, 'job threadsafe'], [1, 'got 7'], ['return', 'None']]);
  });

  it('wakes the loop waiting for a far timer when a thread calls callSoonThreadsafe', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const done = loop.createFuture<void>();
      new threading.Thread({
        target: function* waker(): Generator<unknown, void, unknown> {
          yield* blockingSleep(2);
          loop.callSoonThreadsafe(() => {
            log('woken');
            done.setResult(undefined);
          });
        },
      }).start();
      loop.callLater(10, log, 'timer 10');
      yield* done;
      log('main resumes');
    });
    expect(trace).toEqual([[2, 'woken'], [2, 'main resumes'], ['return', 'None']]);
  });

  it('refuses a coroutine in debug mode, and a closed loop', () => {
    // CPython: TypeError('coroutines cannot be used with run_in_executor()'); RuntimeError('Event loop is closed')
    const loop = new EventLoop({ debug: true });
    const pool = new ThreadPoolExecutor(1);
    function* coro(): Coro<void> {}
    const c = coro();
    expect(() => loop.runInExecutor(pool, c as never)).toThrow(TypeError);
    expect(() => loop.runInExecutor(pool, c as never)).toThrow(/^coroutines cannot be used with run_in_executor\(\)$/);
    loop.close();
    expect(() => loop.runInExecutor(pool, () => 1)).toThrow(RuntimeError);
    expect(() => loop.runInExecutor(pool, () => 1)).toThrow(/^Event loop is closed$/);
    pool.shutdown();
  });

  it('accepts a generator-function job in debug mode, as executors run generator jobs', () => {
    const loop = new EventLoop({ debug: true });
    const fut = loop.runInExecutor(undefined, function* job(): Generator<unknown, number, unknown> {
      yield* blockingSleep(1);
      return 3;
    });
    expect(loop.runUntilComplete(fut)).toBe(3);
    loop.close();
  });
});

describe('EventLoop.runInExecutor: what a job throws (docs/divergences.md, "Thrown values")', () => {
  it('fails the future with the very value a job threw; undefined becomes TypeError, a stack overflow RecursionError', () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const jobs: (() => unknown)[] = [() => { throw 42; }, () => { throw 'text'; }, () => { throw undefined; }, () => recurse(0)];
      for (const job of jobs) {
        try {
          log(`result ${repr(yield* loop.runInExecutor(undefined, job))}`);
        } catch (e) {
          log(`raised ${repr(e)} ${e instanceof RecursionError || e instanceof TypeError ? 'typed' : typeof e}`);
        }
      }
    });
    expect(trace).toEqual([
      [0, 'raised 42 number'], [0, "raised 'text' string"],
      [0, "raised TypeError('exceptions must derive from BaseException') typed"],
      [0, "raised RecursionError('maximum recursion depth exceeded') typed"], ['return', 'None'],
    ]);
  });
});

describe('EventLoop.setDefaultExecutor', () => {
  it('makes runInExecutor(undefined, …) use the given pool, and refuses anything else', () => {
    const names: string[] = [];
    const loop = new EventLoop();
    expect(() => loop.setDefaultExecutor(1 as never)).toThrow(TypeError);
    expect(() => loop.setDefaultExecutor({} as never)).toThrow(/^executor must be ThreadPoolExecutor instance$/);
    const pool = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'mine' });
    loop.setDefaultExecutor(pool);
    names.push(loop.runUntilComplete(loop.runInExecutor(undefined, () => threading.currentThread().name)));
    loop.close();
    expect(names).toEqual(['mine_0']);
    // close() shut it down (wait=False)
    expect(() => pool.submit(() => 1)).toThrow(/^cannot schedule new futures after shutdown$/);
  });

  it('names the default executor\'s workers asyncio_k', () => {
    const loop = new EventLoop();
    const names = loop.runUntilComplete(gather(...[0, 1].map(() => loop.runInExecutor(undefined, function* (): Generator<unknown, string, unknown> {
      yield* blockingSleep(1);
      return threading.currentThread().name;
    }))));
    loop.close();
    expect(names).toEqual(['asyncio_0', 'asyncio_1']);
  });
});

describe('EventLoop.shutdownDefaultExecutor', () => {
  function scenario(timeout: number | undefined): TraceEvent[] {
    let trace: TraceEvent[] = [];
    warnings.catchWarnings({}, () => {
      warnings.simplefilter('always');
      trace = runScenario(function* main({ loop, log }): Coro<void> {
        warnings.showwarning = (m, c) => log(`${c.name}: ${String(m)}`);
        const f = loop.runInExecutor(undefined, function* job(): Generator<unknown, number, unknown> {
          log('job start');
          yield* blockingSleep(1);
          log('job end');
          return 1;
        });
        loop.callLater(0.25, log, 'timer 0.25');
        yield* loop.shutdownDefaultExecutor(timeout);
        log(`shut down, f done=${f.done()}`);
        log(`f -> ${repr(yield* f)}`);
      });
    });
    return trace;
  }

  it('waits for the running jobs while the loop goes on', () => {
    expect(scenario(undefined)).toEqual([
      [0, 'job start'],
      [0.25, 'timer 0.25'],
      [1, 'job end'],
      [1, 'shut down, f done=true'],
      [1, 'f -> 1'],
      ['return', 'None'],
    ]);
  });

  it('warns after the timeout and returns, leaving the jobs to finish', () => {
    expect(scenario(0.5)).toEqual([
      [0, 'job start'],
      [0.25, 'timer 0.25'],
      [0.5, 'RuntimeWarning: The executor did not finishing joining its threads within 0.5 seconds.'],
      [0.5, 'shut down, f done=false'],
      [1, 'job end'],
      [1, 'f -> 1'],
      ['return', 'None'],
    ]);
  });

  it('waits for a job that itself waits for the loop', () => {
    // CPython 3.13.0 (virtual-clock probe): the job waits for an event a loop timer sets at 1.
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const ev = eventAt(loop, 1, log);
      const f = loop.runInExecutor(undefined, function* job(): Generator<unknown, number, unknown> {
        log('job start');
        yield* ev;
        log('job end');
        return 1;
      });
      log('shutdown');
      yield* loop.shutdownDefaultExecutor();
      log(`shut down, f done=${f.done()}`);
      yield* sleep(0);
      log(`f done=${f.done()}`);
    });
    expect(trace).toEqual([
      [0, 'shutdown'],
      [0, 'job start'],
      [1, 'set'],
      [1, 'job end'],
      [1, 'shut down, f done=true'],
      [1, 'f done=true'],
      ['return', 'None'],
    ]);
  });

  it('refuses the default executor afterwards, even if none was made, but not a given one', () => {
    const loop = new EventLoop();
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
    expect(() => loop.runInExecutor(undefined, () => 1)).toThrow(RuntimeError);
    expect(() => loop.runInExecutor(undefined, () => 1)).toThrow(/^Executor shutdown has been called$/);
    const pool = new ThreadPoolExecutor(1);
    expect(loop.runUntilComplete(loop.runInExecutor(pool, () => 7))).toBe(7);
    pool.shutdown();
    loop.close();
  });
});

describe('EventLoop.close', () => {
  it('shuts the default executor down without waiting for its jobs', () => {
    const loop = new EventLoop();
    const seen: string[] = [];
    let worker: InstanceType<typeof threading.Thread> | undefined;
    loop.runUntilComplete((function* main(): Coro<void> {
      loop.runInExecutor(undefined, function* job(): Generator<unknown, void, unknown> {
        worker = threading.currentThread();
        yield* blockingSleep(5);
        seen.push(`job ends at ${world.now}`);
      });
      yield* sleep(1);
    })());
    loop.close();
    expect([world.now, worker!.isAlive()]).toEqual([1, true]);
    expect(() => loop.runInExecutor(undefined, () => 1)).toThrow(/^Event loop is closed$/);
    worker!.join();
    expect(seen).toEqual(['job ends at 5']);
  });
});

describe('run', () => {
  it('finishes with the default executor shut down and its workers joined', () => {
    const box: { worker?: InstanceType<typeof threading.Thread>; pool?: ThreadPoolExecutor } = {};
    run((function* main(): Coro<void> {
      const r = yield* toThread(() => {
        box.worker = threading.currentThread();
        return 1;
      });
      expect(r).toBe(1);
      expect(box.worker!.isAlive()).toBe(true);
    })());
    expect(box.worker!.name).toBe('asyncio_0');
    expect(box.worker!.isAlive()).toBe(false);
  });

  it('shuts the default executor down from a _do_shutdown thread, twice, then from close()', () => {
    // CPython 3.13.0 (asyncio.run; the test awaits loop.shutdown_default_executor() itself):
    // [('Thread-1 (_do_shutdown)', True), ('Thread-2 (_do_shutdown)', True), ('MainThread', False)]
    const calls: [string, unknown][] = [];
    class Recording extends ThreadPoolExecutor {
      override shutdown(options?: boolean | { wait?: boolean; cancelFutures?: boolean }): void {
        const wait = typeof options === 'boolean' ? options : options?.wait ?? true;
        calls.push([threading.currentThread().name, wait]);
        super.shutdown(options);
      }
    }
    run((function* main(): Coro<void> {
      const loop = getRunningLoop();
      loop.setDefaultExecutor(new Recording(1));
      yield* loop.runInExecutor(undefined, () => 1);
      yield* loop.shutdownDefaultExecutor();
    })());
    expect(calls).toHaveLength(3);
    const n = Number(/^Thread-(\d+)/.exec(calls[0]![0])?.[1]);
    expect(calls).toEqual([[`Thread-${n} (_do_shutdown)`, true], [`Thread-${n + 1} (_do_shutdown)`, true], ['MainThread', false]]);
  });
});

describe('toThread', () => {
  it('runs the function with its arguments on a default-executor worker', () => {
    // CPython 3.13.0: 'f 1 2 in asyncio_0', then the result after two loop iterations
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      ticker(loop, log, 6);
      const r = yield* toThread((a: number, b: number) => {
        log(`f ${a} ${b} in ${threading.currentThread().name}`);
        return a + b;
      }, 1, 2);
      log(`r ${r}`);
    });
    expect(trace).toEqual([
      [0, 'f 1 2 in asyncio_0'], [0, 'tick 0'], [0, 'tick 1'], [0, 'r 3'], [0, 'tick 2'], ['return', 'None'],
    ]);
  });

  it('throws the function\'s exception into the awaiting task', () => {
    const trace = runScenario(function* main({ log }): Coro<void> {
      try {
        yield* toThread(() => {
          throw new ValueError('in thread');
        });
      } catch (e) {
        log(repr(e));
      }
    });
    expect(trace).toEqual([[0, "ValueError('in thread')"], ['return', 'None']]);
  });

  it('throws the very value the function threw when it is not an Error', () => {
    const trace = runScenario(function* main({ log }): Coro<void> {
      try {
        yield* toThread(() => {
          throw 'str';
        });
      } catch (e) {
        log(`raised ${repr(e)}`);
      }
    });
    expect(trace).toEqual([[0, "raised 'str'"], ['return', 'None']]);
  });
});

describe('runCoroutineThreadsafe', () => {
  function* coro(log: (e: string) => void, x: unknown): Coro<unknown> {
    log('coro start');
    yield* sleep(1);
    if (x === 'boom') throw new ValueError('boom');
    return x;
  }

  it('runs the coroutine on the loop and gives its result or exception to the worker', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      function* job(x: unknown): Generator<unknown, string, unknown> {
        log('job start');
        const f = runCoroutineThreadsafe(coro(log, x), loop);
        log(`submitted ${f instanceof ConcurrentFuture}`);
        try {
          log(`job got ${repr(yield* f)}`);
        } catch (e) {
          log(`job caught ${repr(e)}`);
        }
        return 'j';
      }
      log(`main got ${repr(yield* loop.runInExecutor(undefined, job, 42))}`);
      log(`main got ${repr(yield* loop.runInExecutor(undefined, job, 'boom'))}`);
    });
    expect(trace).toEqual([
      [0, 'job start'], [0, 'submitted true'], [0, 'coro start'], [1, 'job got 42'], [1, "main got 'j'"],
      [1, 'job start'], [1, 'submitted true'], [1, 'coro start'], [2, "job caught ValueError('boom')"], [2, "main got 'j'"],
      ['return', 'None'],
    ]);
  });

  it('gives the worker the very value the coroutine threw when it is not an Error', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      function* fails(): Coro<void> {
        yield* sleep(1);
        throw 'coro failed';
      }
      function* job(): Generator<unknown, void, unknown> {
        const f = runCoroutineThreadsafe(fails(), loop);
        yield* f.wait();
        log(`exception ${repr(f.exception())}`);
        try {
          f.result();
        } catch (e) {
          log(`result raised ${repr(e)}`);
        }
      }
      yield* loop.runInExecutor(undefined, job);
    });
    expect(trace).toEqual([[1, "exception 'coro failed'"], [1, "result raised 'coro failed'"], ['return', 'None']]);
  });

  it('cancels the task when the concurrent future is cancelled from the worker', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const started = new ConcurrentFuture<boolean>();
      function* victim(): Coro<void> {
        log('coro start');
        started.setResult(true);
        try {
          yield* sleep(10);
        } catch (e) {
          log('coro cancelled');
          throw e;
        }
      }
      function* job(): Generator<unknown, void, unknown> {
        const f = runCoroutineThreadsafe(victim(), loop);
        yield* started;
        log(`job cancels ${f.cancel()}`);
        try {
          f.result();
        } catch (e) {
          log(`job caught ${(e as Error).constructor.name}`);
        }
        log(repr(f).replace(/0x[0-9a-f]+/, '0x?'));
      }
      ticker(loop, log, 6);
      yield* loop.runInExecutor(undefined, job);
      log('main done');
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'tick 1'],
      [0, 'coro start'],
      [0, 'job cancels true'],
      [0, 'job caught CancelledError'],
      [0, '<Future at 0x? state=cancelled>'],
      [0, 'tick 2'], [0, 'tick 3'],
      [0, 'coro cancelled'],
      [0, 'main done'],
      [0, 'tick 4'],
      ['return', 'None'],
    ]);
  });

  it('still starts the coroutine when the future is cancelled before the loop takes it', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      function* early(): Coro<void> {
        log('coro start');
      }
      const job = (): void => {
        const f = runCoroutineThreadsafe(early(), loop);
        log(`job cancels ${f.cancel()}`);
        try {
          f.result();
        } catch (e) {
          log(`job caught ${(e as Error).constructor.name}`);
        }
      };
      ticker(loop, log, 6);
      yield* loop.runInExecutor(undefined, job);
      log('main done');
    });
    // CPython 3.13.0: the loop's callback makes the task (its first step scheduled), then
    // _chain_future sees the cancelled concurrent future and schedules task.cancel through
    // call_soon_threadsafe, after that step: the coroutine runs to its end first.
    expect(trace).toEqual([
      [0, 'job cancels true'],
      [0, 'job caught CancelledError'],
      [0, 'tick 0'],
      [0, 'tick 1'],
      [0, 'coro start'],
      [0, 'main done'],
      [0, 'tick 2'],
      ['return', 'None'],
    ]);
  });

  it('lets a worker stop waiting after a timeout: result(0) then throws TimeoutError', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      function* job(): Generator<unknown, void, unknown> {
        const f = runCoroutineThreadsafe(coro(log, 7), loop);
        yield* f.wait(0.5);
        try {
          f.result(0);
        } catch (e) {
          log(`job ${repr(e)}`);
        }
        log(`job got ${repr(yield* f)}`);
      }
      yield* loop.runInExecutor(undefined, job);
    });
    expect(trace).toEqual([[0, 'coro start'], [0.5, 'job TimeoutError()'], [1, 'job got 7'], ['return', 'None']]);
  });

  it('refuses what is not a coroutine', () => {
    // CPython: TypeError('A coroutine object is required')
    const loop = new EventLoop();
    expect(() => runCoroutineThreadsafe((() => 1) as never, loop)).toThrow(TypeError);
    expect(() => runCoroutineThreadsafe(1 as never, loop)).toThrow(/^A coroutine object is required$/);
    loop.close();
  });
});

describe('EventLoop.callSoonThreadsafe', () => {
  it('cancels a future from another thread with loop.callSoonThreadsafe(fut.cancel)', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const fut = loop.createFuture();
      const t = new threading.Thread({
        target: function job() {
          log('job');
          loop.callSoonThreadsafe(() => fut.cancel());
        },
      });
      t.start();
      ticker(loop, log, 4);
      try {
        yield* fut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log('CancelledError');
      }
      t.join();
      log('joined');
    });
    expect(trace).toEqual([
      [0, 'job'], [0, 'tick 0'], [0, 'tick 1'], [0, 'CancelledError'], [0, 'joined'], [0, 'tick 2'], ['return', 'None'],
    ]);
  });
});
