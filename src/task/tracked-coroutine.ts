// coroutine(fn): coroutine functions whose coroutine objects aiosim tracks, so that a
// coroutine never awaited is reported ("coroutine 'test' was never awaited") and a
// finished one cannot be awaited again, as CPython's coroutine objects behave.
// asyncio: the interpreter's coroutine objects (_PyGen_Finalize, origin tracking)

import { RuntimeError } from '../errors/exceptions.js';
import { _escapeCoroutine } from '../errors/pep479.js';
import { objectId, reprSymbol } from '../format/py-repr.js';
import { extractStack, type StackFrame } from '../format/stack.js';
import { _nextCreationSeq } from '../loop/creation-order.js';
import { _getRunningLoop } from '../loop/events.js';
import { coroutineTarget, type Coro, type Suspend } from './coroutine.js';
import { inheritGeneratorPrototype } from '../future/generator-like.js';


// Tracked coroutines created and not yet started or closed, in creation order.
const unstarted = new Set<CoroutineObject<unknown>>();

// A Generator by declaration merging, not `implements`: newer type libraries add members to
// Generator (`[Symbol.dispose]` with @types/node 24+), which the prototype chain supplies.
export interface CoroutineObject<T> extends Generator<Suspend, T, unknown> {}
/**
 * A coroutine object made by a `coroutine(fn)` function: a generator that knows its
 * function's name, where it was created, and whether it was ever started.
 */
export class CoroutineObject<T> {
  /** The coroutine function's name (Python's `__qualname__`). */
  readonly __name__: string;
  /** @internal */ readonly _seq = _nextCreationSeq();
  /** @internal Where it was created (user frames, newest last). */
  readonly _createdAt: StackFrame[];
  /** @internal Set when a debug loop was running at creation (origin tracking). */
  readonly _origin: boolean;
  readonly #gen: Generator<Suspend, T, unknown>;
  #finished = false;
  #started = false;
  #running = false;

  constructor(gen: Generator<Suspend, T, unknown>, name: string) {
    this.#gen = gen;
    this.__name__ = name;
    this._createdAt = extractStack();
    this._origin = _getRunningLoop()?.getDebug() === true;
    unstarted.add(this);
  }

  get [coroutineTarget](): Generator<Suspend, T, unknown> {
    return this.#gen;
  }

  // `runsFrame`: whether the step runs the coroutine's frame (throw() into a coroutine that
  // never started raises at once, and CPython lets a StopIteration out unconverted there).
  #resume(step: () => IteratorResult<Suspend, T>, runsFrame: boolean): IteratorResult<Suspend, T> {
    unstarted.delete(this);
    if (this.#finished) throw new RuntimeError('cannot reuse already awaited coroutine');
    this.#started = true;
    this.#running = true;
    try {
      const r = step();
      if (r.done === true) this.#finished = true;
      return r;
    } catch (e) {
      this.#finished = true;
      throw runsFrame ? _escapeCoroutine(e) : e;
    } finally {
      this.#running = false;
    }
  }

  next(value?: unknown): IteratorResult<Suspend, T> {
    return this.#resume(() => this.#gen.next(value), true);
  }

  throw(e: unknown): IteratorResult<Suspend, T> {
    return this.#resume(() => this.#gen.throw(e), this.#started);
  }

  /** Close the coroutine (Python's `coro.close()`): it is then no longer "never awaited". */
  return(value: T): IteratorResult<Suspend, T> {
    unstarted.delete(this);
    this.#finished = true;
    try {
      return this.#gen.return(value);
    } catch (e) {
      // A `finally` that raised StopIteration while closing: PEP 479 applies too.
      throw _escapeCoroutine(e);
    }
  }

  [Symbol.iterator](): this {
    // asyncio (the interpreter): awaiting a coroutine suspended in another await (a task
    // runs it) is refused, instead of resuming it under its owner.
    if (this.#started && !this.#finished && !this.#running) throw new RuntimeError('coroutine is being awaited already');
    return this;
  }

  /** Python's repr: `<coroutine object test at 0x1>`. */
  toString(): string {
    return `<coroutine object ${this.__name__} at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}
inheritGeneratorPrototype(CoroutineObject);

/** @internal Take the tracked coroutines never started (a collection point reports them). */
export function _takeUnstartedCoroutines(): CoroutineObject<unknown>[] {
  const out = [...unstarted];
  unstarted.clear();
  return out;
}

/**
 * Wrap a generator function so that the coroutine objects it returns are tracked:
 * one never awaited (nor scheduled, nor closed) is reported at the next collection
 * point as `RuntimeWarning: coroutine '<name>' was never awaited` (with where it was
 * created, in debug mode), and awaiting one that finished throws `RuntimeError:
 * cannot reuse already awaited coroutine`. The name in messages is `fn.name`.
 *
 * @example
 * const test = coroutine(function* test(): Coro<void> { console.log('never scheduled'); });
 * asyncio: a coroutine function (`async def`)
 */
export function coroutine<A extends unknown[], T>(fn: (...args: A) => Generator<Suspend, T, unknown>): (...args: A) => Coro<T> {
  const name = fn.name;
  const wrapped = function (this: unknown, ...args: A): Coro<T> {
    return new CoroutineObject(fn.apply(this, args), name);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  coroutineFunctions.add(wrapped);
  return wrapped;
}

// The functions coroutine() made: asyncio's debug checks refuse coroutine functions as
// callbacks (`coroutines cannot be used with call_soon()`), and these are ones.
const coroutineFunctions = new WeakSet<object>();

/** @internal Whether `fn` was made by coroutine(). asyncio: coroutines._iscoroutinefunction */
export function _isCoroutineFunction(fn: unknown): boolean {
  return typeof fn === 'function' && coroutineFunctions.has(fn);
}
