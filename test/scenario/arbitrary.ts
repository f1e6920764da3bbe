// fast-check arbitraries for random scenarios: up to ~20 tasks and ~200 steps, drawn
// so that references often hit something (few labels, few futures) and timers often
// tie (a small set of delays whose sums need float care).

import fc from 'fast-check';
import { netScenarioArb } from './net-arbitrary.js';
import type { Action, CatchKind, ContextVarSpec, CtxArg, ExcName, GenStep, JobStep, Scenario, Step, SyncObjects } from './language.js';

// A task's label is a letter and its body's index ('a3' runs body 3). A body may only
// refer to tasks of later bodies, so awaits and cancellations never form a cycle (in
// CPython, cancelling a cycle of awaiting tasks recurses without end).
const LETTERS = ['a', 'b', 'c'];
const DELAYS = [0, 0, 0.1, 0.2, 0.25, 0.3, 0.5, 1, 1, 1.5, 2, -1];
const MAX_FUTURES = 4;
const EXCS: ExcName[] = ['ValueError', 'ValueError', 'KeyError', 'RuntimeError', 'KeyboardInterrupt', 'SystemExit'];
const CATCHES: CatchKind[] = ['CancelledError', 'Exception', 'Exception', 'BaseException', 'TimeoutError', 'ValueError'];

interface Shape {
  bodies: number;
  callbacks: number;
  sync: SyncObjects;
  /** Jobs and pools, in scenarios with threads. */
  threads?: { jobs: number; pools: number };
  /** Context variables, in scenarios with some: how many, and how many times over their actions are drawn. */
  contextVars?: { count: number; weight: number };
  /** Async generator bodies, and how often coroutine bodies use them (see agenStepArbs). */
  agens?: { count: number; weight: number };
}

// Executor futures are 'x:<label>'; a label may be reused (the ref then means the latest).
const X_LABELS = ['x0', 'x1', 'x2'];

const syncArb: fc.Arbitrary<SyncObjects> = fc.record({
  locks: fc.nat(2),
  semaphores: fc.array(fc.record({ value: fc.nat(2), bounded: fc.boolean() }), { maxLength: 2 }),
  events: fc.nat(2),
  conditions: fc.nat(1),
  queues: fc.array(fc.record({ kind: fc.constantFrom('fifo', 'priority', 'lifo') as fc.Arbitrary<'fifo'>, maxsize: fc.nat(2) }), { maxLength: 2 }),
  barriers: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 1 }),
});

// An index into `n` objects, sometimes one past the end (a `missing` reference).
const index = (n: number): fc.Arbitrary<number> => fc.nat(n);

function syncActionArbs(shape: Shape): fc.Arbitrary<Action>[] {
  const s = shape.sync;
  const lockish = fc.oneof(index(s.locks ?? 0).map((i) => `L:${i}`), index(s.semaphores?.length ?? 0).map((i) => `S:${i}`), index(s.conditions ?? 0).map((i) => `C:${i}`));
  const anySync = fc.oneof(lockish, index(s.events ?? 0).map((i) => `E:${i}`), index(s.queues?.length ?? 0).map((i) => `Q:${i}`), index(s.barriers?.length ?? 0).map((i) => `B:${i}`));
  const q = index(s.queues?.length ?? 0);
  return [
    lockish.map((r): Action => ['release', r]),
    index(s.events ?? 0).map((i): Action => ['eventSet', i]),
    index(s.events ?? 0).map((i): Action => ['eventClear', i]),
    fc.tuple(index(s.conditions ?? 0), fc.integer({ min: 1, max: 2 })).map(([i, n]): Action => ['notify', i, n]),
    index(s.conditions ?? 0).map((i): Action => ['notifyAll', i]),
    fc.tuple(q, value).map(([i, v]): Action => ['putNowait', i, v]),
    q.map((i): Action => ['getNowait', i]),
    q.map((i): Action => ['taskDone', i]),
    fc.tuple(q, fc.boolean()).map(([i, now]): Action => ['shutdown', i, now]),
    anySync.map((r): Action => ['show', r]),
  ];
}

function syncStepArbs(shape: Shape, nested: fc.Arbitrary<Step[]>): fc.Arbitrary<Step>[] {
  const s = shape.sync;
  const lockish = fc.oneof(index(s.locks ?? 0).map((i) => `L:${i}`), index(s.semaphores?.length ?? 0).map((i) => `S:${i}`), index(s.conditions ?? 0).map((i) => `C:${i}`));
  const q = index(s.queues?.length ?? 0);
  const b = index(s.barriers?.length ?? 0);
  return [
    fc.tuple(fc.oneof(lockish, lockish, b.map((i) => `B:${i}`)), nested).map(([r, body]): Step => ['with', r, body]),
    lockish.map((r): Step => ['acquire', r]),
    index(s.events ?? 0).map((i): Step => ['eventWait', i]),
    index(s.conditions ?? 0).map((i): Step => ['condWait', i]),
    fc.tuple(q, value).map(([i, v]): Step => ['put', i, v]),
    q.map((i): Step => ['get', i]),
    q.map((i): Step => ['join', i]),
    b.map((i): Step => ['barrierWait', i]),
    b.map((i): Step => ['barrierReset', i]),
    b.map((i): Step => ['barrierAbort', i]),
  ];
}

const delay = fc.constantFrom(...DELAYS);
const futureIndex = fc.nat(MAX_FUTURES - 1);
const msg = fc.option(fc.constantFrom('m1', 'm2'), { nil: null });
const value = fc.oneof(fc.nat(9), fc.constantFrom('x', 'y'), fc.constant(null));

// A later body than `owner` (-1 for callbacks: any body but main), if there is one.
function laterBody(shape: Shape, owner: number): fc.Arbitrary<number> | undefined {
  const min = Math.max(owner + 1, 1);
  return min < shape.bodies ? fc.integer({ min, max: shape.bodies - 1 }) : undefined;
}

function labelArb(body: fc.Arbitrary<number>): fc.Arbitrary<[number, string]> {
  return fc.tuple(body, fc.constantFrom(...LETTERS)).map(([b, l]): [number, string] => [b, `${l}${b}`]);
}

function refArb(shape: Shape, owner: number, allowSelf = true): fc.Arbitrary<string> {
  const arbs: fc.Arbitrary<string>[] = [futureIndex.map((i) => `f:${i}`)];
  if (allowSelf) arbs.push(fc.constant('self'));
  if (shape.threads !== undefined) arbs.push(fc.constantFrom(...X_LABELS).map((l) => `x:${l}`));
  const later = laterBody(shape, owner);
  if (later !== undefined) {
    arbs.push(labelArb(later).map(([, l]) => `t:${l}`), labelArb(later).map(([, l]) => `t:${l}`), later.map((b) => `c:${b}`));
  }
  return fc.oneof(...arbs);
}

function actionArb(shape: Shape, owner: number): fc.Arbitrary<Action> {
  const inCallback = owner < 0;
  const ref = refArb(shape, owner);
  const arbs: fc.Arbitrary<Action>[] = [
    fc.constantFrom('p', 'q').map((t): Action => ['log', t]),
    fc.tuple(futureIndex, value).map(([i, v]): Action => ['setResult', i, v]),
    fc.tuple(futureIndex, fc.constantFrom(...EXCS.slice(0, 3))).map(([i, e]): Action => ['setException', i, e, 'fx']),
    fc.tuple(ref, msg).map(([r, m]): Action => ['cancel', r, m]),
    ref.map((r): Action => ['uncancel', r]),
    fc.nat(20).map((n): Action => ['cancelHandle', n]),
    fc.tuple(fc.constantFrom(...EXCS), fc.constantFrom('e1', 'e2')).map(([e, m]): Action => ['raise', e, m]),
  ];
  const later = laterBody(shape, owner);
  if (later !== undefined) arbs.push(labelArb(later).map(([b, l]): Action => ['spawn', b, l]));
  if (shape.callbacks > 0) {
    const cb = fc.nat(shape.callbacks - 1);
    arbs.push(
      cb.map((c): Action => ['callSoon', c]),
      fc.tuple(delay, cb).map(([d, c]): Action => ['callLater', d, c]),
      fc.tuple(fc.constantFrom(0, 0.5, 1, 2, 3), cb).map(([t, c]): Action => ['callAt', t, c]),
    );
  }
  if (inCallback) arbs.push(fc.constant<Action>(['stop']));
  if (shape.contextVars !== undefined) {
    const contextActions = fc.oneof(...contextActionArbs(shape, owner));
    for (let k = 0; k < shape.contextVars.weight; k++) arbs.push(contextActions);
  }
  arbs.push(fc.constantFrom(0.05, 0.1, 0.25).map((s): Action => ['blockingSleep', s]));
  arbs.push(fc.oneof(...syncActionArbs(shape)));
  if (shape.threads !== undefined) {
    const { jobs, pools } = shape.threads;
    arbs.push(
      fc.tuple(index(jobs), fc.constantFrom('T1', 'T2')).map(([j, name]): Action => ['startThread', j, name]),
      fc.tuple(index(pools), fc.boolean(), fc.boolean()).map(([i, w, c]): Action => ['poolShutdown', i, w, c]),
    );
  }
  return fc.oneof(...arbs);
}

// ---- Context variables (language.ts) ---------------------------------------------------

const ctxArg: fc.Arbitrary<CtxArg> = fc.oneof(fc.nat(3), fc.constant<CtxArg>('copy'), fc.constant<CtxArg>('new'));

// A variable's default (none, most often).
const contextVarSpec: fc.Arbitrary<ContextVarSpec> = fc.oneof(fc.constant({}), fc.constant({}), value.map((v) => ({ default: v })));

// The context actions but ctxRun, whose inline body draws from these (and a few others).
function flatContextActionArbs(shape: Shape, owner: number): fc.Arbitrary<Action>[] {
  const v = index(shape.contextVars!.count);
  const arbs: fc.Arbitrary<Action>[] = [
    fc.tuple(v, value).map(([i, x]): Action => ['cvSet', i, x]),
    fc.tuple(v, value).map(([i, x]): Action => ['cvSet', i, x]),
    v.map((i): Action => ['cvGet', i]),
    v.map((i): Action => ['cvGet', i]),
    v.map((i): Action => ['cvGet', i]),
    fc.tuple(v, fc.nat(5)).map(([i, k]): Action => ['cvReset', i, k]),
    fc.constant<Action>(['copyContext']),
    fc.tuple(ctxArg, v).map(([c, i]): Action => ['ctxGet', c, i]),
    fc.nat(6).map((h): Action => ['handleContext', h]),
  ];
  const later = laterBody(shape, owner);
  const taskRef = later === undefined ? fc.constant('self') : fc.oneof(fc.constant('self'), labelArb(later).map(([, l]) => `t:${l}`));
  arbs.push(taskRef.map((r): Action => ['taskContext', r]));
  if (later !== undefined) arbs.push(fc.tuple(labelArb(later), ctxArg).map(([[b, l], c]): Action => ['spawnIn', b, l, c]));
  if (shape.callbacks > 0) arbs.push(fc.tuple(fc.nat(shape.callbacks - 1), ctxArg).map(([cb, c]): Action => ['callSoonIn', cb, c]));
  return arbs;
}

function contextActionArbs(shape: Shape, owner: number): fc.Arbitrary<Action>[] {
  const flat = flatContextActionArbs(shape, owner);
  const inline = fc.oneof(...flat, ...flat, fc.constantFrom('p', 'q').map((t): Action => ['log', t]), fc.constant<Action>(['raise', 'ValueError', 'e1']));
  return [...flat, fc.tuple(ctxArg, fc.array(inline, { maxLength: 4 })).map(([c, ops]): Action => ['ctxRun', c, ops])];
}

function jobStepArb(shape: Shape): fc.Arbitrary<JobStep> {
  const arbs: fc.Arbitrary<JobStep>[] = [
    fc.constantFrom('p', 'q').map((t): JobStep => ['log', t]),
    fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 1).map((d): JobStep => ['tsleep', d]),
    fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 1).map((d): JobStep => ['tsleep', d]),
    fc.oneof(futureIndex.map((i) => `f:${i}`), fc.constantFrom(...X_LABELS).map((l) => `x:${l}`), fc.constantFrom(...LETTERS).chain((l) => fc.nat(Math.max(shape.bodies - 1, 1)).map((b) => `t:${l}${b}`)))
      .map((r): JobStep => ['cancelThreadsafe', r]),
    fc.tuple(futureIndex, value).map(([i, v]): JobStep => ['setResultThreadsafe', i, v]),
    value.map((v): JobStep => ['return', v]),
    fc.constantFrom(...EXCS.slice(0, 3)).map((e): JobStep => ['raise', e, 'jx']),
  ];
  if (shape.callbacks > 0) {
    const cb = fc.nat(shape.callbacks - 1);
    arbs.push(cb.map((c): JobStep => ['callSoonThreadsafe', c]), cb.map((c): JobStep => ['callSoonThreadsafe', c]), cb.map((c): JobStep => ['callSoon', c]));
  }
  if (shape.bodies > 1) arbs.push(fc.integer({ min: 1, max: shape.bodies - 1 }).map((b): JobStep => ['runCoroutineThreadsafe', b, `r${b}`]));
  return fc.oneof(...arbs);
}

// The steps with nested steps (try, timeout, taskGroup) and tgSpawn, for depth > 0.
function blockStepArbs(shape: Shape, owner: number, nested: fc.Arbitrary<Step[]>, timeoutArg: fc.Arbitrary<number | null>): fc.Arbitrary<Step>[] {
  const arbs: fc.Arbitrary<Step>[] = [
    fc.tuple(nested, fc.constantFrom(...CATCHES), nested).map(([b, k, h]): Step => ['try', b, k, h]),
    fc.tuple(nested, fc.constantFrom(...CATCHES), nested).map(([b, k, h]): Step => ['try', b, k, h]),
    fc.tuple(timeoutArg, nested).map(([t, b]): Step => ['timeout', t, b]),
    nested.map((b): Step => ['taskGroup', b]),
  ];
  const later = laterBody(shape, owner);
  if (later !== undefined) arbs.push(labelArb(later).map(([b, l]): Step => ['tgSpawn', b, l]));
  return arbs;
}

// The steps that start jobs on threads, in scenarios with threads.
function threadStepArbs({ jobs, pools }: { jobs: number; pools: number }): fc.Arbitrary<Step>[] {
  const job = index(jobs);
  const pool = fc.option(index(pools), { nil: null, freq: 2 });
  const inExecutor = fc.tuple(pool, job, fc.constantFrom(...X_LABELS)).map(([p, j, l]): Step => ['runInExecutor', p, j, l]);
  return [inExecutor, inExecutor, inExecutor, job.map((j): Step => ['toThread', j]), fc.constant<Step>(['shutdownDefaultExecutor'])];
}

function stepArb(shape: Shape, owner: number, depth: number): fc.Arbitrary<Step> {
  const ref = refArb(shape, owner);
  // gather(self) recurses without end in CPython when the task is cancelled.
  const refs = fc.array(refArb(shape, owner, false), { maxLength: 3 });
  const nested = depth > 0 ? fc.array(fc.constant(null).chain(() => stepArb(shape, owner, depth - 1)), { maxLength: 4 }) : fc.constant<Step[]>([]);
  const timeoutArg = fc.option(fc.constantFrom(0, 0.1, 0.5, 1, 3), { nil: null });
  const returnWhen = fc.constantFrom('FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED') as fc.Arbitrary<'FIRST_COMPLETED'>;
  return fc.oneof(
    actionArb(shape, owner),
    actionArb(shape, owner),
    delay.map((d): Step => ['sleep', d]),
    delay.map((d): Step => ['sleep', d]),
    fc.constant<Step>(['yield']),
    ref.map((r): Step => ['await', r]),
    ref.map((r): Step => ['await', r]),
    value.map((v): Step => ['return', v]),
    fc.tuple(refs, fc.boolean()).map(([rs, x]): Step => ['gather', rs, x]),
    ref.map((r): Step => ['shield', r]),
    fc.tuple(refs, timeoutArg).map(([rs, t]): Step => ['asCompleted', rs, t]),
    fc.tuple(ref, timeoutArg).map(([r, t]): Step => ['waitFor', r, t]),
    fc.tuple(refs, returnWhen, timeoutArg).map(([rs, w, t]): Step => ['wait', rs, w, t]),
    fc.constant<Step>(['reraise']),
    fc.oneof(...syncStepArbs(shape, nested)),
    fc.oneof(...syncStepArbs(shape, nested)),
    ...(depth > 0 ? blockStepArbs(shape, owner, nested, timeoutArg) : []),
    ...(shape.threads === undefined ? [] : threadStepArbs(shape.threads)),
    ...(shape.contextVars === undefined ? [] : Array.from({ length: 2 * shape.contextVars.weight }, () => fc.oneof(...contextActionArbs(shape, owner)))),
    ...(shape.agens === undefined ? [] : agenStepArbs(shape, nested, shape.agens.weight)),
  );
}

/**
 * Random scenarios (shrinkable); some have context variables. With `options.agens`,
 * scenarios with async generators (see agenScenarioArb).
 */
export function scenarioArb(idPrefix = 'gen', options?: { agens?: AgenBias }): fc.Arbitrary<Scenario> {
  if (options?.agens !== undefined) return agenScenarioArb(idPrefix, options.agens);
  return generalScenarioArb(idPrefix, fc.option(fc.array(contextVarSpec, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 3 }), 1);
}

/**
 * Random scenarios that use context variables: 1 to 3 of them, their actions drawn
 * `weight` times over (test/scenario/corpus/contextvars.jsonl).
 */
export function contextScenarioArb(idPrefix = 'cv', weight = 15): fc.Arbitrary<Scenario> {
  return generalScenarioArb(idPrefix, fc.array(contextVarSpec, { minLength: 1, maxLength: 3 }), weight);
}

function generalScenarioArb(idPrefix: string, contextVarsArb: fc.Arbitrary<ContextVarSpec[] | undefined>, weight: number): fc.Arbitrary<Scenario> {
  return fc
    .record({ bodies: fc.integer({ min: 1, max: 8 }), callbacks: fc.integer({ min: 0, max: 5 }), futures: fc.nat(MAX_FUTURES), sync: syncArb, cvs: contextVarsArb })
    .chain(({ cvs, ...rest }) => {
      const shape: Shape = cvs === undefined ? rest : { ...rest, contextVars: { count: cvs.length, weight } };
      return fc.record({
        id: fc.constant(idPrefix),
        futures: fc.constant(rest.futures),
        sync: fc.constant(shape.sync),
        ...(cvs === undefined ? {} : { contextVars: fc.constant(cvs) }),
        debug: fc.boolean(),
        bodies: fc.tuple(
          fc.array(stepArb(shape, 0, 2), { minLength: 1, maxLength: 12 }),
          ...Array.from({ length: shape.bodies - 1 }, (_, i) => fc.array(stepArb(shape, i + 1, 2), { maxLength: 8 })),
        ),
        callbacks: fc.tuple(...Array.from({ length: shape.callbacks }, () => fc.array(actionArb(shape, -1), { maxLength: 4 }))),
      });
    }) as fc.Arbitrary<Scenario>;
}

/**
 * The live differential runs' scenarios (npm test's and the fuzz campaigns', so that a
 * seed and path from either replays in the other): plain ones (some with context
 * variables), ones biased to context variables, ones with async generators, mixed in
 * or biased to them, and network scenarios (about one in eleven).
 */
export function liveScenarioArb(idPrefix: string): fc.Arbitrary<Scenario> {
  return fc.oneof(
    { weight: 28, arbitrary: scenarioArb(idPrefix) },
    { weight: 7, arbitrary: contextScenarioArb(idPrefix) },
    { weight: 7, arbitrary: scenarioArb(idPrefix, { agens: 'mixed' }) },
    { weight: 7, arbitrary: scenarioArb(idPrefix, { agens: 'biased' }) },
    { weight: 5, arbitrary: netScenarioArb(idPrefix) },
  );
}

/**
 * Random scenarios with simulated threads: executor jobs on the default executor and on
 * the scenario's pools, thread-safe calls from jobs, started threads (shrinkable).
 */
export function threadScenarioArb(idPrefix = 'thr'): fc.Arbitrary<Scenario> {
  return fc
    .record({
      bodies: fc.integer({ min: 1, max: 5 }),
      callbacks: fc.integer({ min: 0, max: 3 }),
      futures: fc.nat(2),
      sync: fc.constant<SyncObjects>({ events: 1, locks: 1 }),
      threads: fc.record({ jobs: fc.integer({ min: 1, max: 4 }), pools: fc.nat(2) }),
      pools: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    })
    .chain((shape) => {
      const withThreads: Shape = { ...shape, threads: { jobs: shape.threads.jobs, pools: shape.pools.length } };
      return fc.record({
        id: fc.constant(idPrefix),
        threads: fc.constant(true),
        futures: fc.constant(shape.futures),
        sync: fc.constant(shape.sync),
        pools: fc.constant(shape.pools),
        debug: fc.boolean(),
        jobs: fc.tuple(...Array.from({ length: shape.threads.jobs }, () => fc.array(jobStepArb(withThreads), { maxLength: 5 }))),
        bodies: fc.tuple(
          fc.array(stepArb(withThreads, 0, 2), { minLength: 1, maxLength: 10 }),
          ...Array.from({ length: shape.bodies - 1 }, (_, i) => fc.array(stepArb(withThreads, i + 1, 1), { maxLength: 6 })),
        ),
        callbacks: fc.tuple(...Array.from({ length: shape.callbacks }, () => fc.array(actionArb(withThreads, -1), { maxLength: 3 }))),
      });
    }) as fc.Arbitrary<Scenario>;
}

// ---- Async generators (language.ts, "Async generators") ----

/** How much bodies use async generators: 'mixed' (the fuzz) or 'biased' (asyncgens.jsonl). */
export type AgenBias = 'mixed' | 'biased';

// Generator labels: few, so that consumers often find the generator they name (and
// sometimes the one running them: "already running").
const AGEN_LABELS = ['ga', 'gb'];
const GEN_CATCHES: CatchKind[] = ['GeneratorExit', 'GeneratorExit', 'Exception', 'BaseException', 'ValueError', 'CancelledError', 'StopAsyncIteration'];

// The steps consuming generators (in coroutine and generator bodies), `weight` times each.
function consumerArbs(nested: fc.Arbitrary<Step[]>, weight: number, afor: boolean): fc.Arbitrary<Step>[] {
  const label = fc.constantFrom(...AGEN_LABELS);
  const arbs: fc.Arbitrary<Step>[] = [
    fc.tuple(label, fc.boolean(), value).map(([l, d, v]): Step => ['anext', l, d, v]),
    fc.tuple(label, fc.oneof(value, fc.constant(null), fc.constant(null))).map(([l, v]): Step => ['asend', l, v]),
    fc.tuple(label, fc.constantFrom(...EXCS.slice(0, 3)), fc.constantFrom('t1', 't2')).map(([l, e, m]): Step => ['athrow', l, e, m]),
    label.map((l): Step => ['aclose', l]),
  ];
  if (afor) arbs.push(fc.tuple(label, nested, fc.option(fc.integer({ min: 1, max: 3 }), { nil: null })).map(([l, b, n]): Step => ['afor', l, b, n]));
  return Array.from({ length: weight }, () => arbs).flat();
}

// The async generator steps of a coroutine body: make a generator, consume one, try/finally.
function agenStepArbs(shape: Shape, nested: fc.Arbitrary<Step[]>, weight: number): fc.Arbitrary<Step>[] {
  const make = fc.tuple(fc.nat(shape.agens!.count), fc.constantFrom(...AGEN_LABELS)).map(([g, l]): Step => ['agen', g, l]);
  return [
    ...Array.from({ length: weight }, () => make),
    ...consumerArbs(nested, weight, true),
    fc.tuple(nested, nested).map(([b, f]): Step => ['finally', b, f]),
  ];
}

// A step of a generator body: emits often, awaits, raises, returns, catches (GeneratorExit
// too) and try/finally blocks that emit, and now and then consumes a generator itself.
function genStepArb(shape: Shape, depth: number): fc.Arbitrary<GenStep> {
  const nested = depth > 0 ? fc.array(fc.constant(null).chain(() => genStepArb(shape, depth - 1)), { maxLength: 4 }) : fc.constant<GenStep[]>([]);
  const plain = fc.constant<Step[]>([]);
  const emitArb = value.map((v): GenStep => ['emit', v]);
  const w = (weight: number, arbitrary: fc.Arbitrary<GenStep>): fc.WeightedArbitrary<GenStep> => ({ weight, arbitrary });
  return fc.oneof(
    w(8, emitArb),
    w(1, fc.constantFrom('p', 'q').map((t): GenStep => ['log', t])),
    w(2, delay.map((d): GenStep => ['sleep', d])),
    w(1, fc.constant<GenStep>(['yield'])),
    w(1, futureIndex.map((i): GenStep => ['await', `f:${i}`])),
    w(1, fc.tuple(futureIndex, value).map(([i, v]): GenStep => ['setResult', i, v])),
    w(1, fc.tuple(fc.constantFrom(...EXCS.slice(0, 3)), fc.constantFrom('e1', 'e2')).map(([e, m]): GenStep => ['raise', e, m])),
    w(1, fc.constant<GenStep>(['return', null])),
    w(1, fc.constant<GenStep>(['reraise'])),
    w(1, fc.oneof(...consumerArbs(plain, 1, false))),
    ...(depth > 0
      ? [
          w(3, fc.tuple(nested, fc.constantFrom(...GEN_CATCHES), nested).map(([b, k, h]): GenStep => ['try', b, k, h])),
          w(3, fc.tuple(nested, nested).map(([b, f]): GenStep => ['finally', b, f])),
        ]
      : []),
  );
}

/**
 * Random scenarios with async generators (shrinkable): one to three generator bodies;
 * main starts by making 'ga' and 'gb'; coroutine bodies make generators and consume
 * them ('biased': main's other steps lean to generators; 'mixed': they are one kind of
 * step among the others).
 */
export function agenScenarioArb(idPrefix: string, bias: AgenBias): fc.Arbitrary<Scenario> {
  const weight = bias === 'biased' ? 4 : 1;
  return fc
    .record({
      bodies: fc.integer({ min: 1, max: bias === 'biased' ? 4 : 6 }),
      callbacks: fc.integer({ min: 0, max: bias === 'biased' ? 2 : 4 }),
      futures: fc.nat(bias === 'biased' ? 2 : MAX_FUTURES),
      sync: bias === 'biased' ? fc.constant<SyncObjects>({ locks: 1, events: 1 }) : syncArb,
      agens: fc.integer({ min: 1, max: 3 }),
    })
    .chain((drawn) => {
      const shape: Shape = { ...drawn, agens: { count: drawn.agens, weight } };
      const first = fc.constant<Step[]>([['agen', 0, 'ga'], ['agen', drawn.agens - 1, 'gb']]);
      // Biased: main's steps are mostly about generators.
      // Biased: main's steps are mostly about generators, half of them in a try (what
      // they raise does not end main at once).
      const agenStep = fc.oneof(...agenStepArbs(shape, fc.array(stepArb(shape, 0, 1), { maxLength: 3 }), 1));
      const guarded = fc.tuple(agenStep, fc.boolean()).map(([op, guard]): Step => (guard ? ['try', [op], 'Exception', []] : op));
      const mainStep = bias === 'biased' ? fc.oneof({ weight: 3, arbitrary: guarded }, { weight: 1, arbitrary: stepArb(shape, 0, 2) }) : stepArb(shape, 0, 2);
      return fc.record({
        id: fc.constant(idPrefix),
        futures: fc.constant(drawn.futures),
        sync: fc.constant(drawn.sync),
        debug: fc.boolean(),
        agens: fc.tuple(...Array.from({ length: drawn.agens }, () => fc.array(genStepArb(shape, 2), { minLength: 1, maxLength: 6 }))),
        bodies: fc.tuple(
          fc.tuple(first, fc.array(mainStep, { minLength: bias === 'biased' ? 4 : 1, maxLength: bias === 'biased' ? 14 : 12 })).map(([a, b]) => [...a, ...b]),
          ...Array.from({ length: drawn.bodies - 1 }, (_, i) => fc.array(stepArb(shape, i + 1, 2), { maxLength: 8 })),
        ),
        callbacks: fc.tuple(...Array.from({ length: drawn.callbacks }, () => fc.array(actionArb(shape, -1), { maxLength: 4 }))),
      });
    }) as fc.Arbitrary<Scenario>;
}
