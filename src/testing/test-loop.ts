// A fresh loop per test: TestLoop (open, then finish with the end-of-test checks),
// withLoop(body) for one synchronous test body, and loopFixture() for vitest's
// test.extend. The loop is the current event loop while the test runs.
// asyncio: none (what pytest-asyncio's event_loop fixture does, with CPython's reports)

import { _resetSimulation, _simulationIdle } from '../executor/reset.js';
import { simplefilter, _saveWarnings } from '../log/warnings.js';
import { _openLoops } from '../loop/collection-points.js';
import { EventLoop } from '../loop/event-loop.js';
import type { EventLoopOptions } from '../loop/loop-options.js';
import { _saveCurrentLoop, setEventLoop } from '../events/running-loop.js';
import { isFuture, type Future } from '../future/future.js';
import { isCoroutine } from '../task/coroutine.js';
import { closeAndCollect, danglingThreads, LoopCheckError, type LoopChecks, resolveChecks } from './checks.js';
import { checkTimeLimit, runUntilComplete } from './run-until.js';
import type { Trace } from './trace.js';

/** Options of `withLoop`, `loopFixture` and `new TestLoop()`: the loop's, and the test's. */
export interface TestLoopOptions extends EventLoopOptions {
  /** Which end-of-test checks fail the test (default: all); `false` for none. */
  checks?: LoopChecks | false;
  /** 'error': every warning raised during the test is an exception (Python's `-W error`). */
  warnings?: 'default' | 'error';
  /** Record the loop's decisions into this trace while the test runs. */
  trace?: Trace;
  /** withLoop with a coroutine body: the virtual seconds it may take (TimeLimitError after). */
  timeLimit?: number;
}

/**
 * A loop opened for one test. While open it is the current event loop, warnings follow
 * the `warnings` option and the `trace` (if any) records it; `finish()` closes it and
 * runs the end-of-test checks.
 *
 * @example
 * const t = new TestLoop({ timeMode: 'manual' });
 * t.loop.callLater(1, cb);
 * t.loop.advance(1);
 * t.finish(); // throws LoopCheckError if the test left problems behind
 * asyncio: none (aiosim testing)
 */
export class TestLoop {
  /** The test's loop. */
  readonly loop: EventLoop;
  readonly #checks: Required<LoopChecks>;
  readonly #trace: Trace | undefined;
  readonly #loopsBefore: ReadonlySet<object>;
  readonly #restoreCurrent: () => void;
  readonly #restoreWarnings: () => void;
  #finished = false;

  /** @throws TypeError / ValueError for a bad loop option or `timeLimit` (before the loop is made). */
  constructor(options?: TestLoopOptions) {
    if (options?.timeLimit !== undefined) checkTimeLimit(options.timeLimit);
    this.#checks = resolveChecks(options?.checks);
    // A test starts from a fresh process's simulated world (time 0, thread and executor
    // names numbered from the start), unless something simulated is still going on.
    if (_simulationIdle()) _resetSimulation();
    this.#loopsBefore = new Set(_openLoops());
    this.loop = new EventLoop(options);
    try {
      this.#trace = options?.trace?.attach(this.loop);
    } catch (e) {
      this.loop.close();
      throw e;
    }
    this.#restoreCurrent = _saveCurrentLoop();
    setEventLoop(this.loop);
    this.#restoreWarnings = _saveWarnings();
    if (options?.warnings === 'error') simplefilter('error');
  }

  /**
   * End the test: stop tracing, restore the current loop and the warning filters, close
   * the loop (a collection point) and every loop the test left open, check what was
   * reported and which simulated threads still run, then reset the simulated world (no
   * thread or thread step of this test is left for the next one). Does nothing the
   * second time.
   *
   * @throws LoopCheckError listing, with CPython's messages, what the enabled checks
   * found (unless `testFailed`: then reports are dropped, the test's own error says more).
   * @throws RuntimeError `Cannot close a running event loop` from inside the loop.
   */
  finish(options?: { testFailed?: boolean }): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#trace?.detach();
    this.#restoreWarnings();
    this.#restoreCurrent();
    const quiet = options?.testFailed === true;
    const problems = closeAndCollect(this.loop, this.#loopsBefore, this.#checks, quiet);
    try {
      if (this.#checks.danglingThreads && !quiet) problems.push(...danglingThreads());
    } finally {
      _resetSimulation();
    }
    if (problems.length > 0) throw new LoopCheckError(problems);
  }
}

/**
 * Run one test body on a fresh loop, then close the loop and fail (LoopCheckError) if the
 * test left a task pending, an exception never retrieved, a tracked coroutine never
 * awaited, a loop unclosed or a simulated thread running. A generator body (or a body returning a coroutine or a
 * future) is the test's main coroutine, run with `runUntilComplete` (within `timeLimit`
 * if given); a plain body drives the loop itself. Returns what the body returns, or the
 * result of its coroutine or future.
 *
 * @throws what the body throws (the checks are skipped then), LoopCheckError, TimeLimitError.
 * @example
 * it('times out', () => withLoop(function* () {
 *   yield* sleep(1);
 *   expect(getRunningLoop().time()).toBe(1);
 * }));
 * asyncio: none (aiosim testing)
 */
export function withLoop<T>(body: (loop: EventLoop) => Generator<unknown, T, unknown> | Future<T>, options?: TestLoopOptions): T;
export function withLoop<T>(body: (loop: EventLoop) => T, options?: TestLoopOptions): T;
export function withLoop<T>(body: (loop: EventLoop) => T | Generator<unknown, T, unknown> | Future<T>, options?: TestLoopOptions): T {
  const test = new TestLoop(options);
  let result: T;
  try {
    const r = body(test.loop);
    result = isCoroutine(r) || isFuture(r)
      ? runUntilComplete(test.loop, r as Generator<unknown, T, unknown> | Future<T>, { timeLimit: options?.timeLimit })
      : (r as T);
  } catch (e) {
    test.finish({ testFailed: true });
    throw e;
  }
  test.finish();
  return result;
}

/** The part of vitest's test context loopFixture reads. */
export interface FixtureContext {
  task?: { result?: { state?: string } };
  /** vitest's hook for the end of the test (vitest 1.3 and later). */
  onTestFinished?: (fn: (context: FixtureContext) => void) => void;
}

/**
 * Return a fixture for vitest's `test.extend` giving each test a fresh loop (a
 * TestLoop's), finished after the test: the test fails with LoopCheckError when it left
 * problems behind.
 *
 * @example
 * const test = base.extend<{ loop: EventLoop }>({ loop: loopFixture({ timeMode: 'manual' }) });
 * test('ticks', ({ loop }) => { loop.advance(1); });
 * asyncio: none (aiosim testing)
 */
export function loopFixture(options?: TestLoopOptions): (context: FixtureContext, use: (loop: EventLoop) => Promise<void>) => Promise<void> {
  // vitest reads the fixture's first parameter, which must be a destructuring pattern.
  return async ({ task, onTestFinished }: FixtureContext, use: (loop: EventLoop) => Promise<void>): Promise<void> => {
    const test = new TestLoop(options);
    let finished = false;
    const finish = (failed: boolean): void => {
      if (finished) return;
      finished = true;
      test.finish({ testFailed: failed });
    };
    // The checks fail the test from vitest's end-of-test hook where there is one: vitest
    // reports an error thrown by a fixture's teardown twice.
    onTestFinished?.((context) => finish((context.task ?? task)?.result?.state === 'fail'));
    try {
      await use(test.loop);
    } catch (e) {
      finish(true);
      throw e;
    }
    if (onTestFinished === undefined) finish(task?.result?.state === 'fail');
  };
}
