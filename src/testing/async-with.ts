// `async with` for async-function coroutines: withAsync(cm, async (v) => …), the async/await
// form of asyncWith (same protocol, same exception rules).
// asyncio: the async with statement (PEP 492)

import { _asException } from '../errors/raised.js';
import type { AsyncContextManager, ContextManager } from '../task/context-manager.js';
import type { Coro } from '../task/coroutine.js';
import { awaitable } from './async-coroutine.js';
import { _setContext } from '../errors/chaining.js';

// Python calls __aexit__ while the body's exception is being handled, so an exception
// raised there gets it as its __context__ (implicit chaining), as asyncWith does.
function chain(raised: unknown, handled: unknown): void {
  if (raised === handled || typeof raised !== 'object' || raised === null) return;
  const r = raised as { __context__?: unknown };
  if (r.__context__ === undefined) _setContext(r, handled);
}

/**
 * Run `body` inside `cm`, as Python's `async with cm as v:` does, from an async-function
 * coroutine: enter (awaiting `aenter()`), run the body, exit with the body's exception, if
 * any (awaiting `aexit(exc)`). Resolves with the body's result, or undefined when the
 * manager's exit swallowed the exception (typed `R` for a manager whose exit is typed
 * never to swallow, as `asyncWith`). A synchronous context manager (`enter`/`exit`)
 * is Python's `with` inside a coroutine.
 *
 * @throws what the body throws unless the manager swallows it; what the manager throws.
 * @example
 * await withAsync(timeout(1), async () => { await awaitable(sleep(5)); }); // TimeoutError
 * asyncio: async with
 */
export function withAsync<V, R>(
  cm: { aenter(): Coro<V>; aexit(exc?: unknown): Coro<false | undefined | void> } | { enter(): V; exit(exc?: unknown): false | undefined | void },
  body: (value: V) => PromiseLike<R> | R,
): Promise<R>;
export function withAsync<V, R>(cm: AsyncContextManager<V> | ContextManager<V>, body: (value: V) => PromiseLike<R> | R): Promise<R | undefined>;
export async function withAsync<V, R>(cm: AsyncContextManager<V> | ContextManager<V>, body: (value: V) => PromiseLike<R> | R): Promise<R | undefined> {
  const isAsync = typeof (cm as AsyncContextManager<V>).aenter === 'function';
  const value = isAsync ? await awaitable((cm as AsyncContextManager<V>).aenter()) : (cm as ContextManager<V>).enter();
  const exit = (exc: unknown): PromiseLike<boolean | undefined | void> | boolean | undefined | void =>
    isAsync ? awaitable((cm as AsyncContextManager<V>).aexit(exc)) : (cm as ContextManager<V>).exit(exc);
  let result: R;
  try {
    result = await body(value);
  } catch (thrown) {
    // As asyncWith: the manager sees what the body's frame would raise.
    const e = _asException(thrown);
    let swallowed: boolean | undefined | void;
    try {
      swallowed = await exit(e);
    } catch (thrownInExit) {
      const x = _asException(thrownInExit);
      chain(x, e);
      throw x;
    }
    if (!swallowed) throw e;
    return undefined;
  }
  await exit(undefined);
  return result;
}
