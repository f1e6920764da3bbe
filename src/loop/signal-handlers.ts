// A loop's signal handlers: each signal the loop handles has a process-level handler
// that hands the signal to the loop, which queues the callback's handle and wakes its
// selector (CPython's wakeup fd and self-pipe). Main thread only, as in CPython.
// asyncio: unix_events._UnixSelectorEventLoop.add_signal_handler / remove_signal_handler / _handle_signal

import { OSError, RuntimeError, ValueError } from '../errors/exceptions.js';
import { named } from '../format/named.js';
import { repr } from '../format/py-repr.js';
import type { Callback } from '../events/abstract-loop.js';
import { Handle } from '../events/handle.js';
import { defaultIntHandler, isValidSignal, SIG_DFL, signal } from '../runtime/signals.js';
import { getIdent, MAIN_THREAD_IDENT } from '../runtime/thread-ident.js';
import type { EventLoop } from './event-loop.js';

const SIGINT = 2;

/**
 * @internal Check a signal number as add/remove_signal_handler do.
 * @throws TypeError `sig must be an int, not …`; ValueError `invalid signal number …`.
 */
export function checkSignal(sig: unknown): asserts sig is number {
  if (typeof sig !== 'number' || !Number.isInteger(sig)) throw new TypeError(`sig must be an int, not ${repr(sig)}`);
  if (!isValidSignal(sig)) throw new ValueError(`invalid signal number ${sig}`);
}

/** @internal The signal handlers of one loop. */
export class SignalHandlers {
  readonly #loop: EventLoop;
  // Queue a signal's handle in the loop and wake it (nothing once the loop is closed).
  readonly #deliver: (handle: Handle) => void;
  readonly #handlers = new Map<number, Handle>();

  constructor(loop: EventLoop, deliver: (handle: Handle) => void) {
    this.#loop = loop;
    this.#deliver = deliver;
  }

  /**
   * Handle `sig` with `callback(...args)` (the caller checked the signal and the loop).
   * @throws RuntimeError from another thread than the main one, or `sig 9 cannot be caught`.
   */
  add(sig: number, callback: Callback, args: unknown[]): void {
    if (getIdent() !== MAIN_THREAD_IDENT) throw new RuntimeError('set_wakeup_fd only works in main thread of the main interpreter');
    const handle = new Handle(callback, args, this.#loop);
    this.#handlers.set(sig, handle);
    try {
      // The process-level handler hands the signal to the loop, as the wakeup fd does.
      signal(sig, named('_sighandler_noop', (signum: number) => this.#handle(signum)));
    } catch (e) {
      this.#handlers.delete(sig);
      if (e instanceof OSError && e.errno === 22) throw new RuntimeError(`sig ${sig} cannot be caught`);
      throw e;
    }
  }

  /** Stop handling `sig`, giving it back its default handler; return whether it was handled. */
  remove(sig: number): boolean {
    if (!this.#handlers.delete(sig)) return false;
    signal(sig, sig === SIGINT ? defaultIntHandler : SIG_DFL);
    return true;
  }

  /** The signals handled now. */
  signals(): number[] {
    return [...this.#handlers.keys()];
  }

  // asyncio: _UnixSelectorEventLoop._handle_signal, then _add_callback_signalsafe.
  #handle(sig: number): void {
    const handle = this.#handlers.get(sig);
    if (handle === undefined) return;
    if (handle._cancelled) this.#loop.removeSignalHandler(sig);
    else this.#deliver(handle);
  }
}
