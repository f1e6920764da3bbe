// The processes' side of host crashes and restarts, and of a process killed (the
// network's side is net/host-faults.ts): which processes a crash ends, what a restart runs when given no
// main, and the stall report's line for each host down. docs/network.md, "Crashes and
// restarts", is the specification.
// asyncio: none (machines losing power and booting again)

import { RuntimeError, ValueError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';
import type { Host } from '../net/host.js';
import { bootHost, closeProcessSockets, crashHost } from '../net/host-faults.js';
import { _threadProcessId } from '../runtime/thread-ident.js';
import { world } from '../runtime/world.js';
import type { HostProcess } from './host-process.js';
import type { HostRunOptions } from './stepped-run.js';

/** Options of `Simulation.restart()`: asyncio.run's, and the new process's role. */
export interface RestartOptions extends HostRunOptions {
  /** Whether `run()` waits for the new process (default: as for the last one started on the host). */
  client?: boolean;
}

/** What a process started on a host runs: its main, asyncio.run's options, its role. */
export interface ProcessPlan {
  readonly main: () => Generator<unknown, unknown, unknown>;
  readonly options: HostRunOptions | undefined;
  readonly client: boolean;
}

/** The crashes and restarts of one Simulation's hosts. */
export class HostCrashes {
  // The last process started on each host, for a restart with no main given.
  readonly #started = new Map<Host, ProcessPlan>();
  // The stall notes of the hosts down (`host 'b' is down since t=…`), until their restart.
  readonly #downNotes = new Map<Host, () => string[]>();

  /** A process starts on `host` with `plan`. @throws ValueError when the host is down. */
  started(host: Host, plan: ProcessPlan): void {
    if (host._down) throw new ValueError(`host '${host.name}' is down: restart('${host.name}') brings it back`);
    this.#started.set(host, plan);
  }

  /**
   * Crash `host`: end its processes among `processes`, then its kernel (its sockets
   * vanish). Nothing happens to a host already down.
   * @throws RuntimeError from the code of one of its processes.
   */
  crash(host: Host, processes: readonly HostProcess<unknown>[]): void {
    if (host._down) return;
    const own = processes.find((p) => p.host === host && p.isAlive() && p.pid === _threadProcessId());
    if (own !== undefined) {
      throw new RuntimeError(`host '${host.name}' cannot crash from its own code (pid ${own.pid}): crash it from another host, a network timer (sim.network.at) or the test`);
    }
    for (const p of processes) if (p.host === host) p._crash();
    crashHost(host);
    const since = world.now;
    const note = (): string[] => [`host '${host.name}' is down since t=${pyFloat(since)} (crashed)`];
    this.#downNotes.set(host, note);
    world._stallNotes.add(note);
  }

  /**
   * Kill process `p` (`kill -9`), its host alive: it ends where it stands, and its
   * kernel closes its sockets. Nothing happens to a process that has ended.
   * @throws RuntimeError from the process's own code.
   */
  kill<T>(p: HostProcess<T>): void {
    if (!p.isAlive()) return;
    if (p.pid === _threadProcessId()) throw new RuntimeError(`the process on host '${p.name}' (pid ${p.pid}) cannot kill itself from its own code`);
    p._kill();
    closeProcessSockets(p.host, p.pid);
  }

  /**
   * Restart `host` (crashing it first if it runs): what the new process runs, `main` and
   * `options` or, with no main, the last process's plan.
   * @throws ValueError when there is no main to run.
   */
  restart(host: Host, processes: readonly HostProcess<unknown>[], main: ProcessPlan['main'] | undefined, options: RestartOptions | undefined): ProcessPlan {
    const last = this.#started.get(host);
    if (main === undefined && last === undefined) throw new ValueError(`no main to restart host '${host.name}' with: pass one`);
    this.crash(host, processes);
    bootHost(host);
    const note = this.#downNotes.get(host);
    if (note !== undefined) world._stallNotes.delete(note);
    this.#downNotes.delete(host);
    return {
      main: main ?? last!.main,
      options: main === undefined && options === undefined ? last!.options : options,
      client: options?.client ?? last?.client ?? false,
    };
  }
}
