// withLoop, TestLoop and loopFixture: a fresh loop per test, closed afterwards, and the
// test failed with CPython's messages for what it left behind. The messages are those
// CPython 3.13 logs or warns for the same programs after `loop.close(); gc.collect()`:
//
//   async def worker(): await asyncio.sleep(10)
//   async def bad(): raise ValueError('not consumed')
//   async def helper(): pass
//   A: asyncio.create_task(worker()); await asyncio.sleep(0.1)
//      -> Task was destroyed but it is pending!
//         task: <Task pending name='Task-2' coro=<worker() done, defined at prog.py:6> wait_for=<Future pending cb=[Task.task_wakeup()]>>
//   B: asyncio.create_task(bad()); await asyncio.sleep(0.1)
//      -> Task exception was never retrieved
//         future: <Task finished name='Task-4' coro=<bad() done, defined at prog.py:9> exception=ValueError('not consumed')>
//   C: helper()                          -> RuntimeWarning: coroutine 'helper' was never awaited
//   D: asyncio.new_event_loop()          -> ResourceWarning: unclosed event loop <VirtualLoop running=False closed=False debug=False>
//   E: f = loop.create_future(); f.set_exception(RuntimeError('lost'))
//      -> Future exception was never retrieved
//         future: <Future finished exception=RuntimeError('lost')>
// and, for a thread still running after the test, test.support.threading_helper's
// threading_cleanup() (CPython 3.13):
//   F: threading.Thread(name='sleeper', target=time.sleep, args=(10,)).start()
//      -> Warning -- Dangling thread: <Thread(sleeper, started 140…)>

import { test as base, describe, expect, expectTypeOf, it } from 'vitest';
import {
  blockingSleep, coroutine, createTask, EventLoop, getEventLoop, getRunningLoop, logging, Queue, RuntimeError, sleep, threading,
  ThreadPoolExecutor, toThread, ValueError, warnings, world, type Coro,
} from '../../src/index.js';
import { loopFixture, LoopCheckError, TestLoop, TimeLimitError, Trace, withLoop, type LoopProblem } from '../../src/testing/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { captureStderr } from '../_support/stderr.js';
import { caught } from './_support.js';

function* worker(): Coro<void> {
  yield* sleep(10);
}

function* bad(): Coro<void> {
  throw new ValueError('not consumed');
}

const helper = coroutine(function* helper(): Coro<void> {});

// Problems with source sites and process-wide task numbers taken out.
function problems(e: Error): [string, string][] {
  expect(e).toBeInstanceOf(LoopCheckError);
  return (e as LoopCheckError).problems.map((p: LoopProblem) => [p.check, normaliseSites(p.message).replace(/Task-\d+/g, 'Task-?')]);
}

const PENDING = "Task was destroyed but it is pending!\ntask: <Task pending name='Task-?' coro=<worker() done, defined at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]>>";
const NOT_RETRIEVED = "Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<bad() done, defined at F:L> exception=ValueError('not consumed')>";

describe('withLoop', () => {
  it("returns the result of a coroutine body, run on the test's loop", () => {
    const result = withLoop(function* (loop) {
      yield* sleep(2);
      return loop.time();
    });
    expect(result).toBe(2);
  });

  it('runs a future or task the body returns', () => {
    const result = withLoop((loop) => loop.createTask((function* main(): Coro<string> {
      yield* sleep(1);
      return 'task result';
    })()));
    expect(result).toBe('task result');
  });

  it('returns what a plain body returns; the body drives the loop', () => {
    const result = withLoop((loop) => {
      loop.callLater(1, () => {});
      loop.advance(1.5);
      return loop.time();
    });
    expect(result).toBe(1.5);
  });

  it("fails with CPython's message for a task left pending", () => {
    const err = caught(() => withLoop(function* () {
      createTask(worker());
      yield* sleep(0.1);
    }));
    expect(problems(err)).toEqual([['pendingTasks', PENDING]]);
    expect(normaliseSites(err.message).replace(/Task-\d+/g, 'Task-?')).toBe([
      "the test left 1 problem behind (see the 'checks' option to allow them):",
      `- ${PENDING.replace('\n', '\n  ')}`,
    ].join('\n'));
  });

  it("fails with CPython's messages for exceptions never retrieved, the exception as the cause", () => {
    let lost: Error | undefined;
    const err = caught(() => withLoop(function* (loop) {
      createTask(bad());
      const f = loop.createFuture();
      lost = new RuntimeError('lost');
      f.setException(lost);
      yield* sleep(0.1);
    }));
    expect(problems(err)).toEqual([
      ['neverRetrieved', NOT_RETRIEVED],
      ['neverRetrieved', "Future exception was never retrieved\nfuture: <Future finished exception=RuntimeError('lost')>"],
    ]);
    expect((err as LoopCheckError).problems[1]!.exception).toBe(lost);
    expect((err.cause as Error).message).toBe('not consumed');
  });

  it("fails with CPython's messages for a coroutine never awaited and a loop left open", () => {
    let leaked: EventLoop | undefined;
    const err = caught(() => withLoop(function* () {
      helper();
      leaked = new EventLoop();
      yield* sleep(0);
    }));
    expect(problems(err)).toEqual([
      ['neverAwaited', "RuntimeWarning: coroutine 'helper' was never awaited"],
      ['unclosedLoops', 'ResourceWarning: unclosed event loop <EventLoop running=False closed=False debug=False>'],
    ]);
    expect(leaked!.isClosed()).toBe(true);
  });

  it('fails a test that forgets yield* before one of aiosim\'s coroutines, naming it as asyncio does', () => {
    // async def main(): asyncio.sleep(1); q.get()   (the awaits forgotten)
    // → RuntimeWarning: coroutine 'sleep' was never awaited / … 'Queue.get' …
    const err = caught(() => withLoop(function* () {
      sleep(1);
      new Queue().get();
      yield* sleep(0);
    }));
    expect(problems(err)).toEqual([
      ['neverAwaited', "RuntimeWarning: coroutine 'sleep' was never awaited"],
      ['neverAwaited', "RuntimeWarning: coroutine 'Queue.get' was never awaited"],
    ]);
  });

  it('leaves alone the loops opened before the test', () => {
    const outer = new EventLoop();
    withLoop(function* () {
      yield* sleep(0);
    });
    expect(outer.isClosed()).toBe(false);
    outer.close();
  });

  it('reports what a check does not claim as usual, and nothing it is told to allow', () => {
    let records: logging.LogRecord[] = [];
    const printed = captureStderr(() => {
      records = captureAsyncioLogs(() => {
        withLoop(function* () {
          createTask(worker());
          yield* sleep(0.1);
        }, { checks: { pendingTasks: false } });
        withLoop(function* () {
          createTask(bad());
          helper();
          yield* sleep(0.1);
        }, { checks: false });
      });
    });
    expect(records.map((r) => normaliseSites(r.getMessage()).replace(/Task-\d+/g, 'Task-?'))).toEqual([PENDING, NOT_RETRIEVED]);
    // The never-awaited coroutine is a RuntimeWarning, shown as Python shows it.
    expect(printed).toMatch(/^test\/testing\/test-loop\.test\.ts:\d+: RuntimeWarning: coroutine 'helper' was never awaited\n$/);
  });

  it("gives the loop's own exception handler the reports no check claims", () => {
    const seen: string[] = [];
    withLoop((loop) => {
      loop.setExceptionHandler((_l, context) => seen.push(String(context.message)));
      loop.createTask(worker());
      loop.advance(0.1);
    }, { checks: { pendingTasks: false } });
    expect(seen).toEqual(['Task was destroyed but it is pending!']);
  });

  it("turns warnings into exceptions with warnings: 'error', for the test only", () => {
    const err = caught(() => withLoop(() => {
      warnings.warn('old API', warnings.DeprecationWarning);
    }, { warnings: 'error' }));
    expect(err).toBeInstanceOf(warnings.DeprecationWarning);
    expect(err.message).toBe('old API');
    warnings.catchWarnings({ record: true }, (log) => {
      warnings.warn('shown again', warnings.UserWarning);
      expect(log.map((w) => String(w.message))).toEqual(['shown again']);
    });
  });

  it("passes the body's exception through, without reports", () => {
    const records = captureAsyncioLogs(() => {
      const err = caught(() => withLoop(function* () {
        createTask(worker());
        helper();
        yield* sleep(0.1);
        throw new ValueError('test failed');
      }));
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe('test failed');
    });
    expect(records).toEqual([]);
  });

  it('stops a coroutine body at its time limit', () => {
    let loop: EventLoop | undefined;
    const err = caught(() => withLoop(function* (l) {
      loop = l;
      yield* sleep(60);
    }, { timeLimit: 5 }));
    expect(err).toBeInstanceOf(TimeLimitError);
    expect(err.message.split('\n')[0]).toBe('<anonymous> is not done after the time limit of 5.0 seconds (t=5.0)');
    expect(loop!.isClosed()).toBe(true);
  });

  it('checks the time limit and the loop options before the test runs, whatever the body', () => {
    let ran = false;
    const body = (): void => {
      ran = true;
    };
    for (const [options, error] of [
      [{ timeLimit: NaN }, 'timeLimit must be a finite number of seconds >= 0, got nan'],
      [{ timeLimit: -1 }, 'timeLimit must be a finite number of seconds >= 0, got -1'],
      [{ start: Infinity }, 'start must be a finite number of seconds >= 0, got inf'],
    ] as const) {
      const err = caught(() => withLoop(body, options));
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe(error);
    }
    expect(caught(() => new TestLoop({ timeLimit: '5' as never }))).toBeInstanceOf(TypeError);
    expect(ran).toBe(false);
  });

  it("makes the test's loop the current loop, then restores the previous one", () => {
    const before = getEventLoop();
    withLoop((loop) => {
      expect(getEventLoop()).toBe(loop);
    });
    expect(getEventLoop()).toBe(before);
  });

  it('passes the loop options on, and records into a given trace', () => {
    const trace = new Trace({ kinds: ['timer'] });
    withLoop((loop) => {
      expect(loop.getTimeMode()).toBe('manual');
      expect(loop.getDebug()).toBe(false);
      expect(loop.time()).toBe(100);
      loop.callLater(1, function tick() {});
      loop.advance(1);
    }, { timeMode: 'manual', debug: false, start: 100, trace });
    expect(trace.loop).toBeUndefined();
    expect(trace.lines()).toEqual(['100.0 timer 1 scheduled at 101.0: tick()', '101.0 timer 1 fires: tick()']);
  });
});

describe('withLoop types', () => {
  it('types the result as the coroutine or future result, or the plain return value', () => {
    // Checked by the type checker only: never called.
    const typeChecks = (): void => {
      expectTypeOf(withLoop(function* () {
        yield* sleep(0);
        return 'done';
      })).toEqualTypeOf<string>();
      expectTypeOf(withLoop(() => worker())).toEqualTypeOf<void>();
      expectTypeOf(withLoop((loop) => loop.time())).toEqualTypeOf<number>();
      expectTypeOf(withLoop((loop) => loop.createFuture<boolean>())).toEqualTypeOf<boolean>();
    };
    expect(typeof typeChecks).toBe('function');
  });
});

describe('TestLoop', () => {
  it('finishes once', () => {
    const t = new TestLoop();
    t.loop.createTask(worker());
    t.loop.advance(1);
    expect(() => t.finish()).toThrow(LoopCheckError);
    expect(t.loop.isClosed()).toBe(true);
    expect(() => t.finish()).not.toThrow();
  });
});

describe('loopFixture', () => {
  const test = base.extend<{ loop: EventLoop }>({ loop: loopFixture({ timeMode: 'manual' }) });

  test('gives each test a fresh loop', ({ loop }) => {
    expect(loop.getTimeMode()).toBe('manual');
    expect(getEventLoop()).toBe(loop);
    loop.callLater(1, () => {});
    loop.advance(1);
    expect(loop.time()).toBe(1);
  });

  it('fails the test in its teardown when the test left problems behind', async () => {
    const fixture = loopFixture();
    let loop: EventLoop | undefined;
    const teardown = fixture({}, async (l) => {
      loop = l;
      l.createTask(worker());
      l.advance(0.1);
    });
    const err = await teardown.then(() => undefined, (e: unknown) => e as Error);
    expect(problems(err!)).toEqual([['pendingTasks', PENDING]]);
    expect(loop!.isClosed()).toBe(true);
  });

  it('drops the reports when the test failed already (vitest sets its state before teardown)', async () => {
    const fixture = loopFixture();
    const records: string[] = [];
    const handler: logging.Handler = { handle: (r) => records.push(r.getMessage()) };
    logging.getLogger('asyncio').addHandler(handler);
    try {
      const teardown = fixture({ task: { result: { state: 'fail' } } }, async (l) => {
        l.createTask(worker());
        l.advance(0.1);
      });
      await expect(teardown).resolves.toBeUndefined();
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    expect(records).toEqual([]);
  });
});

describe('the dangling-threads check and the simulated world between tests', () => {
  const { Thread } = threading;

  function* sleeper(): Generator<unknown, void, unknown> {
    yield* blockingSleep(10);
  }

  it("fails a test that leaves a thread running, with CPython's 'Dangling thread' text, and drops the thread", () => {
    const err = caught(() => withLoop(function* () {
      new Thread({ name: 'sleeper', target: sleeper }).start();
      yield* sleep(1);
    }));
    expect(problems(err)).toEqual([['danglingThreads', 'Dangling thread: <Thread(sleeper, started 2)>']]);
    expect(err.message).toBe("the test left 1 problem behind (see the 'checks' option to allow them):\n- Dangling thread: <Thread(sleeper, started 2)>");
    // Regression: the sleeping thread used to run during the next test, in its trace.
    expect(world.hasEvents).toBe(false);
    expect(threading.enumerate().map(String)).toEqual(['<Thread(MainThread, started 1)>']);
    const trace = new Trace({ kinds: ['thread'] });
    withLoop(function* () {
      yield* sleep(20);
    }, { trace });
    expect(trace.lines()).toEqual([]);
  });

  it('lets the workers of executors shut down without waiting exit first: the default one, toThread, its own', () => {
    expect(withLoop(function* (loop) {
      const pool = new ThreadPoolExecutor(2);
      const a = yield* loop.runInExecutor(pool, () => 'own');
      pool.shutdown({ wait: false });
      const b = yield* toThread(() => 'default');
      return [a, b, threading.enumerate().map((t) => t.name)];
    })).toEqual(['own', 'default', ['MainThread', 'asyncio_0']]);
  });

  it('reports the idle workers of an executor never shut down, and allows them with checks: { danglingThreads: false }', () => {
    const leave = (loop: EventLoop) => loop.runInExecutor(new ThreadPoolExecutor(1), () => 1);
    const err = caught(() => withLoop(leave));
    expect(problems(err)).toEqual([['danglingThreads', 'Dangling thread: <Thread(ThreadPoolExecutor-0_0, started 2)>']]);
    expect(withLoop(leave, { checks: { danglingThreads: false } })).toBe(1);
    expect(threading.enumerate()).toHaveLength(1);
    expect(withLoop(leave, { checks: false })).toBe(1);
    expect(world.hasEvents).toBe(false);
  });

  it('starts each test as a fresh process would: names and idents numbered from the start, time 0', () => {
    // What ran before (outside any fixture) leaves counters and the world's time behind.
    new Thread({ target: function before() {} }).start();
    const pool = new ThreadPoolExecutor(1);
    pool.submit(() => blockingSleep(5)).result();
    pool.shutdown();
    expect(world.now).toBe(5);
    const seen = withLoop(function* (loop) {
      const t = new Thread({ target: function work() {} });
      t.start();
      t.join();
      const name = yield* loop.runInExecutor(new ThreadPoolExecutor(1), () => threading.currentThread().name);
      yield* sleep(0);
      return [t.name, t.ident, name, getRunningLoop().time()];
    }, { checks: { danglingThreads: false } });
    expect(seen).toEqual(['Thread-1 (work)', 2, 'ThreadPoolExecutor-0_0', 0]);
  });

  it('leaves the world alone at the start when a thread started before the test still runs', () => {
    const t = new Thread({ name: 'early', target: sleeper });
    t.start();
    expect(withLoop(function* () {
      yield* sleep(20);
      return [t.isAlive(), threading.enumerate().length];
    })).toEqual([false, 1]);
  });

  it('fails a test in the fixture teardown when it leaves a thread running', async () => {
    const teardown = loopFixture()({}, async () => {
      new Thread({ name: 'sleeper', target: sleeper }).start();
    });
    const err = await teardown.then(() => undefined, (e: unknown) => e as Error);
    expect(problems(err!)).toEqual([['danglingThreads', 'Dangling thread: <Thread(sleeper, started 2)>']]);
    expect(world.hasEvents).toBe(false);
  });
});
