// fast-check arbitraries for the programs of ./program.ts. Shrinking works through
// the nested op arrays; the size caps are applied with `map`, which keeps it.

import fc from 'fast-check';
import { type Op, type Program, type Step } from './program.js';

/**
 * Delays for callLater: repeated values (equal deadlines, heapq tie order), zero and
 * negative (due at once), below, at and just above the clock resolution (1e-9), and
 * 0.1/0.2/0.3, whose float sums
 * differ from the literal (0.1 + 0.2 !== 0.3).
 */
export const DELAYS: readonly number[] = [1, 0, 0, 1, -1, -0.25, 1e-10, 1e-9, 1e-7, 0.1, 0.1, 0.2, 0.3, 0.5, 1.5, 2];
/** Absolute times for callAt (some in the past once the clock moved). */
export const WHENS: readonly number[] = [1, 0, 0.3, 0.1 + 0.2, 0.6, 1, 2.5];

export interface ProgramShape {
  /** Top-level ops (run before the loop starts). */
  maxTopLevel: number;
  /** Ops per callback body at depth 1, 2, …; a depth past the end schedules empty callbacks. */
  bodyMax: readonly number[];
  /** Total ops, nested included (the rest is dropped). */
  maxOps: number;
  /** createTask ops (the rest is dropped). */
  maxTasks: number;
  /** Relative weights of the op kinds. */
  weights: Partial<Record<Op['op'], number>>;
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

const ref = fc.nat({ max: 1_000 });

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ s: fc.constant('yield'), guarded: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ s: fc.constant('awaitFuture'), ref, guarded: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ s: fc.constant('awaitTask'), ref, guarded: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ s: fc.constant('return'), value: fc.nat({ max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ s: fc.constant('throw'), value: fc.nat({ max: 9 }) }) },
);

function opArb(shape: ProgramShape, depth: number): fc.Arbitrary<Op> {
  const bodyMax = depth < shape.bodyMax.length ? shape.bodyMax[depth]! : 0;
  const body: fc.Arbitrary<Op[]> = bodyMax === 0 ? fc.constant([]) : fc.array(opArb(shape, depth + 1), { maxLength: bodyMax });
  const kinds: { [K in Op['op']]: fc.Arbitrary<Extract<Op, { op: K }>> } = {
    callSoon: fc.record({ op: fc.constant('callSoon'), body }),
    callLater: fc.record({ op: fc.constant('callLater'), delay: fc.constantFrom(...DELAYS), body }),
    callAt: fc.oneof(
      fc.record({ op: fc.constant('callAt'), when: fc.constantFrom(...WHENS), relative: fc.constant(false), body }),
      fc.record({ op: fc.constant('callAt'), when: fc.constantFrom(...DELAYS), relative: fc.constant(true), body }),
    ),
    cancelHandle: fc.record({ op: fc.constant('cancelHandle'), ref }),
    newFuture: fc.constant({ op: 'newFuture' }),
    settle: fc.record({ op: fc.constant('settle'), ref, how: fc.constantFrom('result', 'exception', 'cancel'), value: fc.nat({ max: 9 }) }),
    addDoneCallback: fc.record({ op: fc.constant('addDoneCallback'), target: fc.constantFrom('future', 'task'), ref }),
    createTask: fc.record({ op: fc.constant('createTask'), steps: fc.array(stepArb, { maxLength: 6 }) }),
    cancelTask: fc.record({ op: fc.constant('cancelTask'), ref, msg: fc.constantFrom('m0', 'm1') }),
  };
  const weighted: fc.WeightedArbitrary<Op>[] = [];
  for (const [kind, weight] of Object.entries(shape.weights) as [Op['op'], number][]) {
    if (weight > 0) weighted.push({ weight, arbitrary: kinds[kind] as fc.Arbitrary<Op> });
  }
  return fc.oneof(...weighted);
}

// Keep the first `maxOps` ops (pre-order) and the first `maxTasks` createTask ops.
function cap(ops: readonly Op[], budget: { ops: number; tasks: number }): Op[] {
  const out: Op[] = [];
  for (const op of ops) {
    if (budget.ops <= 0) break;
    if (op.op === 'createTask') {
      if (budget.tasks <= 0) continue;
      budget.tasks--;
    }
    budget.ops--;
    out.push('body' in op ? { ...op, body: cap(op.body, budget) } : op);
  }
  return out;
}

/** Random programs of the given shape (default: MIXED). */
export function programArb(shape: ProgramShape = MIXED): fc.Arbitrary<Program> {
  return fc
    .record({
      ops: fc.array(opArb(shape, 0), { maxLength: shape.maxTopLevel, size: 'max' }),
      mode: fc.constantFrom('idle', 'complete'),
      mainAt: fc.constantFrom(...DELAYS.filter((d) => d >= 0)),
    })
    .map((p) => ({ ...p, ops: cap(p.ops, { ops: shape.maxOps, tasks: shape.maxTasks }) }));
}

/** Mostly MIXED programs, sometimes TIMER_HEAVY ones. */
export function anyProgramArb(): fc.Arbitrary<Program> {
  return fc.oneof({ weight: 4, arbitrary: programArb(MIXED) }, { weight: 1, arbitrary: programArb(TIMER_HEAVY) });
}

