// What a collection point does with the async generators CPython would free there: one
// left unfinished is finalised as CPython's collector finalises it, by its finalizer hook
// (the loop's: it schedules the generator's aclose() as a task) or, with none, by closing
// it in place. aiosim cannot see the program's references: at gcCollect() it frees every
// unfinished generator that nothing is running and no asyncFor loop iterates (see
// docs/divergences.md, "Collection timing").
// asyncio: _PyGen_Finalize (of an async generator), BaseEventLoop._asyncgen_finalizer_hook

import { repr } from '../format/py-repr.js';
import { _liveAsyncGens, type AsyncGeneratorObject } from '../task/async-generator.js';
import { _forgetAsyncGen } from '../task/async-gen-set.js';
import type { EventLoop } from './event-loop.js';
import { _unraisable } from './unraisable.js';

type Agen = AsyncGeneratorObject<unknown, never>;

// Free one generator: its finalizer, unless it was closed; else close it where it stands.
function free(agen: Agen): void {
  _forgetAsyncGen(agen);
  const finalizer = agen._finalizer;
  if (finalizer !== undefined && !agen._closed) {
    try {
      finalizer(agen);
    } catch (e) {
      _unraisable(repr(agen), e);
    }
    return;
  }
  const failure = agen._closeInPlace();
  if (failure !== undefined) _unraisable(repr(agen), failure);
}

/**
 * @internal The generators gcCollect() frees (unfinished, not running, not iterated by an
 * asyncFor loop), as reports in creation order.
 */
export function freedAsyncGens(): { seq: number; report: () => void }[] {
  const out: { seq: number; report: () => void }[] = [];
  for (const agen of _liveAsyncGens()) {
    if (agen._runningAsync || agen._heldBy > 0) continue;
    out.push({ seq: agen._seq, report: () => free(agen) });
  }
  return out;
}

/**
 * @internal `loop` closes: its finalizer would do nothing from now on, so the generators it
 * would finalise need no collection any more.
 */
export function _forgetLoopAsyncGens(loop: EventLoop): void {
  const finalizer = loop._asyncgenFinalizerHook;
  for (const agen of [..._liveAsyncGens()]) {
    if (agen._finalizer === finalizer && !agen._closed) _forgetAsyncGen(agen);
  }
}
