// Context: an immutable-looking mapping of context variables to values, and the current
// context of each simulated thread (every thread starts with an empty one, as threads
// do in CPython 3.13). Copies share their storage until one of them is written to, so
// copying a context (what every task and handle does) costs O(1).
// asyncio: contextvars.Context, contextvars.copy_context (Python/context.c)

import { KeyError, RuntimeError } from '../errors/exceptions.js';
import { objectId, repr, reprSymbol } from '../format/py-repr.js';
import { getIdent } from '../runtime/thread-ident.js';

// The storage of every context with no variable set (never written: a write copies it).
const EMPTY: Map<ContextKey, unknown> = new Map();

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

/** What a context knows of a variable: enough to type-check keys without importing it. */
export interface ContextKey {
  readonly name: string;
}

// The current context of the running simulated thread is one variable, so that entering
// and leaving a context around every callback and task step is a few field writes (as
// CPython keeps it in the thread state). The other threads' current contexts wait in
// `parked`; the switch happens lazily, at the first use after the thread changed
// (`getIdent()` differs from `curIdent`).
// Invariant: unless `curIdent` is NO_THREAD (none yet, or the cached thread ended: nothing
// to park), `cur` is the current context of thread `curIdent`, and `parked` has no entry
// for it.
const NO_THREAD = 0;
let curIdent = NO_THREAD;
let cur: Context | undefined;
const parked = new Map<number, Context>();

// Park the cached thread's context and take the running thread's (empty on first use).
function switchThread(ident: number): Context {
  if (curIdent !== NO_THREAD) parked.set(curIdent, cur!);
  let ctx = parked.get(ident);
  if (ctx === undefined) ctx = new Context();
  else parked.delete(ident);
  curIdent = ident;
  cur = ctx;
  return ctx;
}

function isKey(x: unknown): x is ContextKey {
  return x instanceof Object && (x as { [keyMark]?: true })[keyMark] === true;
}

/** @internal Set on ContextVar's prototype: what Context methods accept as a key. */
export const keyMark: unique symbol = Symbol('aiosim.contextVar');

function checkKey(x: unknown): ContextKey {
  if (!isKey(x)) throw new TypeError(`a ContextVar key was expected, got ${repr(x)}`);
  return x;
}

/**
 * A mapping of context variables to their values: the state `ContextVar.get()` reads.
 * `run(fn)` makes it the current context while `fn` runs; the read-only mapping methods
 * are Python's: `get`, `has` (`in`), `size` (`len()`), `getItem` (`ctx[var]`), `keys`,
 * `values`, `items` and iteration over the variables.
 *
 * @example
 * const ctx = contextvars.copyContext();
 * ctx.run(() => requestId.set('r2')); // the caller's context keeps its value
 * asyncio: contextvars.Context
 */
export class Context implements Iterable<ContextKey> {
  // Shared with copies until a write: then this context takes its own Map.
  #vars: Map<ContextKey, unknown>;
  #shared = true;
  // The context that was current when this one was entered; set exactly while it is entered.
  #previous: Context | undefined = undefined;

  /** An empty context. */
  constructor() {
    this.#vars = EMPTY;
  }

  /**
   * Run `fn(...args)` with this context as the current one, and restore the previous
   * context afterwards (whatever `fn` does).
   *
   * @throws RuntimeError `cannot enter context: <…> is already entered` when it is current
   * already (in this thread or another).
   * asyncio: Context.run
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    this._enter();
    try {
      return fn(...args);
    } finally {
      this._exit();
    }
  }

  /**
   * @internal Make this the current context of the running thread (Context.run's first
   * half; every callback and task step goes through it: a few field writes).
   * @throws RuntimeError `cannot enter context: <…> is already entered`.
   */
  _enter(): void {
    if (this.#previous !== undefined) throw new RuntimeError(`cannot enter context: ${repr(this)} is already entered`);
    const ident = getIdent();
    this.#previous = ident === curIdent ? cur : switchThread(ident);
    cur = this;
  }

  /** @internal Give the running thread back the context that was current before `_enter()`. */
  _exit(): void {
    const ident = getIdent();
    if (ident !== curIdent) switchThread(ident);
    cur = this.#previous;
    this.#previous = undefined;
  }

  /** A shallow copy: the same variables with the same values. asyncio: Context.copy */
  copy(): Context {
    const c = new Context();
    c.#vars = this.#vars;
    this.#shared = true;
    return c;
  }

  /** @internal The storage as a snapshot (a later write here copies it first). */
  _snapshot(): ContextSnapshot {
    this.#shared = true;
    return this.#vars as unknown as ContextSnapshot;
  }

  /** @internal Make this context hold `snapshot` (a fresh one). */
  _load(snapshot: ContextSnapshot): void {
    this.#vars = snapshot as unknown as Map<ContextKey, unknown>;
    this.#shared = true;
  }

  /** @internal `_load(snapshot)` then `_enter()`, for a context known not to be entered (the hot path of callbacks). */
  _loadAndEnter(snapshot: ContextSnapshot): void {
    this.#vars = snapshot as unknown as Map<ContextKey, unknown>;
    this.#shared = true;
    const ident = getIdent();
    this.#previous = ident === curIdent ? cur : switchThread(ident);
    cur = this;
  }

  /**
   * @internal `_exit()`; then, if this context still holds `snapshot` (nothing was set),
   * drop it and return true (the context can be reused).
   */
  _exitAndUnload(snapshot: ContextSnapshot): boolean {
    const ident = getIdent();
    if (ident !== curIdent) switchThread(ident);
    cur = this.#previous;
    this.#previous = undefined;
    if (this.#vars !== (snapshot as unknown as Map<ContextKey, unknown>)) return false;
    this.#vars = EMPTY;
    return true;
  }

  /** The value of `v`, else `defaultValue`. @throws TypeError for a key that is not a ContextVar. asyncio: Context.get */
  get<T = unknown>(v: ContextKey, defaultValue?: T): unknown {
    checkKey(v);
    return this.#vars.has(v) ? this.#vars.get(v) : defaultValue;
  }

  /** The value of `v` (Python's `ctx[v]`). @throws KeyError when `v` has none here. asyncio: Context.__getitem__ */
  getItem(v: ContextKey): unknown {
    checkKey(v);
    if (!this.#vars.has(v)) throw new KeyError(v);
    return this.#vars.get(v);
  }

  /** Whether `v` has a value here (Python's `v in ctx`). asyncio: Context.__contains__ */
  has(v: ContextKey): boolean {
    checkKey(v);
    return this.#vars.has(v);
  }

  /** The number of variables with a value (Python's `len(ctx)`). asyncio: Context.__len__ */
  get size(): number {
    return this.#vars.size;
  }

  /** The variables with a value. asyncio: Context.keys */
  keys(): IterableIterator<ContextKey> {
    return this.#vars.keys();
  }

  /** Their values. asyncio: Context.values */
  values(): IterableIterator<unknown> {
    return this.#vars.values();
  }

  /** `[variable, value]` pairs. asyncio: Context.items */
  items(): IterableIterator<[ContextKey, unknown]> {
    return this.#vars.entries();
  }

  [Symbol.iterator](): IterableIterator<ContextKey> {
    return this.#vars.keys();
  }

  /** @internal Set or (with `remove`) delete a variable's value in this context. */
  _write(v: ContextKey, value: unknown, remove: boolean): void {
    if (this.#shared) {
      this.#vars = new Map(this.#vars);
      this.#shared = false;
    }
    if (remove) this.#vars.delete(v);
    else this.#vars.set(v, value);
  }

  toString(): string {
    return `<_contextvars.Context object at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}

// The context reused to run callbacks that hold a snapshot (Handle._run): it is taken for
// one run at a time (a run nested in another, which a simulated thread can cause, gets a
// context of its own), and given up to the handle when the run left state in it (a
// variable set) or its identity was seen (`getContext()` during the run, `_keepContext`).
let scratch: Context | undefined;
let scratchInUse = false;
let scratchKept = false;

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
  const ident = getIdent();
  return (ident === curIdent ? cur! : switchThread(ident))._snapshot();
}

/**
 * @internal `context` as a Context, for asyncio's `context=` parameters (Python's None,
 * undefined or null, is the caller's business).
 * @throws TypeError `an instance of Context was expected` (CPython's words when it enters
 * one; it accepts anything at first and fails when the callback runs: docs/divergences.md).
 */
export function _checkContext(context: unknown): Context {
  if (!(context instanceof Context)) throw new TypeError('an instance of Context was expected');
  return context;
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

/** @internal The running thread's current context (an empty one is made on first use). */
export function currentContext(): Context {
  const ident = getIdent();
  return ident === curIdent ? cur! : switchThread(ident);
}

/** @internal Forget a finished thread's current context. */
export function _forgetThreadContext(ident: number): void {
  parked.delete(ident);
  if (curIdent === ident) {
    curIdent = NO_THREAD;
    cur = undefined;
  }
}

/** @internal Every thread back to an empty context (a fresh process's, for test fixtures). */
export function _resetContexts(): void {
  parked.clear();
  curIdent = NO_THREAD;
  cur = undefined;
  scratch = undefined;
  scratchInUse = false;
}

/**
 * Return a copy of the current context. asyncio: contextvars.copy_context
 *
 * @example
 * const ctx = copyContext();
 */
export function copyContext(): Context {
  return currentContext().copy();
}
