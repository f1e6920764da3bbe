// Port of CPython 3.13's Lib/test/test_asyncio/test_pep492.py (issue 10): what carries
// over from the `async def` / `async with` tests to generator coroutines and asyncWith.
// Values asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: the harness its test classes share (BaseTest).

import { afterEach, beforeEach } from 'vitest';
import { EventLoop, setEventLoop } from '../../../src/index.js';

/** BaseTest for a test file: a fresh loop before each test, given to `set` and set as the current loop; closed after it. */
export function loopPerTest(set: (loop: EventLoop) => void): void {
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    set(loop);
    setEventLoop(loop);
  });
  afterEach(() => {
    setEventLoop(undefined);
    loop.close();
  });
}
