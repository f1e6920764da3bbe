// Asynchronous generators: asyncGenerator(fn) turns a generator function whose values go
// out with `yield* emit(v)` (and whose other yields are awaits) into a function making
// async generator objects, with anext/asend/athrow/aclose, the first-iteration and
// finalizer hooks, and the flags CPython keeps (ag_running, ag_closed).
// asyncio: the interpreter's async generator objects (PEP 525, genobject.c)

import { _escapeAsyncGenerator } from '../errors/pep479.js';
import { GeneratorExit, RuntimeError, StopAsyncIteration, ValueError } from '../errors/exceptions.js';
import { objectId, repr, reprSymbol } from '../format/py-repr.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import { AsyncGenASend, AsyncGenAThrow } from './async-gen-awaitables.js';
import { _forgetAsyncGen, AsyncGenSet, type AsyncGenMember } from './async-gen-set.js';
import type { AsyncGen } from './async-yield.js';
import { _getAsyncgenHooks, type AsyncgenHook } from './asyncgen-hooks.js';
import { isCoroutine } from './coroutine.js';

// The body's frame: not started, suspended, running (inside next/throw), finished.
const CREATED = 0;
const SUSPENDED = 1;
const EXECUTING = 2;
const COMPLETED = 3;

// Every generator whose hooks were set up (its first anext/asend/athrow/aclose) and that
// has not finished: what a collection point may free (loop/asyncgen-collection.ts).
const live = new AsyncGenSet<AsyncGeneratorObject<unknown, never>>();

/** @internal The live async generators, in the order they were first iterated. */
export function _liveAsyncGens(): AsyncGenSet<AsyncGeneratorObject<unknown, never>> {
  return live;
}

/**
 * An asynchronous generator object, made by calling a function that `asyncGenerator()`
 * returned. It is its own async iterator: `anext()` (and `asend(v)`) returns an
 * awaitable giving the next value the body emits, raising StopAsyncIteration once the
 * body has finished; `athrow(e)` raises `e` in the body; `aclose()` raises GeneratorExit
 * in it. Only one of these awaitables may run it at a time.
 *
 * @example
 * const ag = ticker(3);
 * const first = yield* ag.anext();
 * yield* ag.aclose();
 * asyncio: async_generator (an `async def` with `yield`)
 */
export class AsyncGeneratorObject<Y, S = undefined> {
  // It is an AgenDriver and an AsyncGenMember structurally: no `implements`, as those
  // internal interfaces stay out of the published declarations.
  /** The generator function's name (Python's `__qualname__`); settable, as in Python. */
  __name__: string;
  /** @internal Creation number (collection points free in creation order). */
  readonly _seq = _nextCreationSeq();
  /** @internal ag_running_async: one of its awaitables runs it. */
  _runningAsync = false;
  /** @internal ag_closed: closed or finished. */
  _closed = false;
  /** @internal How many `asyncFor` loops iterate it now (they hold it: not freed). */
  _heldBy = 0;
  /** @internal The sets holding it (async-gen-set.ts). */
  _sets: AsyncGenSet<AsyncGenMember>[] | undefined = undefined;
  /** @internal The finalizer hook in force at its first iteration (ag_finalizer). */
  _finalizer: AsyncgenHook | undefined = undefined;
  #hooksInited = false;
  readonly #body: AsyncGen<Y, S>;
  #frame = CREATED;

  /** @internal Made by the functions asyncGenerator() returns. */
  constructor(body: AsyncGen<Y, S>, name: string) {
    this.#body = body;
    this.__name__ = name;
  }

  /** Whether one of its awaitables is running it now. asyncio: async_generator.ag_running */
  get agRunning(): boolean {
    return this._runningAsync;
  }

  /** @internal Whether the body has finished. */
  get _completed(): boolean {
    return this.#frame === COMPLETED;
  }

  /** @internal Whether the body started and has not finished. */
  get _suspended(): boolean {
    return this.#frame === SUSPENDED;
  }

  /** Return itself: an async generator is its own async iterator. asyncio: async_generator.__aiter__ */
  aiter(): this {
    return this;
  }

  /**
   * Return an awaitable of the next value the body emits; it raises StopAsyncIteration
   * when the body has finished.
   *
   * @throws RuntimeError (when awaited) `anext(): asynchronous generator is already running`.
   * asyncio: async_generator.__anext__
   */
  anext(): AsyncGenASend<Y> {
    this.#initHooks();
    return new AsyncGenASend<Y>(this, undefined);
  }

  /**
   * Return an awaitable that resumes the body with `value` (what its `yield* emit(…)`
   * evaluates to) and gives the next value it emits.
   * asyncio: async_generator.asend
   */
  asend(value: S): AsyncGenASend<Y> {
    this.#initHooks();
    return new AsyncGenASend<Y>(this, value);
  }

  /**
   * Return an awaitable that raises `exc` (an exception, or an exception class to
   * instantiate) where the body is suspended, and gives the next value it emits.
   * asyncio: async_generator.athrow
   */
  athrow(exc: unknown): AsyncGenAThrow<Y> {
    this.#initHooks();
    return new AsyncGenAThrow<Y>(this, exc, false);
  }

  /**
   * Return an awaitable that raises GeneratorExit where the body is suspended, and
   * returns once the body has finished (its `finally` blocks may await).
   *
   * @throws RuntimeError (when awaited) `async generator ignored GeneratorExit` if the body emits instead.
   * asyncio: async_generator.aclose
   */
  aclose(): AsyncGenAThrow<undefined> {
    this.#initHooks();
    return new AsyncGenAThrow<undefined>(this, undefined, true);
  }

  // asyncio: async_gen_init_hooks — the hooks in force at the first method call.
  #initHooks(): void {
    if (this.#hooksInited) return;
    this.#hooksInited = true;
    const { firstiter, finalizer } = _getAsyncgenHooks();
    this._finalizer = finalizer;
    if (this.#frame !== COMPLETED) live.add(this as AsyncGeneratorObject<unknown, never>);
    if (firstiter !== undefined) firstiter(this);
  }

  /** @internal Resume the body with `value`. */
  _send(value: unknown): IteratorResult<unknown, unknown> {
    if (this.#frame === COMPLETED) return { done: true, value: undefined };
    if (this.#frame === CREATED && value !== undefined && value !== null) {
      throw new TypeError("can't send non-None value to a just-started async generator");
    }
    return this.#resume(value, false);
  }

  /** @internal Raise `exc` in the body. */
  _throw(exc: unknown): IteratorResult<unknown, unknown> {
    if (this.#frame === COMPLETED) throw exc;
    return this.#resume(exc, true);
  }

  #resume(arg: unknown, isThrow: boolean): IteratorResult<unknown, unknown> {
    if (this.#frame === EXECUTING) throw new ValueError('async generator already executing');
    // A body that never started does not run: what is thrown in leaves as it is.
    const runsFrame = this.#frame === SUSPENDED || !isThrow;
    this.#frame = EXECUTING;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = isThrow ? this.#body.throw(arg) : this.#body.next(arg);
    } catch (e) {
      this.#finish();
      throw runsFrame ? _escapeAsyncGenerator(e) : e;
    }
    if (r.done === true) this.#finish();
    else this.#frame = SUSPENDED;
    return r;
  }

  #finish(): void {
    this.#frame = COMPLETED;
    _forgetAsyncGen(this);
  }

  /**
   * @internal Close the body where it is suspended (a collection point frees a generator
   * no loop finalises): GeneratorExit is raised in it. Returns what went wrong, if anything.
   * asyncio: gen_close (of an async generator)
   */
  _closeInPlace(): unknown {
    if (this.#frame !== SUSPENDED) {
      this.#frame = COMPLETED;
      return undefined;
    }
    try {
      const r = this._throw(new GeneratorExit());
      if (r.done !== true) return new RuntimeError('async generator ignored GeneratorExit');
    } catch (e) {
      if (!(e instanceof GeneratorExit) && !(e instanceof StopAsyncIteration)) return e;
    }
    return undefined;
  }

  toString(): string {
    return `<async_generator object ${this.__name__} at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}

/**
 * Make an async generator function of `fn`, a generator function whose body gives values
 * to its consumer with `yield* emit(value)` and awaits with `yield*` as a coroutine does:
 * each call returns an AsyncGeneratorObject (the body does not start until the first
 * `anext()` is awaited). Consume it with `asyncFor(ag, body)`, `anext(ag)`, or its
 * methods. The name in reprs is `fn.name`.
 *
 * @throws TypeError (at a call) when `fn` does not return a generator.
 * @example
 * const ticker = asyncGenerator(function* ticker(n: number): AsyncGen<number> {
 *   for (let i = 0; i < n; i++) { yield* sleep(1); yield* emit(i); }
 * });
 * yield* asyncFor(ticker(3), function* (i) { console.log(i); });
 * asyncio: an `async def` containing `yield`
 */
export function asyncGenerator<A extends unknown[], Y, S = undefined>(fn: (...args: A) => AsyncGen<Y, S>): (...args: A) => AsyncGeneratorObject<Y, S> {
  const name = fn.name === '' ? '<lambda>' : fn.name;
  const wrapped = function (this: unknown, ...args: A): AsyncGeneratorObject<Y, S> {
    const body = fn.apply(this, args);
    if (!isCoroutine(body)) throw new TypeError(`asyncGenerator() needs a generator function: ${name}() returned ${repr(body)}`);
    return new AsyncGeneratorObject<Y, S>(body, name);
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

/** Return whether `x` is an async generator object. asyncio: inspect.isasyncgen */
export function isAsyncGenerator(x: unknown): x is AsyncGeneratorObject<unknown, never> {
  return x instanceof AsyncGeneratorObject;
}
