// CPython 3.13's test_asyncio/test_events.py, GetEventLoopTestsMixin (as TestPyGetEventLoop
// runs it): one `it` per test method, titled after it. Module notes and shared helpers:
// ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  EventLoop, getEventLoop, getRunningLoop, newEventLoop, ProcessPoolExecutor, RuntimeError, setEventLoop, type Coro,
} from '../../../src/index.js';
import { _getRunningLoop } from '../../../src/events/running-loop.js';
import { expectThrows } from '../_support.js';
import { resetAfterEach } from './_support.js';

resetAfterEach();

describe('GetEventLoopTestsMixin', () => {
  it('test_get_event_loop_new_process — a process pool job can make, set and run its own loop', () => {
    const l = newEventLoop();
    setEventLoop(l);
    function subProc(): string {
      function* doit(): Coro<string> {
        return 'hello';
      }
      const child = newEventLoop();
      setEventLoop(child);
      const result = child.runUntilComplete(doit());
      child.close();
      return result;
    }
    function* main(): Coro<string> {
      const pool = new ProcessPoolExecutor();
      const result = yield* l.runInExecutor(pool, subProc);
      pool.shutdown();
      return result;
    }
    expect(l.runUntilComplete(main())).toBe('hello');
    l.close();
  });

  // Inside a task of `l`, every getter returns `l`.
  function expectRunningLoopIs(l: EventLoop): void {
    function* func(): Coro<void> {
      expect(getEventLoop()).toBe(l);
      expect(getRunningLoop()).toBe(l);
      expect(_getRunningLoop()).toBe(l);
    }
    l.runUntilComplete(func());
  }

  it('test_get_event_loop_returns_running_loop — inside a running loop every getter returns it; outside none runs', () => {
    const l = newEventLoop();
    setEventLoop(undefined);
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
    expectRunningLoopIs(l);
    l.close();
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
  });

  it('test_get_event_loop_returns_running_loop2 — the running loop wins over the current one, which set/unset controls', () => {
    const l = newEventLoop();
    const loop2 = newEventLoop();
    setEventLoop(loop2);
    expect(getEventLoop()).toBe(loop2);
    setEventLoop(undefined);
    expectThrows(() => getEventLoop(), RuntimeError, /no current/);
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
    expectRunningLoopIs(l);
    setEventLoop(l);
    expect(getEventLoop()).toBe(l);
    setEventLoop(undefined);
    expectThrows(() => getEventLoop(), RuntimeError, /no current/);
    l.close();
    loop2.close();
    expectThrows(() => getRunningLoop(), RuntimeError, /no running/);
    expect(_getRunningLoop()).toBe(undefined);
  });
});
