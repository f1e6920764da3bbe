// CPython 3.13's test_asyncio/test_events.py, PolicyTests (through the module-level
// functions: policies are not in aiosim's contract): one `it` per test method, titled after
// it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { EventLoop, getEventLoop, newEventLoop, RuntimeError, setEventLoop, threading } from '../../../src/index.js';
import { _inChildProcess } from '../../../src/events/running-loop.js';
import { expectThrows } from '../_support.js';
import { resetAfterEach } from './_support.js';

resetAfterEach();

describe('PolicyTests (through the module-level functions; policies are not in aiosim\'s contract)', () => {
  it('test_get_event_loop — with no loop ever set, getEventLoop() makes one and keeps returning it', () => {
    // A new DefaultEventLoopPolicy has no loop: aiosim's equivalent is a fresh per-thread
    // state, as a child process starts with (_inChildProcess). aiosim does not emit
    // CPython's DeprecationWarning 'There is no current event loop' (docs/divergences.md#the-loop).
    const [isLoop, same] = _inChildProcess(() => {
      const made = getEventLoop();
      const again = getEventLoop();
      made.close();
      return [made instanceof EventLoop, again === made];
    });
    expect([isLoop, same]).toEqual([true, true]);
  });

  it('test_get_event_loop_after_set_none — after setEventLoop(undefined), getEventLoop() raises RuntimeError', () => {
    setEventLoop(undefined);
    // Native CPython 3.13.0: RuntimeError("There is no current event loop in thread 'MainThread'.")
    expectThrows(() => getEventLoop(), RuntimeError, /^There is no current event loop in thread 'MainThread'\.$/);
  });

  it('test_get_event_loop_thread — in a thread other than the main one, getEventLoop() raises RuntimeError', () => {
    const errors: unknown[] = [];
    const th = new threading.Thread({
      target: function f() {
        try {
          getEventLoop();
        } catch (e) {
          errors.push(e);
        }
      },
    });
    th.start();
    th.join();
    // Native CPython 3.13.0: RuntimeError("There is no current event loop in thread 'Thread-1 (f)'.")
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RuntimeError);
    expect((errors[0] as Error).message).toMatch(/^There is no current event loop in thread 'Thread-\d+ \(f\)'\.$/);
  });

  it('test_new_event_loop — newEventLoop() returns a new loop', () => {
    const l = newEventLoop();
    expect(l).toBeInstanceOf(EventLoop);
    expect(l).not.toBe(newEventLoop());
    l.close();
  });

  it('test_set_event_loop — setEventLoop refuses a non-loop; the loop set is the one getEventLoop returns', () => {
    const oldLoop = newEventLoop();
    setEventLoop(oldLoop);
    // Native CPython 3.13.0: TypeError("loop must be an instance of AbstractEventLoop or None, not 'object'")
    expectThrows(() => setEventLoop({} as never), TypeError, /^loop must be an instance of AbstractEventLoop or None, not '\w+'$/);
    const l = newEventLoop();
    setEventLoop(l);
    expect(getEventLoop()).toBe(l);
    expect(getEventLoop()).not.toBe(oldLoop);
    l.close();
    oldLoop.close();
  });
});
