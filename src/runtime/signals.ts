// Simulated signals: process-level handlers (Python's signal.signal), delivery now or
// at a virtual time, and the defaults (SIGINT raises KeyboardInterrupt in the main
// thread). Loops hook in through add_signal_handler.
// asyncio: signal (as asyncio's unix loop and Runner use it)

import { KeyboardInterrupt, OSError, SystemExit, ValueError } from '../errors/exceptions.js';
import { pyTypeName } from '../format/py-repr.js';
import { _setCurrentThreadIdent, getIdent, MAIN_THREAD_IDENT } from './thread-ident.js';
import { world } from './world.js';

/** A process-level signal handler, called with the signal number in the main thread. */
export type SignalHandler = (signum: number) => unknown;

/** Python's SIG_DFL: the default action. */
export const SIG_DFL = 0;
/** Python's SIG_IGN: ignore the signal. */
export const SIG_IGN = 1;

/** Python's signal.default_int_handler: raise KeyboardInterrupt. */
export const defaultIntHandler: SignalHandler = function default_int_handler() {
  throw new KeyboardInterrupt();
};

const SIGNALS = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGWINCH: 28,
} as const;

const handlers = new Map<number, SignalHandler | typeof SIG_DFL | typeof SIG_IGN>([[SIGNALS.SIGINT, defaultIntHandler]]);

/** Return whether `sig` is a signal number of this (Linux-like) system. asyncio: signal.valid_signals */
export function isValidSignal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= 64 && sig !== 32 && sig !== 33;
}

function check(sig: unknown): asserts sig is number {
  if (typeof sig !== 'number' || !Number.isInteger(sig)) throw new TypeError(`'${pyTypeName(sig)}' object cannot be interpreted as an integer`);
  if (!isValidSignal(sig)) throw new ValueError('signal number out of range');
}

/** Return the handler of `sig`. asyncio: signal.getsignal */
export function getsignal(sig: number): SignalHandler | typeof SIG_DFL | typeof SIG_IGN {
  check(sig);
  return handlers.get(sig) ?? SIG_DFL;
}

/**
 * Set the handler of `sig` (only from the main thread) and return the previous one.
 * @throws ValueError `signal only works in main thread of the main interpreter`.
 * @throws OSError `[Errno 22] Invalid argument` for SIGKILL and SIGSTOP, which cannot be caught.
 * asyncio: signal.signal
 */
export function signal(sig: number, handler: SignalHandler | typeof SIG_DFL | typeof SIG_IGN): SignalHandler | typeof SIG_DFL | typeof SIG_IGN {
  check(sig);
  if (getIdent() !== MAIN_THREAD_IDENT) throw new ValueError('signal only works in main thread of the main interpreter');
  if (sig === SIGNALS.SIGKILL || sig === SIGNALS.SIGSTOP) throw new OSError(22, 'Invalid argument');
  const previous = getsignal(sig);
  handlers.set(sig, handler);
  return previous;
}

/** Deliver `sig` now: its handler runs in the main thread. */
function deliver(sig: number): void {
  const handler = handlers.get(sig) ?? SIG_DFL;
  if (handler === SIG_IGN) return;
  const previous = getIdent();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
  try {
    if (handler === SIG_DFL) {
      // The default action ends the process: aiosim stands for that with SystemExit.
      throw new SystemExit(128 + sig);
    }
    handler(sig);
  } finally {
    _setCurrentThreadIdent(previous);
  }
}

/**
 * Send `sig` to this process now: from the main thread its handler runs at once; from
 * another thread it runs in the main thread at the next opportunity.
 * asyncio: signal.raise_signal
 */
export function raiseSignal(sig: number): void {
  check(sig);
  if (getIdent() === MAIN_THREAD_IDENT) deliver(sig);
  else world.schedule(world.now, () => deliver(sig));
}

/**
 * Deliver `sig` after `delay` seconds of virtual time, as if sent from outside (a Ctrl-C
 * at t=delay). The handler runs in the main thread then (while the loop waits).
 * An aiosim extra.
 */
export function scheduleSignal(sig: number, delay: number): void {
  check(sig);
  // Its own owner: signals from outside arriving at the same instant come in either order.
  world.schedule(world.now + delay, () => deliver(sig), {});
}

/** Simulated signals, as Python's `signal` module names them. */
export const signals = {
  ...SIGNALS,
  SIG_DFL,
  SIG_IGN,
  default_int_handler: defaultIntHandler,
  signal,
  getsignal,
  raiseSignal,
  scheduleSignal,
  isValidSignal,
};
