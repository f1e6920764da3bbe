// PEP 479: a StopIteration escaping a coroutine's frame becomes a RuntimeError, so that it
// cannot pass for the coroutine's return.
// asyncio: the interpreter's generator exit (_PyGen_SetStopIterationValue, gen_send_ex2)

import { _setCause, _setContext } from './chaining.js';
import { RuntimeError, StopIteration } from './exceptions.js';

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
