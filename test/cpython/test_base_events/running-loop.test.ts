// CPython 3.13's test_asyncio/test_base_events.py, RunningLoopTests: one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { EventLoop, getRunningLoop, newEventLoop, RuntimeError, type Coro } from '../../../src/index.js';
import { expectThrows } from '../_support.js';

describe('RunningLoopTests', () => {
  it('test_running_loop_within_a_loop — running a loop inside a running loop raises RuntimeError', () => {
    function* runner(l: EventLoop): Coro<void> {
      l.runForever();
    }
    const inner = newEventLoop();
    const outer = newEventLoop();
    try {
      expectThrows(() => outer.runUntilComplete(runner(inner)), RuntimeError, /while another loop is running/);
    } finally {
      inner.close();
      outer.close();
    }
    expect(() => getRunningLoop()).toThrow(RuntimeError);
  });
});
