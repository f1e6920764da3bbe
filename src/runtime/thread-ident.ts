// Which (simulated) thread is running, and which (simulated) process it belongs to.
// aiosim runs in one JavaScript thread; simulated threads take turns on it, and this says
// whose turn it is. Debug mode's thread check compares it with the thread a loop runs on.
// Every thread belongs to a process: the main process (pid 1) unless it was started in a
// host's process (docs/network.md, "Several hosts"), whose own main thread runs its loop.
// asyncio: threading.get_ident, os.getpid (as used by BaseEventLoop._check_thread)

/** The identity of the main thread, on which loops usually run. */
export const MAIN_THREAD_IDENT = 1;

/** The id of the main process (the one a program that starts no host runs in). */
export const MAIN_PID = 1;

let current = MAIN_THREAD_IDENT;

/** Return the identity of the current simulated thread. asyncio: threading.get_ident */
export function getIdent(): number {
  return current;
}

/** @internal Switch the current simulated thread (the thread scheduler does this). */
export function _setCurrentThreadIdent(ident: number): void {
  current = ident;
}

// The process of each thread not in the main process (ident → pid), and the main thread
// of each process but the main one (pid → ident). Both empty while no host runs.
const threadPids = new Map<number, number>();
const processMains = new Map<number, number>();

// Process pool jobs run as in a child process: a different process id meanwhile.
let process = MAIN_PID;
let nextProcess = MAIN_PID + 1;

/** @internal Whether a child process job is running (so hot paths can skip the check). */
export let _inChild = false;

/**
 * @internal The process the thread `ident` (default: the current one) belongs to; a
 * process pool job counts as its worker thread's process here (its host's, say).
 */
export function _threadProcessId(ident: number = current): number {
  return threadPids.size === 0 ? MAIN_PID : threadPids.get(ident) ?? MAIN_PID;
}

/** Return the id of the (simulated) process running now; 1 is the main process. asyncio: os.getpid */
export function getProcessId(): number {
  return _inChild ? process : _threadProcessId();
}

/** @internal The main thread's identity in the process of the current thread. */
export function _processMainIdent(): number {
  return processMains.size === 0 ? MAIN_THREAD_IDENT : processMains.get(_threadProcessId()) ?? MAIN_THREAD_IDENT;
}

/** @internal A new process, whose main thread is `mainIdent`: its pid. */
export function _newProcess(mainIdent: number): number {
  const pid = nextProcess++;
  processMains.set(pid, mainIdent);
  threadPids.set(mainIdent, pid);
  return pid;
}

/** @internal The process `pid` ended: forget it (its threads forget themselves as they end). */
export function _endProcess(pid: number): void {
  const main = processMains.get(pid);
  processMains.delete(pid);
  if (main !== undefined) threadPids.delete(main);
  for (const counter of counters) counter._forget(pid);
}

/** @internal The thread `ident` starts in process `pid`. */
export function _joinProcess(ident: number, pid: number): void {
  if (pid !== MAIN_PID) threadPids.set(ident, pid);
}

/** @internal The thread `ident` ended. */
export function _leaveProcess(ident: number): void {
  threadPids.delete(ident);
}

/** @internal Number child processes from 2 again, and forget every process (test fixtures reset the simulation). */
export function _resetProcessIds(): void {
  nextProcess = MAIN_PID + 1;
  // Map.clear() makes a new table in V8: clear only what was used (fixtures reset the
  // world before and after every test, and property runs make thousands of tests).
  if (threadPids.size > 0) threadPids.clear();
  if (processMains.size > 0) processMains.clear();
  for (const counter of counters) counter._forget(undefined);
}

/** @internal Run `fn` as a new child process. */
export function _asChildProcess<T>(fn: () => T): T {
  const saved = process;
  const savedInChild = _inChild;
  process = nextProcess++;
  _inChild = true;
  try {
    return fn();
  } finally {
    process = saved;
    _inChild = savedInChild;
  }
}

const counters = new Set<ProcessCounter>();

/**
 * A module-level counter that each (simulated) process has its own copy of, as a Python
 * module global has (`Task-N`, `Thread-N`, `ThreadPoolExecutor-N`): the main process's
 * is a plain number, so a program that starts no host pays one map-size check.
 */
export class ProcessCounter {
  #main = 0;
  readonly #others = new Map<number, number>();

  constructor() {
    counters.add(this);
  }

  /** Add one to the current process's counter and return the new value. */
  next(): number {
    const pid = _threadProcessId();
    if (pid === MAIN_PID) return ++this.#main;
    const n = (this.#others.get(pid) ?? 0) + 1;
    this.#others.set(pid, n);
    return n;
  }

  /** Set the main process's counter back to 0 (the others go with their process). */
  reset(): void {
    this.#main = 0;
  }

  /** @internal Forget process `pid`'s counter (undefined: every process's but the main one). */
  _forget(pid: number | undefined): void {
    if (pid === undefined) {
      if (this.#others.size > 0) this.#others.clear();
    }
    else this.#others.delete(pid);
  }
}
