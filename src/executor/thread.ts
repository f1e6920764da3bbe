// Simulated threads: a body that runs on the virtual clock, taking turns with the
// loop's thread. A plain-function body is atomic: it runs at once when its turn comes,
// and the blockingSleep calls it makes only delay its end (and the thread-safe calls it
// makes after them). A generator body interleaves: each `yield* blockingSleep(s)` or
// `yield* <blocking wait>` gives the turn away until it can go on (anything else it
// yields, a bare `yield`, goes on at once, in the same turn).
// asyncio: threading.Thread / get_ident / current_thread / main_thread

import { RuntimeError, StalledError, ValueError } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { pyTypeName } from '../format/py-repr.js';
import { _tracer } from '../log/trace-hook.js';
import { _forgetThreadLoop } from '../events/running-loop.js';
import {
  _joinProcess, _leaveProcess, _processMainIdent, _setCurrentThreadIdent, _threadProcessId, getIdent, MAIN_THREAD_IDENT,
  ProcessCounter,
} from '../runtime/thread-ident.js';
import {
  _excepthookAtCreation, _getExcepthook, _invokeExcepthook, _setExcepthook, defaultExcepthook, type ExceptHook,
} from './excepthook.js';
import { world } from '../runtime/world.js';
import { _forgetThreadContext } from '../contextvars/context.js';

/** What a generator thread body yields through `yield*` to give its turn away. */
export interface WaitRequest {
  readonly kind: 'aiosim.wait';
  /** Go on once this is true (undefined: only the time matters). */
  readonly until: (() => boolean) | undefined;
  /** Go on at this time at the latest (undefined: no limit). */
  readonly deadline: number | undefined;
}

/** A thread body: a plain function (atomic) or a generator function (interleaving). */
export type ThreadTarget = (...args: any[]) => unknown;

/** Options of `new Thread()`, Python's keyword arguments. */
export interface ThreadOptions {
  target?: ThreadTarget | null;
  name?: string | null;
  args?: readonly unknown[] | null;
  daemon?: boolean | null;
}

// asyncio: threading._counter, a module global: one per (simulated) process.
const threadCounter = new ProcessCounter();
let nextIdent = MAIN_THREAD_IDENT + 1;
// The threads started and not finished (threading._active): a finished thread is
// forgotten, so a long run keeps no trace of the threads it started.
const threads = new Map<number, Thread>();
// Generator threads suspended in a wait, woken by wakeWaiters() when their condition holds.
const waiting = new Set<{ thread: Thread; until: () => boolean; resume: () => void }>();

function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}

// Resume a generator body until it yields a wait request (returned) or returns
// (undefined). A loop, not a recursion: a body may yield bare millions of times.
function advance(gen: Generator<unknown, unknown, unknown>): WaitRequest | undefined {
  for (;;) {
    const r = gen.next();
    if (r.done === true) return undefined;
    const request = r.value as WaitRequest | null | undefined;
    if (request?.kind === 'aiosim.wait') return request;
  }
}

/**
 * A simulated thread. `start()` schedules its body at the current virtual time; it runs
 * when the loop's thread next waits.
 *
 * @example
 * const t = new threading.Thread({ target: function* work() { yield* blockingSleep(1); } });
 * t.start();
 * asyncio: threading.Thread
 */
export class Thread {
  /** The thread's name (`Thread-N (target)` by default). */
  name: string;
  readonly daemon: boolean;
  #ident: number | undefined;
  // Dropped once run() returns, as CPython's Thread.run drops them.
  #target: ThreadTarget | undefined;
  #args: readonly unknown[];
  // The hook used if threading.excepthook is None when the body fails.
  readonly #excepthook: ExceptHook;
  // A generator body's turn after a wait, made once per thread.
  #resume: (() => void) | undefined;
  #started = false;
  #alive = false;
  // Its process was killed (its host crashed): its pending turns do nothing.
  #killed = false;
  /** @internal Virtual time an atomic body has slept and not yet lived through. */
  _debt = 0;
  /** @internal Whether the body is a generator (it can give its turn away). */
  _interleaving = false;
  /** @internal When the sleeping done in the current turn ends (traces show the thread busy until then). */
  _busyUntil: number | undefined;

  constructor(options: ThreadOptions = {}) {
    this.#target = options.target ?? undefined;
    this.#args = options.args ?? [];
    this.daemon = options.daemon === true;
    // asyncio: threading._newname — only unnamed threads take a number.
    if (options.name) {
      this.name = String(options.name);
    } else {
      const n = threadCounter.next();
      this.name = options.target?.name ? `Thread-${n} (${options.target.name})` : `Thread-${n}`;
    }
    this.#excepthook = _excepthookAtCreation();
  }

  /** @internal The main thread, which the loop runs on. */
  static _main(): Thread {
    const t = new Thread({ name: 'MainThread' });
    t.#ident = MAIN_THREAD_IDENT;
    t.#started = true;
    t.#alive = true;
    threads.set(MAIN_THREAD_IDENT, t);
    return t;
  }

  /**
   * @internal The main thread of a new process (a host's): alive, with a fresh ident,
   * until `_processMainEnded()`. Its driver runs its turns (runners/host-process.ts).
   */
  static _processMain(): Thread {
    const t = new Thread({ name: 'MainThread' });
    t.#ident = nextIdent++;
    t.#started = true;
    t.#alive = true;
    t._isProcessMain = true;
    threads.set(t.#ident, t);
    return t;
  }

  /** @internal Whether this is the main thread of a host's process. */
  _isProcessMain = false;

  /** @internal A process main thread's driver ended it: forget it, wake its joiners. */
  _processMainEnded(): void {
    this.#alive = false;
    threads.delete(this.#ident!);
    _forgetThreadLoop(this.#ident!);
    _forgetThreadContext(this.#ident!);
    wakeWaiters();
  }

  /**
   * @internal Its process was killed (its host crashed): the thread is gone where it
   * stands, running none of its code again (no finally), and is forgotten at once.
   */
  _kill(): void {
    if (!this.#alive) return;
    this.#killed = true;
    this.#alive = false;
    this.#resume = undefined;
    for (const entry of waiting) if (entry.thread === this) waiting.delete(entry);
    threads.delete(this.#ident!);
    _leaveProcess(this.#ident!);
    _forgetThreadLoop(this.#ident!);
    _forgetThreadContext(this.#ident!);
  }

  /** The thread's identity once started (`threading.get_ident()` inside it). */
  get ident(): number | undefined {
    return this.#ident;
  }

  /** Return whether the thread started and has not finished. asyncio: Thread.is_alive */
  isAlive(): boolean {
    return this.#alive;
  }

  /**
   * Start the thread: its body runs at the current virtual time, when the loop's
   * thread next waits.
   * @throws RuntimeError `threads can only be started once`.
   * asyncio: Thread.start
   */
  start(): void {
    if (this.#started) throw new RuntimeError('threads can only be started once');
    this.#started = true;
    this.#alive = true;
    this.#ident = nextIdent++;
    // A thread belongs to the process of the thread that started it.
    _joinProcess(this.#ident, _threadProcessId());
    threads.set(this.#ident, this);
    world.schedule(world.now, () => this.#turn('start', () => this.#begin()), this.#ident);
  }

  /**
   * Override to give the thread a body (Python's Thread.run). The default calls the
   * target with the arguments, then drops both (a generator body keeps what it uses).
   */
  run(): unknown {
    try {
      return this.#target?.(...this.#args);
    } finally {
      this.#target = undefined;
      this.#args = [];
    }
  }

  // One turn of the thread, as traces see it (a thread's steps are only visible to them).
  #turn(phase: 'start' | 'resume', body: () => void): void {
    if (this.#killed) return;
    if (_tracer === undefined) {
      body();
      return;
    }
    this._busyUntil = undefined;
    _tracer.threadTurn(this, phase);
    try {
      body();
    } finally {
      _tracer?.threadTurn(this, 'end');
    }
  }

  #begin(): void {
    let body: unknown;
    const ok = this.#within(() => {
      body = this.run();
    });
    if (ok && isGenerator(body)) {
      const gen = body;
      this._interleaving = true;
      this.#resume = () => this.#turn('resume', () => this.#step(gen));
      this.#step(gen);
    } else {
      this.#finishAfterDebt();
    }
  }

  // Run `fn` as this thread (the current thread is restored on every path); hand an
  // exception to threading.excepthook, on this thread, as CPython does.
  #within(fn: () => void): boolean {
    const previous = getIdent();
    _setCurrentThreadIdent(this.#ident!);
    try {
      fn();
      return true;
    } catch (e) {
      // The thrown-value rule first: `throw undefined` reaches the hook as a TypeError.
      _invokeExcepthook(this, _asException(e), this.#excepthook);
      return false;
    } finally {
      _setCurrentThreadIdent(previous);
    }
  }

  // One turn of a generator body: resume it until it waits or ends, then follow the
  // request it yielded.
  #step(gen: Generator<unknown, unknown, unknown>): void {
    let request: WaitRequest | undefined;
    const ok = this.#within(() => {
      request = advance(gen);
    });
    if (!ok || request === undefined) {
      this.#finishAfterDebt();
      return;
    }
    const resume = this.#resume!;
    // Time slept in atomic stretches is lived through first.
    const at = world.now + this._debt;
    this._debt = 0;
    this._busyUntil = at;
    if (request.until === undefined) {
      world.schedule(request.deadline === undefined ? at : Math.max(at, request.deadline), resume, this.#ident);
      return;
    }
    const entry = { thread: this as Thread, until: request.until, resume: () => world.schedule(Math.max(at, world.now), resume, this.#ident) };
    if (request.until()) {
      entry.resume();
      return;
    }
    waiting.add(entry);
    if (request.deadline !== undefined) {
      world.schedule(request.deadline, () => {
        if (waiting.delete(entry)) entry.resume();
      }, this.#ident);
    }
  }

  #finishAfterDebt(): void {
    const end = (): void => {
      if (this.#killed) return;
      this.#alive = false;
      this.#resume = undefined;
      threads.delete(this.#ident!);
      _leaveProcess(this.#ident!);
      _forgetThreadLoop(this.#ident!);
      _forgetThreadContext(this.#ident!);
      wakeWaiters();
    };
    if (this._debt > 0) {
      const at = world.now + this._debt;
      this._debt = 0;
      this._busyUntil = at;
      world.schedule(at, end, this.#ident);
    } else {
      end();
    }
  }

  /**
   * Wait until the thread finishes (at most `timeout` seconds). On the loop's thread and
   * in atomic stretches the call blocks at once (the loop goes on meanwhile unless the
   * caller is the loop's own thread); in a generator body, `yield* t.join()` gives the
   * turn away until then.
   * @throws RuntimeError `cannot join current thread` / `cannot join thread before it is started`.
   * @throws TypeError for a timeout that is not a number; ValueError `Invalid value NaN (not a number)`.
   * asyncio: Thread.join
   */
  join(timeout?: number | null): Blocking<void> {
    if (!this.#started) throw new RuntimeError('cannot join thread before it is started');
    if (this.#ident === getIdent()) throw new RuntimeError('cannot join current thread');
    if (timeout !== undefined && timeout !== null) {
      // Python's join takes max(timeout, 0), then the lock's acquire refuses NaN.
      if (typeof timeout !== 'number') throw new TypeError(`'>' not supported between instances of 'int' and '${pyTypeName(timeout)}'`);
      if (Number.isNaN(timeout)) throw new ValueError('Invalid value NaN (not a number)');
    }
    return block(() => !this.#alive, timeout ?? undefined, () => undefined, `thread ${this.name} to finish`, 'yield');
  }

  /** @internal Block until the thread finishes, at once, whatever the calling thread. */
  _joinNow(): void {
    if (this.#ident === getIdent()) throw new RuntimeError('cannot join current thread');
    block(() => !this.#alive, undefined, () => undefined, `thread ${this.name} to finish`, 'now');
  }

  /** Wait until the thread finishes, giving the turn away: `yield* thread` in a generator body. */
  *[Symbol.iterator](): Generator<WaitRequest, void, unknown> {
    yield* block(() => !this.#alive, undefined, () => undefined, `thread ${this.name} to finish`, 'yield');
  }

  toString(): string {
    const state = !this.#started ? 'initial' : this.#alive ? 'started' : 'stopped';
    return `<Thread(${this.name}, ${state}${this.daemon ? ' daemon' : ''}${this.#ident === undefined ? '' : ` ${this.#ident}`})>`;
  }
}

const mainThreadObject = Thread._main();

/** @internal A condition some generator thread may wait for changed: wake those it holds for. */
export function wakeWaiters(): void {
  for (const entry of [...waiting]) {
    if (entry.until()) {
      waiting.delete(entry);
      entry.resume();
    }
  }
}

/** Return the thread running now. asyncio: threading.current_thread */
export function currentThread(): Thread {
  return threads.get(getIdent()) ?? mainThreadObject;
}

/**
 * @internal How far the running thread's own time is ahead of the world's: what an
 * atomic body has slept so far (0 on the main thread).
 */
export function _threadLag(): number {
  return getIdent() === MAIN_THREAD_IDENT ? 0 : currentThread()._debt;
}

/**
 * Return the main thread of the current process: the program's, or in a host's process
 * that process's own (the one running its `main()`). asyncio: threading.main_thread
 */
export function mainThread(): Thread {
  const ident = _processMainIdent();
  return ident === MAIN_THREAD_IDENT ? mainThreadObject : threads.get(ident) ?? mainThreadObject;
}

/** @internal The main process's main thread (the one that may block with no loop below it). */
export function _rootMainThread(): Thread {
  return mainThreadObject;
}

/**
 * The result of a blocking call. From the main thread or an atomic body, the call has
 * already blocked and its value is ready (`.value`); in a generator body,
 * `yield* blocking` gives the turn away until it can go on and evaluates to the value.
 */
export class Blocking<T> implements Iterable<WaitRequest> {
  readonly #request: WaitRequest | undefined;
  readonly #result: () => T;

  constructor(request: WaitRequest | undefined, result: () => T) {
    this.#request = request;
    this.#result = result;
  }

  /** The value, once the wait is over. */
  get value(): T {
    return this.#result();
  }

  *[Symbol.iterator](): Generator<WaitRequest, T, unknown> {
    if (this.#request !== undefined) yield this.#request;
    return this.#result();
  }
}

// A blocked thread's stall: what it waits for, and what the hosts wait for (if any).
function stallMessage(thread: Thread, what: string): string {
  return [`${thread.name} waits for ${what}, and nothing can ever make that happen`, ...world._stallLines()].join('\n');
}

/**
 * @internal Block the current thread until `until()` holds or `timeout` seconds pass,
 * then produce `result()`. With mode 'now' (a plain call: `fut.result()`), the thread
 * blocks at once, letting other threads run meanwhile (not the loop, if this is not
 * the loop's thread); with mode 'yield' in a generator body, it gets a request to
 * `yield*`, which gives its turn away (the loop can run).
 * @throws StalledError when nothing can ever make `until()` true.
 */
export function block<T>(until: () => boolean, timeout: number | undefined, result: () => T, what: string, mode: 'now' | 'yield'): Blocking<T> {
  const thread = currentThread();
  const deadline = timeout === undefined || timeout === null ? undefined : world.now + thread._debt + timeout;
  if (until()) return new Blocking(undefined, result);
  if (mode === 'yield' && thread !== mainThreadObject && thread._interleaving) {
    return new Blocking({ kind: 'aiosim.wait', until, deadline }, result);
  }
  if (thread === mainThreadObject) {
    // The loop's thread itself blocks: other threads run meanwhile, the loop waits.
    const stopped = world.runUntil(deadline ?? Infinity, until);
    if (!stopped) {
      if (deadline === undefined) throw new StalledError(stallMessage(thread, what));
      if (deadline > world.now) world.now = deadline;
    }
    return new Blocking(undefined, result);
  }
  // Another thread blocks in the middle of its turn. The loop, waiting in its selector
  // below on the stack, goes on as it would in CPython: whichever comes first, another
  // thread's step or the loop's next iteration, runs, until the wait is over.
  for (;;) {
    if (until()) break;
    const nextStep = world.nextTime() ?? Infinity;
    const loop = world._idleLoop;
    const nextLoop = loop === undefined ? Infinity : loop.nextWake();
    const next = Math.min(nextStep, nextLoop);
    if (deadline !== undefined && next > deadline) {
      if (deadline > world.now) world.now = deadline;
      break;
    }
    if (next === Infinity) throw new StalledError(stallMessage(thread, what));
    if (nextStep <= nextLoop) world.runNext();
    else loop!.iterate();
  }
  return new Blocking(undefined, result);
}

/**
 * Return the threads alive now (started and not finished), the main thread first, then
 * in the order they were started. A thread is listed from `start()` on, before its body
 * first runs, as in CPython (whose `start()` waits for the thread to begin).
 *
 * @example const others = threading.enumerate().filter((t) => t !== threading.mainThread());
 * asyncio: threading.enumerate
 */
export function enumerate(): Thread[] {
  const all = [...threads.values()];
  // Each process sees its own threads only.
  const pid = _threadProcessId();
  return all.length === 1 ? all : all.filter((t) => _threadProcessId(t.ident) === pid);
}

/** @internal Kill every thread of process `pid` but its main thread (its host crashed). */
export function _killProcessThreads(pid: number): void {
  for (const t of [...threads.values()]) if (!t._isProcessMain && _threadProcessId(t.ident) === pid) t._kill();
  wakeWaiters();
}

/** @internal How many simulated threads are alive, in every process (main threads included). */
export function _liveThreadCount(): number {
  return threads.size;
}

/**
 * @internal Forget every simulated thread but the main one, and start numbering default
 * names and idents afresh (test fixtures reset the simulated world between tests).
 */
export function _resetThreads(): void {
  // Only what was used is cleared (Map.clear() makes a new table in V8; see _resetProcessIds).
  if (threads.size !== 1 || threads.get(MAIN_THREAD_IDENT) !== mainThreadObject) {
    threads.clear();
    threads.set(MAIN_THREAD_IDENT, mainThreadObject);
  }
  if (waiting.size > 0) waiting.clear();
  threadCounter.reset();
  nextIdent = MAIN_THREAD_IDENT + 1;
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
}

/**
 * Simulated threads, as Python's `threading` module names them. `excepthook` is called
 * with an exception escaping a thread's body (assign a function to replace it, `null`
 * for Python's None); `__excepthook__` is the default.
 */
export const threading = {
  Thread,
  getIdent,
  currentThread,
  mainThread,
  enumerate,
  get excepthook(): ExceptHook | undefined {
    return _getExcepthook();
  },
  set excepthook(hook: ExceptHook | undefined | null) {
    _setExcepthook(hook);
  },
  __excepthook__: defaultExcepthook,
};
