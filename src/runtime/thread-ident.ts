// Which (simulated) thread is running. aiosim runs in one JavaScript thread; simulated
// threads take turns on it, and this says whose turn it is. Debug mode's thread check
// compares it with the thread a loop runs on.
// asyncio: threading.get_ident (as used by BaseEventLoop._check_thread)

/** The identity of the main thread, on which loops usually run. */
export const MAIN_THREAD_IDENT = 1;

let current = MAIN_THREAD_IDENT;

/** Return the identity of the current simulated thread. asyncio: threading.get_ident */
export function getIdent(): number {
  return current;
}

/** @internal Switch the current simulated thread (the thread scheduler does this). */
export function _setCurrentThreadIdent(ident: number): void {
  current = ident;
}

// Process pool jobs run as in a child process: a different process id meanwhile.
let process = 1;
let nextProcess = 2;

/** @internal Whether a child process job is running (so hot paths can skip the check). */
export let _inChild = false;

/** Return the id of the (simulated) process running now; 1 is the main process. */
export function getProcessId(): number {
  return process;
}

/** @internal Number child processes from 2 again (test fixtures reset the simulation). */
export function _resetProcessIds(): void {
  nextProcess = 2;
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
