// The error Simulation.run() raises when a host's main() raised: it names the host and
// the process, and holds the exception as its cause.
// asyncio: none (a Python process whose main raised prints its traceback and exits with 1)

import { RuntimeError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';

/**
 * A host's `main()` raised `cause` (Simulation.run() reports it at once).
 *
 * @example
 * try { sim.run(); } catch (e) { if (e instanceof HostError) console.log(e.host, e.cause); }
 * asyncio: none (aiosim's simulation)
 */
export class HostError extends RuntimeError {
  /** The host's name. */
  readonly host: string;
  /** The process id of the host's process. */
  readonly pid: number;

  constructor(host: string, pid: number, cause: unknown) {
    super(`host '${host}' (pid ${pid}) failed: ${repr(cause)}`, { cause });
    this.host = host;
    this.pid = pid;
  }
}
