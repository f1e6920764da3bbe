// The simulated world as a whole, for test fixtures: whether anything simulated is still
// going on besides the loop's thread, and a reset to the state of a fresh process (no
// pending thread step, no socket, no thread but the main one, counters of default names, idents and
// process ids from the start, virtual time 0).
// asyncio: none (what a fresh Python process starts from)

import { _getRunningLoop, _resetThreadLoops } from '../events/running-loop.js';
import { _resetProcessIds, getIdent, MAIN_THREAD_IDENT } from '../runtime/thread-ident.js';
import { _liveThreadCount, _resetThreads } from './thread.js';
import { _resetExecutorCounter } from './thread-pool.js';
import { world } from '../runtime/world.js';
import { _resetContexts } from '../contextvars/context.js';
import { _resetSnapshots } from '../contextvars/snapshot.js';
import { _resetNetwork } from '../net/network.js';

/** @internal Whether nothing simulated is going on: no loop running, no thread but the main one, no step pending. */
export function _simulationIdle(): boolean {
  return _getRunningLoop() === undefined && getIdent() === MAIN_THREAD_IDENT && !world.hasEvents && _liveThreadCount() === 1;
}

/**
 * @internal Reset the simulated world to a fresh process's (the scheduling seed or tie
 * chooser, which is configuration, stays). Refused (returns false) while a loop runs or
 * from a simulated thread: the world's clock is a running loop's then.
 */
export function _resetSimulation(): boolean {
  if (_getRunningLoop() !== undefined || getIdent() !== MAIN_THREAD_IDENT) return false;
  const chooser = world._setTieChooser(undefined);
  world._reset();
  world._setTieChooser(chooser);
  _resetThreads();
  _resetThreadLoops();
  _resetExecutorCounter();
  _resetProcessIds();
  _resetContexts();
  _resetSnapshots();
  _resetNetwork();
  return true;
}
