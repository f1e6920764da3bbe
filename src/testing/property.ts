// The property runner: run a scenario on a fresh loop under many generated environments
// (a model's values, and the ties asyncio leaves open broken every possible way), shrink
// a failure to a small counterexample, report it with fast-check's seed and path and the
// trace of its run, and replay it exactly. Synchronous: fc.check over fc.property.
// asyncio: none (aiosim testing)

import { checkNumber } from '../errors/check-number.js';
import { isExitException, ValueError } from '../errors/exceptions.js';
import { world } from '../runtime/world.js';
import type { Arbitrary } from 'fast-check';
import type { EventLoop } from '../loop/event-loop.js';
import { _clockOptions } from '../loop/loop-options.js';
import type { Future } from '../future/future.js';
import { pyFloat, repr } from '../format/py-repr.js';
import type { NetworkChooser } from '../net/link-model.js';
import { _isNetworkOwner, _setNetworkExplorer } from '../net/exploration.js';
import { _getRunningLoop } from '../events/running-loop.js';
import type { TieChooser } from '../events/timer-heap.js';
import { TieBreaks, tieBreaks, type TieDecision } from './environment.js';
import { fastCheck, type FastCheckModule } from './fast-check-peer.js';
import type { FcArbitrary } from './fc-arbitrary.js';
import { formatReport, PropertyFailure, PropertyFalse, type PropertyResult, type PropertyRun } from './property-report.js';
import { checkTimeLimit } from './run-until.js';
import { withLoop, type TestLoopOptions } from './test-loop.js';
import type { TraceKind } from './trace-event.js';
import { Trace } from './trace.js';

/** The model's values: one arbitrary, or a record of arbitraries (as `fc.record` takes). */
export type ModelArbitrary<M> = FcArbitrary<M> | { readonly [K in keyof M]: FcArbitrary<M[K]> };

/**
 * A scenario: given the model's values and a fresh loop, a body as `withLoop` runs it (a
 * generator function is the test's main coroutine). It states its verdict: it returns (or
 * its coroutine returns) `true` when the property holds, `false` when it does not; it
 * also fails by throwing (an `expect`, an exception of the program, `LoopCheckError`,
 * `TimeLimitError`, `StalledError`). A scenario that checks with assertions ends with
 * `return true`. Anything but a boolean (a forgotten `return`) fails the run with a
 * TypeError rather than pass it.
 */
export type Scenario<M> = (model: M, loop: EventLoop) => boolean | Generator<unknown, boolean, unknown> | Future<boolean>;

/** Options of `checkProperty`, `assertProperty` and `replayProperty`: the loop's, and the search's. */
export interface PropertyOptions extends Omit<TestLoopOptions, 'trace'> {
  /** How many environments to try (fast-check's numRuns; default 100). */
  runs?: number;
  /** fast-check's seed (default: a fresh one, reported). */
  seed?: number;
  /** With `seed`: fast-check's path of a counterexample, to start from it. */
  path?: string;
  /**
   * Which ties to explore: timers due at exactly the same time, simulated-thread steps
   * at the same instant, and the network's free choices (each message's latency on a
   * link with a latency range, each datagram's fate on a link with a loss or duplication
   * rate, the order of deliveries of different links due at the same instant); default:
   * all three; `false`: CPython's order and the network's nominal values only.
   */
  explore?: false | { timers?: boolean; threads?: boolean; network?: boolean };
  /** Ties explored per run; later ones go CPython's way (default 64). */
  maxDecisions?: number;
  /** What the counterexample's trace records (default: every kind). */
  traceKinds?: readonly TraceKind[];
  /** At most this many trace lines in the report (default 200). */
  reportLines?: number;
}

interface Exploration {
  timers: boolean;
  threads: boolean;
  network: boolean;
}

function exploration(options: PropertyOptions | undefined): Exploration {
  const e = options?.explore;
  if (e === false) return { timers: false, threads: false, network: false };
  return { timers: e?.timers !== false, threads: e?.threads !== false, network: e?.network !== false };
}

// A drawn latency is one of this many points from the range's min to its max.
const LATENCY_STEPS = 16;

// Hands out the tie choices of one run and notes the ties broken otherwise than CPython's
// way. The network's free choices come from the same stream: choice 0 is the nominal
// network (the range's min latency, a datagram delivered, deliveries in sending order).
class TieDecider {
  readonly decisions: TieDecision[] = [];
  // The choices as taken (index of the event that went next), ties and the network's.
  readonly #taken: number[] = [];
  readonly #network: number[] = [];

  constructor(readonly ties: TieBreaks, readonly explore: Exploration) {}

  choose(kind: TieDecision['kind'], candidates: number, what?: (chosen: number) => string): number {
    const [given, taken] = kind === 'network' ? [this.ties.network, this.#network] : [this.ties.choices, this.#taken];
    const chosen = (given[taken.length] ?? 0) % candidates;
    taken.push(chosen);
    if (chosen !== 0) this.decisions.push({ kind, time: world.now, candidates, chosen, ...(what === undefined ? {} : { what: what(chosen) }) });
    return chosen;
  }

  /** The choices as taken, without the trailing ones that went CPython's way. */
  taken(): TieBreaks {
    return new TieBreaks(trimmed(this.#taken), trimmed(this.#network));
  }

  readonly timers: TieChooser = (n) => this.choose('timers', n);
  // The world's ties: threads' steps, or deliveries of different links due at the same instant.
  readonly world: TieChooser = (n, owners) => {
    if (owners !== undefined && owners.every(_isNetworkOwner)) {
      if (!this.explore.network) return 0;
      const links = owners.map((o) => linkName(o)).join(', ');
      return this.choose('network', n, (c) => `deliveries on ${links}: #${c + 1} of ${n} went first`);
    }
    return this.explore.threads ? this.choose('threads', n) : 0;
  };

  readonly network: NetworkChooser = {
    latency: (id, from, to, range) => {
      const step = (range.max - range.min) / (LATENCY_STEPS - 1);
      const value = (c: number): number => (c === LATENCY_STEPS - 1 ? range.max : range.min + step * c);
      return value(this.choose('network', LATENCY_STEPS, (c) => `${id === 0 ? 'a TCP control packet' : `message ${id}`} ${from}->${to} latency ${pyFloat(value(c))} (min ${pyFloat(range.min)})`));
    },
    datagram: (id, from, to, model) => {
      const fates: (0 | 1 | 2)[] = [0];
      if (model.loss > 0) fates.push(1);
      if (model.duplicate > 0) fates.push(2);
      return fates[this.choose('network', fates.length, (c) => `message ${id} ${from}->${to} ${fates[c] === 1 ? 'dropped' : 'duplicated'}`)]!;
    },
  };
}

function trimmed(t: readonly number[]): number[] {
  let end = t.length;
  while (end > 0 && t[end - 1] === 0) end--;
  return t.slice(0, end);
}

// The network's nominal values: each range's min latency, every datagram delivered once.
const NOMINAL_NETWORK: NetworkChooser = { latency: (_id, _from, _to, range) => range.min, datagram: () => 0 };

// A link's name in a report: `a->b` (its owner's key is `a\nb`).
function linkName(owner: unknown): string {
  const link = (owner as { link?: string }).link;
  return link === undefined ? 'a network timer' : link.replace('\n', '->');
}

function isArbitrary(x: unknown): x is FcArbitrary<unknown> {
  const a = x as { generate?: unknown; shrink?: unknown; canShrinkWithoutContext?: unknown } | null;
  return typeof a === 'object' && a !== null && typeof a.generate === 'function' && typeof a.shrink === 'function'
    && typeof a.canShrinkWithoutContext === 'function';
}

// The environment: the model's values and the tie choices. (FcArbitrary and fast-check's
// Arbitrary are the same objects, typed apart: see fc-arbitrary.ts.)
function environment<M>(fc: FastCheckModule, model: ModelArbitrary<M>, options: PropertyOptions | undefined): Arbitrary<[M, TieBreaks]> {
  const modelArb = (isArbitrary(model) ? model : fc.record(model as Record<string, Arbitrary<unknown>>)) as Arbitrary<M>;
  const explore = exploration(options);
  const ties = explore.timers || explore.threads ? tieBreaks({ maxDecisions: options?.maxDecisions }) as Arbitrary<TieBreaks> : fc.constant(new TieBreaks());
  if (!explore.network) return fc.tuple(modelArb, ties);
  // The network's stream is generated after the others, so that their values for a seed
  // stay what they were without it; one TieBreaks holds both (the choices as generated).
  const network = fc.array(fc.nat({ max: 15 }), { maxLength: options?.maxDecisions ?? 64, size: 'medium' });
  return fc.tuple(modelArb, ties, network).map(([m, t, n]) => [m, new TieBreaks(t.choices, n)] as [M, TieBreaks]);
}

// Run the scenario once on a fresh loop (and a fresh world: no thread step or signal of a
// previous run left, none left for what runs next) with the ties broken as `ties` says.
function runOnce<M>(scenario: Scenario<M>, model: M, ties: TieBreaks, options: PropertyOptions | undefined, trace?: Trace): Omit<PropertyRun<M>, 'trace'> {
  const explore = exploration(options);
  const decider = new TieDecider(ties, explore);
  const previous = world._setTieChooser(undefined);
  // Not exploring the network is its nominal values (not the seeded draws of a plain run).
  const previousNetwork = _setNetworkExplorer(explore.network ? decider.network : NOMINAL_NETWORK, explore.network);
  // Inside a running loop the world's clock is that loop's: leave the world alone then.
  const fresh = _getRunningLoop() === undefined;
  if (fresh) world._reset();
  world._setTieChooser(explore.threads || explore.network ? decider.world : undefined);
  let error: unknown;
  let failed = false;
  try {
    const result = withLoop((loop) => {
      if (explore.timers) loop._tieChooser = decider.timers;
      const r = scenario(model, loop);
      // A scenario returning its body instead of running it would pass without running.
      if (typeof r === 'function') throw new TypeError('the scenario returned a function: pass the generator function itself (function* main(model, loop) { … })');
      return r;
    }, { ...options, ...(trace === undefined ? {} : { trace }) });
    if (result === false) throw new PropertyFalse();
    // A forgotten `return` would otherwise pass every run without checking anything.
    if (result !== true) throw new TypeError(`the scenario returned ${repr(result)}, not a boolean: return true when the property holds, false when it does not (a scenario that checks with assertions ends with return true)`);
  } catch (e) {
    // Exit exceptions (KeyboardInterrupt, SystemExit) stop the search, as they stop a program.
    if (isExitException(e)) throw e;
    error = e;
    failed = true;
  } finally {
    if (fresh) world._reset();
    world._setTieChooser(previous);
    _setNetworkExplorer(previousNetwork, previousNetwork !== undefined);
  }
  return { model, ties: decider.taken(), decisions: decider.decisions, failed, error };
}

// Run again with a trace: aiosim is deterministic, so this is the same run, recorded.
function tracedRun<M>(scenario: Scenario<M>, model: M, ties: TieBreaks, options: PropertyOptions | undefined): PropertyRun<M> {
  const trace = new Trace(options?.traceKinds === undefined ? undefined : { kinds: options.traceKinds });
  return { ...runOnce(scenario, model, ties, options, trace), trace };
}

function checkReplayArgs(options: PropertyOptions | undefined): void {
  if (options?.path !== undefined && options.seed === undefined) throw new ValueError('a path replays only with the seed it came from: pass { seed, path }');
  const runs = options?.runs;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new ValueError(`runs must be an integer >= 1, got ${String(runs)}`);
  checkRunOptions(options);
}

// The numbers are checked before the first run: a bad one would otherwise fail every run
// and be reported as a counterexample.
function checkRunOptions(options: PropertyOptions | undefined): void {
  const isInteger = (n: number): boolean => Number.isInteger(n);
  if (options?.seed !== undefined) checkNumber(options.seed, 'seed must be an integer', isInteger);
  if (options?.reportLines !== undefined) checkNumber(options.reportLines, 'reportLines must be an integer >= 0', (n) => isInteger(n) && n >= 0);
  if (options?.timeLimit !== undefined) checkTimeLimit(options.timeLimit);
  _clockOptions(options);
}

/**
 * Run `scenario` on a fresh loop under up to `runs` generated environments: the model's
 * values, and the ties asyncio leaves open (timers due at exactly the same time,
 * simulated-thread steps at the same instant) broken every possible way. Every run is
 * one CPython could produce; the first environment that fails is shrunk (towards
 * CPython's order and the model's smallest values) and run again with a trace.
 * Synchronous. With `{ seed, path }` it starts from a reported counterexample.
 *
 * @throws Error when fast-check is not installed; ValueError for a path without a seed, and
 * ValueError / TypeError for a bad number among the options (checked before the first run).
 * @example
 * const result = checkProperty({ delay: modelDelay({ max: 1 }) }, function* main({ delay }) {
 *   yield* sleep(delay);
 *   return getRunningLoop().time() === delay;
 * });
 * expect(result.failed).toBe(false);
 * asyncio: none (aiosim testing)
 */
export function checkProperty<M>(model: ModelArbitrary<M>, scenario: Scenario<M>, options?: PropertyOptions): PropertyResult<M> {
  checkReplayArgs(options);
  const fc = fastCheck('checkProperty');
  const property = fc.property(environment(fc, model, options), ([m, ties]) => !runOnce(scenario, m, ties, options).failed);
  const details = fc.check(property, {
    numRuns: options?.runs ?? 100,
    ...(options?.seed === undefined ? {} : { seed: options.seed }),
    ...(options?.path === undefined ? {} : { path: options.path }),
  });
  let counterexample: PropertyRun<M> | undefined;
  if (details.failed && details.counterexample !== null) {
    const [m, ties] = details.counterexample[0];
    counterexample = tracedRun(scenario, m, ties, options);
  } else if (details.failed) {
    throw details.errorInstance ?? new Error(`fast-check stopped without a counterexample (seed ${details.seed})`);
  }
  const result = {
    failed: details.failed,
    runs: details.numRuns,
    shrinks: details.numShrinks,
    seed: details.seed,
    path: details.failed ? details.counterexamplePath ?? undefined : undefined,
    counterexample,
  };
  return { ...result, report: formatReport(result, (v) => fc.stringify(v), options?.reportLines) };
}

/**
 * `checkProperty`, failing with the report: throws `PropertyFailure` (the counterexample's
 * environment, error, trace, and the seed and path to replay it) when a run fails.
 *
 * @throws PropertyFailure with the report as its message.
 * @example
 * it('never double-books', () => assertProperty(model, scenario, { runs: 300 }));
 * asyncio: none (aiosim testing)
 */
export function assertProperty<M>(model: ModelArbitrary<M>, scenario: Scenario<M>, options?: PropertyOptions): PropertyResult<M> {
  const result = checkProperty(model, scenario, options);
  if (result.failed) throw new PropertyFailure(result);
  return result;
}

/**
 * Run the environment at fast-check's `{ seed, path }` (from a report) once, with a
 * trace: the same model, the same ties, the same trace as the report's.
 *
 * @throws ValueError without a seed or a path; fast-check's error for a path that does not
 * belong to this model and these options.
 * @example const run = replayProperty(model, scenario, { seed: 42, path: '11:0:1' });
 * asyncio: none (aiosim testing)
 */
export function replayProperty<M>(model: ModelArbitrary<M>, scenario: Scenario<M>, options: PropertyOptions & { seed: number; path: string }): PropertyRun<M> {
  if (options?.seed === undefined || options.path === undefined) throw new ValueError('replayProperty() needs the { seed, path } of a report');
  checkRunOptions(options);
  const fc = fastCheck('replayProperty');
  let found: [M, TieBreaks] | undefined;
  const property = fc.property(environment(fc, model, options), (value) => {
    found ??= value;
    return true;
  });
  fc.check(property, { seed: options.seed, path: options.path, numRuns: 1 });
  if (found === undefined) throw new ValueError(`fast-check produced no environment for seed ${options.seed}, path "${options.path}"`);
  return tracedRun(scenario, found[0], found[1], options);
}

/**
 * Run `scenario` once on a fresh loop in a given environment (a report's `model` and
 * `ties`), with a trace: a counterexample turned into a plain test that no longer
 * depends on fast-check's seed and path. Without `ties`, every tie goes CPython's way.
 *
 * @example
 * const run = runInEnvironment(scenario, { model: { delay: 0.2 }, ties: new TieBreaks([1]) });
 * expect(run.failed).toBe(false);
 * asyncio: none (aiosim testing)
 */
export function runInEnvironment<M>(scenario: Scenario<M>, environment: { model: M; ties?: TieBreaks }, options?: PropertyOptions): PropertyRun<M> {
  checkRunOptions(options);
  return tracedRun(scenario, environment.model, environment.ties ?? new TieBreaks(), options);
}
