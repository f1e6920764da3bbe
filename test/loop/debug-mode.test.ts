// Debug mode's switches and checks. Expected texts from CPython 3.13.2 (pyodide):
//   loop.set_debug(True); loop.call_soon(cb) where cb does time.sleep(0.15)
//   -> WARNING 'Executing <Handle cb() at F:L created at F:L> took 0.150 seconds'

import { afterEach, describe, expect, it } from 'vitest';
import { blockingSleep, EventLoop, isDevMode, logging, run, setDevMode, sleep, warnings, type Coro } from '../../src/index.js';
import { _setCurrentThreadIdent, MAIN_THREAD_IDENT } from '../../src/runtime/thread-ident.js';
import { _restoreDefaultFilters } from '../../src/log/warnings.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';

afterEach(() => {
  delete process.env.PYTHONASYNCIODEBUG;
  setDevMode(false);
  _restoreDefaultFilters();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
});

describe('EventLoop debug switches', () => {
  it('reads PYTHONASYNCIODEBUG when a loop is created', () => {
    expect(new EventLoop().getDebug()).toBe(false);
    process.env.PYTHONASYNCIODEBUG = '1';
    const loop = new EventLoop();
    delete process.env.PYTHONASYNCIODEBUG;
    expect(loop.getDebug()).toBe(true);
    expect(new EventLoop().getDebug()).toBe(false);
  });

  it('lets an explicit debug option and setDebug override the environment', () => {
    process.env.PYTHONASYNCIODEBUG = '1';
    expect(new EventLoop({ debug: false }).getDebug()).toBe(false);
    const loop = new EventLoop();
    loop.setDebug(false);
    expect(loop.getDebug()).toBe(false);
  });

  it('turns debug mode on in Development Mode and shows warnings once per location', () => {
    setDevMode(true);
    expect(isDevMode()).toBe(true);
    expect(new EventLoop().getDebug()).toBe(true);
    const shown: string[] = [];
    warnings.catchWarnings({}, () => {
      warnings.showwarning = (m, c) => shown.push(`${c.name}: ${String(m)}`);
      for (let i = 0; i < 2; i++) warnings.warn('leak', warnings.ResourceWarning);
    });
    expect(shown).toEqual(['ResourceWarning: leak']);
  });

  it('run(coro, { debug }) sets the loop debug mode', () => {
    const seen: boolean[] = [];
    function* main(): Coro<void> {
      yield* sleep(0);
      seen.push(true);
    }
    run(main(), { debug: true });
    expect(seen).toEqual([true]);
  });
});

describe('EventLoop slow callbacks', () => {
  it('logs a callback that blocks the loop for at least slowCallbackDuration', () => {
    const loop = new EventLoop({ debug: true });
    const records = captureAsyncioLogs(() => {
      loop.callSoon(function cb() {
        blockingSleep(0.15);
      });
      loop.callSoon(function quick() {
        blockingSleep(0.05);
      });
      loop.callSoon(() => loop.stop());
      loop.runForever();
    });
    expect(records.map((r) => `${r.levelname} ${normaliseSites(r.getMessage())}`)).toEqual([
      'WARNING Executing <Handle cb() at F:L created at F:L> took 0.150 seconds',
    ]);
    expect(loop.time()).toBeCloseTo(0.2, 12);
    loop.close();
  });

  it('logs nothing when debug mode is off, though the clock still moves', () => {
    const loop = new EventLoop();
    const records = captureAsyncioLogs(() => {
      loop.callSoon(() => blockingSleep(1));
      loop.callSoon(() => loop.stop());
      loop.runForever();
    });
    expect(records).toEqual([]);
    expect(loop.time()).toBe(1);
    loop.close();
  });

  it('rejects a negative blocking sleep as time.sleep does', () => {
    expect(() => blockingSleep(-1)).toThrow(/^sleep length must be non-negative$/);
  });
});

describe('EventLoop slow selector (opt-in)', () => {
  it('logs a wait of at least a second at INFO, as asyncio 3.4-3.7 did', () => {
    const loop = new EventLoop({ debug: true, logSlowSelector: true });
    const asyncioLogger = logging.getLogger('asyncio');
    asyncioLogger.setLevel(logging.DEBUG);
    try {
      const records = captureAsyncioLogs(() => {
        loop.runUntilComplete(sleep(1.5));
        loop.runUntilComplete(sleep(0.5));
      });
      expect(records.map((r) => `${r.levelname} ${r.getMessage()}`)).toEqual(['INFO poll 1500.000 ms took 1500.000 ms: timeout']);
    } finally {
      asyncioLogger.setLevel(logging.NOTSET);
    }
    loop.close();
  });

  it('is off unless asked for: CPython 3.13 logs no selector waits', () => {
    const loop = new EventLoop({ debug: true });
    const asyncioLogger = logging.getLogger('asyncio');
    asyncioLogger.setLevel(logging.DEBUG);
    try {
      expect(captureAsyncioLogs(() => loop.runUntilComplete(sleep(1.5)))).toEqual([]);
    } finally {
      asyncioLogger.setLevel(logging.NOTSET);
    }
    loop.close();
  });
});

describe('EventLoop thread check', () => {
  it('refuses callSoon and callLater from another thread while the loop runs, in debug mode', () => {
    const loop = new EventLoop({ debug: true });
    const errors: string[] = [];
    loop.callSoon(() => {
      _setCurrentThreadIdent(2);
      for (const schedule of [() => loop.callSoon(() => {}), () => loop.callLater(1, () => {}), () => loop.callAt(1, () => {})]) {
        try {
          schedule();
        } catch (e) {
          errors.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
        }
      }
      loop.callSoonThreadsafe(() => errors.push('threadsafe ok'));
      _setCurrentThreadIdent(MAIN_THREAD_IDENT);
      loop.callSoon(() => loop.stop());
    });
    loop.runForever();
    expect(errors).toEqual([
      'RuntimeError: Non-thread-safe operation invoked on an event loop other than the current one',
      'RuntimeError: Non-thread-safe operation invoked on an event loop other than the current one',
      'RuntimeError: Non-thread-safe operation invoked on an event loop other than the current one',
      'threadsafe ok',
    ]);
    loop.close();
  });

  it('does not check threads when debug mode is off or the loop is not running', () => {
    const loop = new EventLoop();
    _setCurrentThreadIdent(2);
    expect(() => loop.callSoon(() => {})).not.toThrow();
    const debugLoop = new EventLoop({ debug: true });
    expect(() => debugLoop.callSoon(() => {})).not.toThrow();
    _setCurrentThreadIdent(MAIN_THREAD_IDENT);
    loop.close();
    debugLoop.close();
  });
});
