// Random drive-mode scenarios over the loop's kernel (callSoon, callLater and callAt,
// handle cancellation, futures, tasks, done callbacks), for the loop's property tests:
// their actions run before the loop starts and in callbacks, their tasks yield and await
// futures and earlier tasks. Drawn as actions with their callbacks and tasks inline,
// then laid out as a scenario; shrinking works through the nested arrays, and the size
// caps are applied with `map`, which keeps it.

import fc from 'fast-check';
import type { Action, Scenario, Step } from './language.js';

/**
 * Delays for callLater: repeated values (equal deadlines, heapq tie order), zero and
 * negative (due at once), below, at and just above the clock resolution (1e-9), and
 * 0.1/0.2/0.3, whose float sums differ from the literal (0.1 + 0.2 !== 0.3).
 */
export const DELAYS: readonly number[] = [1, 0, 0, 1, -1, -0.25, 1e-10, 1e-9, 1e-7, 0.1, 0.1, 0.2, 0.3, 0.5, 1.5, 2];
/** Absolute times for callAt (some in the past once the clock moved). */
export const WHENS: readonly number[] = [1, 0, 0.3, 0.1 + 0.2, 0.6, 1, 2.5];

/** The kinds of operation drawn, by the loop API they exercise. */
export type OpKind = 'callSoon' | 'callLater' | 'callAt' | 'cancelHandle' | 'newFuture' | 'settle' | 'addDoneCallback' | 'createTask' | 'cancelTask';

export interface ProgramShape {
  /** Operations run before the loop starts. */
  maxTopLevel: number;
  /** Operations per callback at depth 1, 2, …; a depth past the end schedules empty callbacks. */
  bodyMax: readonly number[];
  /** Total operations, nested included (the rest is dropped). */
  maxOps: number;
  /** createTask operations (the rest is dropped). */
  maxTasks: number;
  /** Relative weights of the kinds. */
  weights: Partial<Record<OpKind, number>>;
}

/** Everything, mixed. */
export const MIXED: ProgramShape = {
  maxTopLevel: 40,
  bodyMax: [5, 3, 2],
  maxOps: 200,
  maxTasks: 20,
  weights: { callSoon: 4, callLater: 5, callAt: 2, cancelHandle: 3, newFuture: 2, settle: 3, addDoneCallback: 2, createTask: 3, cancelTask: 1 },
};

/**
 * Many timers and cancellations: about a quarter of these programs reach the heap
 * compaction (> 100 timers, > 50 % of them cancelled).
 */
export const TIMER_HEAVY: ProgramShape = {
  maxTopLevel: 400,
  bodyMax: [2],
  maxOps: 420,
  maxTasks: 0,
  weights: { callLater: 10, callAt: 2, cancelHandle: 18, callSoon: 1 },
};

/** An operation as drawn: an action, or one whose callback or task is written inline. */
type Drawn =
  | { action: Action }
  | { schedule: 'callSoon' | 'callLater' | 'callAt'; arg: number; body: Drawn[] }
  | { task: Step[] };

// A reference wraps around the objects made so far (see language.ts): any number hits one.
const ref = fc.nat({ max: 1_000 });
const guard = (step: Step, guarded: boolean): Step => (guarded ? ['try', [step], 'BaseException', []] : step);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.boolean().map((g) => guard(['yield'], g)) },
  { weight: 3, arbitrary: fc.tuple(ref, fc.boolean()).map(([r, g]) => guard(['await', `f%${r}`], g)) },
  { weight: 2, arbitrary: fc.tuple(ref, fc.boolean()).map(([r, g]) => guard(['await', `t%${r}`], g)) },
  { weight: 1, arbitrary: fc.nat({ max: 9 }).map((v): Step => ['return', v]) },
  { weight: 1, arbitrary: fc.nat({ max: 9 }).map((v): Step => ['raise', 'ValueError', `T${v}`]) },
);

const settleArb: fc.Arbitrary<Drawn> = fc.tuple(ref, fc.constantFrom('result', 'exception', 'cancel'), fc.nat({ max: 9 })).map(([r, how, v]) => ({
  action: how === 'result' ? ['setResult', `f%${r}`, v] : how === 'exception' ? ['setException', `f%${r}`, 'ValueError', `E${v}`] : ['cancel', `f%${r}`, `c${v}`],
}));

function drawnArb(shape: ProgramShape, depth: number): fc.Arbitrary<Drawn> {
  const bodyMax = depth < shape.bodyMax.length ? shape.bodyMax[depth]! : 0;
  const body: fc.Arbitrary<Drawn[]> = bodyMax === 0 ? fc.constant([]) : fc.array(drawnArb(shape, depth + 1), { maxLength: bodyMax });
  const kinds: Record<OpKind, fc.Arbitrary<Drawn>> = {
    callSoon: body.map((b) => ({ schedule: 'callSoon', arg: 0, body: b })),
    callLater: fc.tuple(fc.constantFrom(...DELAYS), body).map(([d, b]) => ({ schedule: 'callLater', arg: d, body: b })),
    // callAt(loop.time() + d) is callLater(d): the same deadline, computed the same way.
    callAt: fc.oneof(
      fc.tuple(fc.constantFrom(...WHENS), body).map(([w, b]): Drawn => ({ schedule: 'callAt', arg: w, body: b })),
      fc.tuple(fc.constantFrom(...DELAYS), body).map(([d, b]): Drawn => ({ schedule: 'callLater', arg: d, body: b })),
    ),
    cancelHandle: ref.map((r) => ({ action: ['cancel', `h%${r}`, null] })),
    newFuture: fc.constant({ action: ['newFuture'] }),
    settle: settleArb,
    addDoneCallback: fc.tuple(fc.constantFrom('f', 't'), ref).map(([k, r]) => ({ action: ['addDoneCallback', `${k}%${r}`] })),
    createTask: fc.array(stepArb, { maxLength: 6 }).map((steps) => ({ task: steps })),
    cancelTask: fc.tuple(ref, fc.constantFrom('m0', 'm1')).map(([r, m]) => ({ action: ['cancel', `t%${r}`, m] })),
  };
  const weighted: fc.WeightedArbitrary<Drawn>[] = [];
  for (const [kind, weight] of Object.entries(shape.weights) as [OpKind, number][]) {
    if (weight > 0) weighted.push({ weight, arbitrary: kinds[kind] });
  }
  return fc.oneof(...weighted);
}

// Keep the first `maxOps` operations (pre-order) and the first `maxTasks` tasks.
function cap(ops: readonly Drawn[], budget: { ops: number; tasks: number }): Drawn[] {
  const out: Drawn[] = [];
  for (const op of ops) {
    if (budget.ops <= 0) break;
    if ('task' in op) {
      if (budget.tasks <= 0) continue;
      budget.tasks--;
    }
    budget.ops--;
    out.push('body' in op ? { ...op, body: cap(op.body, budget) } : op);
  }
  return out;
}

/** Lay the drawn operations out as a drive-mode scenario: each callback and task body gets its index. */
function layOut(ops: readonly Drawn[], until: 'idle' | 'complete', mainAt: number): Scenario {
  const bodies: Step[][] = [[]];
  const callbacks: Action[][] = [];
  const lay = (drawn: readonly Drawn[]): Action[] => drawn.map((op): Action => {
    if ('action' in op) return op.action;
    if ('task' in op) {
      bodies.push(op.task);
      return ['spawn', bodies.length - 1, `k${bodies.length - 1}`];
    }
    const cb = callbacks.push([]) - 1;
    callbacks[cb] = lay(op.body);
    return op.schedule === 'callSoon' ? ['callSoon', cb] : [op.schedule, op.arg, cb];
  });
  const setup = lay(ops);
  return { id: 'loop-program', futures: 0, bodies, callbacks, budget: 100_000, drive: { setup, until, mainAt } };
}

/** Random drive-mode scenarios of the given shape (default: MIXED). */
export function loopProgramArb(shape: ProgramShape = MIXED): fc.Arbitrary<Scenario> {
  return fc
    .record({
      ops: fc.array(drawnArb(shape, 0), { maxLength: shape.maxTopLevel, size: 'max' }),
      until: fc.constantFrom<'idle' | 'complete'>('idle', 'complete'),
      mainAt: fc.constantFrom(...DELAYS.filter((d) => d >= 0)),
    })
    .map(({ ops, until, mainAt }) => layOut(cap(ops, { ops: shape.maxOps, tasks: shape.maxTasks }), until, mainAt));
}

/** Mostly MIXED programs, sometimes TIMER_HEAVY ones. */
export function anyLoopProgramArb(): fc.Arbitrary<Scenario> {
  return fc.oneof({ weight: 4, arbitrary: loopProgramArb(MIXED) }, { weight: 1, arbitrary: loopProgramArb(TIMER_HEAVY) });
}
