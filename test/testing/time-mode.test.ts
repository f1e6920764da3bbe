// Time modes (an aiosim extra for tests): 'auto' jumps the clock to the next timer when
// the loop is idle; 'manual' moves it only in advance(), and a loop that would have to
// wait for time to pass throws StalledError naming what waits instead of hanging.

import { afterEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, EventLoop, sleep, StalledError, ValueError, world, type Coro, type TimeMode,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { caught } from './_support.js';

afterEach(() => {
  world._reset();
});

function* napper(log: string[], loop: EventLoop): Coro<string> {
  log.push(`start ${loop.time()}`);
  yield* sleep(1);
  log.push(`woke ${loop.time()}`);
  return 'rested';
}

describe('EventLoop time modes', () => {
  it("defaults to 'auto', set by the timeMode option or setTimeMode()", () => {
    const loop = new EventLoop();
    expect(loop.getTimeMode()).toBe('auto');
    const manual = new EventLoop({ timeMode: 'manual' });
    expect(manual.getTimeMode()).toBe('manual');
    manual.setTimeMode('auto');
    expect(manual.getTimeMode()).toBe('auto');
    for (const make of [() => loop.setTimeMode('fast' as TimeMode), () => new EventLoop({ timeMode: 'fast' as TimeMode })]) {
      const err = caught(make);
      expect(err).toBeInstanceOf(ValueError);
      expect(err.message).toBe("time mode must be 'auto' or 'manual', got 'fast'");
    }
    loop.close();
    manual.close();
  });

  it("reports a wait for a timer in 'manual' mode instead of moving the clock", () => {
    const loop = new EventLoop({ timeMode: 'manual' });
    const log: string[] = [];
    const task = loop.createTask(napper(log, loop), { name: 'napper' });
    const err = caught(() => loop.runUntilComplete(task));
    expect(err).toBeInstanceOf(StalledError);
    expect(normaliseSites(err.message)).toBe([
      "the event loop would wait at t=0.0 for the timer at t=1.0, but its time mode is 'manual': only loop.advance(seconds) moves its clock",
      "runUntilComplete() waits for <Task pending name='napper' coro=<napper() running at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]> cb=[_run_until_complete_cb() at F:L]>",
      'pending tasks:',
      "  <Task pending name='napper' coro=<napper() running at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]> cb=[_run_until_complete_cb() at F:L]>",
      "advance the clock (loop.advance(1.0) gets there), or use the 'auto' time mode",
    ].join('\n'));
    expect(loop.time()).toBe(0);
    expect(log).toEqual(['start 0']);
    // The test moves time; then the task completes without any wait.
    loop.advance(1);
    expect(log).toEqual(['start 0', 'woke 1']);
    expect(loop.runUntilComplete(task)).toBe('rested');
    loop.close();
  });

  it("moves the clock only by advance() in 'manual' mode, stopping exactly there", () => {
    const loop = new EventLoop({ timeMode: 'manual' });
    const fired: number[] = [];
    for (const delay of [0.5, 1, 1.5]) loop.callLater(delay, () => fired.push(loop.time()));
    loop.advance(0.75);
    expect([loop.time(), fired]).toEqual([0.75, [0.5]]);
    loop.advance(0.75);
    expect([loop.time(), fired]).toEqual([1.5, [0.5, 1, 1.5]]);
    loop.close();
  });

  it("runs what is ready or due now in runUntilIdle() in 'manual' mode, leaving later timers", () => {
    const loop = new EventLoop({ timeMode: 'manual', start: 5 });
    const log: string[] = [];
    loop.callSoon(() => {
      log.push('soon');
      loop.callSoon(() => log.push('next iteration'));
    });
    loop.callLater(0, () => log.push('due now'));
    loop.callLater(2, () => log.push('later'));
    loop.runUntilIdle();
    expect([loop.time(), log]).toEqual([5, ['soon', 'due now', 'next iteration']]);
    loop.advance(2);
    expect(log).toEqual(['soon', 'due now', 'next iteration', 'later']);
    loop.close();
  });

  it("runs a timer due within the clock's resolution in 'manual' mode", () => {
    const loop = new EventLoop({ timeMode: 'manual' });
    const log: number[] = [];
    loop.callLater(1e-10, () => log.push(loop.time()));
    loop.runUntilIdle();
    expect(log).toEqual([0]);
    loop.close();
  });

  it("goes on where it stopped after switching back to 'auto'", () => {
    const loop = new EventLoop({ timeMode: 'manual' });
    const log: string[] = [];
    const task = loop.createTask(napper(log, loop));
    expect(() => loop.runUntilComplete(task)).toThrow(StalledError);
    loop.setTimeMode('auto');
    expect(loop.runUntilComplete(task)).toBe('rested');
    expect(loop.time()).toBe(1);
    loop.close();
  });

  it("reports a wait for a simulated thread in 'manual' mode, which advance() lets run", () => {
    const loop = new EventLoop({ timeMode: 'manual' });
    const job = loop.runInExecutor(undefined, () => {
      blockingSleep(2);
      return 'job done';
    });
    const err = caught(() => loop.runUntilComplete(job));
    expect(err).toBeInstanceOf(StalledError);
    expect(err.message.split('\n')[0]).toBe(
      "the event loop would wait at t=0.0 for a thread's next step at t=2.0, but its time mode is 'manual': only loop.advance(seconds) moves its clock",
    );
    loop.advance(2);
    expect(job.done()).toBe(true);
    expect(loop.runUntilComplete(job)).toBe('job done');
    loop.runUntilComplete(loop.shutdownDefaultExecutor());
    loop.close();
  });

  it("jumps to the next timer in 'auto' mode", () => {
    const loop = new EventLoop();
    const log: string[] = [];
    expect(loop.runUntilComplete(napper(log, loop))).toBe('rested');
    expect(log).toEqual(['start 0', 'woke 1']);
    loop.close();
  });
});
