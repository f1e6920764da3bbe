// The awaitables an async generator's methods return: `anext()`/`asend(v)` (CPython's
// async_generator_asend) and `athrow(e)`/`aclose()` (async_generator_athrow). Awaited with
// `yield*`, each drives the generator's body until it emits a value (the await's result)
// or ends: the body's own awaits pass through to the task. Their states, the flags they
// set on the generator and their errors follow CPython 3.13's genobject.c.
// asyncio: the interpreter's async_generator_asend / async_generator_athrow

import { GeneratorExit, RuntimeError, StopAsyncIteration, StopIteration } from '../errors/exceptions.js';
import { objectId, repr, reprSymbol } from '../format/py-repr.js';
import { inheritGeneratorPrototype } from '../future/generator-like.js';
import { _isAsyncYield } from './async-yield.js';
import { coroutineText, type Suspend } from './coroutine.js';
import { _coroutineThen } from './coroutine-await.js';
import { _trackUnawaited, _untrackUnawaited, type UnawaitedRecord } from './unawaited.js';

/** @internal What the awaitables use of their generator (AsyncGeneratorObject). */
export interface AgenDriver {
  /** Whether one of its awaitables is running it (ag_running_async). */
  _runningAsync: boolean;
  /** Whether it was closed or ended (ag_closed). */
  _closed: boolean;
  /** Whether its body has finished (its frame completed). */
  readonly _completed: boolean;
  readonly __name__: string;
  /** Resume the body with `value`. */
  _send(value: unknown): IteratorResult<unknown, unknown>;
  /** Raise `exc` in the body. */
  _throw(exc: unknown): IteratorResult<unknown, unknown>;
}

// An awaitable's states (CPython's AWAITABLE_STATE_*): not started, running, done.
const INIT = 0;
const ITER = 1;
const CLOSED = 2;

type Outcome<T> = IteratorResult<Suspend, T>;

// What the body's step means for the generator (async_gen_unwrap_value): a value it
// emitted ends the await with it; its end is StopAsyncIteration. Anything else it yielded
// is an await, passed on to the task.
function unwrapEnd<T>(gen: AgenDriver, r: IteratorResult<unknown, unknown>): Outcome<T> {
  gen._runningAsync = false;
  if (r.done === true) {
    gen._closed = true;
    throw new StopAsyncIteration();
  }
  return { done: true, value: (r.value as { value: T }).value };
}

function ends(r: IteratorResult<unknown, unknown>): boolean {
  return r.done === true || _isAsyncYield(r.value);
}

// The body raised: StopAsyncIteration and GeneratorExit close the generator.
function unwrapError(gen: AgenDriver, e: unknown): unknown {
  if (e instanceof StopAsyncIteration || e instanceof GeneratorExit) gen._closed = true;
  gen._runningAsync = false;
  return e;
}

// A StopIteration leaving an awaitable is its return (Python's protocol): only a
// StopIteration thrown into a body that never started gets here unconverted.
function raise<T>(e: unknown): Outcome<T> {
  if (e instanceof StopIteration) return { done: true, value: e.value as T };
  throw e;
}

// The close() of both awaitables (async_gen_asend_close / async_gen_athrow_close).
function closeAwaitable<T>(aw: { throw(e: unknown): Outcome<T> }, value: unknown): Outcome<T> {
  let r: Outcome<T>;
  try {
    r = aw.throw(new GeneratorExit());
  } catch (e) {
    if (e instanceof StopIteration || e instanceof StopAsyncIteration || e instanceof GeneratorExit) return { done: true, value: value as T };
    throw e;
  }
  if (r.done === true) return { done: true, value: value as T };
  throw new RuntimeError('coroutine ignored GeneratorExit');
}

// What both awaitables share: the generator they drive, their state (awaitable once),
// their close(), the protocols and the reprs.
// A Generator by declaration merging (see tracked-coroutine.ts).
interface AsyncGenAwaitable<T> extends Generator<Suspend, T, unknown> {}
abstract class AsyncGenAwaitable<T> {
  /** @internal */ readonly _gen: AgenDriver;
  /** @internal */ _state = INIT;
  /** @internal Its record while it was never awaited (unawaited.ts). */
  _uRec: UnawaitedRecord | undefined = undefined;

  /** @internal */
  constructor(gen: AgenDriver) {
    this._gen = gen;
    _trackUnawaited(this, undefined, undefined, false);
  }

  /** @internal The method named in "coroutine method '…' of '…' was never awaited". */
  abstract get __name__(): string;
  /** @internal The repr's type name. */
  abstract get _typeName(): string;
  /** @internal The name an async-function await reports. */
  abstract get _awaitName(): string;

  /** Close it (Python's `close()`): a running await raises GeneratorExit in the generator. */
  return(): Outcome<T>;
  return(value: T): Outcome<T>;
  return(value?: T): Outcome<T> {
    if (this._state === CLOSED) return { done: true, value: value as T };
    return closeAwaitable(this, value);
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Await it from an async-function coroutine (aiosim/testing), as `await` in Python. */
  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return _coroutineThen(this, this._awaitName, onFulfilled, onRejected);
  }

  /** @internal How a task's repr shows it (asyncio: `_format_coroutine` of a code-less coroutine). */
  [coroutineText](): string {
    return `<${this._typeName} without __name__>()`;
  }

  toString(): string {
    return `<${this._typeName} object at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}
inheritGeneratorPrototype(AsyncGenAwaitable);

/**
 * What `anext()` and `asend(value)` return: awaiting it resumes the generator (with
 * `value`, undefined for `anext()`) and gives the next value it emits, or raises
 * StopAsyncIteration when it ends. Awaitable once.
 * asyncio: async_generator_asend
 */
export class AsyncGenASend<T> extends AsyncGenAwaitable<T> {
  readonly #sendval: unknown;

  /** @internal */
  constructor(gen: AgenDriver, sendval: unknown) {
    super(gen);
    this.#sendval = sendval;
  }

  /** @internal The method named in "coroutine method 'asend' of 'gen' was never awaited". */
  get __name__(): string {
    return 'asend';
  }

  /** @internal */
  get _unawaitedText(): string {
    return `coroutine method 'asend' of ${repr(this._gen.__name__)} was never awaited`;
  }

  #start(): void {
    _untrackUnawaited(this);
    if (this._gen._runningAsync) {
      this._state = CLOSED;
      throw new RuntimeError('anext(): asynchronous generator is already running');
    }
    this._state = ITER;
  }

  #outcome(r: IteratorResult<unknown, unknown>): Outcome<T> {
    if (!ends(r)) return r as Outcome<T>;
    this._state = CLOSED;
    return unwrapEnd(this._gen, r);
  }

  override next(arg?: unknown): Outcome<T> {
    const gen = this._gen;
    if (this._state === CLOSED) throw new RuntimeError('cannot reuse already awaited __anext__()/asend()');
    if (this._state === INIT) {
      this.#start();
      if (arg === undefined || arg === null) arg = this.#sendval;
    }
    gen._runningAsync = true;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = gen._send(arg);
    } catch (e) {
      this._state = CLOSED;
      return raise(unwrapError(gen, e));
    }
    return this.#outcome(r);
  }

  override throw(exc: unknown): Outcome<T> {
    const gen = this._gen;
    if (this._state === CLOSED) throw new RuntimeError('cannot reuse already awaited __anext__()/asend()');
    if (this._state === INIT) {
      this.#start();
      gen._runningAsync = true;
    }
    let r: IteratorResult<unknown, unknown>;
    try {
      r = gen._throw(exc);
    } catch (e) {
      this._state = CLOSED;
      return raise(unwrapError(gen, e));
    }
    return this.#outcome(r);
  }

  /** @internal */
  get _typeName(): string {
    return 'async_generator_asend';
  }

  /** @internal The name an async-function await reports (asyncio awaits it as `anext`). */
  get _awaitName(): string {
    return 'anext';
  }
}

// An exception class given to athrow() is instantiated when it is thrown, as in Python.
function instantiate(exc: unknown): unknown {
  if (typeof exc === 'function' && (exc === Error || exc.prototype instanceof Error)) return new (exc as new () => unknown)();
  return exc;
}

/**
 * What `athrow(exc)` and `aclose()` return: awaiting it raises the exception (GeneratorExit
 * for `aclose()`) in the generator. `athrow` gives the next value the generator emits (or
 * raises what it raises); `aclose` returns once the generator has finished, and raises
 * `RuntimeError('async generator ignored GeneratorExit')` if it emits instead.
 * asyncio: async_generator_athrow
 */
export class AsyncGenAThrow<T> extends AsyncGenAwaitable<T> {
  // What athrow() throws; NOTHING for aclose().
  readonly #exc: unknown;
  readonly #aclose: boolean;

  /** @internal `aclose`: true for aclose() (`exc` is ignored). */
  constructor(gen: AgenDriver, exc: unknown, aclose: boolean) {
    super(gen);
    this.#exc = exc;
    this.#aclose = aclose;
  }

  /** @internal The method named when it was never awaited. */
  get __name__(): string {
    return this.#aclose ? 'aclose' : 'athrow';
  }

  /** @internal */
  get _unawaitedText(): string {
    return `coroutine method ${repr(this.__name__)} of ${repr(this._gen.__name__)} was never awaited`;
  }

  #reuseError(): RuntimeError {
    return new RuntimeError('cannot reuse already awaited aclose()/athrow()');
  }

  // check_error: the await is over; aclose() takes the generator's end as its success.
  #checkError(e: unknown): Outcome<T> {
    this._gen._runningAsync = false;
    this._state = CLOSED;
    if (this.#aclose && (e instanceof StopAsyncIteration || e instanceof GeneratorExit)) return { done: true, value: undefined as T };
    return raise(e);
  }

  // The generator emitted a value while it was being closed.
  #ignoredExit(): never {
    this._gen._runningAsync = false;
    this._state = CLOSED;
    throw new RuntimeError('async generator ignored GeneratorExit');
  }

  // aclose()'s outcome of a body step: an emit ignored the exit, the end is success.
  #closing(r: IteratorResult<unknown, unknown>): Outcome<T> {
    if (r.done === true) return this.#checkError(new StopAsyncIteration());
    if (_isAsyncYield(r.value)) return this.#ignoredExit();
    return r as Outcome<T>;
  }

  #startChecks(): void {
    const gen = this._gen;
    if (gen._runningAsync) {
      this._state = CLOSED;
      _untrackUnawaited(this);
      throw new RuntimeError(`${this.__name__}(): asynchronous generator is already running`);
    }
  }

  override next(arg?: unknown): Outcome<T> {
    const gen = this._gen;
    if (this._state === CLOSED) throw this.#reuseError();
    if (gen._completed) {
      _untrackUnawaited(this);
      this._state = CLOSED;
      return { done: true, value: undefined as T };
    }
    if (this._state === INIT) return this.#first(arg);
    let r: IteratorResult<unknown, unknown>;
    if (this.#aclose) {
      try {
        r = gen._send(arg);
      } catch (e) {
        return this.#checkError(e);
      }
      return this.#closing(r);
    }
    // asyncio (3.13): a running athrow() resumed again after its value stays open.
    try {
      r = gen._send(arg);
    } catch (e) {
      return raise(unwrapError(gen, e));
    }
    return ends(r) ? unwrapEnd(gen, r) : (r as Outcome<T>);
  }

  #first(arg: unknown): Outcome<T> {
    const gen = this._gen;
    this.#startChecks();
    if (gen._closed) {
      this._state = CLOSED;
      _untrackUnawaited(this);
      throw new StopAsyncIteration();
    }
    if (arg !== undefined && arg !== null) throw new RuntimeError("can't send non-None value to a just-started coroutine");
    _untrackUnawaited(this);
    this._state = ITER;
    gen._runningAsync = true;
    let r: IteratorResult<unknown, unknown>;
    if (this.#aclose) {
      gen._closed = true;
      try {
        r = gen._throw(new GeneratorExit());
      } catch (e) {
        return this.#checkError(e);
      }
      return this.#closing(r);
    }
    try {
      r = gen._throw(instantiate(this.#exc));
    } catch (e) {
      return this.#checkError(unwrapError(gen, e));
    }
    if (!ends(r)) return r as Outcome<T>;
    this._state = CLOSED;
    return unwrapEnd(gen, r);
  }

  override throw(exc: unknown): Outcome<T> {
    const gen = this._gen;
    if (this._state === CLOSED) throw this.#reuseError();
    if (this._state === INIT) {
      this.#startChecks();
      _untrackUnawaited(this);
      this._state = ITER;
      gen._runningAsync = true;
    }
    let r: IteratorResult<unknown, unknown>;
    try {
      r = gen._throw(exc);
    } catch (e) {
      if (!this.#aclose) e = unwrapError(gen, e);
      return this.#checkError(e);
    }
    if (this.#aclose) {
      if (_isAsyncYield(r.value) && r.done !== true) return this.#ignoredExit();
      return r.done === true ? this.#checkError(new StopAsyncIteration()) : (r as Outcome<T>);
    }
    if (!ends(r)) return r as Outcome<T>;
    this._state = CLOSED;
    return unwrapEnd(gen, r);
  }

  /** @internal */
  get _typeName(): string {
    return 'async_generator_athrow';
  }

  /** @internal The name an async-function await reports: the method's own. */
  get _awaitName(): string {
    return this.__name__;
  }
}

