// The actions on context variables and contexts (language.ts, Context variables): one
// handler each, spread into actions.ts's ACTIONS. context_actions.py is the twin, key
// for key. A run's variables, tokens and stored contexts live here, beside the Interp.

import { contextvars, inContext, LookupError, repr, RuntimeError, ValueError } from '../../src/index.js';
import type { Frame, Interp } from './interp.js';
import type { ContextAction, CtxArg } from './language.js';

type Context = contextvars.Context;

interface ContextState {
  readonly vars: contextvars.ContextVar<unknown>[];
  readonly tokens: contextvars.Token<unknown>[];
  readonly contexts: Context[];
}

const states = new WeakMap<Interp, ContextState>();

// The run's state, its variables made at first use (making one has no visible effect).
function state(interp: Interp): ContextState {
  let s = states.get(interp);
  if (s === undefined) {
    const vars = (interp.scn.contextVars ?? []).map((spec, i) =>
      'default' in spec ? new contextvars.ContextVar<unknown>(`v${i}`, { default: spec.default }) : new contextvars.ContextVar<unknown>(`v${i}`));
    s = { vars, tokens: [], contexts: [] };
    states.set(interp, s);
  }
  return s;
}

function variable(interp: Interp, v: number, who: string): contextvars.ContextVar<unknown> | undefined {
  const { vars } = state(interp);
  return interp.present(v >= 0 && v < vars.length, who, `v${v}`) ? vars[v] : undefined;
}

const ctxName = (c: CtxArg): string => (typeof c === 'number' ? `ctx${c}` : c);

// The context `c` names, or undefined (logged missing).
function context(interp: Interp, c: CtxArg, who: string): Context | undefined {
  if (c === 'copy') return contextvars.copyContext();
  if (c === 'new') return new contextvars.Context();
  const { contexts } = state(interp);
  return interp.present(c >= 0 && c < contexts.length, who, ctxName(c)) ? contexts[c] : undefined;
}

function store(interp: Interp, who: string, what: string, ctx: Context): void {
  const { contexts } = state(interp);
  contexts.push(ctx);
  interp.log(who, `${what} -> ctx${contexts.length - 1}`);
}

type ContextActionOf<K extends ContextAction[0]> = Extract<ContextAction, readonly [K, ...unknown[]]>;
type ContextActionTable = { readonly [K in ContextAction[0]]: (interp: Interp, frame: Frame, op: ContextActionOf<K>) => void };

export const CONTEXT_ACTIONS: ContextActionTable = {
  cvSet(interp, { who }, [, v, value]) {
    const cv = variable(interp, v, who);
    if (cv === undefined) return;
    const { tokens } = state(interp);
    tokens.push(cv.set(value));
    interp.log(who, `cvSet v${v} ${repr(value)} -> k${tokens.length - 1}`);
  },
  cvGet(interp, { who }, [, v]) {
    const cv = variable(interp, v, who);
    if (cv === undefined) return;
    let shown: unknown;
    try {
      shown = cv.get();
    } catch (e) {
      if (!(e instanceof LookupError)) throw e;
      interp.log(who, `cvGet v${v} -> ${repr(e)}`);
      return;
    }
    interp.log(who, `cvGet v${v} -> ${repr(shown)}`);
  },
  cvReset(interp, { who }, [, v, k]) {
    const cv = variable(interp, v, who);
    const { tokens } = state(interp);
    if (cv === undefined || !interp.present(k >= 0 && k < tokens.length, who, `k${k}`)) return;
    try {
      cv.reset(tokens[k]!);
    } catch (e) {
      if (!(e instanceof RuntimeError || e instanceof ValueError)) throw e;
      interp.log(who, `cvReset v${v} k${k} -> ${repr(e)}`);
      return;
    }
    interp.log(who, `cvReset v${v} k${k}`);
  },
  copyContext(interp, { who }) {
    store(interp, who, 'copyContext', contextvars.copyContext());
  },
  taskContext(interp, { who }, [, ref]) {
    const [found, task] = interp.resolveExisting(ref, who, ['self', 't']);
    if (found) store(interp, who, `taskContext ${ref}`, (task as { getContext(): Context }).getContext());
  },
  handleContext(interp, { who }, [, h]) {
    if (interp.present(h >= 0 && h < interp.handles.length, who, `h${h}`)) {
      store(interp, who, `handleContext h${h}`, (interp.handles[h] as unknown as { getContext(): Context }).getContext());
    }
  },
  ctxGet(interp, { who }, [, c, v]) {
    const ctx = context(interp, c, who);
    const cv = ctx === undefined ? undefined : variable(interp, v, who);
    if (cv !== undefined) interp.log(who, `ctxGet ${ctxName(c)} v${v} -> ${ctx!.has(cv) ? repr(ctx!.get(cv)) : 'unset'}`);
  },
  spawnIn(interp, { who }, [name, b, label, c]) {
    const ctx = context(interp, c, who);
    if (ctx !== undefined) interp.spawn(name, b, label, who, interp.loop, ctx);
  },
  callSoonIn(interp, { who }, [name, cb, c]) {
    const ctx = context(interp, c, who);
    if (ctx !== undefined) interp.scheduleCallback(name, cb, who, (fn) => interp.loop.callSoon(fn, inContext(ctx)));
  },
  ctxRun(interp, frame, [, c, ops]) {
    const ctx = context(interp, c, frame.who);
    if (ctx === undefined) return;
    interp.log(frame.who, `ctxRun ${ctxName(c)}`);
    ctx.run(() => {
      for (const op of ops) interp.action(op, frame);
    });
    interp.log(frame.who, `ctxRun ${ctxName(c)} end`);
  },
};
