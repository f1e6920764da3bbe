// The options of `new EventLoop()`: the clock's start and resolution (checked), debug
// mode's default, and aiosim's extras (real-time measuring, slow-poll logs, time mode).
// asyncio: BaseEventLoop.__init__ (its _clock_resolution and _debug)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { isDevMode } from '../log/dev-mode.js';

/** Options of `new EventLoop()`. */
export interface EventLoopOptions {
  /** Debug mode (default, also for null: on in Development Mode or when PYTHONASYNCIODEBUG is set, as in CPython). */
  debug?: boolean | null;
  /** Virtual time the clock starts at: finite, >= 0 (default 0). */
  start?: number | null;
  /**
   * Timers due within this much of now run now: finite, > 0 (default 1e-9, asyncio's
   * `_clock_resolution`).
   */
  clockResolution?: number | null;
  /**
   * Also count real elapsed time when looking for slow callbacks in debug mode (an
   * aiosim extra; by default only virtual time counts, which keeps runs deterministic).
   */
  measureRealTime?: boolean | null;
  /**
   * In debug mode, log long selector waits as asyncio 3.4-3.7 did ('poll 1500.000 ms
   * took 1500.000 ms: timeout', INFO from one second). An aiosim extra: CPython 3.13 no
   * longer logs them.
   */
  logSlowSelector?: boolean | null;
  /**
   * How the clock moves (an aiosim extra for tests): 'auto' (default) jumps to the next
   * timer when the loop is idle; 'manual' moves it only in `advance(seconds)`, and a loop
   * that would have to wait for time to pass throws StalledError instead.
   */
  timeMode?: TimeMode | null;
}

/** How a loop's clock moves: see `EventLoopOptions.timeMode`. */
export type TimeMode = 'auto' | 'manual';

/**
 * @internal Check and return the clock options of `new EventLoop()` (the property runner
 * checks them before its first run). An infinite start never lets a timer become due (the
 * loop would spin), and a resolution that is not positive and finite fires timers at the
 * wrong time or never.
 * @throws TypeError for a value that is not a number; ValueError for one out of range.
 */
export function _clockOptions(options: EventLoopOptions | undefined): { start: number; resolution: number } {
  // null is "not given", as undefined is (Python's None rule, for aiosim's own options too).
  const start = options?.start ?? undefined;
  const resolution = options?.clockResolution ?? undefined;
  return {
    // `+ 0` turns -0 into 0, so that times never print as -0.0.
    start: start === undefined ? 0 : checkNumber(start, 'start must be a finite number of seconds >= 0', finiteNonNegative) + 0,
    resolution: resolution === undefined
      ? 1e-9
      : checkNumber(resolution, 'clockResolution must be a finite number of seconds > 0', (n) => Number.isFinite(n) && n > 0),
  };
}

/**
 * @internal Debug mode when the options do not say: on in Development Mode or with
 * PYTHONASYNCIODEBUG set. asyncio: coroutines._is_debug_mode
 */
export function _debugDefault(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return isDevMode() || Boolean(env?.PYTHONASYNCIODEBUG);
}
