// The loop's selector on the virtual clock. It owns the loop's clock: waiting never
// blocks, it moves the clock to the end of the wait. While the loop waits, simulated
// threads take their turns, and a thread-safe call or a signal (wake()) ends the wait at
// that thread's time, as CPython's self-pipe does. advance()'s horizon and the manual
// time mode bound the jump; a wait that nothing can ever end is a stall, reported with
// what waits. A registered socket of the simulated network (src/net/) is watched: a
// delivery that makes it ready for its registered events ends the wait as a wake-up does,
// and select() returns every registration ready for its events, level-triggered, in
// ascending fd order (docs/network.md, "The selector"). The selector stands for the
// loop's epoll descriptor and self-pipe: it takes their three fds on the host.
// asyncio: selectors.DefaultSelector as selector_events.BaseSelectorEventLoop uses it

import { KeyError, RuntimeError, StalledError, ValueError } from '../errors/exceptions.js';
import { pyFloat, repr } from '../format/py-repr.js';
import { EVENT_READ, EVENT_WRITE, type FileObject, type ReadyEvent, type Selector, type SelectorKey } from '../events/selector.js';
import { logger } from '../log/asyncio-logger.js';
import { world, type ClockCell, type IdleLoop } from '../runtime/world.js';
import { allTasks } from '../task/current-task.js';
import type { Host } from '../net/host.js';
import { network } from '../net/network.js';
import type { Socket } from '../net/socket.js';
import type { EventLoop } from './event-loop.js';
import { nextUp } from '../runtime/doubles.js';

/** asyncio: base_events.MAXIMUM_SELECT_TIMEOUT, the longest wait _run_once asks for. */
export const MAXIMUM_SELECT_TIMEOUT = 24 * 3600;
// A timer further away than this many maximal waits can never be reached by iterating
// (CPython would sleep for millennia): the selector reports a stall instead.
const MAX_IDLE_ITERATIONS = 1e7;

const NO_EVENTS: readonly ReadyEvent[] = Object.freeze([]);

// How far simulated threads may run during a wait: its end, no further than advance()'s
// horizon; in manual time mode only what is due now.
function waitEnd(start: number, timeout: number | null, horizon: number | undefined, manual: boolean): number {
  const end = timeout === null ? Infinity : start + timeout;
  if (horizon !== undefined && end > horizon) return Math.max(horizon, start);
  return manual ? start : end;
}

// asyncio: selectors._fileobj_to_fd
function fileobjToFd(fileobj: FileObject): number {
  let fd: unknown = fileobj;
  if (typeof fileobj !== 'number') {
    fd = typeof (fileobj as { fileno?: unknown } | null)?.fileno === 'function' ? fileobj.fileno() : undefined;
    if (typeof fd !== 'number' || !Number.isInteger(fd)) throw new ValueError(`Invalid file object: ${repr(fileobj)}`);
  }
  if ((fd as number) < 0) throw new ValueError(`Invalid file descriptor: ${fd as number}`);
  return fd as number;
}

/** The selector of an EventLoop: see the header. */
export class VirtualSelector implements Selector {
  readonly #loop: EventLoop;
  #now: number;
  // Set by wake(): the wait in progress ends (the self-pipe).
  #woken = false;
  readonly #isWoken = (): boolean => this.#woken;
  // How a simulated thread blocked in its turn lets the waiting loop go on.
  readonly #idle: IdleLoop;
  readonly #logSlowSelector: boolean;
  readonly #keys = new Map<number, SelectorKey>();
  // The registered sockets by fd, and those whose readiness may have changed since the
  // last look (a socket stays here while it is ready: level-triggered).
  readonly #watched = new Map<number, Socket>();
  readonly #candidates = new Set<Socket>();
  // Told by a watched socket when its readiness may have changed.
  readonly #onChange = (sock: Socket): void => {
    this.#candidates.add(sock);
    if (this.#readyEvents(sock) !== 0) this.wake();
  };
  // The host and descriptors this selector stands for (epoll and the self-pipe's two ends).
  readonly #host: Host;
  readonly #fds: readonly number[];
  #closed = false;
  /** Manual time mode: outside a horizon, a wait never moves the clock (it stalls instead). */
  manual = false;
  /** advance()'s horizon: while set, the clock never moves past it. */
  horizon: number | undefined;
  /** Set when a wait stopped at the horizon (advance() is done once nothing is ready there). */
  reachedHorizon = false;
  /**
   * @internal Set for the loop of a host's process (runners/host-process.ts): the world
   * drives it, one iteration per world event, so its clock is the world's and a wait
   * runs nothing (the driver waited before the iteration).
   */
  _worldDriven = false;
  /** @internal Told when a wake-up comes (the driver of a world-driven loop schedules its next iteration). */
  _onWake: (() => void) | undefined;
  /** Where the world finds the current time while the loop runs on the main thread. */
  readonly clockCell: ClockCell = { get: () => this.#now, set: (t) => { this.#now = t; } };

  constructor(loop: EventLoop, start: number, idle: IdleLoop, logSlowSelector: boolean) {
    this.#loop = loop;
    this.#now = start;
    this.#idle = idle;
    this.#logSlowSelector = logSlowSelector;
    this.#host = network.current;
    this.#fds = [this.#host.allocFd(null), this.#host.allocFd(null), this.#host.allocFd(null)];
  }

  /** The loop's clock (the time of the main thread; the world's through the host's clock, for a host's loop). */
  get now(): number {
    if (!this._worldDriven) return this.#now;
    const clock = this.#host.clock;
    return clock.skewed ? clock.local(world.now) : world.now;
  }

  /** End the wait in progress, or the next one at once. asyncio: BaseSelectorEventLoop._write_to_self */
  wake(): void {
    this.#woken = true;
    this._onWake?.();
  }

  /**
   * Wait at most `timeout` seconds (null: until something happens), on the virtual clock.
   * @throws StalledError when the loop would wait forever, or for time the manual mode does not let pass.
   */
  select(timeout: number | null): readonly ReadyEvent[] {
    // A host's loop: its driver let the time pass before this iteration.
    if (this._worldDriven) {
      this.#woken = false;
      return this.#collect();
    }
    // A registered socket that is ready already: the wait is a zero-length one.
    if (timeout !== 0 && this.#candidates.size > 0 && this.#anyReady()) timeout = 0;
    const start = this.#now;
    const horizon = this.horizon;
    // Manual time mode: outside advance(), only what is due now may run.
    const manual = this.manual && horizon === undefined;
    // 1. Simulated threads and network deliveries take their turns up to the end of the
    // wait; a wake-up (a thread-safe call, a socket becoming ready) ends it.
    if (world.hasEvents && this.#runThreads(waitEnd(start, timeout, horizon, manual))) return this.#collect();
    // 2. The clock jumps to the end of the wait, within advance()'s horizon if one is set.
    if (horizon === undefined) this.#wait(start, timeout, manual);
    else if (this.#waitWithin(horizon, start, timeout)) return this.#collect();
    // 3. A timer the clock's precision cannot reach is made reachable.
    const loop = this.#loop;
    if (loop._ready.length === 0 && !loop._stopping) this.#escapePrecisionTrap(horizon);
    return this.#collect();
  }

  // The events of its registration `sock` is ready for (0: none, or not registered).
  #readyEvents(sock: Socket): number {
    const fd = sock._fd;
    if (fd < 0 || this.#watched.get(fd) !== sock) return 0;
    const wanted = this.#keys.get(fd)!.events;
    let mask = 0;
    if ((wanted & EVENT_READ) !== 0 && sock._readable()) mask |= EVENT_READ;
    if ((wanted & EVENT_WRITE) !== 0 && sock._writable()) mask |= EVENT_WRITE;
    return mask;
  }

  /** Whether a registered socket is ready for its events (the loop has I/O to process now). */
  hasReadyIO(): boolean {
    return this.#candidates.size > 0 && this.#anyReady();
  }

  #anyReady(): boolean {
    for (const sock of this.#candidates) if (this.#readyEvents(sock) !== 0) return true;
    return false;
  }

  // What is ready, in ascending fd order; sockets no longer ready leave the candidates.
  #collect(): readonly ReadyEvent[] {
    if (this.#candidates.size === 0) return NO_EVENTS;
    let events: [SelectorKey, number][] | undefined;
    for (const sock of this.#candidates) {
      const mask = this.#readyEvents(sock);
      if (mask === 0) {
        this.#candidates.delete(sock);
        continue;
      }
      (events ??= []).push([this.#keys.get(sock._fd)!, mask]);
    }
    if (events === undefined) return NO_EVENTS;
    if (events.length > 1) events.sort((a, b) => a[0].fd - b[0].fd);
    return events;
  }

  // Run the threads' steps due up to `limit`; true when a wake-up ended the wait.
  #runThreads(limit: number): boolean {
    this.#woken = false;
    const outer = world._idleLoop;
    // A thread that blocks during its turn may let the loop run meanwhile.
    world._idleLoop = this.#idle;
    try {
      return world.runUntil(limit, this.#isWoken);
    } finally {
      world._idleLoop = outer;
    }
  }

  // advance(): wait, but never past the horizon; true when the wait reached it.
  #waitWithin(horizon: number, start: number, timeout: number | null): boolean {
    if (timeout === 0) return false;
    if (timeout === null || start + timeout > horizon) {
      this.reachedHorizon = true;
      if (this.#now < horizon) this.#now = horizon;
      return true;
    }
    this.#now = Math.max(this.#now, start + timeout);
    return false;
  }

  // Wait `timeout`: a wait nothing can end is a stall, and so is any wait in manual mode.
  #wait(start: number, timeout: number | null, manual: boolean): void {
    const loop = this.#loop;
    if (manual && (timeout === null ? world.hasEvents : timeout >= loop._clockResolution)) {
      throw new StalledError(this.#manualStallMessage(timeout));
    }
    if (timeout === null || (timeout === MAXIMUM_SELECT_TIMEOUT && loop._scheduled[0]!._when - start > MAXIMUM_SELECT_TIMEOUT * MAX_IDLE_ITERATIONS)) {
      throw new StalledError(this.#stallMessage(timeout === null));
    }
    // Manual time: a wait shorter than the clock's resolution is no wait (the timer is due).
    if (manual) timeout = 0;
    // A thread that blocked inside its turn may have moved time past the wait's end:
    // time never goes back.
    if (timeout > 0) this.#now = Math.max(this.#now, start + timeout);
    if (this.#logSlowSelector && timeout >= 1.0 && loop.getDebug()) {
      // asyncio 3.4-3.7's debug log of long polls (no I/O events here: a timeout).
      logger.info('poll %.3f ms took %.3f ms: timeout', timeout * 1e3, timeout * 1e3);
    }
  }

  // Far from zero (around 1e9 with the default resolution), `time + clockResolution` is
  // `time` again, so a timer at exactly `time` is never due and the remaining wait rounds
  // to nothing: CPython's loop would spin forever. Move the clock to the next
  // representable time instead, which makes the timer due.
  #escapePrecisionTrap(horizon: number | undefined): void {
    const head = this.#loop._scheduled[0];
    if (head === undefined || head._cancelled) return;
    const clock = this.#now;
    if (head._when < clock + this.#loop._clockResolution) return;
    if (clock + Math.max(head._when - clock, 0) !== clock) return;
    const next = nextUp(clock);
    if (horizon !== undefined && next > horizon) this.reachedHorizon = true;
    else this.#now = next;
  }

  #stallMessage(noTimer: boolean): string {
    return this.#describeStall(
      noTimer
        ? `the event loop stalled at t=${pyFloat(this.#now)}: nothing is ready and no timer is scheduled, so nothing can ever wake it`
        : `the event loop stalled at t=${pyFloat(this.#now)}: the next timer is at t=${pyFloat(this.#loop._scheduled[0]!._when)}, too far away to ever be reached`,
      'complete or cancel what waits, or schedule what would wake it',
    );
  }

  #manualStallMessage(timeout: number | null): string {
    const now = this.#now;
    const timerAt = timeout === null ? Infinity : now + timeout;
    const threadAt = world.nextTime() ?? Infinity;
    const what = timerAt <= threadAt ? `the timer at t=${pyFloat(timerAt)}` : `a thread's next step at t=${pyFloat(threadAt)}`;
    const wait = Math.min(timerAt, threadAt) - now;
    return this.#describeStall(
      `the event loop would wait at t=${pyFloat(now)} for ${what}, but its time mode is 'manual': only loop.advance(seconds) moves its clock`,
      `advance the clock (loop.advance(${pyFloat(wait)}) gets there), or use the 'auto' time mode`,
    );
  }

  #describeStall(headline: string, advice: string): string {
    const lines = [headline];
    const awaited = this.#loop._awaited;
    if (awaited !== undefined) lines.push(`runUntilComplete() waits for ${repr(awaited)}`);
    // The hosts' processes wait too (docs/network.md, "Several hosts").
    lines.push(...this._describeWaits(), ...world._stallLines(), advice);
    return lines.join('\n');
  }

  /** @internal What the loop waits for, a stall's lines: its pending tasks and the sockets it watches. */
  _describeWaits(): string[] {
    const lines: string[] = [];
    const tasks = [...allTasks(this.#loop)];
    if (tasks.length === 0) {
      lines.push('no task is pending');
    } else {
      lines.push('pending tasks:');
      for (const t of tasks) lines.push(`  ${repr(t)}`);
    }
    const waits = this.#socketWaits();
    if (waits.length > 0) lines.push('sockets waited on:', ...waits);
    return lines;
  }

  // `  <socket.socket fd=6, …> to read`, for each registration of a socket.
  #socketWaits(): string[] {
    const lines: string[] = [];
    for (const key of this.#keys.values()) {
      const sock = this.#watched.get(key.fd);
      if (sock === undefined) continue;
      const what = [(key.events & EVENT_READ) !== 0 ? 'read' : '', (key.events & EVENT_WRITE) !== 0 ? 'write' : ''].filter((w) => w !== '').join(' and ');
      lines.push(`  ${repr(sock)} to ${what}`);
    }
    return lines;
  }

  // ---- registrations (asyncio: selectors._BaseSelectorImpl) ----------------------

  // asyncio: _BaseSelectorImpl._fileobj_lookup — a file object that lost its descriptor
  // is still found by identity.
  #fdOf(fileobj: FileObject): number {
    try {
      return fileobjToFd(fileobj);
    } catch (e) {
      for (const key of this.#keys.values()) if (key.fileobj === fileobj) return key.fd;
      throw e;
    }
  }

  register(fileobj: FileObject, events: number, data?: unknown): SelectorKey {
    if (!events || (events & ~(EVENT_READ | EVENT_WRITE)) !== 0) throw new ValueError(`Invalid events: ${repr(events)}`);
    const key: SelectorKey = { fileobj, fd: this.#fdOf(fileobj), events, data };
    if (this.#keys.has(key.fd)) throw new KeyError(`${repr(fileobj)} (FD ${key.fd}) is already registered`);
    this.#keys.set(key.fd, key);
    this.#watch(key);
    return key;
  }

  // Watch the socket behind a new registration (epoll_ctl ADD): it may be ready at once.
  #watch(key: SelectorKey): void {
    const sock = this.#host.socketAt(key.fd);
    if (sock === undefined) return;
    this.#watched.set(key.fd, sock);
    sock._watcher = this.#onChange;
    this.#candidates.add(sock);
  }

  #unwatch(fd: number): void {
    const sock = this.#watched.get(fd);
    if (sock === undefined) return;
    this.#watched.delete(fd);
    this.#candidates.delete(sock);
    if (sock._watcher === this.#onChange) sock._watcher = undefined;
  }

  unregister(fileobj: FileObject): SelectorKey {
    const fd = this.#fdOf(fileobj);
    const key = this.#keys.get(fd);
    if (key === undefined) throw new KeyError(`${repr(fileobj)} is not registered`);
    this.#keys.delete(fd);
    this.#unwatch(fd);
    return key;
  }

  modify(fileobj: FileObject, events: number, data?: unknown): SelectorKey {
    const key = this.#keys.get(this.#fdOf(fileobj));
    if (key === undefined) throw new KeyError(`${repr(fileobj)} is not registered`);
    if (events !== key.events) {
      this.unregister(fileobj);
      return this.register(fileobj, events, data);
    }
    if (data === key.data) return key;
    const changed: SelectorKey = { ...key, data };
    this.#keys.set(key.fd, changed);
    return changed;
  }

  getKey(fileobj: FileObject): SelectorKey {
    if (this.#closed) throw new RuntimeError('Selector is closed');
    const key = this.#keys.get(this.#fdOf(fileobj));
    if (key === undefined) throw new KeyError(`${repr(fileobj)} is not registered`);
    return key;
  }

  /** The registration of `fileobj`, if any. asyncio: selector.get_map().get(fileobj) */
  lookup(fileobj: FileObject): SelectorKey | undefined {
    try {
      return this.#keys.get(this.#fdOf(fileobj));
    } catch (e) {
      if (e instanceof ValueError) return undefined;
      throw e;
    }
  }

  close(): void {
    if (this.#closed) return;
    for (const fd of [...this.#watched.keys()]) this.#unwatch(fd);
    this.#keys.clear();
    this.#closed = true;
    for (const fd of this.#fds) this.#host.freeFd(fd);
  }
}
