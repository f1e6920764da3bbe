// PEP 479: a StopIteration escaping a coroutine's frame becomes a RuntimeError, so that it
// cannot pass for the coroutine's return (and, PEP 525, a StopIteration or
// StopAsyncIteration escaping an async generator's frame, for its end).
// asyncio: the interpreter's generator exit (_PyGen_SetStopIterationValue, gen_send_ex2)

import { _setCause, _setContext } from './chaining.js';
import { RuntimeError, StopAsyncIteration, StopIteration } from './exceptions.js';

/**
 * @internal Return what `thrown`, escaping a coroutine's frame, becomes: a StopIteration
 * (or subclass) is replaced by `RuntimeError('coroutine raised StopIteration')` whose
 * cause and context are the StopIteration (so its traceback says "The above exception was
 * the direct cause…"); anything else is returned as it is.
 */
export function _escapeCoroutine(thrown: unknown): unknown {
  if (!(thrown instanceof StopIteration)) return thrown;
  const err = new RuntimeError('coroutine raised StopIteration');
  _setCause(err, thrown);
  _setContext(err, thrown);
  return err;
}

/**
 * @internal Return what `thrown`, escaping an async generator's frame, becomes: a
 * StopIteration or StopAsyncIteration (or subclass) is replaced by `RuntimeError('async
 * generator raised StopIteration')` (or `…StopAsyncIteration`) caused by it; anything
 * else is returned as it is.
 */
export function _escapeAsyncGenerator(thrown: unknown): unknown {
  const kind = thrown instanceof StopIteration ? 'StopIteration' : thrown instanceof StopAsyncIteration ? 'StopAsyncIteration' : undefined;
  if (kind === undefined) return thrown;
  const err = new RuntimeError(`async generator raised ${kind}`);
  _setCause(err, thrown);
  _setContext(err, thrown);
  return err;
}
