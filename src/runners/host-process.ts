// A host's process: a simulated process on a host of the network whose own main thread
// runs `asyncio.run(main())`, one loop iteration per world event (stepped-run.ts). It
// never holds the JavaScript stack while it waits, so any number of hosts go on side by
// side on the one virtual clock, whenever the program's main thread waits (its loop's
// selector, a blocking call, Simulation.run()). docs/network.md, "Several hosts".
// asyncio: multiprocessing.Process running asyncio.run(main()) on its own machine

import { InvalidStateError, ValueError } from '../errors/exceptions.js';
import { checkNumber } from '../errors/check-number.js';
import { ConcurrentFuture } from '../executor/concurrent-future.js';
import { _killProcessThreads, block, Thread } from '../executor/thread.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { Host } from '../net/host.js';
import { network } from '../net/network.js';
import { _newProcess, _setCurrentThreadIdent, getIdent } from '../runtime/thread-ident.js';
import { world } from '../runtime/world.js';
import { HostCrashed, ProcessKilled } from './host-crashed.js';
import { steppedRun, type HostRunOptions, type SteppedRun } from './stepped-run.js';

// Where the driver stands: an iteration is scheduled (a world event is due), running, or
// waiting for a wake-up (with, perhaps, a timer's event scheduled).
type State = 'scheduled' | 'running' | 'waiting' | 'done';

/**
 * A host's process, made by `Simulation.host()` or `Simulation.client()`: its main thread
 * runs `asyncio.run(main())` on the host. Its outcome is `future` (a concurrent future:
 * `yield* wrapFuture(p.future)` awaits it from a loop), or `join()` and `result()`.
 *
 * @example
 * const p = sim.client('client', main);
 * sim.run();
 * p.result(); // what main() returned
 * asyncio: multiprocessing.Process (with asyncio.run(main()) as its target)
 */
export class HostProcess<T = unknown> {
  /** The host it runs on. */
  readonly host: Host;
  /** Its process id (`os.getpid()` inside it): 2, 3, … in the order processes start. */
  readonly pid: number;
  /** Its main thread (`threading.main_thread()` inside it), which runs its loop. */
  readonly mainThread: Thread;
  /** Whether `Simulation.run()` waits for it (a client) or not (a server). */
  readonly client: boolean;
  /** What `main()` returned or raised, once the process has ended. */
  readonly future = new ConcurrentFuture<T>();
  // Invariant: at most one world event of the current #token is pending: the next
  // iteration ('scheduled'), or a timer's deadline while 'waiting' (none when the loop
  // waits for a wake-up only). An event whose token is stale (a wake-up came first, or the
  // process ended) does nothing.
  #state: State = 'scheduled';
  #token = 0;
  // The loop's next timer while 'waiting', in the host's time (Infinity: none): a change
  // of the host's clock moves the global instant it is due at.
  #wake = Infinity;
  readonly #onClock = (): void => {
    if (this.#state === 'waiting' && this.#wake !== Infinity) this.#wait(this.#wake);
  };
  // Killed, or its host crashed: it ended there (exit code -9).
  #killed = false;
  #crashed = false;
  #run: SteppedRun<T> | undefined;
  #loop: EventLoop | undefined;
  readonly #onEnd: (p: HostProcess<T>) => void;
  // A wake-up while waiting: the next iteration runs right after the step that woke the
  // loop (a delivery, a thread's call), before the other steps due now, as a loop waiting
  // in its selector returns at once.
  readonly #woken = (): void => {
    if (this.#state === 'waiting') this.#schedule(world.now, true);
  };
  // Its lines in a stall report: the host, then what its loop waits for.
  readonly #stallNote = (): string[] => {
    const waits = this.#loop === undefined ? ['no event loop yet'] : this.#loop._selector._describeWaits();
    return [`host '${this.name}' (pid ${this.pid}):`, ...waits.map((line) => `  ${line}`)];
  };

  /** @internal Start `main()` on `host` now (Simulation.host / client). */
  constructor(host: Host, main: () => Generator<unknown, T, unknown>, options: HostRunOptions & { client: boolean }, onEnd: (p: HostProcess<T>) => void) {
    if (typeof main !== 'function') throw new TypeError(`main must be a coroutine function, not ${typeof main}`);
    this.host = host;
    this.client = options.client;
    this.#onEnd = onEnd;
    this.mainThread = Thread._processMain();
    this.pid = _newProcess(this.mainThread.ident!);
    network._placeProcess(this.pid, host);
    this.future.setRunningOrNotifyCancel();
    world._stallNotes.add(this.#stallNote);
    host.clock._watchers.add(this.#onClock);
    this.#run = steppedRun(main, { debug: options.debug }, (loop) => {
      this.#loop = loop;
      loop._selector._onWake = this.#woken;
    });
    this.#schedule(world.now);
  }

  /** The host's name. */
  get name(): string {
    return this.host.name;
  }

  #schedule(at: number, urgent = false): void {
    const token = ++this.#token;
    this.#state = 'scheduled';
    const turn = (): void => {
      if (token === this.#token) this.#turn();
    };
    if (urgent) world.scheduleUrgent(turn, this.mainThread.ident);
    else world.schedule(at, turn, this.mainThread.ident);
  }

  // One step of the run, as the process's main thread: an iteration of its loop.
  #turn(): void {
    this.#state = 'running';
    const previous = getIdent();
    _setCurrentThreadIdent(this.mainThread.ident!);
    try {
      let next: IteratorResult<number, T>;
      try {
        next = this.#run!.next();
      } catch (e) {
        if (!this.#killed) this.#end(() => this.future.setException(e));
        return;
      }
      // It was killed during this iteration (a blocking call in it let the world's other
      // events run, a crash among them): the iteration's outcome is dropped.
      if (this.#killed) return;
      if (next.done === true) {
        const value = next.value;
        this.#end(() => this.future.setResult(value));
      } else {
        this.#wait(next.value);
      }
    } finally {
      _setCurrentThreadIdent(previous);
    }
  }

  // Between two iterations: go on at `wake` (at once when it is now), or at the first
  // wake-up (a thread-safe call, a watched socket becoming ready) if that comes earlier.
  // `wake` is in the host's time: a skewed host's is due at the first global instant its
  // clock reaches it (never earlier: the timer is due then, so the loop cannot spin).
  #wait(wake: number): void {
    const clock = this.host.clock;
    const now = world.now;
    if (wake <= (clock.skewed ? clock.local(now) : now)) {
      this.#schedule(now);
      return;
    }
    this.#wake = wake;
    const at = clock.skewed && wake !== Infinity ? clock.globalAt(wake, now) : wake;
    if (at === Infinity) {
      ++this.#token;
      this.#state = 'waiting';
      return;
    }
    this.#schedule(at);
    this.#state = 'waiting';
  }

  #end(settle: () => void): void {
    this.#state = 'done';
    ++this.#token;
    this.#run = undefined;
    if (this.#loop !== undefined) this.#loop._selector._onWake = undefined;
    // The process keeps its host: threads it left running stay there.
    this.mainThread._processMainEnded();
    world._stallNotes.delete(this.#stallNote);
    this.host.clock._watchers.delete(this.#onClock);
    settle();
    this.#onEnd(this);
  }

  /**
   * @internal Its host crashed now: the process ends where it stands, running none of
   * its code again (no `finally`, no cleanup: its run is dropped, its loop stays as it
   * was, never closed), and its threads are gone with it.
   */
  _crash(): void {
    if (this.#state === 'done') return;
    this.#crashed = true;
    this.#stop(new HostCrashed(this.name, this.pid, world.now));
  }

  /**
   * @internal It is killed now (`kill -9`), its machine alive: it ends as in a crash,
   * and its loop's descriptors are free (its sockets are the kernel's to close:
   * Simulation.kill).
   */
  _kill(): void {
    if (this.#state === 'done') return;
    const loop = this.#loop;
    this.#stop(new ProcessKilled(this.name, this.pid, world.now));
    // The kernel's side only: no callback of the loop runs.
    loop?._selector.close();
  }

  #stop(error: ProcessKilled): void {
    this.#killed = true;
    _killProcessThreads(this.pid);
    network._placeProcess(this.pid, undefined);
    this.#end(() => this.future.setException(error));
  }

  /** Whether its host's crash ended it (`exitcode` -9, as when it is killed). */
  get crashed(): boolean {
    return this.#crashed;
  }

  /** Return whether `main()` is still running (or its `asyncio.run` still finishing). asyncio: Process.is_alive */
  isAlive(): boolean {
    return this.#state !== 'done';
  }

  /** Return whether the process has ended. */
  done(): boolean {
    return this.#state === 'done';
  }

  /**
   * The exit code once ended: 0 when `main()` returned, 1 when it raised (Python prints
   * the traceback and exits with 1), -9 when it was killed or its host crashed (a
   * process killed by SIGKILL); undefined while it runs.
   * asyncio: Process.exitcode
   */
  get exitcode(): number | undefined {
    if (!this.done()) return undefined;
    if (this.#killed) return -9;
    return this.future.exception() === undefined ? 0 : 1;
  }

  /**
   * Return what `main()` returned.
   * @throws what `main()` raised (ProcessKilled when killed, HostCrashed when its host crashed); InvalidStateError `the process on host '…' is still running`.
   */
  result(): T {
    if (!this.done()) throw new InvalidStateError(`the process on host '${this.name}' is still running`);
    return this.future.result();
  }

  /**
   * Return what `main()` raised (undefined if it returned).
   * @throws InvalidStateError `the process on host '…' is still running`.
   */
  exception(): unknown {
    if (!this.done()) throw new InvalidStateError(`the process on host '${this.name}' is still running`);
    return this.future.exception();
  }

  /**
   * Wait until the process ends, at most `timeout` seconds: the calling thread blocks,
   * and everything else (the other hosts, their threads) goes on meanwhile.
   * @throws StalledError when nothing can ever end it; ValueError / TypeError for a bad timeout.
   * asyncio: Process.join
   */
  join(timeout?: number | null): void {
    if (timeout !== undefined && timeout !== null) checkNumber(timeout, 'join() needs a number of seconds', (n) => !Number.isNaN(n));
    if (this.mainThread.ident === getIdent()) throw new ValueError('a process cannot join itself');
    block(() => this.done(), timeout ?? undefined, () => undefined, `the process on host '${this.name}' (pid ${this.pid}) to end`, 'now');
  }

  toString(): string {
    // multiprocessing names a signal's exit code: exitcode=-SIGKILL.
    const state = this.done() ? `stopped exitcode=${this.#killed ? '-SIGKILL' : this.exitcode!}` : 'started';
    return `<HostProcess name='${this.name}' pid=${this.pid} ${state}>`;
  }
}
