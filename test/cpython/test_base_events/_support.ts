// Port of CPython 3.13's Lib/test/test_asyncio/test_base_events.py, loop-agnostic part:
// the behaviour each test method checks, through aiosim's EventLoop. CPython drives a
// BaseEventLoop whose selector is a mock that returns at once; aiosim's selector moves the
// virtual clock by its timeout instead. One `_run_once` with the mock selector is
// `loop.stop(); loop.runForever()` here (timeout 0: the clock does not move), or
// `loop.advance(0)` when the test needs the selector's timeout computed but not waited.
// The selector call itself is observed by spying on the one read of `world.hasEvents`
// that each iteration makes in the virtual selector (CPython asserts on
// `_selector.select` calls). Values the CPython test does not spell out were printed by
// probes on the oracle (CPython 3.13.2). The socket, sendfile and subprocess methods are
// out of scope: docs/cpython-tests/test_base_events.md lists every method.
// This file: the harness and helpers its test classes share.

import { afterEach, beforeEach } from 'vitest';
import { EventLoop, logging, setEventLoop, world } from '../../../src/index.js';

/** One iteration whose selector returns at once (CPython's `loop._run_once()` with the mock selector). */
export function runOnceNow(loop: EventLoop): void {
  loop.stop();
  loop.runForever();
}

/**
 * Record the loop's time each time an iteration reaches the virtual selector (the
 * selector reads `world.hasEvents` once per iteration). The spy answers as the world does.
 */
export function spySelector(loop: EventLoop): { calls: number[]; restore: () => void } {
  const calls: number[] = [];
  const original = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(world), 'hasEvents')!.get!;
  Object.defineProperty(world, 'hasEvents', {
    configurable: true,
    get() {
      calls.push(loop.time());
      return original.call(world);
    },
  });
  return { calls, restore: () => void delete (world as { hasEvents?: boolean }).hasEvents };
}

export function records(records: logging.LogRecord[]): [string, string, string | undefined][] {
  return records.map((r) => [r.levelname, r.getMessage(), (r.excInfo as Error | undefined)?.constructor.name]);
}

/**
 * test_utils.TestCase for a test file: a fresh EventLoop before each test, given to `set`,
 * with no current loop (the test passes its loop explicitly, as after
 * test_utils.TestCase.set_event_loop); after it, the loop closed and the world reset.
 */
export function loopPerTest(set: (loop: EventLoop) => void): void {
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    set(loop);
    setEventLoop(undefined);
  });
  afterEach(() => {
    if (!loop.isRunning() && !loop.isClosed()) loop.close();
    setEventLoop(undefined);
    world._reset();
  });
}
