// What a property search returns: one run of a scenario (PropertyRun), the search's result
// (PropertyResult) and its report, and the errors the runner throws or records.
// asyncio: none (aiosim testing)

import { formatDecision, type TieBreaks, type TieDecision } from './environment.js';
import type { Trace } from './trace.js';

/** One run of a scenario: its environment, how its ties were broken, its outcome and trace. */
export interface PropertyRun<M> {
  /** The model's values. */
  readonly model: M;
  /**
   * How its ties went, as taken: each choice is the index of the event that went next
   * (0: CPython's), up to the last tie broken otherwise. The same run as the generated
   * choices (which fast-check's shrinking may leave as any choice with the same effect).
   */
  readonly ties: TieBreaks;
  /** The ties broken otherwise than CPython breaks them, in order (the others went CPython's way). */
  readonly decisions: readonly TieDecision[];
  /** Whether the scenario failed. */
  readonly failed: boolean;
  /** What it threw (`PropertyFalse` when it returned false); undefined if it passed. */
  readonly error: unknown;
  /** Its trace (iterations, callbacks, timers, task steps, futures, logs, warnings). */
  readonly trace: Trace;
}

/** The outcome of `checkProperty`. */
export interface PropertyResult<M> {
  /** Whether a counterexample was found. */
  readonly failed: boolean;
  /** Environments tried before the first failure (or in all). */
  readonly runs: number;
  /** Successful shrinking steps. */
  readonly shrinks: number;
  /** fast-check's seed: with `path`, replays the counterexample. */
  readonly seed: number;
  /** fast-check's path of the counterexample. */
  readonly path: string | undefined;
  /** The shrunk counterexample, run again with a trace. */
  readonly counterexample: PropertyRun<M> | undefined;
  /** The report: for a failure, the environment, the error, the trace and how to replay it. */
  readonly report: string;
}

/** A scenario returned false. */
export class PropertyFalse extends Error {
  constructor() {
    super('the scenario returned false');
    this.name = 'PropertyFalse';
  }
}

/** `assertProperty` found a counterexample: the message is the report; `cause` is the scenario's error. */
export class PropertyFailure<M = unknown> extends Error {
  /** Everything `checkProperty` returned. */
  readonly result: PropertyResult<M>;

  constructor(result: PropertyResult<M>) {
    super(result.report, { cause: result.counterexample?.error });
    this.name = 'PropertyFailure';
    this.result = result;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * @internal The report of a search: for a failure, how to replay it, the environment, the
 * ties broken, the error and at most `reportLines` lines of the trace.
 */
export function formatReport<M>(r: Omit<PropertyResult<M>, 'report'>, stringify: (v: unknown) => string, reportLines = 200): string {
  if (!r.failed || r.counterexample === undefined) return `property held for ${r.runs} run${r.runs === 1 ? '' : 's'} (seed ${r.seed})`;
  const c = r.counterexample;
  const lines = [
    `property failed after ${r.runs} run${r.runs === 1 ? '' : 's'} (seed ${r.seed}, path "${r.path ?? ''}"), shrunk ${r.shrinks} time${r.shrinks === 1 ? '' : 's'}`,
    `replay: { seed: ${r.seed}, path: "${r.path ?? ''}" }`,
    `model: ${stringify(c.model)}`,
    c.decisions.length === 0 ? 'ties: every tie went CPython\'s way' : `ties: ${String(c.ties)}, broken otherwise than CPython breaks them at`,
    ...c.decisions.map((d) => `  ${formatDecision(d)}`),
    `error: ${c.failed ? errorText(c.error).split('\n').join('\n  ') : 'none: the counterexample passed when run again (does the scenario keep state between runs?)'}`,
    'trace:',
  ];
  const text = c.trace.lines();
  lines.push(...text.slice(0, reportLines).map((l) => `  ${l}`));
  if (text.length > reportLines) lines.push(`  … ${text.length - reportLines} more lines (result.counterexample.trace)`);
  return lines.join('\n');
}
