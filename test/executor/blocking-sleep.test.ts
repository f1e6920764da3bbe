// blockingSleep() (Python's time.sleep) on the loop's thread and in simulated threads.
// Error texts from native CPython 3.13.0 (time.sleep); the timelines follow the
// "Running Blocking Code" paragraph of the 3.13 "Developing with asyncio" page ("if a
// function performs a CPU-intensive calculation for 1 second, all concurrent asyncio
// Tasks and IO operations would be delayed by 1 second") and aiosim's documented
// simulation semantics (src/executor/blocking-sleep.ts).

import { afterEach, describe, expect, it } from 'vitest';
import { blockingSleep, EventLoop, sleep, threading, ValueError, world, type Coro } from '../../src/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { runScenario } from '../_support/scenario.js';

afterEach(() => {
  world._reset();
});

describe('blockingSleep', () => {
  // A task ticking once a second, with or without a callback that blocks for 1 s at t=1.
  function tickerScenario(block: boolean) {
    return runScenario(function* main({ loop, log }): Coro<void> {
      function* ticker(): Coro<void> {
        for (let i = 0; i < 4; i++) {
          log(`tick ${i}`);
          yield* sleep(1);
        }
      }
      if (block) {
        loop.callLater(1, function cpuBound() {
          log('cpuBound starts');
          blockingSleep(1);
          log('cpuBound ends');
        });
      }
      yield* loop.createTask(ticker());
    });
  }

  it('delays every task and timer by exactly the time it blocks the loop (the page\'s 1-second example)', () => {
    expect(tickerScenario(false)).toEqual([
      [0, 'tick 0'], [1, 'tick 1'], [2, 'tick 2'], [3, 'tick 3'], ['return', 'None'],
    ]);
    expect(tickerScenario(true)).toEqual([
      [0, 'tick 0'],
      [1, 'cpuBound starts'],
      [2, 'cpuBound ends'],
      [2, 'tick 1'],
      [3, 'tick 2'],
      [4, 'tick 3'],
      ['return', 'None'],
    ]);
  });

  it('holds a task blocking in its step: the other tasks wake late', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      function* blocker(): Coro<void> {
        log('blocker blocks');
        blockingSleep(1.5);
        log('blocker unblocks');
      }
      function* sleeper(): Coro<void> {
        yield* sleep(0.5);
        log('sleeper wakes');
      }
      const s = loop.createTask(sleeper());
      const b = loop.createTask(blocker());
      loop.callSoon(log, 'callSoon');
      yield* s;
      yield* b;
    });
    expect(trace).toEqual([
      [0, 'blocker blocks'],
      [1.5, 'blocker unblocks'],
      [1.5, 'callSoon'],
      [1.5, 'sleeper wakes'],
      ['return', 'None'],
    ]);
  });

  it('lets other simulated threads run while the loop\'s thread sleeps; their thread-safe calls wait for the loop', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const worker = new threading.Thread({
        target: function* worker(): Generator<unknown, void, unknown> {
          yield* blockingSleep(0.625);
          for (let i = 0; i < 4; i++) {
            log(`worker ${i}`);
            if (i < 3) yield* blockingSleep(0.25);
          }
          loop.callSoonThreadsafe(log, 'worker threadsafe');
        },
      });
      worker.start();
      loop.callLater(0.5, function block() {
        log('loop blocks');
        blockingSleep(1);
        log('loop unblocks');
      });
      loop.callLater(1, log, 'timer at 1');
      yield* sleep(2);
    });
    expect(trace).toEqual([
      [0.5, 'loop blocks'],
      [0.625, 'worker 0'],
      [0.875, 'worker 1'],
      [1.125, 'worker 2'],
      [1.375, 'worker 3'],
      [1.5, 'loop unblocks'],
      // appended to the ready queue at 1.375, before the next iteration collects due timers
      [1.5, 'worker threadsafe'],
      [1.5, 'timer at 1'],
      ['return', 'None'],
    ]);
  });

  it('with 0 seconds lets the thread steps due now run inside the callback', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      loop.callSoon(() => {
        new threading.Thread({ target: () => log('thread body') }).start();
        log('before blockingSleep(0)');
        blockingSleep(0);
        log('after blockingSleep(0)');
      });
      yield* sleep(0);
      yield* sleep(0);
    });
    expect(trace).toEqual([
      [0, 'before blockingSleep(0)'],
      [0, 'thread body'],
      [0, 'after blockingSleep(0)'],
      ['return', 'None'],
    ]);
  });

  it('moves the world\'s time on the main thread when no loop runs', () => {
    const done: number[] = [];
    const t = new threading.Thread({ target: function* w(): Generator<unknown, void, unknown> { yield* blockingSleep(0.5); done.push(world.now); } });
    t.start();
    blockingSleep(2);
    expect(world.now).toBe(2);
    expect(done).toEqual([0.5]);
    expect(t.isAlive()).toBe(false);
  });

  it('in an atomic thread body delays the thread\'s end by the total slept', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const t = new threading.Thread({
        target: function atomic() {
          blockingSleep(1);
          blockingSleep(0.5);
          loop.callSoonThreadsafe(log, 'atomic threadsafe');
        },
      });
      t.start();
      for (const at of [1.25, 1.75]) {
        yield* sleep(at - loop.time());
        log(`alive ${t.isAlive()}`);
      }
    });
    expect(trace).toEqual([
      [1.25, 'alive true'],
      [1.5, 'atomic threadsafe'],
      [1.75, 'alive false'],
      ['return', 'None'],
    ]);
  });

  it('is reported as a slow callback in debug mode', () => {
    const loop = new EventLoop({ debug: true });
    const records = captureAsyncioLogs(() => {
      loop.callSoon(function cpuBound() {
        blockingSleep(1);
      });
      loop.runUntilComplete(sleep(0));
    });
    loop.close();
    expect(records.map((r) => `${r.levelname} ${normaliseSites(r.getMessage())}`)).toEqual([
      'WARNING Executing <Handle cpuBound() at F:L created at F:L> took 1.000 seconds',
    ]);
  });

  it('rejects negative and non-number lengths with time.sleep\'s errors', () => {
    // CPython 3.13.0: time.sleep(-1) -> ValueError('sleep length must be non-negative');
    // time.sleep('a') -> TypeError("'str' object cannot be interpreted as an integer");
    // time.sleep(None) -> TypeError("'NoneType' object cannot be interpreted as an integer")
    expect(() => blockingSleep(-1)).toThrow(ValueError);
    expect(() => blockingSleep(-1)).toThrow(/^sleep length must be non-negative$/);
    expect(() => blockingSleep('a' as never)).toThrow(TypeError);
    expect(() => blockingSleep('a' as never)).toThrow(/^'str' object cannot be interpreted as an integer$/);
    expect(() => blockingSleep(undefined as never)).toThrow(/^'NoneType' object cannot be interpreted as an integer$/);
    expect(world.now).toBe(0);
  });

  it('rejects NaN as time.sleep does', () => {
    // CPython 3.13.0: time.sleep(float('nan')) -> ValueError('Invalid value NaN (not a number)')
    expect(() => blockingSleep(NaN)).toThrow(ValueError);
    expect(() => blockingSleep(NaN)).toThrow(/^Invalid value NaN \(not a number\)$/);
  });

  it('runs a timer that fell due during the block in the next iteration, after what the step scheduled', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const t = loop.callLater(0.5, log, 'timer 0.5');
      blockingSleep(1);
      log(`after blocking, timer cancelled=${t.cancelled()}`);
      yield* sleep(0);
      log('after sleep(0)');
    });
    expect(trace).toEqual([
      [1, 'after blocking, timer cancelled=false'],
      [1, 'after sleep(0)'],
      [1, 'timer 0.5'],
      ['return', 'None'],
    ]);
  });
});
