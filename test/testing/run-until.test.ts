// runUntilComplete(loop, aw, { timeLimit }): loop.runUntilComplete within a virtual-time
// limit. Within the limit it takes the very decisions loop.runUntilComplete takes (the
// same trace); at the limit it throws TimeLimitError with the loop's state.

import { describe, expect, it } from 'vitest';
import { createTask, EventLoop, sleep, StalledError, ValueError, type Coro } from '../../src/index.js';
import { runUntilComplete, TimeLimitError, Trace } from '../../src/testing/index.js';
import { caught } from './_support.js';

function* worker(n: number): Coro<number> {
  yield* sleep(n);
  return n * 10;
}

function* main(): Coro<number> {
  const a = createTask(worker(1));
  const b = createTask(worker(3));
  return (yield* a) + (yield* b);
}

describe('runUntilComplete (testing)', () => {
  it('returns the result, with the clock where the future completed', () => {
    const loop = new EventLoop();
    expect(runUntilComplete(loop, main(), { timeLimit: 10 })).toBe(40);
    expect(loop.time()).toBe(3);
    loop.close();
  });

  it('takes the same decisions as loop.runUntilComplete', () => {
    const traces = [false, true].map((limited) => {
      const loop = new EventLoop();
      const trace = new Trace().attach(loop);
      if (limited) runUntilComplete(loop, main(), { timeLimit: 10 });
      else loop.runUntilComplete(main());
      trace.detach();
      loop.close();
      return String(trace);
    });
    expect(traces[1]).toBe(traces[0]);
    expect(traces[0]).toContain('run _run_until_complete_cb(main)');
  });

  it('runs what is due exactly at the limit', () => {
    const loop = new EventLoop();
    expect(runUntilComplete(loop, worker(2), { timeLimit: 2 })).toBe(20);
    loop.close();
  });

  it('throws TimeLimitError at the limit, naming what every task waits for', () => {
    const loop = new EventLoop({ start: 1 });
    const task = loop.createTask(main());
    const err = caught(() => runUntilComplete(loop, task, { timeLimit: 2 }));
    expect(err).toBeInstanceOf(TimeLimitError);
    expect(err.message).toBe([
      'main is not done after the time limit of 2.0 seconds (t=3.0)',
      'time 3.0',
      'ready: none',
      'timers:',
      '  4.0 _set_result_unless_cancelled(future 1, None)',
      'tasks:',
      // Names are given in order of mention: the first worker is done, so not mentioned.
      '  main: waiting for worker',
      '  worker: waiting for future 1 (timer at 4.0)',
    ].join('\n'));
    // Everything stays scheduled: the run can go on.
    expect(loop.runUntilComplete(task)).toBe(40);
    loop.close();
  });

  it('limits the clock in the manual time mode too', () => {
    const loop = new EventLoop({ timeMode: 'manual' });
    expect(() => loop.runUntilComplete(worker(1))).toThrow(StalledError);
    expect(runUntilComplete(loop, worker(1), { timeLimit: 1.5 })).toBe(10);
    expect(loop.time()).toBe(1);
    loop.close();
  });

  it("throws the coroutine's exception", () => {
    const loop = new EventLoop();
    const err = caught(() => runUntilComplete(loop, (function* fails(): Coro<void> {
      yield* sleep(1);
      throw new ValueError('bad');
    })(), { timeLimit: 5 }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe('bad');
    loop.close();
  });

  it('is loop.runUntilComplete without a limit (a stall is reported as such)', () => {
    const loop = new EventLoop();
    expect(runUntilComplete(loop, worker(1))).toBe(10);
    const err = caught(() => runUntilComplete(loop, loop.createFuture()));
    expect(err).toBeInstanceOf(StalledError);
    loop.close();
  });

  it('refuses a negative or non-finite limit', () => {
    const loop = new EventLoop();
    for (const [limit, text] of [[-1, '-1'], [Infinity, 'inf'], [NaN, 'nan']] as const) {
      const err = caught(() => runUntilComplete(loop, loop.createFuture(), { timeLimit: limit }));
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe(`timeLimit must be a finite number of seconds >= 0, got ${text}`);
    }
    const err = caught(() => runUntilComplete(loop, loop.createFuture(), { timeLimit: '5' as never }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe("timeLimit must be a finite number of seconds >= 0, got '5'");
    loop.close();
  });
});
