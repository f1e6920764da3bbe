// Snapshots: the copy of a context that every handle, done callback and task makes, kept
// as the storage the context had until a Context object is needed; the runs that borrow
// the current context when it holds that storage, and the one reused Context the others
// run in (so that the hot path of the loop enters nothing, or allocates no Context, per
// callback). No program can tell: a Context is made as soon as one is asked for
// (getContext()) or the code run sets a variable.
// asyncio: the copy_context() of Handle, Future.add_done_callback and Task (Python/context.c)

import { getIdent } from '../runtime/thread-ident.js';
import { _current, _enterAbove, _switchThread, Context, currentContext } from './context.js';

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
  _context: Context | ContextSnapshot | Borrow;
  getContext(): Context;
}

/**
 * @internal What a handle or a done callback holds: a context, a copy not made yet, or an
 * owner's (a Borrow, while the holder's run borrows the current context, acts as one).
 */
export type CapturedContext = Context | ContextSnapshot | ContextOwner | Borrow;

// Borrowed runs: a callback (or task step) whose snapshot is the very storage of the
// current context runs in the current context itself, with no enter/exit (the common
// case: no variable set since, or a callback scheduled from the context it runs in).
// While it only reads, nothing can tell: its own context would hold the same storage.
// Meanwhile its holder's `_context` is the run's Borrow record. Runs nest as the
// JavaScript stack does (a simulated thread runs inside the callback that blocked, and its
// loop's callbacks may borrow too): `borrows` holds the records of the runs under way,
// innermost last, and keeps them for reuse.
// Invariant: a record's `context` (lent) holds the holder's snapshot and is, or is below,
// the current context of its thread, until `made` is set: then the holder has a Context
// of its own, entered just above the lent one. Whatever would tell the two apart stops
// the borrowing first (`stopBorrowing`): a write to the current context's storage
// (ContextVar.set/reset: `_writableContext`) or the holder's Context asked for
// (getContext). Entering the lent context needs no check: it is either entered already
// (entering it again raises, as in CPython) or a thread's base context, which no program
// can reach.

/** @internal A borrowed run under way: what its holder's `_context` is meanwhile. */
export class Borrow {
  context: Context | undefined = undefined;
  made: Context | undefined = undefined;

  /** The holder's Context, asked for: the one the run made, or one it makes and enters now. */
  getContext(): Context {
    return this.made ?? stopBorrowing(this);
  }
}

const borrows: Borrow[] = [];
let borrowDepth = 0;

// End borrowed run `b` early: its holder gets a Context of its own holding the snapshot,
// entered just above the lent context; return it.
function stopBorrowing(b: Borrow): Context {
  const lent = b.context!;
  // A run nested in this one and borrowing the same context is above it: its Context first.
  for (let j = borrowDepth - 1; borrows[j] !== b; j--) {
    const inner = borrows[j]!;
    if (inner.context === lent && inner.made === undefined) stopBorrowing(inner);
  }
  const ctx = new Context();
  ctx._load(lent._snapshot());
  _enterAbove(lent, ctx);
  b.made = ctx;
  return ctx;
}

/** @internal The running thread's current context, to write to (a borrowed run writing gets its own first). */
export function _writableContext(): Context {
  const ctx = currentContext();
  for (let i = borrowDepth - 1; i >= 0; i--) {
    const b = borrows[i]!;
    if (b.context === ctx && b.made === undefined) return stopBorrowing(b);
  }
  return ctx;
}

// The context reused to run callbacks that hold a snapshot. A run uses it unless it is
// entered already (a run nested in another, which a simulated thread can cause, makes
// one of its own), and it stays the holder's, never to be reused, when the run left state
// in it (a variable set) or its identity was seen (getContext() during the run, `_keep()`).
let spare = new Context();

/** @internal Forget the reused context (a fresh process's state, for test fixtures). */
export function _resetSnapshots(): void {
  spare = new Context();
  while (borrowDepth > 0) {
    const b = borrows[--borrowDepth]!;
    b.context = undefined;
    b.made = undefined;
  }
}

/**
 * @internal Whether `context` (what a handle or a task holds) is the snapshot the running
 * thread's current context holds: the run can borrow that context (`_lend`).
 */
export function _heldByCurrent(context: CapturedContext): boolean {
  const current = _current;
  const ident = getIdent();
  return (ident === current.ident ? current.context! : _switchThread(ident))._holds(context as ContextSnapshot);
}

/**
 * @internal Start `holder`'s borrowed run (its snapshot is the running thread's current
 * context's storage): `holder._context` is a Borrow until `_endBorrowed`.
 */
export function _lend(holder: { _context: CapturedContext }): void {
  let b = borrows[borrowDepth];
  if (b === undefined) borrows.push((b = new Borrow()));
  borrowDepth++;
  b.context = _current.context;
  holder._context = b;
}

/**
 * @internal Enter a context holding `snapshot` for `holder`'s run (Handle._run, when the
 * current context does not hold it: else the run borrows the current one, `_lend`):
 * `holder._context` is that Context while it runs. Leave it with `_exitSnapshot`.
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

/**
 * @internal End the innermost borrowed run, `holder`'s: it holds `snapshot` again, or the
 * Context the run made (if it wrote or its context was asked for), which it leaves.
 */
export function _endBorrowed(holder: { _context: CapturedContext }, snapshot: ContextSnapshot): void {
  const b = borrows[--borrowDepth]!;
  const made = b.made;
  b.context = undefined;
  if (made === undefined) {
    holder._context = snapshot;
  } else {
    b.made = undefined;
    holder._context = made;
    made._exit();
  }
}

/**
 * @internal The Context `holder` (a handle or a task) runs in, asked for (getContext): a
 * snapshot becomes its Context for good; a Context a run is using stays the holder's (it
 * is never reused); an owner's or a borrowed run's is theirs to give.
 */
export function _holderContext(holder: { _context: CapturedContext }): Context {
  const context = holder._context;
  if (context instanceof Context) {
    context._keep();
    return context;
  }
  if (_isSnapshot(context)) return (holder._context = _materialize(context));
  return context.getContext();
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

