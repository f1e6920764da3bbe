// run() and Runner: results, debug mode, the shutdown sequence (leftover tasks cancelled,
// failures reported, shutdownAsyncgens/shutdownDefaultExecutor each run as a task), reuse
// of a Runner, and the errors. Every expectation is CPython 3.13.2's output for the
// equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, currentTask, getEventLoop, getRunningLoop, newEventLoop, repr, run, Runner, RuntimeError,
  sleep, ValueError, withContext, type Coro, type EventLoop,
} from '../../src/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { py } from '../_support/python.js';
import { taskNumber } from '../_support/scenario.js';

type Trace = [number | string, string][];

// Log `[loop.time(), event]` inside a running loop and `['-', event]` outside one.
function tracer(): { trace: Trace; log: (e: string) => void } {
  const trace: Trace = [];
  const log = (e: string): void => {
    let t: number | string = '-';
    try {
      t = getRunningLoop().time();
    } catch {
      // no running loop
    }
    trace.push([t, e]);
  };
  return { trace, log };
}

function* cnum(): Coro<number> {
  return taskNumber(currentTask() as never);
}

describe('run', () => {
  it('returns the result of main, closes its loop, and applies debug', () => {
    const { trace, log } = tracer();
    const loops: EventLoop[] = [];
    function* main<T>(v: T): Coro<T> {
      const loop = getRunningLoop() as EventLoop;
      loops.push(loop);
      log(`main runs debug=${py(loop.getDebug())} same_as_get_event_loop=${py(getEventLoop() === loop)}`);
      yield* sleep(1.5);
      return v;
    }
    log(`run -> ${repr(run(main(42)))} closed=${py(loops.at(-1)!.isClosed())}`);
    log(`run debug -> ${repr(run(main('d'), { debug: true }))}`);
    log(`run debug False -> ${repr(run(main('n'), { debug: false }))}`);
    expect(trace).toEqual([
      [0, 'main runs debug=False same_as_get_event_loop=True'], ['-', 'run -> 42 closed=True'],
      [0, 'main runs debug=True same_as_get_event_loop=True'], ['-', "run debug -> 'd'"],
      [0, 'main runs debug=False same_as_get_event_loop=True'], ['-', "run debug False -> 'n'"],
    ]);
  });

  it('cancels the tasks left at shutdown, waits for them, and reports their failures', () => {
    const { trace, log } = tracer();
    function* leftovers(): Coro<string> {
      const loop = getRunningLoop() as EventLoop;
      loop.setExceptionHandler((_l, ctx) => {
        const keys = Object.keys(ctx).sort();
        log(`handler ${repr(keys)} ${repr(ctx.message)} ${repr(ctx.exception)} task=${(ctx.task as { getName(): string }).getName()}`);
      });
      // CPython cancels in all_tasks() order (a set): only the sorted list is compared.
      const cancelled: string[] = [];
      function* sleeper(n: number): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          cancelled.push(`sleeper ${n} ${repr(e)} at ${loop.time()}`);
          throw e;
        }
      }
      function* bad(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          yield* sleep(0.5);
          log(`bad raises during cancellation; cancelled so far: ${repr([...cancelled].sort())}`);
          throw new ValueError('at shutdown');
        }
      }
      function* swallower(): Coro<string> {
        try {
          yield* sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          cancelled.push(`swallower returns at ${loop.time()}`);
          return 'swallowed';
        }
        return 'slept';
      }
      createTask(sleeper(1));
      createTask(bad(), { name: 'bad' });
      createTask(sleeper(2));
      createTask(swallower());
      yield* sleep(1);
      log('main returns');
      return 'main';
    }
    log(`run -> ${repr(run(leftovers()))}`);
    expect(trace).toEqual([
      [1, 'main returns'],
      [1.5, "bad raises during cancellation; cancelled so far: ['sleeper 1 CancelledError() at 1', 'sleeper 2 CancelledError() at 1', 'swallower returns at 1']"],
      ['-', "handler ['exception', 'message', 'task'] 'unhandled exception during asyncio.run() shutdown' ValueError('at shutdown') task=bad"],
      ['-', "run -> 'main'"],
    ]);
  });

  it('logs a shutdown failure through the default exception handler', () => {
    function* leftovers2(): Coro<void> {
      function* bad(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
          throw new ValueError('at shutdown');
        }
      }
      createTask(bad(), { name: 'bad' });
      yield;
    }
    const records = captureAsyncioLogs(() => run(leftovers2()));
    expect(records.map((r) => [r.levelname, normaliseSites(r.getMessage()), repr(r.excInfo)])).toEqual([
      [
        'ERROR',
        "unhandled exception during asyncio.run() shutdown\ntask: <Task finished name='bad' coro=<bad() done, defined at F:L> exception=ValueError('at shutdown')>",
        "ValueError('at shutdown')",
      ],
    ]);
  });

  it("cancels the leftover tasks before main's exception leaves run()", () => {
    const { trace, log } = tracer();
    function* mainRaises(): Coro<void> {
      function* sleeper(): Coro<void> {
        try {
          yield* sleep(10);
        } catch (e) {
          log('leftover cancelled');
          throw e;
        }
      }
      createTask(sleeper());
      yield* sleep(0.25);
      throw new ValueError('main failed');
    }
    try {
      run(mainRaises());
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      log(`run raised ${repr(e)}`);
    }
    expect(trace).toEqual([[0.25, 'leftover cancelled'], ['-', "run raised ValueError('main failed')"]]);
  });

  // Regression (issue 16, item 9): the shutdown gathered them with a spread call, which
  // overflows V8's stack somewhere above 10^5 arguments.
  it('cancels 1.5×10^5 leftover tasks at shutdown', () => {
    const n = 150_000;
    let closed = 0;
    function* never(): Coro<void> {
      try {
        yield* sleep(3600);
      } finally {
        closed++;
      }
    }
    function* main(): Coro<number> {
      for (let i = 0; i < n; i++) createTask(never());
      return n;
    }
    // Python (n=3 on the oracle): prints `3 3`: the tasks take their first step in the
    // iteration main ends in, and the shutdown cancels each in its sleep.
    expect(run(main())).toBe(n);
    expect(closed).toBe(n);
  });

  it('refuses to run inside a running event loop', () => {
    const { trace, log } = tracer();
    function* other(): Coro<number> {
      return 1;
    }
    function* nested(): Coro<void> {
      const c = other();
      try {
        run(c);
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        log(repr(e));
      }
      c.return(0);
    }
    run(nested());
    expect(trace).toEqual([[0, "RuntimeError('asyncio.run() cannot be called from a running event loop')"]]);
    function* nested2(): Coro<void> {
      run(other());
    }
    expect(() => run(nested2())).toThrow(RuntimeError);
    expect(() => run(nested2())).toThrow(/^asyncio\.run\(\) cannot be called from a running event loop$/);
  });

  it('consumes two Task-N names when it closes (shutdownAsyncgens and shutdownDefaultExecutor run as tasks)', () => {
    const { trace, log } = tracer();
    const c = run(cnum());
    const d = run(cnum());
    log(`next run delta=${d - c}`);
    expect(trace).toEqual([['-', 'next run delta=3']]);
  });
});

describe('Runner', () => {
  it('runs several coroutines on one loop, which keeps tasks between runs, and closes it at exit', () => {
    const { trace, log } = tracer();
    let l1: EventLoop | undefined;
    let b = 0;
    withContext(new Runner(), (r) => {
      l1 = r.getLoop();
      function* first(): Coro<number> {
        function* bg(): Coro<void> {
          yield* sleep(1);
          log('background done');
        }
        createTask(bg());
        log('first n=0');
        return taskNumber(currentTask() as never);
      }
      function* second(): Coro<number> {
        yield* sleep(2);
        log('second done');
        return taskNumber(currentTask() as never);
      }
      const a = r.run(first());
      b = r.run(second());
      log(`same loop ${py(r.getLoop() === l1)} running=${py(l1.isRunning())} delta=${b - a}`);
    });
    log(`after with: closed=${py(l1!.isClosed())}`);
    const c = run(cnum());
    log(`next run delta=${c - b}`);
    const d = run(cnum());
    log(`next run delta=${d - c}`);
    let e = 0;
    let f = 0;
    withContext(new Runner(), (r2) => {
      e = r2.run(cnum());
      f = r2.run(cnum());
    });
    log(`runner deltas ${e - d} ${f - e}`);
    expect(trace).toEqual([
      [0, 'first n=0'], [1, 'background done'], [2, 'second done'], ['-', 'same loop True running=False delta=2'],
      ['-', 'after with: closed=True'], ['-', 'next run delta=3'], ['-', 'next run delta=3'], ['-', 'runner deltas 3 1'],
    ]);
  });

  it("is usable after a close() before first use; once closed, raises 'Runner is closed'", () => {
    const { trace, log } = tracer();
    const r = new Runner();
    r.close();
    r.close();
    log(`close before use is a no-op: ${py(r.run(cnum()) > 0)}`);
    r.close();
    r.close();
    const c1 = cnum();
    try {
      r.run(c1);
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      log(`run after close: ${repr(e)}`);
    }
    c1.return(0);
    try {
      r.getLoop();
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      log(`get_loop after close: ${repr(e)}`);
    }
    try {
      withContext(r, () => undefined);
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      log(`with after close: ${repr(e)}`);
    }
    expect(trace).toEqual([
      ['-', 'close before use is a no-op: True'], ['-', "run after close: RuntimeError('Runner is closed')"],
      ['-', "get_loop after close: RuntimeError('Runner is closed')"], ['-', "with after close: RuntimeError('Runner is closed')"],
    ]);
    expect(() => r.getLoop()).toThrow(RuntimeError);
    expect(() => r.getLoop()).toThrow(/^Runner is closed$/);
  });

  it('refuses a run from inside its running loop, and anything but a coroutine', () => {
    const { trace, log } = tracer();
    withContext(new Runner(), (r) => {
      function* rec(): Coro<void> {
        const c = cnum();
        try {
          r.run(c);
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(repr(e));
        }
        c.return(0);
      }
      r.run(rec());
      for (const bad of [123, 'x', undefined, r.getLoop().createFuture()]) {
        try {
          r.run(bad as never);
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          log(repr(e));
        }
      }
    });
    try {
      run(5 as never);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      log(`asyncio.run: ${repr(e)}`);
    }
    expect(trace).toEqual([
      [0, "RuntimeError('Runner.run() cannot be called from a running event loop')"],
      ['-', "ValueError('a coroutine was expected, got 123')"],
      ['-', 'ValueError("a coroutine was expected, got \'x\'")'],
      ['-', "ValueError('a coroutine was expected, got None')"],
      ['-', "ValueError('a coroutine was expected, got <Future pending>')"],
      ['-', "asyncio.run: ValueError('a coroutine was expected, got 5')"],
    ]);
    const r = new Runner();
    expect(() => r.run(123 as never)).toThrow(ValueError);
    expect(() => r.run(123 as never)).toThrow(/^a coroutine was expected, got 123$/);
    r.close();
  });

  it('applies debug to its loop and uses a loop factory', () => {
    const { trace, log } = tracer();
    withContext(new Runner({ debug: true }), (r) => {
      log(`debug=${py(r.getLoop().getDebug())}`);
    });
    const made: EventLoop[] = [];
    const factory = (): EventLoop => {
      const l = newEventLoop();
      made.push(l);
      return l;
    };
    function* main(v: string): Coro<string> {
      const loop = getRunningLoop() as EventLoop;
      log(`main runs debug=${py(loop.getDebug())} same_as_get_event_loop=${py(getEventLoop() === loop)}`);
      yield* sleep(1.5);
      return v;
    }
    withContext(new Runner({ loopFactory: factory, debug: false }), (r) => {
      const loopUsed = r.getLoop() === made[0];
      const debug = r.getLoop().getDebug();
      const result = r.run(main('f'));
      log(`factory loop used=${py(loopUsed)} debug=${py(debug)} ${repr(result)}`);
    });
    log(`closed=${py(made[0]!.isClosed())}`);
    expect(trace).toEqual([
      ['-', 'debug=True'], [0, 'main runs debug=False same_as_get_event_loop=True'],
      ['-', "factory loop used=True debug=False 'f'"], ['-', 'closed=True'],
    ]);
  });

  it('uses what a loop factory returns unchecked: a value that is not a loop fails at the first method used', () => {
    // asyncio.run(main(), loop_factory=lambda: 1)  -> 'int' object has no attribute 'close'
    //   (its context: ... 'run_until_complete', whose context: ... 'create_task')
    // asyncio.run(main(), loop_factory=lambda: None, debug=True) -> ... 'set_debug'
    // r = asyncio.Runner(loop_factory=lambda: 1): r.run(main()) -> ... 'create_task';
    //   r.get_loop() -> 1; r.close() -> ... 'close'
    // CPython raises AttributeError; aiosim, which has none, a TypeError with its text.
    const fail = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        return e.message;
      }
      return 'no error';
    };
    const one = (): EventLoop => 1 as never;
    const main = cnum();
    expect(fail(() => run(main, { loopFactory: one }))).toBe("'int' object has no attribute 'close'");
    expect(fail(() => run(cnum(), { loopFactory: () => null as never, debug: true }))).toBe("'NoneType' object has no attribute 'set_debug'");
    const runner = new Runner({ loopFactory: one });
    expect(fail(() => runner.run(cnum()))).toBe("'int' object has no attribute 'create_task'");
    expect(runner.getLoop()).toBe(1);
    expect(fail(() => runner.close())).toBe("'int' object has no attribute 'close'");
  });

  it('counts leftover tasks too: the next run starts four names later after one leftover', () => {
    function* leftover(): Coro<number> {
      createTask(sleep(10));
      return taskNumber(currentTask() as never);
    }
    const a = run(leftover());
    const b = run(cnum());
    expect(b - a).toBe(4);
  });

  it('unsets the current event loop when it closes', () => {
    run(cnum());
    expect(() => getEventLoop()).toThrow(RuntimeError);
    expect(() => getEventLoop()).toThrow(/^There is no current event loop in thread 'MainThread'\.$/);
  });
});
