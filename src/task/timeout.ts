// timeout() / timeoutAt(): an async context manager that cancels the task when its
// deadline passes and turns that cancellation into TimeoutError.
// asyncio: timeouts.Timeout / timeout / timeout_at

import { CancelledError, RuntimeError, TimeoutError } from '../errors/exceptions.js';
import { ExceptionGroup } from '../errors/exception-group.js';
import { formatFixed } from '../format/percent-format.js';
import { pyFloat, pyTypeName, reprSymbol } from '../format/py-repr.js';
import type { Handle } from '../events/handle.js';
import { getRunningLoop } from '../events/running-loop.js';
import type { AsyncContextManager } from './context-manager.js';
import { boundMethod } from '../format/named.js';
import type { Coro } from './coroutine.js';
import { currentTask } from './current-task.js';
import type { Task } from './task.js';
import { _setCause, _setContext } from '../errors/chaining.js';
import { _libraryCoroutineMethods } from './library-coroutine.js';

type State = 'created' | 'active' | 'expiring' | 'expired' | 'finished';

interface WithContext {
  __context__?: unknown;
}

/** Python's `round(x, 3)`: the exact value rounded half to even, back to a float. */
function round3(x: number): number {
  return Number(formatFixed(x, 3));
}

/**
 * A deadline for the code inside `asyncWith(timeout(...), body)`: when it passes, the
 * task is cancelled, and the cancellation leaves the block as TimeoutError.
 * Use `timeout()` or `timeoutAt()` to create one.
 * asyncio: asyncio.Timeout
 */
export class Timeout implements AsyncContextManager<Timeout> {
  #state: State = 'created';
  #handler: Handle | undefined;
  #task: Task<unknown> | undefined;
  #when: number | undefined;
  #cancelling = 0;

  /** A timeout at loop time `when` (undefined: never). */
  constructor(when: number | undefined | null) {
    this.#when = when ?? undefined;
  }

  /** Return the deadline (loop time), or undefined. asyncio: Timeout.when */
  when(): number | undefined {
    return this.#when;
  }

  /**
   * Move the deadline (undefined: never); a deadline already past fires on the next
   * iteration.
   *
   * @throws RuntimeError `Timeout has not been entered` / `Cannot change state of … Timeout`.
   * @throws TypeError `'<=' not supported between instances of 'str' and 'float'` (and so on).
   * asyncio: Timeout.reschedule
   */
  reschedule(when: number | undefined | null): void {
    if (this.#state !== 'active') {
      if (this.#state === 'created') throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this.#state} Timeout`);
    }
    this.#when = when ?? undefined;
    this.#handler?.cancel();
    if (when === undefined || when === null) {
      this.#handler = undefined;
    } else {
      const loop = getRunningLoop();
      if (typeof when !== 'number') throw new TypeError(`'<=' not supported between instances of '${pyTypeName(when)}' and 'float'`);
      this.#handler = when <= loop.time() ? loop.callSoon(this.#onTimeout) : loop.callAt(when, this.#onTimeout);
    }
  }

  /** Return whether the deadline passed while the block ran. asyncio: Timeout.expired */
  expired(): boolean {
    return this.#state === 'expiring' || this.#state === 'expired';
  }

  /** asyncio's repr: `<Timeout [active] when=5.0>`, `<Timeout [expired]>`. */
  toString(): string {
    const when = this.#state === 'active' ? ` when=${this.#when === undefined ? 'None' : pyFloat(round3(this.#when))}` : '';
    return `<Timeout [${this.#state}]${when}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  /**
   * @throws RuntimeError `Timeout has already been entered` / `Timeout should be used inside a task`.
   */
  *aenter(): Coro<Timeout> {
    if (this.#state !== 'created') throw new RuntimeError('Timeout has already been entered');
    const task = currentTask() as Task<unknown> | undefined;
    if (task === undefined) throw new RuntimeError('Timeout should be used inside a task');
    this.#state = 'active';
    this.#task = task;
    this.#cancelling = task.cancelling();
    this.reschedule(this.#when);
    return this;
  }

  *aexit(exc?: unknown): Coro<undefined> {
    this.#handler?.cancel();
    this.#handler = undefined;
    if (this.#state === 'expiring') {
      this.#state = 'expired';
      if (this.#task!.uncancel() <= this.#cancelling && exc !== undefined) {
        if (exc instanceof CancelledError) {
          const te = new TimeoutError();
          _setCause(te, exc);
          _setContext(te, exc);
          throw te;
        }
        insertTimeoutError(exc);
        if (exc instanceof ExceptionGroup) for (const e of exc.exceptions) insertTimeoutError(e);
      }
    } else if (this.#state === 'active') {
      this.#state = 'finished';
    }
    return undefined;
  }

  // An arrow, so the handle calls it bound; named as asyncio's method for reprs.
  #onTimeout = boundMethod('Timeout._on_timeout', (): void => {
    this.#task!.cancel();
    this.#state = 'expiring';
    this.#handler = undefined;
  });
}
_libraryCoroutineMethods(Timeout.prototype, { aenter: 'Timeout.__aenter__', aexit: 'Timeout.__aexit__' });

// asyncio 3.13: put a TimeoutError between an exception and the CancelledError in its
// __context__ chain, so tracebacks show that the deadline caused it.
function insertTimeoutError(exc: unknown): void {
  let e = exc as WithContext;
  while (e.__context__ !== undefined && e.__context__ !== null) {
    if (e.__context__ instanceof CancelledError) {
      const te = new TimeoutError();
      _setCause(te, e.__context__);
      _setContext(te, e.__context__);
      _setContext(e, te);
      break;
    }
    e = e.__context__ as WithContext;
  }
}

/**
 * Return a Timeout `delay` seconds from now (undefined: no deadline).
 *
 * @throws RuntimeError `no running event loop`.
 * @throws TypeError `unsupported operand type(s) for +: 'float' and 'str'` (and so on).
 * @example yield* asyncWith(timeout(1.5), function* () { yield* work(); });
 * asyncio: asyncio.timeout
 */
export function timeout(delay: number | undefined | null): Timeout {
  const loop = getRunningLoop();
  if (delay === undefined || delay === null) return new Timeout(undefined);
  if (typeof delay !== 'number') throw new TypeError(`unsupported operand type(s) for +: 'float' and '${pyTypeName(delay)}'`);
  return new Timeout(loop.time() + delay);
}

/**
 * Return a Timeout at absolute loop time `when` (undefined: no deadline).
 * asyncio: asyncio.timeout_at
 */
export function timeoutAt(when: number | undefined | null): Timeout {
  return new Timeout(when);
}
