import { describe, expect, it } from 'vitest';
import * as aiosim from '../src/index.js';

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(aiosim).sort()).toMatchInlineSnapshot(`
      [
        "BaseException",
        "CancelledError",
        "EventLoop",
        "Future",
        "Handle",
        "InvalidStateError",
        "KeyboardInterrupt",
        "RuntimeError",
        "StalledError",
        "StopIteration",
        "SystemExit",
        "Task",
        "TimeoutError",
        "TimerHandle",
        "ValueError",
        "allTasks",
        "createEagerTaskFactory",
        "createTask",
        "currentTask",
        "eagerTaskFactory",
        "ensureFuture",
        "getEventLoop",
        "getRunningLoop",
        "isException",
        "isFuture",
        "logging",
        "newEventLoop",
        "repr",
        "setEventLoop",
        "sleep",
      ]
    `);
  });

  it('exports the logging namespace', () => {
    expect(Object.keys(aiosim.logging).sort()).toMatchInlineSnapshot(`
      [
        "CRITICAL",
        "DEBUG",
        "ERROR",
        "INFO",
        "LogRecord",
        "Logger",
        "NOTSET",
        "StreamHandler",
        "WARNING",
        "basicConfig",
        "getLevelName",
        "getLogger",
        "lastResort",
      ]
    `);
  });
});
