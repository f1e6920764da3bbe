// Barrier: tasks wait until `parties` of them arrived, then all go on together.
// asyncio: locks.Barrier

import { BrokenBarrierError, ValueError } from '../errors/exceptions.js';
import { objectId, reprSymbol } from '../format/py-repr.js';
import { asyncWith, type AsyncContextManager } from '../task/context-manager.js';
import type { Coro } from '../task/coroutine.js';
import { Condition } from './condition.js';
import { LoopBound } from './loop-bound.js';
import { pyLess } from './py-compare.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';

type State = 'filling' | 'draining' | 'resetting' | 'broken';

/**
 * A barrier for `parties` tasks: each `wait()` blocks until `parties` tasks are waiting,
 * then they all return (each with its arrival index). `reset()` and `abort()` make the
 * waiters fail with BrokenBarrierError.
 *
 * @throws ValueError `parties must be >= 1`; TypeError for missing parties or parties that
 * are not a number (`'<' not supported between instances of 'str' and 'int'`).
 * @example const index = yield* barrier.wait();
 * asyncio: asyncio.Barrier
 */
export class Barrier extends LoopBound implements AsyncContextManager<number> {
  readonly #cond = new Condition();
  readonly #parties: number;
  #state: State = 'filling';
  #count = 0;

  constructor(parties: number | { parties: number }) {
    super();
    const n = typeof parties === 'object' && parties !== null ? parties.parties : parties;
    if (n === undefined) throw new TypeError("Barrier.__init__() missing 1 required positional argument: 'parties'");
    // asyncio compares parties with 1: that is where None or a string fails.
    if (pyLess(n, 1)) throw new ValueError('parties must be >= 1');
    this.#parties = n;
  }

  /** asyncio's repr: `<asyncio.locks.Barrier object at 0x1 [filling, waiters:1/3]>`. */
  override toString(): string {
    let extra: string = this.#state;
    if (!this.broken) extra += `, waiters:${this.nWaiting}/${this.parties}`;
    return `<asyncio.locks.Barrier object at ${objectId(this)} [${extra}]>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  *aenter(): Coro<number> {
    return yield* this.wait();
  }

  *aexit(): Coro<undefined> {
    return undefined;
  }

  /**
   * Wait until `parties` tasks are waiting; return this task's arrival index
   * (0 to parties-1).
   * @throws BrokenBarrierError if the barrier is broken, reset or aborted meanwhile.
   * asyncio: Barrier.wait
   */
  *wait(): Coro<number> {
    const self = this;
    return (yield* asyncWith(this.#cond, function* () {
      yield* self.#block();
      try {
        const index = self.#count;
        self.#count++;
        if (index + 1 === self.#parties) self.#release();
        else yield* self.#wait();
        return index;
      } finally {
        self.#count--;
        self.#exit();
      }
    })) as number;
  }

  // Block while the barrier drains or resets.
  *#block(): Coro<void> {
    yield* this.#cond.waitFor(() => this.#state !== 'draining' && this.#state !== 'resetting');
    if (this.#state === 'broken') throw new BrokenBarrierError('Barrier aborted');
  }

  #release(): void {
    this.#state = 'draining';
    this.#cond.notifyAll();
  }

  *#wait(): Coro<void> {
    yield* this.#cond.waitFor(() => this.#state !== 'filling');
    if (this.#state === 'broken' || this.#state === 'resetting') throw new BrokenBarrierError('Abort or reset of barrier');
  }

  #exit(): void {
    if (this.#count === 0) {
      if (this.#state === 'resetting' || this.#state === 'draining') this.#state = 'filling';
      this.#cond.notifyAll();
    }
  }

  /**
   * Return the barrier to its initial state; tasks waiting now fail with
   * BrokenBarrierError. asyncio: Barrier.reset
   */
  *reset(): Coro<void> {
    const self = this;
    yield* asyncWith(this.#cond, function* () {
      if (self.#count > 0) {
        if (self.#state !== 'resetting') self.#state = 'resetting';
      } else {
        self.#state = 'filling';
      }
      self.#cond.notifyAll();
    });
  }

  /** Break the barrier: waiting and future `wait()`s fail. asyncio: Barrier.abort */
  *abort(): Coro<void> {
    const self = this;
    yield* asyncWith(this.#cond, function* () {
      self.#state = 'broken';
      self.#cond.notifyAll();
    });
  }

  /** The number of tasks needed to trip the barrier. asyncio: Barrier.parties */
  get parties(): number {
    return this.#parties;
  }

  /** The number of tasks waiting while filling. asyncio: Barrier.n_waiting */
  get nWaiting(): number {
    return this.#state === 'filling' ? this.#count : 0;
  }

  /** Whether the barrier is broken. asyncio: Barrier.broken */
  get broken(): boolean {
    return this.#state === 'broken';
  }
}
_libraryCoroutineMethods(Barrier.prototype, {
  aenter: 'Barrier.__aenter__', aexit: 'Barrier.__aexit__', wait: 'Barrier.wait', reset: 'Barrier.reset', abort: 'Barrier.abort',
});
