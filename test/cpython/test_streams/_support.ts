// CPython 3.13's Lib/test/test_asyncio/test_streams.py, ported behaviour by behaviour: one
// `it` per CPython test method (its title starts with the method's name), in stream.test.ts
// (StreamTests, the methods on StreamReader alone) and stream-network.test.ts (those that
// open connections, on the simulated network). Table: docs/cpython-tests/test_streams.md.
// This file: StreamTests' setUp/tearDown and the helpers the tests share.

import { afterEach, beforeEach } from 'vitest';
import { EventLoop, setEventLoop, world, type Coro } from '../../../src/index.js';
import { runBriefly } from '../_support.js';

/** Python's bytes literal `b'…'` (ASCII text). */
export const b = (s: string): Uint8Array => new TextEncoder().encode(s);

/** StreamTests.DATA */
export const DATA = b('line1\nline2\nline3\n');

/** The contents of a reader's buffer (CPython's tests compare `stream._buffer` with bytes). */
export const buffer = (stream: { _buffer: { bytes(): Uint8Array } }): Uint8Array => stream._buffer.bytes();

/**
 * StreamTests.setUp/tearDown: a new loop before each test, and no current loop (test_utils'
 * set_event_loop sets None, so that the tests pass the loop explicitly); after it,
 * run_briefly (transport close callbacks), the loop closed, the world reset.
 */
export function streamLoopPerTest(set: (loop: EventLoop) => void): void {
  let loop: EventLoop;
  beforeEach(() => {
    loop = new EventLoop();
    setEventLoop(undefined);
    set(loop);
  });
  afterEach(() => {
    if (!loop.isClosed() && !loop.isRunning()) {
      runBriefly(loop);
      loop.close();
    }
    setEventLoop(undefined);
    world._reset();
  });
}

/** `loop.run_until_complete(coro)` expecting it to raise: returns the exception. */
export function raises(loop: EventLoop, aw: Coro<unknown>): unknown {
  try {
    loop.runUntilComplete(aw);
  } catch (e) {
    return e;
  }
  throw new Error('no exception raised');
}
