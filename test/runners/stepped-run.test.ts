import { beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, sleep, type Coro } from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import type { EventLoop } from '../../src/loop/event-loop.js';
import { world } from '../../src/runtime/world.js';
import { steppedRun } from '../../src/runners/stepped-run.js';

beforeEach(() => {
  _resetSimulation();
});

describe('steppedRun', () => {
  it('yields, between iterations, when the loop next has something to do, and returns what main returned', () => {
    let loop: EventLoop | undefined;
    const times: number[] = [];
    const run = steppedRun(function* main(): Coro<string> {
      times.push(getRunningLoop().time());
      yield* sleep(1.5);
      times.push(getRunningLoop().time());
      return 'ok';
    }, {}, (l) => { loop = l; });
    const wakes: number[] = [];
    for (let step = run.next(); ; step = run.next()) {
      if (step.done === true) {
        expect(step.value).toBe('ok');
        break;
      }
      wakes.push(step.value);
      // The driver's part: let the time pass until the wake (world-driven clock).
      if (step.value > world.now) world.now = step.value;
    }
    // After main's first step, its timer at 1.5; then the iterations at 1.5 that end main
    // and run asyncio.run's cleanup (shutdown_asyncgens, shutdown_default_executor), each
    // with work ready at once: never Infinity (a wait for a wake-up).
    expect(times).toEqual([0, 1.5]);
    expect(wakes).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
    expect(loop!.isClosed()).toBe(true);
    expect(loop!._selector._worldDriven).toBe(true);
  });
});
