// Snapshots: the copy of a context that every handle, done callback and task makes, kept
// as the storage the context had until a Context object is needed, and the one reused
// Context those callbacks run in meanwhile (so that the hot path of the loop allocates no
// Context per callback). No program can tell: a Context is made as soon as one is asked
// for (getContext()) or the code run left a variable set in it.
// asyncio: the copy_context() of Handle, Future.add_done_callback and Task (Python/context.c)

import { getIdent } from '../runtime/thread-ident.js';
import { _current, _switchThread, Context } from './context.js';

declare const snapshotBrand: unique symbol;

/**
 * @internal A copy of a context not made yet: the storage the context had (storage that is
 * shared is never written to, so it stays as it was). Handles and done callbacks hold one
 * instead of a Context, and run in a reused context holding it: a Context is made only
 * when one is asked for (`getContext()`) or the callback sets a variable.
 */
export type ContextSnapshot = { readonly [snapshotBrand]: true };

/**
 * @internal An object with a context of its own that its callbacks run in (a Task: its
 * steps and wake-ups). A handle holding one enters the owner's context as it is when the
 * handle runs, and gives it back to the owner if the run made a Context of a snapshot.
 */
export interface ContextOwner {
  _context: Context | ContextSnapshot;
  getContext(): Context;
}

/** @internal What a handle or a done callback holds: a context, a copy not made yet, or an owner's. */
export type CapturedContext = Context | ContextSnapshot | ContextOwner;

// The context reused to run callbacks that hold a snapshot. A run uses it unless it is
// entered already (a run nested in another, which a simulated thread can cause, makes
// one of its own), and it stays the holder's, never to be reused, when the run left state
// in it (a variable set) or its identity was seen (getContext() during the run, `_keep()`).
let spare = new Context();

/** @internal Forget the reused context (a fresh process's state, for test fixtures). */
export function _resetSnapshots(): void {
  spare = new Context();
}

/**
 * @internal Enter a context holding `snapshot` for `holder`'s run (Handle._run, the hot
 * path of every callback and task step): `holder._context` is that Context while it runs.
 * Leave it with `_exitSnapshot`.
 */
export function _enterSnapshot(holder: { _context: CapturedContext }, snapshot: ContextSnapshot): Context {
  const current = _current;
  const ident = getIdent();
  const previous = ident === current.ident ? current.context! : _switchThread(ident);
  let ctx = spare;
  if (ctx._isEntered()) ctx = new Context();
  ctx._loadEntered(snapshot, previous);
  current.context = ctx;
  holder._context = ctx;
  return ctx;
}

/**
 * @internal Leave the context `_enterSnapshot` gave: `holder._context` stays it if the run
 * set a variable or the Context was seen; else it is the snapshot again and the Context
 * is reused.
 */
export function _exitSnapshot(holder: { _context: CapturedContext }, ctx: Context, snapshot: ContextSnapshot): void {
  const current = _current;
  const ident = getIdent();
  if (ident !== current.ident) _switchThread(ident);
  current.context = ctx._unload();
  if (ctx._reusable(snapshot)) holder._context = snapshot;
  else if (ctx === spare) spare = new Context();
}

/** @internal `ctx` was handed out (getContext()): if a run is using it, it is the holder's for good. */
export function _keepContext(ctx: Context): void {
  ctx._keep();
}

/** @internal A snapshot of the running thread's current context (what a copy would hold). */
export function _snapshotContext(): ContextSnapshot {
  const ident = getIdent();
  return (ident === _current.ident ? _current.context! : _switchThread(ident))._snapshot();
}

/** @internal Whether `context` is a snapshot (a Map at run time). */
export function _isSnapshot(context: CapturedContext): context is ContextSnapshot {
  return context instanceof Map;
}

/** @internal The Context `context` stands for: a snapshot becomes a new Context, an owner gives its own. */
export function _materialize(context: CapturedContext): Context {
  if (context instanceof Context) return context;
  if (!_isSnapshot(context)) return context.getContext();
  const ctx = new Context();
  ctx._load(context);
  return ctx;
}

