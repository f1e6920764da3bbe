// The outcomes of a host's process ended from outside: killed (`Simulation.kill()`, as by
// `kill -9`), or gone with its host (`Simulation.crash()`). It ran none of its code after
// that instant, and its exit code is -9, a process killed by SIGKILL.
// asyncio: none (multiprocessing reports such a process by its exitcode, -signal.SIGKILL)

import { RuntimeError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';

/**
 * A process was killed (`Simulation.kill()`): what its `result()` raises and its
 * `future` holds. `Simulation.run()` does not report it as a failure.
 *
 * @example
 * sim.kill(server);
 * server.exception(); // ProcessKilled: the process on host 'server' (pid 2) was killed at t=1.5
 * asyncio: none (aiosim's simulation)
 */
export class ProcessKilled extends RuntimeError {
  /** The host's name. */
  readonly host: string;
  /** The process id of the process that ended. */
  readonly pid: number;
  /** The virtual time it ended. */
  readonly time: number;

  constructor(host: string, pid: number, time: number, message?: string) {
    super(message ?? `the process on host '${host}' (pid ${pid}) was killed at t=${pyFloat(time)}`);
    this.host = host;
    this.pid = pid;
    this.time = time;
  }
}

/**
 * The host of a process crashed (`Simulation.crash()`): what its `result()` raises and
 * its `future` holds; a ProcessKilled. `Simulation.run()` does not report it as a failure.
 *
 * @example
 * sim.crash('server');
 * server.exception(); // HostCrashed: host 'server' (pid 2) crashed at t=1.5
 * asyncio: none (aiosim's simulation)
 */
export class HostCrashed extends ProcessKilled {
  constructor(host: string, pid: number, time: number) {
    super(host, pid, time, `host '${host}' (pid ${pid}) crashed at t=${pyFloat(time)}`);
  }
}
