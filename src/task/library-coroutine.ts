// aiosim's own coroutine functions (waitFor, Queue.get, Lock.acquire, TaskGroup's aenter,
// …) make tracked coroutine objects, as CPython's `async def` functions do: one dropped
// without `yield*` is reported as never awaited under asyncio's name ('Queue.get').
// The objects are the generators themselves, nothing is allocated beside them (Queue and
// Lock are hot): what a tracked coroutine needs lives on the prototype of the generator
// function's objects (its name and repr, `await`, being marked started when resumed).
// asyncio: the coroutine objects of asyncio's own `async def` functions and methods

import { objectId, reprSymbol } from '../format/py-repr.js';
import { extractStack } from '../format/stack.js';
import { _coroutineOriginTracking } from '../events/running-loop.js';
import type { Suspend } from './coroutine.js';
import { _coroutineThen } from './coroutine-await.js';
import { _markCoroutineFunction } from './tracked-coroutine.js';
import { _heldCoroutines, _isUnawaited, _trackUnawaited, _untrackUnawaited, type TrackedCoroutine } from './unawaited.js';

type CoroutineFunction = (...args: any[]) => Generator<Suspend, unknown, unknown>;

// %GeneratorPrototype%'s methods, which the dressed prototypes call after their own work.
const generatorPrototype = Object.getPrototypeOf((function* () {}).prototype) as Generator<Suspend, unknown, unknown>;
const generatorNext = generatorPrototype.next;
const generatorThrow = generatorPrototype.throw;
const generatorReturn = generatorPrototype.return;

// What makes the generators of `fn` tracked coroutines named `qualname`: resuming or
// closing one marks it started (`yield*` and tasks resume it through `next`).
function dress(fn: CoroutineFunction, qualname: string): void {
  Object.defineProperties(fn.prototype, {
    __name__: { value: qualname },
    next: {
      value(this: TrackedCoroutine, v: unknown): IteratorResult<Suspend, unknown> {
        _untrackUnawaited(this);
        return generatorNext.call(this as unknown as Generator<Suspend, unknown, unknown>, v);
      },
    },
    throw: {
      value(this: TrackedCoroutine, e: unknown): IteratorResult<Suspend, unknown> {
        _untrackUnawaited(this);
        return generatorThrow.call(this as unknown as Generator<Suspend, unknown, unknown>, e);
      },
    },
    return: {
      value(this: TrackedCoroutine, v: unknown): IteratorResult<Suspend, unknown> {
        _untrackUnawaited(this);
        return generatorReturn.call(this as unknown as Generator<Suspend, unknown, unknown>, v);
      },
    },
    // `await q.get()` in an async-function coroutine (aiosim/testing) awaits it.
    then: {
      value<R1, R2>(this: object, onFulfilled?: (value: unknown) => R1, onRejected?: (reason: unknown) => R2): Promise<R1 | R2> {
        return _coroutineThen(this, qualname, onFulfilled, onRejected);
      },
    },
    // Python's repr: `<coroutine object Queue.get at 0x1>`.
    toString: {
      value(this: object): string {
        return `<coroutine object ${qualname} at ${objectId(this)}>`;
      },
    },
    [reprSymbol]: {
      value(this: object): string {
        return `<coroutine object ${qualname} at ${objectId(this)}>`;
      },
    },
  });
}

function track(gen: TrackedCoroutine, holds: TrackedCoroutine[] | undefined): void {
  // Origin tracking, as CPython's while a debug loop runs.
  const origin = _coroutineOriginTracking();
  _trackUnawaited(gen, holds, origin ? extractStack() : undefined, origin);
}

function held(a: unknown): TrackedCoroutine[] | undefined {
  return _isUnawaited(a) ? [a] : undefined;
}

/**
 * @internal Make `fn`, a generator function of aiosim's, a coroutine function whose
 * coroutine objects are tracked and named `qualname` (asyncio's `__qualname__`,
 * `wait_for`). The returned function has `fn`'s type and passes every argument on.
 */
export function _libraryCoroutine<F extends CoroutineFunction>(qualname: string, fn: F): F {
  dress(fn, qualname);
  const wrapped = function (this: unknown, ...args: unknown[]): Generator<Suspend, unknown, unknown> {
    const gen = fn.apply(this, args);
    track(gen as unknown as TrackedCoroutine, _heldCoroutines(args));
    return gen;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  _markCoroutineFunction(wrapped);
  return wrapped as unknown as F;
}

// A method: those taking at most one argument (the hot ones: Queue.get, Lock.acquire)
// without a rest array.
function method(qualname: string, fn: CoroutineFunction): CoroutineFunction {
  dress(fn, qualname);
  const wrapped =
    fn.length > 1
      ? function (this: unknown, ...args: unknown[]): Generator<Suspend, unknown, unknown> {
          const gen = fn.apply(this, args);
          track(gen as unknown as TrackedCoroutine, held(args[0]));
          return gen;
        }
      : fn.length === 0
      ? function (this: unknown): Generator<Suspend, unknown, unknown> {
          const gen = fn.call(this);
          track(gen as unknown as TrackedCoroutine, undefined);
          return gen;
        }
      : function (this: unknown, a?: unknown): Generator<Suspend, unknown, unknown> {
          const gen = fn.call(this, a);
          track(gen as unknown as TrackedCoroutine, held(a));
          return gen;
        };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  _markCoroutineFunction(wrapped);
  return wrapped;
}

/**
 * @internal Make generator methods of a class's prototype coroutine functions whose
 * coroutine objects are tracked: `methods` maps each method's name to asyncio's
 * qualified name (`{ get: 'Queue.get' }`); subclasses that inherit a method share its
 * name, as in Python.
 */
export function _libraryCoroutineMethods(proto: object, methods: Record<string, string>): void {
  for (const [key, qualname] of Object.entries(methods)) {
    const fn = (proto as Record<string, unknown>)[key];
    if (typeof fn !== 'function') throw new TypeError(`cannot track ${key}: not a generator method`);
    Object.defineProperty(proto, key, { value: method(qualname, fn as CoroutineFunction), writable: true, configurable: true });
  }
}
