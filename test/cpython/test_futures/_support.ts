// Port of CPython 3.13's Lib/test/test_asyncio/test_futures.py: the behaviour each test
// method checks, through aiosim's API. The C/Py twin classes (CFutureTests, PyFutureTests,
// CSubFutureTests, …) check the same behaviour and are ported once, as the C `_asyncio`
// Future the oracle runs. Values that the CPython test does not spell out were printed
// by probes on the oracle (CPython 3.13.2); they are quoted next to the checks.
// Which methods are not ported, and why: docs/cpython-tests/test_futures.md.
// This file: the harness its test classes share.

import { afterEach, beforeEach } from 'vitest';
import { EventLoop, setEventLoop, world } from '../../../src/index.js';

// Futures are iterable (`yield*`): compare them with toBe, never inside toEqual.

/**
 * test_utils.TestCase.new_test_loop for a test file: a new loop before each test, given to
 * `set`, and no current loop set; after it, the loop closed and the world reset.
 */
export function loopPerTest(set: (loop: EventLoop) => void): void {
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    set(loop);
    setEventLoop(undefined);
  });
  afterEach(() => {
    if (!loop.isClosed()) loop.close();
    setEventLoop(undefined);
    world._reset();
  });
}
