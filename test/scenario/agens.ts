// Async generators in scenarios (language.ts, "Async generators"): the generator bodies
// (emit, and try/finally blocks that may emit), the step making generator objects and
// the steps consuming them. agens.py is the twin, handler for handler; steps.ts takes
// these handlers into its table.

// Only steps.ts imports this module (into STEPS): importing steps.ts here would make
// steps.ts evaluate first when this module is reached first, before AGEN_STEPS exists.

import {
  anext, asyncFor, asyncGenerator, emit, GeneratorExit, repr, StopAsyncIteration,
  type AsyncGen, type AsyncGeneratorObject, type AsyncYield, type Coro, type Suspend,
} from '../../src/index.js';
import { EXC } from './actions.js';
import { run_steps, type Frame, type Interp, type Returned } from './interp.js';
import type { AgenCatchKind, AgenStep, CatchKind, GenStep, Step, Value } from './language.js';

type Agen = AsyncGeneratorObject<Value, Value>;

// A generator body's steps as a generator: its yields are awaits and emits.
type GenCoro = Generator<Suspend | AsyncYield<Value, Value>, Returned, unknown>;

/** What a `try` may also catch (steps.ts's CATCH takes these in). */
export const AGEN_CATCH: Record<AgenCatchKind, (e: unknown) => boolean> = {
  GeneratorExit: (e) => e instanceof GeneratorExit,
  StopAsyncIteration: (e) => e instanceof StopAsyncIteration,
};

// steps.ts's CATCH, given when steps.ts is evaluated (see the import note above).
let catches: Record<CatchKind, (e: unknown) => boolean> | undefined;

/** @internal steps.ts gives its CATCH table. */
export function _setCatches(table: Record<CatchKind, (e: unknown) => boolean>): void {
  catches = table;
}

// A run's generator objects: by label, and every one made (kept until the run ends, as
// agens.py keeps them, so that CPython never collects one while the loop runs).
interface AgenState {
  readonly byLabel: Map<string, Agen>;
  readonly made: Agen[];
}
const states = new WeakMap<Interp, AgenState>();

function stateOf(interp: Interp): AgenState {
  let state = states.get(interp);
  if (state === undefined) states.set(interp, (state = { byLabel: new Map(), made: [] }));
  return state;
}

/** The generator 'g:<label>', or undefined (logged missing). */
function agenRef(interp: Interp, label: string, who: string): Agen | undefined {
  const ag = stateOf(interp).byLabel.get(label);
  interp.present(ag !== undefined, who, `g:${label}`);
  return ag;
}

// A generator body's steps: emit, and try/finally blocks that may emit, run here; every
// other step runs as in a coroutine body (an emit nested in it is missing).
function* runGenSteps(interp: Interp, steps: readonly GenStep[], frame: Frame): GenCoro {
  for (const op of steps) {
    let returned: Returned;
    if (op[0] === 'emit') {
      const sent = yield* emit<Value, Value>(op[1]);
      interp.log(frame.who, `emit ${repr(op[1])} -> ${repr(sent)}`);
      continue;
    }
    if (op[0] === 'try') {
      const [, body, kind, handler] = op as ['try', GenStep[], CatchKind, GenStep[]];
      try {
        returned = yield* runGenSteps(interp, body, frame);
      } catch (e) {
        if (!catches![kind](e)) throw e;
        interp.log(frame.who, `caught ${repr(e)}`);
        returned = yield* runGenSteps(interp, handler, { ...frame, caught: e });
      }
    } else if (op[0] === 'finally') {
      returned = yield* genFinally(interp, op[1], op[2], frame);
    } else {
      returned = yield* run_steps(interp, [op as Step], frame);
    }
    if (returned !== undefined) return returned;
  }
  return undefined;
}

function* genFinally(interp: Interp, body: readonly GenStep[], final: readonly GenStep[], frame: Frame): GenCoro {
  let returned: Returned;
  try {
    returned = yield* runGenSteps(interp, body, frame);
  } finally {
    interp.log(frame.who, 'finally');
    const extra = yield* runGenSteps(interp, final, frame);
    // A return in `finally` ends the body, whatever was raised (as in Python).
    if (extra !== undefined) return extra;
  }
  return returned;
}

// The body of G<g>, under the generator's label.
function* runAgen(interp: Interp, g: number, who: string): AsyncGen<Value, Value> {
  interp.log(who, `start G${g}`);
  try {
    yield* runGenSteps(interp, interp.scn.agens![g]!, { who, tgStack: [], caught: undefined });
  } catch (e) {
    interp.log(who, `raise ${repr(e)}`);
    throw e;
  }
}

// One async generator function per body, named G<g> as agens.py's are.
const agenFunctions = new Map<number, (interp: Interp, g: number, who: string) => Agen>();

function agenFunction(g: number): (interp: Interp, g: number, who: string) => Agen {
  let fn = agenFunctions.get(g);
  if (fn === undefined) {
    const body = (interp: Interp, k: number, who: string): AsyncGen<Value, Value> => runAgen(interp, k, who);
    Object.defineProperty(body, 'name', { value: `G${g}` });
    agenFunctions.set(g, (fn = asyncGenerator(body)));
  }
  return fn;
}

type AgenStepTable = { readonly [K in AgenStep[0]]: (interp: Interp, frame: Frame, op: Extract<AgenStep, readonly [K, ...unknown[]]>) => Coro<Returned> };

export const AGEN_STEPS: AgenStepTable = {
  *agen(interp, { who }, [, g, label]) {
    if (!interp.present(g >= 0 && g < (interp.scn.agens ?? []).length, who, `G${g}`) || !interp.spend(who, 'agen')) return undefined;
    const ag = agenFunction(g)(interp, g, label);
    const state = stateOf(interp);
    state.byLabel.set(label, ag);
    state.made.push(ag);
    interp.log(who, `agen g:${label}`);
    return undefined;
  },
  // An emit outside a generator body's own blocks.
  *emit(interp, { who }) {
    interp.present(false, who, 'emit');
    return undefined;
  },
  *finally(interp, frame, [, body, final]) {
    let returned: Returned;
    try {
      returned = yield* run_steps(interp, body, frame);
    } finally {
      interp.log(frame.who, 'finally');
      const extra = yield* run_steps(interp, final, frame);
      // As genFinally: a return in `finally` wins over what was raised.
      if (extra !== undefined) return extra;
    }
    return returned;
  },
  *afor(interp, frame, [, label, body, breakAfter]) {
    const ag = agenRef(interp, label, frame.who);
    if (ag === undefined) return undefined;
    let n = 0;
    let broke = false;
    const r = yield* asyncFor(ag, function* (item) {
      interp.log(frame.who, `afor g:${label} -> ${repr(item)}`);
      const returned = yield* run_steps(interp, body, frame);
      if (returned !== undefined) return { return: returned };
      n++;
      if (breakAfter === null || n < breakAfter) return undefined;
      interp.log(frame.who, `afor g:${label} break`);
      broke = true;
      return asyncFor.BREAK;
    });
    if (r !== undefined) return r.return;
    if (!broke) interp.log(frame.who, `afor g:${label} end`);
    return undefined;
  },
  *anext(interp, { who }, [, label, withDefault, dflt]) {
    const ag = agenRef(interp, label, who);
    if (ag !== undefined) interp.log(who, `anext g:${label} -> ${repr(withDefault ? yield* anext(ag, dflt) : yield* anext(ag))}`);
    return undefined;
  },
  *asend(interp, { who }, [, label, value]) {
    const ag = agenRef(interp, label, who);
    if (ag !== undefined) interp.log(who, `asend g:${label} -> ${repr(yield* ag.asend(value))}`);
    return undefined;
  },
  *athrow(interp, { who }, [, label, exc, msg]) {
    const ag = agenRef(interp, label, who);
    if (ag !== undefined) interp.log(who, `athrow g:${label} -> ${repr(yield* ag.athrow(new EXC[exc](msg)))}`);
    return undefined;
  },
  *aclose(interp, { who }, [, label]) {
    const ag = agenRef(interp, label, who);
    if (ag !== undefined) interp.log(who, `aclose g:${label} -> ${repr(yield* ag.aclose())}`);
    return undefined;
  },
};
