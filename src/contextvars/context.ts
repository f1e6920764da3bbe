// Context: an immutable-looking mapping of context variables to values, and the current
// context of each simulated thread (every thread starts with an empty one, as threads
// do in CPython 3.13). Copies share their storage until one of them is written to, so
// copying a context (what every task and handle does) costs O(1).
// asyncio: contextvars.Context, contextvars.copy_context (Python/context.c)

import { KeyError, RuntimeError } from '../errors/exceptions.js';
import { objectId, repr, reprSymbol } from '../format/py-repr.js';
import { getIdent } from '../runtime/thread-ident.js';
import type { ContextSnapshot } from './snapshot.js';

// The storage of every context with no variable set (never written: a write copies it).
const EMPTY: Map<ContextKey, unknown> = new Map();

/** What a context knows of a variable: enough to type-check keys without importing it. */
export interface ContextKey {
  readonly name: string;
}

// The current context of the running simulated thread is one field, so that entering
// and leaving a context around every callback and task step is a few field writes (as
// CPython keeps it in the thread state). The other threads' current contexts wait in
// `parked`; the switch happens lazily, at the first use after the thread changed
// (`getIdent()` differs from `_current.ident`).
// Invariant: unless `_current.ident` is NO_THREAD (none yet, or the cached thread ended:
// nothing to park), `_current.context` is the current context of thread `_current.ident`,
// and `parked` has no entry for it.
const NO_THREAD = 0;
/** @internal The running thread's current context, cached (see the invariant above); snapshot.ts enters contexts through it. */
export const _current: { ident: number; context: Context | undefined } = { ident: NO_THREAD, context: undefined };
const parked = new Map<number, Context>();

/** @internal Park the cached thread's context and take the running thread's (empty on first use). */
export function _switchThread(ident: number): Context {
  if (_current.ident !== NO_THREAD) parked.set(_current.ident, _current.context!);
  let ctx = parked.get(ident);
  if (ctx === undefined) ctx = new Context();
  else parked.delete(ident);
  _current.ident = ident;
  _current.context = ctx;
  return ctx;
}

/**
 * @internal For snapshot.ts: make `ctx` entered just above `lent` (current, or below the
 * current context, in some thread), as if it had been entered before everything above.
 */
export function _enterAbove(lent: Context, ctx: Context): void {
  ctx._setPrevious(lent);
  if (_current.context === lent) {
    _current.context = ctx;
    return;
  }
  for (const [ident, top] of parked) {
    if (top === lent) {
      parked.set(ident, ctx);
      return;
    }
  }
  // Something was entered above it since: re-point the first of those to `ctx`.
  const tops = _current.context === undefined ? [...parked.values()] : [_current.context, ...parked.values()];
  for (const top of tops) {
    for (let above = top; above._previous() !== undefined; above = above._previous()!) {
      if (above._previous() === lent) {
        above._setPrevious(ctx);
        return;
      }
    }
  }
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
  // Whether snapshot.ts may reuse it after the run it was loaded for (its identity unseen:
  // once cleared, the context is given away, never reused).
  #reusable = true;

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
    this.#previous = ident === _current.ident ? _current.context : _switchThread(ident);
    _current.context = this;
  }

  /** @internal Give the running thread back the context that was current before `_enter()`. */
  _exit(): void {
    const ident = getIdent();
    if (ident !== _current.ident) _switchThread(ident);
    _current.context = this.#previous;
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
    // (Written only when it changes: this runs for every handle made.)
    if (!this.#shared) this.#shared = true;
    return this.#vars as unknown as ContextSnapshot;
  }

  /** @internal Make this context hold `snapshot` (a fresh one). */
  _load(snapshot: ContextSnapshot): void {
    this.#vars = snapshot as unknown as Map<ContextKey, unknown>;
    this.#shared = true;
  }

  /**
   * @internal For snapshot.ts, about to make this (a context no one else holds, not
   * entered, nothing set in it since its last load) the current one: hold `snapshot`,
   * entered over `previous`.
   */
  _loadEntered(snapshot: ContextSnapshot, previous: Context): void {
    // (Storage that was never written to is still marked shared: no need to mark it.)
    this.#vars = snapshot as unknown as Map<ContextKey, unknown>;
    this.#previous = previous;
  }

  /** @internal The context current before it was entered (undefined when it is not entered). */
  _previous(): Context | undefined {
    return this.#previous;
  }

  /** @internal For `_enterAbove`: make it entered over `previous` (or re-point it). */
  _setPrevious(previous: Context): void {
    this.#previous = previous;
  }

  /** @internal Whether it holds `snapshot` (the very storage). */
  _holds(snapshot: ContextSnapshot): boolean {
    return this.#vars === (snapshot as unknown as Map<ContextKey, unknown>);
  }

  /** @internal Whether it is entered (current in some thread, or below one that is). */
  _isEntered(): boolean {
    return this.#previous !== undefined;
  }

  /** @internal Its identity was seen (getContext()): snapshot.ts must not reuse it. */
  _keep(): void {
    this.#reusable = false;
  }

  /** @internal For snapshot.ts: leave it (no longer entered); return the context that was current before. */
  _unload(): Context {
    const previous = this.#previous!;
    this.#previous = undefined;
    return previous;
  }

  /**
   * @internal For snapshot.ts, once left: whether it can be reused, holding `snapshot`
   * still (nothing was set) and not kept. (It keeps a reference to the snapshot's storage
   * until the next load.)
   */
  _reusable(snapshot: ContextSnapshot): boolean {
    return this.#reusable && this.#vars === (snapshot as unknown as Map<ContextKey, unknown>);
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

/** @internal The running thread's current context (an empty one is made on first use). */
export function currentContext(): Context {
  const ident = getIdent();
  return ident === _current.ident ? _current.context! : _switchThread(ident);
}

/** @internal Forget a finished thread's current context. */
export function _forgetThreadContext(ident: number): void {
  parked.delete(ident);
  if (_current.ident === ident) {
    _current.ident = NO_THREAD;
    _current.context = undefined;
  }
}

/** @internal Every thread back to an empty context (a fresh process's, for test fixtures). */
export function _resetContexts(): void {
  if (parked.size > 0) parked.clear();
  _current.ident = NO_THREAD;
  _current.context = undefined;
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
