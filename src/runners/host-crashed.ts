// The outcome of a host's process that its host's crash ended: it ran none of its code
// after that instant, and its exit code is -9, a process killed by SIGKILL.
// asyncio: none (multiprocessing reports such a process by its exitcode, -signal.SIGKILL)

import { RuntimeError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';

/**
 * The host of a process crashed (`Simulation.crash()`): what its `result()` raises and
 * its `future` holds. `Simulation.run()` does not report it as a failure.
 *
 * @example
 * sim.crash('server');
 * server.exception(); // HostCrashed: host 'server' (pid 2) crashed at t=1.5
 * asyncio: none (aiosim's simulation)
 */
export class HostCrashed extends RuntimeError {
  /** The host's name. */
  readonly host: string;
  /** The process id of the process that ended. */
  readonly pid: number;
  /** The virtual time of the crash. */
  readonly time: number;

  constructor(host: string, pid: number, time: number) {
    super(`host '${host}' (pid ${pid}) crashed at t=${pyFloat(time)}`);
    this.host = host;
    this.pid = pid;
    this.time = time;
  }
}
