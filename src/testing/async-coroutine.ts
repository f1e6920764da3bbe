// Async-function coroutines: a task may run an `async function` instead of a generator.
// One task step is the function's run from one await of an aiosim awaitable to the next;
// the step goes on in microtasks after the loop's handle returns, so the loop pauses
// there (DEFERRED_STEP) and the asynchronous driver (async-run.ts, registered with
// task/step-driver.ts) lets the microtasks run before the rest of the iteration. Opt-in:
// generator coroutines never take this path.
// asyncio: coroutine objects of `async def` functions, as a Task steps them

import { RuntimeError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import { coroutineInfo, functionSource, generatorInfo, type GeneratorInfo } from '../format/source-location.js';
import { isFuture } from '../future/future.js';
import { isCoroutine, type Awaitable, type Suspend } from '../task/coroutine.js';
import { _inEagerStep, DEFERRED_STEP } from '../task/step-driver.js';
import { checkDriven, outcomeReady, shared } from './async-drive.js';
import { inheritGeneratorPrototype } from '../future/generator-like.js';

// What next() returns while the step goes on in microtasks (the task pauses the loop).
const DEFER: IteratorResult<Suspend, never> = { done: false, value: DEFERRED_STEP as unknown as Suspend };

// Where an async-function coroutine stands.
const NEW = 0; // not started: the function has not been called
const RUNNING = 1; // its code runs in microtasks (the task's step is deferred)
const DELEGATING = 2; // it awaits a coroutine whose own async-function coroutine runs
const READY = 3; // it suspended during the microtasks; the task has not taken the suspension yet
const WAITING = 4; // the task holds the suspension (waits on a future, or gave up an iteration)
const FINISHED = 5; // the function returned or threw; the task has not taken the outcome yet
const CLOSED = 6;

// A Generator by declaration merging, not `implements`: newer type libraries add members to
// Generator (`[Symbol.dispose]` with @types/node 24+), which the prototype chain supplies.
export interface AsyncCoroutine<T> extends Generator<Suspend, T, unknown> {}
/**
 * A coroutine object for an `async function` (made by an `asyncCoroutine(fn)` function):
 * nothing runs until a task steps it. Tasks, `yield*`, `gather`, `waitFor` and
 * `ensureFuture` take it as they take a generator coroutine; inside another async
 * function, `await` it. Its loop must be run with `runUntilCompleteAsync()`.
 *
 * @example
 * const worker = asyncCoroutine(async function worker(n: number) { await awaitable(sleep(n)); return n; });
 * const task = createTask(worker(1));
 * asyncio: a coroutine object (`async def` function called)
 */
export class AsyncCoroutine<T> {
  /** The async function's name, as asyncio prints `__qualname__`. */
  readonly __name__: string;
  readonly #fn: (...args: any[]) => unknown;
  readonly #args: unknown[];
  #state = NEW;
  // The coroutine whose awaited iterator started this one (it goes on when this one finishes).
  #parent: AsyncCoroutine<unknown> | undefined;
  // The iterator the function's current await drives (a FutureIter or a coroutine) and
  // how to resume the await.
  #inner: Iterator<unknown, unknown, unknown> | undefined;
  #resolve: ((v: unknown) => void) | undefined;
  #reject: ((e: unknown) => void) | undefined;
  // READY: the suspension; FINISHED: the function's outcome.
  #pending: IteratorResult<Suspend, T> | undefined;
  #error: { thrown: unknown } | undefined;

  constructor(fn: (...args: any[]) => unknown, args: unknown[]) {
    this.#fn = fn;
    this.#args = args;
    this.__name__ = fn.name || '<lambda>';
  }

  /** Resume the coroutine (its task's step): start it, or resume the await it stands at. */
  next(value?: unknown): IteratorResult<Suspend, T> {
    switch (this.#state) {
      case NEW:
        return this.#start();
      case WAITING: {
        checkDriven(this.__name__);
        let r: IteratorResult<unknown, unknown>;
        try {
          r = this.#inner!.next(value);
        } catch (e) {
          return this.#settleAwait(undefined, { thrown: e }, true)!;
        }
        return this.#fromInner(r, true)!;
      }
      case READY: {
        // The task takes the suspension the microtasks reached.
        this.#state = WAITING;
        const r = this.#pending!;
        this.#pending = undefined;
        return r;
      }
      case DELEGATING: {
        // The task takes the outcome through the awaited coroutine.
        let r: IteratorResult<unknown, unknown>;
        try {
          r = this.#inner!.next();
        } catch (e) {
          return this.#settleAwait(undefined, { thrown: e }, true)!;
        }
        return this.#fromInner(r, true)!;
      }
      case FINISHED: {
        this.#state = CLOSED;
        const error = this.#error;
        this.#error = undefined;
        if (error !== undefined) throw error.thrown;
        const r = this.#pending!;
        this.#pending = undefined;
        return r;
      }
      case RUNNING:
        throw new RuntimeError(`${this.__name__}() was resumed while its step still runs`);
      default:
        throw new RuntimeError('cannot reuse already awaited coroutine');
    }
  }

  /** Raise `exc` at the await the coroutine stands at (before it started: at once, as in Python). */
  throw(exc: unknown): IteratorResult<Suspend, T> {
    if (this.#state === NEW || this.#state === CLOSED) {
      this.#state = CLOSED;
      throw exc;
    }
    if (this.#state !== WAITING) throw new RuntimeError(`${this.__name__}() was resumed while its step still runs`);
    checkDriven(this.__name__);
    const inner = this.#inner!;
    let r: IteratorResult<unknown, unknown>;
    try {
      if (typeof inner.throw !== 'function') throw exc;
      r = inner.throw(exc);
    } catch (e) {
      return this.#settleAwait(undefined, { thrown: e }, true)!;
    }
    return this.#fromInner(r, true)!;
  }

  /**
   * Close the coroutine: what it awaits is closed; the async function itself is left
   * where it stands (JavaScript cannot raise GeneratorExit in it: its finally blocks do not run).
   */
  return(value: T): IteratorResult<Suspend, T> {
    const inner = this.#inner;
    this.#state = CLOSED;
    this.#inner = this.#resolve = this.#reject = undefined;
    this.#pending = this.#error = undefined;
    if (shared.active === (this as AsyncCoroutine<unknown>)) shared.active = this.#parent;
    inner?.return?.(undefined);
    return { done: true, value };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /**
   * Await the coroutine from another async function: it runs inline, in the same task
   * (as `await coro` in Python). Outside a task's step the promise rejects: a coroutine
   * needs a task.
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return awaitInTask<T>(this, `${this.__name__}()`).then(onFulfilled, onRejected);
  }

  /** @internal Repr support: the function's name and definition site (JavaScript cannot tell where an async function is suspended). */
  [coroutineInfo](): GeneratorInfo {
    return { name: this.__name__, closed: this.#state >= FINISHED, site: functionSource(this.#fn) ?? '<unknown>:0' };
  }

  // The first step: call the function; its code before the first await runs now.
  #start(): IteratorResult<Suspend, T> {
    checkDriven(this.__name__);
    if (_inEagerStep()) {
      this.#state = CLOSED;
      throw new RuntimeError(`${this.__name__}() is an async-function coroutine: it cannot run in an eager task's first step (eager task factories are for generator coroutines)`);
    }
    this.#parent = shared.active;
    this.#state = RUNNING;
    shared.active = this as AsyncCoroutine<unknown>;
    let p: unknown;
    try {
      p = this.#fn(...this.#args);
    } catch (e) {
      this.#state = CLOSED;
      shared.active = this.#parent;
      throw e;
    }
    if (typeof (p as PromiseLike<T> | null)?.then !== 'function') {
      // A plain function: it ran to the end synchronously.
      this.#state = CLOSED;
      shared.active = this.#parent;
      return { done: true, value: p as T };
    }
    Promise.resolve(p as PromiseLike<T>).then(
      (v) => this.#finish({ done: true, value: v }, undefined),
      (e: unknown) => this.#finish(undefined, { thrown: e }),
    );
    return DEFER;
  }

  // The function returned or threw, in a microtask.
  #finish(r: IteratorResult<Suspend, T> | undefined, error: { thrown: unknown } | undefined): void {
    if (this.#state === CLOSED) return;
    // A suspension nobody awaits any more (a .then() on a future beside the function's own
    // awaits) is dropped: the function is done, and the future free to be awaited again.
    const dropped = this.#state === READY ? this.#pending?.value : undefined;
    if (isFuture(dropped)) dropped._asyncioFutureBlocking = false;
    this.#inner = this.#resolve = this.#reject = undefined;
    this.#state = FINISHED;
    this.#pending = r;
    this.#error = error;
    if (shared.active === (this as AsyncCoroutine<unknown>)) shared.active = this.#parent;
    const parent = this.#parent;
    if (parent !== undefined) parent.#innerProgressed();
    else outcomeReady();
  }

  // The coroutine this one awaits (started from its awaited iterator) finished: go on.
  #innerProgressed(): void {
    if (this.#state !== DELEGATING) return;
    shared.active = this as AsyncCoroutine<unknown>;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = this.#inner!.next();
    } catch (e) {
      this.#settleAwait(undefined, { thrown: e }, false);
      return;
    }
    this.#fromInner(r, false);
  }

  /** @internal `await x` in this coroutine's function (x: an aiosim awaitable). */
  _await(awaited: Awaitable<unknown>, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
    if (this.#state !== RUNNING) {
      reject(new RuntimeError(`${this.__name__}() awaited ${repr(awaited)} while it was already awaiting: a task awaits one thing at a time (await gather(…) or wait(…) for several)`));
      return;
    }
    let inner: Iterator<unknown, unknown, unknown>;
    let r: IteratorResult<unknown, unknown>;
    try {
      inner = awaited[Symbol.iterator]();
      this.#inner = inner;
      this.#resolve = resolve;
      this.#reject = reject;
      r = inner.next();
    } catch (e) {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#settleAwait(undefined, { thrown: e }, false);
      return;
    }
    this.#fromInner(r, false);
  }

  // What the awaited iterator did: finished (the await resumes in microtasks), deferred
  // (a coroutine it awaits runs in microtasks), or suspended the task. `sync`: inside the
  // task's step (the result goes back to it), else inside the step's microtasks.
  #fromInner(r: IteratorResult<unknown, unknown>, sync: boolean): IteratorResult<Suspend, T> | undefined {
    if (r.done === true) return this.#settleAwait(r.value, undefined, sync);
    if (r.value === DEFERRED_STEP) {
      this.#state = DELEGATING;
      return sync ? DEFER : undefined;
    }
    if (sync) {
      this.#state = WAITING;
      return r as IteratorResult<Suspend, T>;
    }
    this.#state = READY;
    this.#pending = r as IteratorResult<Suspend, T>;
    outcomeReady();
    return undefined;
  }

  // The await is over: its promise settles, and the function goes on in microtasks.
  #settleAwait(value: unknown, error: { thrown: unknown } | undefined, sync: boolean): IteratorResult<Suspend, T> | undefined {
    const resolve = this.#resolve!;
    const reject = this.#reject!;
    this.#inner = this.#resolve = this.#reject = undefined;
    this.#state = RUNNING;
    shared.active = this as AsyncCoroutine<unknown>;
    if (error !== undefined) reject(error.thrown);
    else resolve(value);
    return sync ? DEFER : undefined;
  }
}
inheritGeneratorPrototype(AsyncCoroutine);

// `name()` for a coroutine, as Python names it in messages; the repr for anything else.
function coroutineText(aw: object): string {
  const name = (aw as { __name__?: unknown }).__name__ ?? (isCoroutine(aw) ? generatorInfo(aw).name : undefined);
  return typeof name === 'string' ? `${name}()` : repr(aw);
}

// `await x` for an aiosim awaitable: the running async-function coroutine takes it; with
// none running, the promise rejects (only a task can drive a coroutine).
function awaitInTask<T>(awaited: Awaitable<unknown>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (!takeAwait(awaited, resolve as (v: unknown) => void, reject)) {
      reject(new RuntimeError(`await ${what} outside a task: only an asyncCoroutine function running in a task can await a coroutine (run it with runUntilCompleteAsync())`));
    }
  });
}

/**
 * @internal `await awaited` while an async-function coroutine's code runs: that
 * coroutine's await (true), or false when none runs (the step driver's takeAwait).
 */
export function takeAwait(awaited: object, resolve: (v: unknown) => void, reject: (e: unknown) => void): boolean {
  const co = shared.active;
  if (co === undefined) return false;
  co._await(awaited as Awaitable<unknown>, resolve, reject);
  return true;
}

/**
 * Return a coroutine function for `fn`, an `async function`: calling it makes an
 * AsyncCoroutine (nothing runs yet), which a task runs one step per await, in CPython's
 * order, when its loop is run with `runUntilCompleteAsync()`.
 *
 * Inside `fn`, `await` a Future or Task, another AsyncCoroutine, or a generator coroutine
 * through `awaitable()` (`await awaitable(sleep(1))`): each is `await` in Python. Awaiting
 * anything else (a foreign promise) blocks the loop until it settles.
 *
 * @example
 * const main = asyncCoroutine(async function main() {
 *   const t = createTask(worker(1));
 *   return await t;
 * });
 * const value = await runUntilCompleteAsync(loop, main());
 * asyncio: `async def` (an aiosim testing extra for async/await code)
 */
export function asyncCoroutine<A extends unknown[], T>(fn: (...args: A) => PromiseLike<T> | T): (...args: A) => AsyncCoroutine<T> {
  const make = (...args: A): AsyncCoroutine<T> => new AsyncCoroutine<T>(fn, args);
  Object.defineProperty(make, 'name', { value: fn.name });
  return make;
}

/**
 * Return a thenable for a generator coroutine (or any `yield*` awaitable), so that an
 * async-function coroutine can await it: `await awaitable(sleep(1))` is Python's
 * `await asyncio.sleep(1)`. The coroutine runs inline, in the awaiting task.
 *
 * @example const [a, b] = await awaitable(waitFor(gather(x, y), 5));
 * asyncio: await (of a coroutine, from an `async def` function)
 */
export function awaitable<T>(aw: Awaitable<T>): PromiseLike<T> {
  // A Future is a thenable already (outside a task, its promise settles when it is done).
  if (isFuture(aw)) return aw as unknown as PromiseLike<T>;
  return {
    then<R1 = T, R2 = never>(
      onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
      onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
    ): Promise<R1 | R2> {
      return awaitInTask<T>(aw, coroutineText(aw)).then(onFulfilled, onRejected);
    },
  };
}
