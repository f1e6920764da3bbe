// Port of CPython 3.13's Lib/test/test_asyncio/test_events.py, loop-agnostic part: the
// generic EventLoopTestsMixin methods (run once here, not per selector), HandleTests,
// TimerTests, the policy-free part of PolicyTests and GetEventLoopTestsMixin. Threads,
// executors and signals are aiosim's simulated ones (`threading`, `blockingSleep`,
// `signals`). HandleTests/TimerTests give their handles a mock loop; here a minimal fake
// loop plays the mock. Values the CPython test does not spell out were printed by probes
// on the oracle (CPython 3.13.2) or, where the oracle cannot run the code (a default-policy
// loop, threads), on native CPython 3.13.0. Sockets, pipes, ptys, subprocesses and
// servers are out of scope: docs/cpython-tests/test_events.md lists every method.
// This file: the helpers its test classes share.

import { afterEach, expect } from 'vitest';
import {
  EventLoop, setEventLoop, sleep, world, type AbstractEventLoop, type ExceptionContext,
} from '../../../src/index.js';

/** test_utils.run_until: run sleeps of growing length until `pred()` holds. */
export function runUntil(l: EventLoop, pred: () => unknown): void {
  let delay = 0.001;
  for (let i = 0; i < 100 && !pred(); i++) {
    l.runUntilComplete(sleep(delay));
    delay = Math.max(delay * 2, 1.0);
  }
  expect(pred()).toBeTruthy();
}

/** A stand-in for the mock loop HandleTests and TimerTests give their handles. */
export function fakeLoop(debug: boolean): AbstractEventLoop & { contexts: ExceptionContext[] } {
  const contexts: ExceptionContext[] = [];
  return {
    contexts,
    getDebug: () => debug,
    callExceptionHandler: (context: ExceptionContext) => void contexts.push(context),
    _timerHandleCancelled: () => undefined,
  } as unknown as AbstractEventLoop & { contexts: ExceptionContext[] };
}

export function noop(..._args: unknown[]): void {}

/** After each test of the file: no current loop, and the simulated world (threads, clock) reset. */
export function resetAfterEach(): void {
  afterEach(() => {
    setEventLoop(undefined);
    world._reset();
  });
}
