// The timer callback behind sleep(): completes a future unless it was cancelled.
// asyncio: futures._set_result_unless_cancelled

import type { Future } from './future.js';

function setResultUnlessCancelled<T>(fut: Future<T>, result: T): void {
  if (fut.cancelled()) return;
  fut.setResult(result);
}
// Handle reprs name the callback as asyncio does ("_set_result_unless_cancelled() at …").
Object.defineProperty(setResultUnlessCancelled, 'name', { value: '_set_result_unless_cancelled' });

/** @internal */
export { setResultUnlessCancelled as _setResultUnlessCancelled };
