// Synchronisation objects bind to the loop that first uses them.
// asyncio: mixins._LoopBoundMixin

import { RuntimeError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { _getRunningLoop } from '../events/running-loop.js';

/** The base of locks, events and queues: remembers the first running loop that uses it. */
export class LoopBound {
  #loop: AbstractEventLoop | undefined;

  /**
   * @internal Return the running loop, binding to it on first use.
   * @throws RuntimeError `<obj> is bound to a different event loop`.
   */
  _getLoop(): AbstractEventLoop {
    const loop = _getRunningLoop();
    this.#loop ??= loop;
    if (loop !== this.#loop) throw new RuntimeError(`${repr(this)} is bound to a different event loop`);
    if (loop === undefined) throw new RuntimeError('no running event loop');
    return loop;
  }
}
