// The end-of-test checks: close the test's loop (and the loops it left open) as a
// collection point, and turn what CPython would report when freeing the objects
// ("Task was destroyed but it is pending!", "… exception was never retrieved",
// "coroutine '…' was never awaited", "unclosed event loop …") into test failures; and
// fail a test that leaves a simulated thread running, as CPython's test suite warns
// ("Dangling thread: <Thread(…)>").
// asyncio: the finalizers of Task, Future, coroutines and BaseEventLoop;
// test.support.threading_helper.threading_cleanup

import { enumerate, mainThread } from '../executor/thread.js';
import { world } from '../runtime/world.js';
import { formatExceptionContext } from '../loop/exception-handler.js';
import type { ExceptionContext } from '../events/abstract-loop.js';
import type { EventLoop, ExceptionHandler } from '../loop/event-loop.js';
import { _collectUnclosedLoop, _openLoops } from '../loop/collection-points.js';
import { _prependFilters, _saveWarnings, ResourceWarning, RuntimeWarning, warnings, type Filter, type WarningMessage } from '../log/warnings.js';
import { _setCause } from '../errors/chaining.js';

/** Which end-of-test checks fail the test (each on by default). */
export interface LoopChecks {
  /** A task still pending: 'Task was destroyed but it is pending!'. */
  pendingTasks?: boolean;
  /** A future or task whose exception nobody retrieved: 'Task exception was never retrieved'. */
  neverRetrieved?: boolean;
  /** A tracked coroutine (`coroutine(fn)`) never awaited: "coroutine 'f' was never awaited". */
  neverAwaited?: boolean;
  /** A loop the test created and left open: 'unclosed event loop <…>' (it is closed then). */
  unclosedLoops?: boolean;
  /** A simulated thread still running when the test ends: 'Dangling thread: <Thread(…)>'. */
  danglingThreads?: boolean;
}

/** One thing the test left behind, with CPython's text for it. */
export interface LoopProblem {
  check: keyof LoopChecks;
  /** CPython's message: the log text (message and context keys), or `Category: warning text`. */
  message: string;
  /** The exception attached to the report, if any (never-retrieved exceptions). */
  exception?: unknown;
}

/**
 * A test left something behind that CPython would report when collecting it. The
 * message lists every problem with CPython's text; `problems` has them as data.
 */
export class LoopCheckError extends Error {
  // Behind a getter, as the cause below is a summary: test runners print an error's own
  // properties field by field, and the exceptions carry whole chains of them.
  readonly #problems: readonly LoopProblem[];

  constructor(problems: readonly LoopProblem[]) {
    const lines = [`the test left ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} behind (see the 'checks' option to allow them):`];
    for (const p of problems) lines.push(`- ${p.message.replaceAll('\n', '\n  ')}`);
    super(lines.join('\n'));
    this.name = 'LoopCheckError';
    this.#problems = problems;
    const first = problems.find((p) => p.exception !== undefined);
    if (first !== undefined) _setCause(this, causeSummary(first.exception));
  }

  /** What the test left behind, as data (each problem's exception included). */
  get problems(): readonly LoopProblem[] {
    return this.#problems;
  }
}

// The first reported exception as the runner shows a cause: its class, message and stack
// only (`problems` keeps the exception itself).
function causeSummary(exc: unknown): Error {
  const summary = new Error(exc instanceof Error ? exc.message : String(exc));
  summary.name = exc instanceof Error ? exc.name : typeof exc;
  if (exc instanceof Error && typeof exc.stack === 'string') summary.stack = exc.stack;
  return summary;
}

/** Every check on, unless turned off (`false` turns them all off). */
export function resolveChecks(checks: LoopChecks | false | undefined): Required<LoopChecks> {
  if (checks === false) return { pendingTasks: false, neverRetrieved: false, neverAwaited: false, unclosedLoops: false, danglingThreads: false };
  return {
    pendingTasks: checks?.pendingTasks ?? true,
    neverRetrieved: checks?.neverRetrieved ?? true,
    neverAwaited: checks?.neverAwaited ?? true,
    unclosedLoops: checks?.unclosedLoops ?? true,
    danglingThreads: checks?.danglingThreads ?? true,
  };
}

/**
 * The simulated threads still running once the test is over. They first take the steps
 * due now (the workers of an executor shut down without waiting, the loop's default
 * executor among them, exit there); CPython's threading_cleanup() gives them a second of
 * real time, but a test's end is one virtual instant: whatever still sleeps or waits then
 * is reported, with the text of CPython's warning.
 */
export function danglingThreads(): LoopProblem[] {
  world.runUntil(world.now);
  const main = mainThread();
  return enumerate().filter((t) => t !== main).map((t) => ({ check: 'danglingThreads', message: `Dangling thread: ${String(t)}` }));
}

function contextCheck(context: ExceptionContext): keyof LoopChecks | undefined {
  if (context.message === 'Task was destroyed but it is pending!') return 'pendingTasks';
  if (/^\w+ exception was never retrieved$/.test(context.message ?? '')) return 'neverRetrieved';
  return undefined;
}

function warningCheck(w: WarningMessage): keyof LoopChecks | undefined {
  const text = String(w.message);
  if (w.category === RuntimeWarning && /^coroutine '.*' was never awaited/.test(text)) return 'neverAwaited';
  if (w.category === ResourceWarning && text.startsWith('unclosed event loop ')) return 'unclosedLoops';
  return undefined;
}

// Close `loop` with its reports going to `report` (those no check claims go where they
// would have gone: the loop's own handler, else the default one).
function closeReporting(loop: EventLoop, report: (context: ExceptionContext) => boolean, close: () => void): void {
  const own = loop.getExceptionHandler();
  const handler: ExceptionHandler = (l, context) => {
    if (report(context)) return;
    if (own !== undefined) own(l, context);
    else l.defaultExceptionHandler(context);
  };
  loop.setExceptionHandler(handler);
  try {
    close();
  } finally {
    loop.setExceptionHandler(own);
  }
}

// The filters closeAndCollect puts first, as filterwarnings('always', { category, message })
// would make them (the later one first).
const SHOW_NEVER_AWAITED: Filter = { action: 'always', message: /^(?:coroutine '.*' was never awaited)/i, category: RuntimeWarning, module: undefined, lineno: 0 };
const SHOW_UNCLOSED_LOOP: Filter = { action: 'always', message: /^(?:unclosed event loop )/i, category: ResourceWarning, module: undefined, lineno: 0 };
const SHOW_BOTH: readonly Filter[] = [SHOW_UNCLOSED_LOOP, SHOW_NEVER_AWAITED];

/**
 * Close `loop`, then report and close every loop created since `loopsBefore` was taken
 * and still open; return the problems the enabled checks claim, in the order CPython's
 * collector would report them. With `quiet`, everything reported is dropped (the test
 * failed already; its own error says more).
 */

export function closeAndCollect(loop: EventLoop, loopsBefore: ReadonlySet<object>, checks: Required<LoopChecks>, quiet: boolean): LoopProblem[] {
  const problems: LoopProblem[] = [];
  const others: WarningMessage[] = [];
  const restoreWarnings = _saveWarnings();
  warnings.showwarning = (message, category, filename, lineno) => {
    const w: WarningMessage = { message: message instanceof Error ? message : new category(String(message)), category, filename, lineno };
    const check = warningCheck(w);
    if (check !== undefined && (checks[check] || quiet)) {
      problems.push({ check, message: `${category.name}: ${String(w.message)}` });
    } else {
      others.push(w);
    }
  };
  // Shown whatever the test's filters say (an `error` filter would make them unraisable).
  const neverAwaited = checks.neverAwaited || quiet;
  const unclosedLoops = checks.unclosedLoops || quiet;
  _prependFilters(neverAwaited && unclosedLoops ? SHOW_BOTH : neverAwaited ? [SHOW_NEVER_AWAITED] : unclosedLoops ? [SHOW_UNCLOSED_LOOP] : []);
  const report = (context: ExceptionContext): boolean => {
    const check = contextCheck(context);
    if (check === undefined || !(checks[check] || quiet)) return false;
    problems.push(context.exception === undefined ? { check, message: formatExceptionContext(context) } : { check, message: formatExceptionContext(context), exception: context.exception });
    return true;
  };
  try {
    closeReporting(loop, report, () => loop.close());
    if (checks.unclosedLoops || quiet) {
      for (const other of _openLoops()) {
        if (loopsBefore.has(other) || other.isRunning() || other.isClosed()) continue;
        closeReporting(other, report, () => _collectUnclosedLoop(other));
      }
    }
  } finally {
    restoreWarnings();
  }
  // Warnings no check claims are shown as the test's filters showed them.
  for (const w of others) warnings.showwarning(w.message, w.category, w.filename, w.lineno);
  return quiet ? [] : problems;
}
