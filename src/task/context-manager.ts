// `async with` and `with` for generator coroutines: asyncWith and withContext.
// asyncio: the async with / with statements (PEP 492 / PEP 343)

import { _asException } from '../errors/raised.js';
import type { Coro } from './coroutine.js';
import { _setContext } from '../errors/chaining.js';
import { _libraryCoroutine } from './library-coroutine.js';

/** An asynchronous context manager: `aenter()` and `aexit(exc?)` are coroutines. */
export interface AsyncContextManager<V> {
  aenter(): Coro<V>;
  /** Called with the body's exception (or undefined); returning true swallows it. */
  aexit(exc?: unknown): Coro<boolean | undefined | void>;
}

/** A synchronous context manager: `enter()` and `exit(exc?)`. */
export interface ContextManager<V> {
  enter(): V;
  /** Called with the body's exception (or undefined); returning true swallows it. */
  exit(exc?: unknown): boolean | undefined | void;
}

// Managers whose exit is typed never to swallow an exception (it returns nothing, or false):
// Lock, Semaphore, Condition, Barrier, TaskGroup, Timeout, Runner, the executors. With
// them the result of asyncWith, withContext and withAsync is the body's, never undefined.
// Written out where used (no exported name): they are only overload parameters.
type NeverSwallows = false | undefined | void;

// Python calls __exit__/__aexit__ while the body's exception is being handled, so an
// exception raised there gets it as its __context__ (implicit chaining).
function chain(raised: unknown, handled: unknown): void {
  if (raised === handled || typeof raised !== 'object' || raised === null) return;
  const r = raised as { __context__?: unknown };
  if (r.__context__ === undefined) _setContext(r, handled);
}

// Exit a synchronous manager with the body's exception; true when it swallowed it.
function exitSync<V>(cm: ContextManager<V>, e: unknown): boolean {
  try {
    return Boolean(cm.exit(e));
  } catch (thrown) {
    const x = _asException(thrown);
    chain(x, e);
    throw x;
  }
}

function isAsyncContextManager<V>(cm: AsyncContextManager<V> | ContextManager<V>): cm is AsyncContextManager<V> {
  return typeof (cm as AsyncContextManager<V>).aenter === 'function';
}

/**
 * Run `body` inside `cm`, as Python's `async with cm as v:` does: enter, run the body
 * (which may await), exit with the body's exception, if any. Returns the body's result,
 * or undefined when the manager's exit swallowed the exception. Accepts synchronous
 * context managers too (Python's `with` inside a coroutine). Typed `R` for a manager
 * whose exit is typed never to swallow (returning nothing or `false`: Lock, Semaphore,
 * Condition, Barrier, TaskGroup, Timeout), `R | undefined` for any other.
 *
 * @example
 * yield* asyncWith(lock, function* () { yield* sleep(1); });
 * asyncio: the async with statement
 */
export const asyncWith: {
  <V, R>(
    cm: { aenter(): Coro<V>; aexit(exc?: unknown): Coro<NeverSwallows> } | { enter(): V; exit(exc?: unknown): NeverSwallows },
    body: (value: V) => Coro<R>,
  ): Coro<R>;
  <V, R>(cm: AsyncContextManager<V> | ContextManager<V>, body: (value: V) => Coro<R>): Coro<R | undefined>;
} = _libraryCoroutine('asyncWith', function* asyncWith<V, R>(cm: AsyncContextManager<V> | ContextManager<V>, body: (value: V) => Coro<R>): Coro<R | undefined> {
  if (!isAsyncContextManager(cm)) {
    const value = cm.enter();
    let result: R;
    try {
      result = yield* body(value);
    } catch (thrown) {
      const e = _asException(thrown);
      if (!exitSync(cm, e)) throw e;
      return undefined;
    }
    cm.exit(undefined);
    return result;
  }
  const value = yield* cm.aenter();
  let result: R;
  try {
    result = yield* body(value);
  } catch (thrown) {
    // The manager sees what the body's frame would raise: `throw undefined` must not
    // look like a clean exit.
    const e = _asException(thrown);
    let swallowed: boolean | undefined | void;
    try {
      swallowed = yield* cm.aexit(e);
    } catch (thrownInExit) {
      const x = _asException(thrownInExit);
      chain(x, e);
      throw x;
    }
    if (!swallowed) throw e;
    return undefined;
  }
  yield* cm.aexit(undefined);
  return result;
});

/**
 * Run `body` inside the synchronous context manager `cm`, as Python's `with cm as v:`
 * does outside a coroutine. Returns the body's result, or undefined when `exit`
 * swallowed the exception; typed `R` for a manager whose exit is typed never to swallow
 * (Runner, the executors).
 *
 * @example withContext(new Runner(), (runner) => runner.run(main()));
 * asyncio: the with statement
 */
export function withContext<V, R>(cm: { enter(): V; exit(exc?: unknown): NeverSwallows }, body: (value: V) => R): R;
export function withContext<V, R>(cm: ContextManager<V>, body: (value: V) => R): R | undefined;
export function withContext<V, R>(cm: ContextManager<V>, body: (value: V) => R): R | undefined {
  const value = cm.enter();
  let result: R;
  try {
    result = body(value);
  } catch (thrown) {
    const e = _asException(thrown);
    if (!exitSync(cm, e)) throw e;
    return undefined;
  }
  cm.exit(undefined);
  return result;
}
