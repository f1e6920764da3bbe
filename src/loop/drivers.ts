// aiosim's own ways to drive a loop, beside runForever and runUntilComplete: advance()
// runs what is due up to a time and leaves the clock there, runUntilIdle() runs until
// nothing is left, and the async driver's runForever lets the step driver end each step
// an async-function coroutine deferred before the rest of the iteration runs. All are
// built as CPython 3.13 lets a custom driver be: _runForeverSetup, _runOnce,
// _runForeverCleanup.
// asyncio: BaseEventLoop.run_forever's shape (an aiosim extra, for tests)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { RuntimeError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';
import { world } from '../runtime/world.js';
import { _endStepWithDriver } from '../task/step-driver.js';
import { ADVANCE, RUN_UNTIL_IDLE } from './already-running.js';
import type { EventLoop } from './event-loop.js';

/**
 * @internal `loop.advance(seconds)`.
 * @throws ValueError / TypeError for a number of seconds that is not finite and >= 0.
 */
export function advance(loop: EventLoop, seconds: number): void {
  checkNumber(seconds, 'advance() needs a finite number of seconds >= 0', finiteNonNegative);
  const selector = loop._selector;
  const horizon = selector.now + seconds;
  loop._runForeverSetup(ADVANCE);
  selector.horizon = horizon;
  selector.reachedHorizon = false;
  try {
    for (;;) {
      loop._runOnce();
      if (loop._stopping) break;
      // Done when the clock stands at the horizon and nothing is left to run there.
      if (selector.reachedHorizon && loop._ready.length === 0) break;
      selector.reachedHorizon = false;
    }
  } finally {
    selector.horizon = undefined;
    loop._runForeverCleanup();
  }
}

/**
 * @internal `loop.runUntilIdle(maxIterations)`.
 * @throws RuntimeError when still busy after `maxIterations`; ValueError / TypeError for
 * a `maxIterations` that is not an integer >= 0.
 */
export function runUntilIdle(loop: EventLoop, maxIterations: number): void {
  checkNumber(maxIterations, 'runUntilIdle() needs an integer number of iterations >= 0', (n) => Number.isInteger(n) && n >= 0);
  loop._runForeverSetup(RUN_UNTIL_IDLE);
  try {
    for (let i = 0; ; i++) {
      // Manual time: idle when nothing is due now (later timers wait for advance()).
      if (loop._ready.length === 0 && !(loop._selector.manual ? hasDueWork(loop) : hasLiveTimer(loop))) break;
      if (i >= maxIterations) {
        throw new RuntimeError(`runUntilIdle(): the loop is still busy after ${maxIterations} iterations (t=${pyFloat(loop._selector.now)}); something reschedules itself forever`);
      }
      loop._runOnce();
      if (loop._stopping) break;
    }
  } finally {
    loop._runForeverCleanup();
  }
}

// The cancelled count may run high (asyncio does not decrement it when a cancelled
// timer leaves the heap as due), so a count at or above the heap size proves nothing.
function hasLiveTimer(loop: EventLoop): boolean {
  const heap = loop._scheduled;
  return heap.length > loop._timerCancelledCount || heap.some((h) => !h._cancelled);
}

// Whether a live timer or a simulated thread's step is due now.
function hasDueWork(loop: EventLoop): boolean {
  const now = loop._selector.now;
  const end = now + loop._clockResolution;
  const next = world.nextTime();
  return (next !== undefined && next <= now) || loop._scheduled.some((h) => !h._cancelled && h._when < end);
}

/**
 * @internal runForever for async-function coroutines (aiosim/testing's async driver):
 * when a task's step is deferred (its coroutine goes on in microtasks), await the step
 * driver's `endStep(task)`, which lets the microtasks run and ends the step, then run
 * the rest of the paused iteration. Everything else is runForever's.
 */
export async function runForeverAsync(loop: EventLoop): Promise<void> {
  loop._runForeverSetup();
  try {
    for (;;) {
      loop._runOnce();
      while (loop._deferredStep !== undefined) {
        // The step's code runs in the microtasks meanwhile, in the task's context.
        const task = loop._deferredStep;
        const context = task.getContext();
        context._enter();
        try {
          await _endStepWithDriver(task);
        } finally {
          context._exit();
        }
        if (loop._deferredStep === undefined) loop._runPausedRest();
      }
      if (loop._stopping) break;
    }
  } finally {
    loop._runForeverCleanup();
  }
}
