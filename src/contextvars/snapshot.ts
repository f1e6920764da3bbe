// Snapshots: the copy of a context that every handle, done callback and task makes, kept
// as the storage the context had until a Context object is needed, and the one reused
// Context those callbacks run in meanwhile (so that the hot path of the loop allocates no
// Context per callback). No program can tell: a Context is made as soon as one is asked
// for (getContext()) or the code run left a variable set in it.
// asyncio: the copy_context() of Handle, Future.add_done_callback and Task (Python/context.c)

import { Context, currentContext } from './context.js';

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

// The context reused to run callbacks that hold a snapshot (Handle._run): it is taken for
// one run at a time (a run nested in another, which a simulated thread can cause, gets a
// context of its own), and given up to the handle when the run left state in it (a
// variable set) or its identity was seen (`getContext()` during the run, `_keepContext`).
let scratch: Context | undefined;
let scratchInUse = false;
let scratchKept = false;

/** @internal Forget the reused context (a fresh process's state, for test fixtures). */
export function _resetSnapshots(): void {
  scratch = undefined;
  scratchInUse = false;
  scratchKept = false;
}

/**
 * @internal Enter a context holding `snapshot` (Handle._run for a handle that holds one);
 * leave it with `_exitSnapshot`.
 */
export function _enterSnapshot(snapshot: ContextSnapshot): Context {
  let ctx: Context;
  if (scratchInUse || scratch === undefined) {
    ctx = new Context();
    if (!scratchInUse) {
      scratch = ctx;
      scratchInUse = true;
      scratchKept = false;
    }
  } else {
    ctx = scratch;
    scratchInUse = true;
    scratchKept = false;
  }
  ctx._loadAndEnter(snapshot);
  return ctx;
}

/**
 * @internal Leave a context `_enterSnapshot` gave; return whether the caller must keep it
 * (it holds what the callback set, or was seen), else it goes back for reuse.
 */
export function _exitSnapshot(ctx: Context, snapshot: ContextSnapshot): boolean {
  const unchanged = ctx._exitAndUnload(snapshot);
  if (ctx !== scratch) return true;
  scratchInUse = false;
  if (unchanged && !scratchKept) return false;
  scratch = undefined;
  return true;
}

/** @internal `ctx` was handed out (getContext()): if it is the reused context, it is not reused any more. */
export function _keepContext(ctx: Context): void {
  if (ctx === scratch) scratchKept = true;
}

/** @internal A snapshot of the running thread's current context (what a copy would hold). */
export function _snapshotContext(): ContextSnapshot {
  return currentContext()._snapshot();
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

