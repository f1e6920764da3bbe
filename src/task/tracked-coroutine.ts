// coroutine(fn): coroutine functions whose coroutine objects aiosim tracks, so that a
// coroutine never awaited is reported ("coroutine 'test' was never awaited") and a
// finished one cannot be awaited again, as CPython's coroutine objects behave.
// asyncio: the interpreter's coroutine objects (_PyGen_Finalize, origin tracking)

import { RuntimeError } from '../errors/exceptions.js';
import { _escapeCoroutine } from '../errors/pep479.js';
import { objectId, reprSymbol } from '../format/py-repr.js';
import { extractStack, type StackFrame } from '../format/stack.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import { _coroutineOriginTracking, _getRunningLoop } from '../events/running-loop.js';
import { _tracer } from '../log/trace-hook.js';
import { coroutineTarget, type Coro, type Suspend } from './coroutine.js';
import { _coroutineThen } from './coroutine-await.js';
import { inheritGeneratorPrototype } from '../future/generator-like.js';
import { _heldCoroutines, _trackUnawaited, _untrackUnawaited, type UnawaitedRecord } from './unawaited.js';

// What #thrownIn holds before anything was thrown in (undefined can be thrown).
const NOTHING_THROWN: unique symbol = Symbol('nothing thrown');

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
  /** @internal Where it was created (user frames, newest last). */
  readonly _createdAt: StackFrame[];
  /** @internal Set when a debug loop was running at creation (origin tracking). */
  readonly _origin: boolean;
  /** @internal Its record while it is a coroutine never started that has one. */
  _uRec: UnawaitedRecord | undefined = undefined;
  readonly #gen: Generator<Suspend, T, unknown>;
  #finished = false;
  #started = false;
  #running = false;
  // The last exception thrown into it (by its task, or by the coroutine awaiting it):
  // escaping again, it passes through, it is not raised here.
  #thrownIn: unknown = NOTHING_THROWN;

  constructor(gen: Generator<Suspend, T, unknown>, name: string, args: readonly unknown[] = []) {
    this.#gen = gen;
    this.__name__ = name;
    this._createdAt = extractStack();
    this._origin = _coroutineOriginTracking();
    _trackUnawaited(this, _heldCoroutines(args), this._createdAt, this._origin);
  }

  get [coroutineTarget](): Generator<Suspend, T, unknown> {
    return this.#gen;
  }

  // `runsFrame`: whether the step runs the coroutine's frame (throw() into a coroutine that
  // never started raises at once, and CPython lets a StopIteration out unconverted there).
  #resume(step: () => IteratorResult<Suspend, T>, runsFrame: boolean): IteratorResult<Suspend, T> {
    _untrackUnawaited(this);
    if (this.#finished) throw new RuntimeError('cannot reuse already awaited coroutine');
    this.#started = true;
    this.#running = true;
    try {
      const r = step();
      if (r.done === true) this.#finished = true;
      return r;
    } catch (e) {
      this.#finished = true;
      if (_tracer !== undefined && !Object.is(e, this.#thrownIn)) _tracer.coroutineRaise(this, e);
      throw runsFrame ? _escapeCoroutine(e) : e;
    } finally {
      this.#running = false;
    }
  }

  next(value?: unknown): IteratorResult<Suspend, T> {
    return this.#resume(() => this.#gen.next(value), true);
  }

  throw(e: unknown): IteratorResult<Suspend, T> {
    this.#thrownIn = e;
    return this.#resume(() => this.#gen.throw(e), this.#started);
  }

  /** Close the coroutine (Python's `coro.close()`): it is then no longer "never awaited". */
  return(value: T): IteratorResult<Suspend, T> {
    _untrackUnawaited(this);
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

  /**
   * Await the coroutine from an async-function coroutine (aiosim/testing's
   * `asyncCoroutine`): it runs inline in that task, as `await` in Python. Outside such a
   * task's step the promise rejects (a coroutine needs a task). `yield*` does not use it.
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return _coroutineThen(this, this.__name__, onFulfilled, onRejected);
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
    return new CoroutineObject(fn.apply(this, args), name, args);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  coroutineFunctions.add(wrapped);
  return wrapped;
}

// The functions coroutine() made, and aiosim's own coroutine functions: asyncio's debug
// checks refuse coroutine functions as callbacks (`coroutines cannot be used with call_soon()`).
const coroutineFunctions = new WeakSet<object>();

/** @internal Count `fn` as a coroutine function (aiosim's own ones are). */
export function _markCoroutineFunction(fn: object): void {
  coroutineFunctions.add(fn);
}

/** @internal Whether `fn` was made by coroutine() or is one of aiosim's coroutine functions. asyncio: coroutines._iscoroutinefunction */
export function _isCoroutineFunction(fn: unknown): boolean {
  return typeof fn === 'function' && coroutineFunctions.has(fn);
}
