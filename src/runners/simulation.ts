// Several hosts in one simulation, in turmoil's shape: add hosts with their addresses,
// set the latencies, start a process on a host (`host()` for a server, `client()` for
// one `run()` waits for), and run them on the one virtual clock. The program's own main
// thread (a test, or a program on the default host) drives them: they go on whenever it
// waits. docs/network.md, "Several hosts", is the specification.
// asyncio: none (several machines, each running its own asyncio program)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { RuntimeError, StalledError, ValueError } from '../errors/exceptions.js';
import { _getRunningLoop } from '../events/running-loop.js';
import { _rootMainThread, currentThread } from '../executor/thread.js';
import { pyFloat } from '../format/py-repr.js';
import type { Host } from '../net/host.js';
import { traceFault } from '../net/net-trace.js';
import { network } from '../net/network.js';
import { _setMachineClockLookup } from '../runtime/process-clock.js';
import { world } from '../runtime/world.js';
import { HostCrashes, type ProcessPlan, type RestartOptions } from './host-crashes.js';
import { HostError } from './host-error.js';
import { checkClockOptions, type ClockOptions } from '../net/host-clock.js';
import { HostProcess } from './host-process.js';
import type { HostRunOptions } from './stepped-run.js';
import { NetworkControls } from './network-controls.js';

/** Options of `new Simulation()`: the network's latencies, in seconds, and its seed. */
export interface SimulationOptions {
  /** One-way latency between two different hosts (default 0.001). */
  latency?: number;
  /** One-way latency from a host to itself (default 0). */
  loopbackLatency?: number;
  /** The seed of the latencies and losses drawn on links with a model (default 0). */
  seed?: number;
}

/**
 * Options of `Simulation.host()` and `client()`: asyncio.run's keyword arguments, and the
 * host's clock (set as `setClock()` does; any offset when `host()` adds the host).
 */
export type HostOptions = HostRunOptions & { clock?: ClockOptions };

/** Options of `Simulation.addHost()`: its addresses (default: the first free `10.0.0.N`, `fd00::N`) and its clock. */
export interface AddHostOptions {
  ipv4?: readonly string[];
  ipv6?: readonly string[];
  /** The host's clock from now on (any offset: a machine's clock is where it is). */
  clock?: ClockOptions;
}

// A simulated thread's sleep lasts seconds of its host's clock (runtime/process-clock.ts).
_setMachineClockLookup(() => network.current.clock);

/**
 * Several hosts on the simulated network, each running its own asyncio program. There is
 * one network per world: a Simulation is a handle on it (its hosts and latencies), plus
 * the processes started through it.
 *
 * Each host has a clock (`setClock`, `addHost(name, { clock })`): a loop on a host reads
 * the global virtual time through the host's offset and rate, and its timers run on it,
 * while the wire's latencies stay global (docs/network.md, "Clocks"). The default host
 * keeps the global clock.
 *
 * @example
 * const sim = new Simulation({ latency: 0.01 });
 * sim.host('server', serverMain);
 * const client = sim.client('client', clientMain);
 * sim.run();
 * console.log(client.result());
 * asyncio: none (two machines, one asyncio.run(main()) each)
 */
export class Simulation extends NetworkControls {
  readonly #processes: HostProcess<unknown>[] = [];
  // Processes whose main() raised, in the order they ended, not yet reported by run().
  readonly #failures: HostProcess<unknown>[] = [];
  // A crash is the test's doing, not the program's failure: run() does not report it.
  readonly #onEnd = (p: HostProcess<unknown>): void => {
    if (p.exitcode === 1) this.#failures.push(p);
  };
  readonly #crashes = new HostCrashes();

  /** @throws TypeError / ValueError for a latency that is not a finite number >= 0. */
  constructor(options?: SimulationOptions) {
    super();
    if (options?.latency !== undefined) this.latency = options.latency;
    if (options?.loopbackLatency !== undefined) this.loopbackLatency = options.loopbackLatency;
    if (options?.seed !== undefined) network.seed = checkNumber(options.seed, 'the seed must be an integer', Number.isInteger);
  }

  /**
   * Add a host named `name` with its addresses; with none given, the first free of
   * `10.0.0.N` and `fd00::N` (N from 1).
   * With an options object instead of the addresses: its addresses and its clock
   * (docs/network.md, "Clocks").
   * @throws ValueError for a name or an address already taken, or an address that is no IP literal.
   * @throws TypeError / ValueError for a bad clock (see `setClock`).
   */
  addHost(name: string, options?: AddHostOptions): Host;
  addHost(name: string, ipv4?: readonly string[], ipv6?: readonly string[]): Host;
  addHost(name: string, ipv4OrOptions?: readonly string[] | AddHostOptions, ipv6?: readonly string[]): Host {
    if (ipv4OrOptions === undefined || isAddressList(ipv4OrOptions)) return this.#addHost(name, ipv4OrOptions, ipv6);
    const clock = ipv4OrOptions.clock;
    if (clock !== undefined) checkClockOptions(clock);
    const host = this.#addHost(name, ipv4OrOptions.ipv4, ipv4OrOptions.ipv6);
    if (clock !== undefined) host.clock.set(clock, world.now, true, name);
    return host;
  }

  #addHost(name: string, ipv4: readonly string[] | undefined, ipv6: readonly string[] | undefined): Host {
    if (ipv4 !== undefined || ipv6 !== undefined) return network.addHost(name, ipv4 ?? [], ipv6 ?? []);
    let n = 1;
    while (network.isTaken(`10.0.0.${n}`) || network.isTaken(`fd00::${n.toString(16)}`)) n++;
    return network.addHost(name, [`10.0.0.${n}`], [`fd00::${n.toString(16)}`]);
  }

  /**
   * Crash host `h` now: every process on it ends where it stands, running none of its
   * code again (no `finally`, no loop close; its threads are gone too), with exit code -9
   * and `HostCrashed` as its outcome; its sockets vanish without sending anything. Until
   * `restart(h)`, peers hear nothing from it: their TCP packets wait (and are answered
   * with a RST once it is back), a connect to it times out on its SYN retries, datagrams
   * to it are lost. A host already down stays down. docs/network.md, "Crashes and restarts".
   * @throws ValueError for an unknown host or the default one (the program's own process runs there).
   * @throws RuntimeError from the code of a process on `h` (it cannot crash its own machine).
   */
  crash(h: Host | string): void {
    const host = this.#faultyHost(h);
    this.#crashes.crash(host, this.#processes);
    traceFault(`crash ${host.name}`, host);
  }

  /**
   * Kill process `p` now, as `kill -9` does, its machine alive: it ends where it stands,
   * as in a crash (exit code -9, no `finally`, its threads gone), with `ProcessKilled` as
   * its outcome, and its kernel closes its sockets (a FIN each, or a RST when received
   * data was unread). Nothing happens to a process that has ended.
   * @throws RuntimeError from the process's own code.
   */
  kill<T>(p: HostProcess<T>): void {
    const alive = p.isAlive();
    this.#crashes.kill(p);
    if (alive) traceFault(`kill ${p.name} pid ${p.pid}`, p.host);
  }

  /**
   * Restart host `h` now (a running host is crashed first: turmoil's bounce): it comes
   * back at the same addresses with a fresh kernel (its descriptors and ports free, the
   * old connections unknown: their packets are answered with a RST), and a new process
   * runs `asyncio.run(main())` there. With no `main`, the last one started on the host,
   * with its options and role.
   * @throws ValueError for an unknown host, the default one, or no main to run.
   */
  restart<T = unknown>(h: Host | string, main?: () => Generator<unknown, T, unknown>, options?: RestartOptions): HostProcess<T> {
    const host = this.#faultyHost(h);
    const plan = this.#crashes.restart(host, this.#processes, main, options);
    traceFault(`restart ${host.name}`, host);
    return this.#start(host.name, plan.main as () => Generator<unknown, T, unknown>, plan.options, plan.client);
  }

  #faultyHost(h: Host | string): Host {
    const host = this._host(h);
    if (host === network.defaultHost) throw new ValueError(`the default host 'localhost' cannot crash or restart: the program's own process runs there`);
    return host;
  }

  /**
   * Start a server process on host `name` (added, with automatic addresses, if no host
   * has that name): its main thread runs `asyncio.run(main())` there, from the current
   * virtual time on. `run()` does not wait for it.
   * @throws TypeError when `main` is not a function.
   */
  host<T>(name: string, main: () => Generator<unknown, T, unknown>, options?: HostOptions): HostProcess<T> {
    return this.#start(name, main, options, false);
  }

  /** Start a client process on host `name`, as `host()` does: `run()` waits for it. */
  client<T>(name: string, main: () => Generator<unknown, T, unknown>, options?: HostOptions): HostProcess<T> {
    return this.#start(name, main, options, true);
  }

  #start<T>(name: string, main: () => Generator<unknown, T, unknown>, options: HostOptions | undefined, client: boolean): HostProcess<T> {
    const clock = options?.clock;
    let host = network.getHost(name);
    if (host === undefined) host = this.addHost(name, { clock });
    else if (clock !== undefined) this.setClock(host, clock);
    this.#crashes.started(host, { main: main as ProcessPlan['main'], options, client });
    const onEnd = this.#onEnd as (p: HostProcess<T>) => void;
    const p = new HostProcess<T>(host, main, { debug: options?.debug, client }, onEnd);
    this.#processes.push(p as HostProcess<unknown>);
    return p;
  }

  /** The processes started through this simulation, in the order they started. */
  get processes(): readonly HostProcess<unknown>[] {
    return this.#processes;
  }

  /**
   * Run the hosts from the program's main thread (no loop running there) until every
   * client's process has ended (with no client: every process), or, with a `timeout`,
   * until that many virtual seconds have passed (then it returns, as a `join(timeout)`
   * does: check `done()`). The servers still running stay where they are: they go on
   * when the simulation goes on.
   * @throws HostError at the first process whose main() raised (not yet reported).
   * @throws StalledError when every process waits and nothing can ever wake one, naming what each waits for.
   * @throws RuntimeError from a running loop or a simulated thread; TypeError / ValueError for a bad timeout.
   */
  run(options?: { timeout?: number | null }): void {
    if (_getRunningLoop() !== undefined) {
      throw new RuntimeError('Simulation.run() cannot be called from a running event loop: await the processes\' futures (wrapFuture(p.future)) instead');
    }
    if (currentThread() !== _rootMainThread()) throw new RuntimeError('Simulation.run() must be called from the main thread of the main process');
    const timeout = options?.timeout ?? undefined;
    if (timeout !== undefined) checkNumber(timeout, 'the timeout must be a finite number of seconds >= 0', finiteNonNegative);
    const deadline = timeout === undefined ? Infinity : world.now + timeout;
    // The processes waited for are counted at each step: a restart during the run adds one.
    const over = (): boolean => {
      if (this.#failures.length > 0) return true;
      const clients = this.#processes.some((p) => p.client);
      return this.#processes.every((p) => (clients && !p.client) || p.done());
    };
    if (!world.runUntil(deadline, over)) {
      if (!world.hasEvents) throw new StalledError(this.#stallMessage());
      // The time is up: the clock stands at the deadline, as after a wait.
      world.now = deadline;
    }
    const failed = this.#failures.shift();
    if (failed !== undefined) throw new HostError(failed.name, failed.pid, failed.future.exception());
  }

  #stallMessage(): string {
    return [
      `the simulation stalled at t=${pyFloat(world.now)}: every process waits, and nothing can ever wake one`,
      ...world._stallLines(),
      'complete or cancel what waits, or schedule what would wake it',
    ].join('\n');
  }
}

function isAddressList(x: readonly string[] | AddHostOptions): x is readonly string[] {
  return Array.isArray(x);
}

