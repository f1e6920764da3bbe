// asyncio.sleep: a bare yield for delays <= 0, else a timer completing a future.
// Written as a hand-made coroutine object rather than a generator function: sleep is the
// most awaited coroutine there is, and this avoids a generator frame per call. Tracked
// like every coroutine aiosim makes (a dropped `sleep(1)` is reported as never awaited).
// asyncio: tasks.sleep

import { ValueError } from '../errors/exceptions.js';
import { objectId, pyTypeName, reprSymbol } from '../format/py-repr.js';
import { extractStack } from '../format/stack.js';
import { coroutineInfo, functionSource, type GeneratorInfo } from '../format/source-location.js';
import type { Future } from '../future/future.js';
import { _setResultUnlessCancelled } from '../future/set-result-unless-cancelled.js';
import type { TimerHandle } from '../events/handle.js';
import { _coroutineOriginTracking, getRunningLoop } from '../events/running-loop.js';
import type { Coro, Suspend } from './coroutine.js';
import { _coroutineThen } from './coroutine-await.js';
import { _markCoroutineFunction } from './tracked-coroutine.js';
import { inheritGeneratorPrototype } from '../future/generator-like.js';
import { _tracer } from '../log/trace-hook.js';
import { _trackUnawaited, _untrackUnawaited, type TrackedCoroutine, type UnawaitedRecord } from './unawaited.js';

const NOT_STARTED = 0;
const YIELDED = 1;
const AWAITING = 2;
const DONE = 3;

// Shared iterator results: nothing mutates them, and sleep(0) is the hottest await.
const BARE_YIELD: IteratorResult<Suspend, never> = { done: false, value: undefined };
const DONE_UNDEFINED: IteratorResult<never, undefined> = { done: true, value: undefined };

// A Generator by declaration merging, not `implements`: newer type libraries add members to
// Generator (`[Symbol.dispose]` with @types/node 24+), which the prototype chain supplies.
interface SleepCoroutine<T> extends Generator<Suspend, T, unknown> {}
/** The coroutine object `sleep()` returns (a generator in all but implementation). */
class SleepCoroutine<T> implements TrackedCoroutine {
  declare readonly __name__: string;
  // Its record as a never-started coroutine, only if it gets one (declared, not initialised:
  // sleep objects stay small).
  declare _uRec: UnawaitedRecord | undefined;
  readonly #delay: number;
  readonly #result: T;
  #state = NOT_STARTED;
  #await: Iterator<Suspend, T, unknown> | undefined;
  #handle: TimerHandle | undefined;

  constructor(delay: number, result: T) {
    this.#delay = delay;
    this.#result = result;
    // Origin tracking: where it was made, only while a debug loop runs (as CPython's).
    if (_coroutineOriginTracking()) _trackUnawaited(this, undefined, extractStack(), true);
    else _trackUnawaited(this, undefined, undefined, false);
  }

  next(): IteratorResult<Suspend, T> {
    switch (this.#state) {
      case NOT_STARTED: {
        _untrackUnawaited(this);
        const delay = this.#delay;
        if (typeof delay !== 'number') {
          this.#state = DONE;
          throw new TypeError(`'<=' not supported between instances of '${pyTypeName(delay)}' and 'int'`);
        }
        if (delay <= 0) {
          // asyncio: __sleep0, a bare yield: one loop iteration.
          this.#state = YIELDED;
          return BARE_YIELD;
        }
        if (Number.isNaN(delay)) {
          this.#state = DONE;
          throw new ValueError('Invalid delay: NaN (not a number)');
        }
        const loop = getRunningLoop();
        const future = loop.createFuture<T>();
        if (_tracer !== undefined) _tracer.futureRole(future, 'sleep');
        this.#handle = loop.callLater(delay, _setResultUnlessCancelled, future, this.#result);
        this.#await = (future as Future<T>)[Symbol.iterator]();
        this.#state = AWAITING;
        return this.#resume(() => this.#await!.next());
      }
      case AWAITING:
        return this.#resume(() => this.#await!.next());
      case YIELDED:
        this.#state = DONE;
        return this.#result === undefined ? (DONE_UNDEFINED as IteratorResult<Suspend, T>) : { done: true, value: this.#result };
      default:
        return DONE_UNDEFINED as IteratorResult<Suspend, T>;
    }
  }

  // The `try: return await future finally: h.cancel()` of asyncio.sleep.
  #resume(step: () => IteratorResult<Suspend, T>): IteratorResult<Suspend, T> {
    let r: IteratorResult<Suspend, T>;
    try {
      r = step();
    } catch (e) {
      this.#finish();
      throw e;
    }
    if (r.done === true) this.#finish();
    return r;
  }

  #finish(): void {
    this.#state = DONE;
    this.#handle!.cancel();
  }

  throw(e: unknown): IteratorResult<Suspend, T> {
    if (this.#state === AWAITING) return this.#resume(() => this.#await!.throw!(e));
    _untrackUnawaited(this);
    this.#state = DONE;
    throw e;
  }

  return(value: T): IteratorResult<Suspend, T> {
    _untrackUnawaited(this);
    if (this.#state === AWAITING) this.#finish();
    this.#state = DONE;
    return { done: true, value };
  }

  [Symbol.iterator](): this {
    return this;
  }

  // `await sleep(1)` in an async-function coroutine (aiosim/testing) awaits it.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return _coroutineThen(this, 'sleep', onFulfilled, onRejected);
  }

  toString(): string {
    return `<coroutine object sleep at ${objectId(this)}>`;
  }

  // Where CPython's repr points into asyncio/tasks.py, aiosim's points into this file: the
  // definition of sleep() before it starts and once done, the method that steps it while
  // it runs (`sleep() running at …/tasks.py:718` in CPython).
  [coroutineInfo](): GeneratorInfo {
    const running = this.#state === YIELDED || this.#state === AWAITING;
    const site = functionSource(running ? SleepCoroutine.prototype.next : sleep);
    return { name: 'sleep', closed: this.#state === DONE, site: site ?? '<unknown>:0' };
  }

  /** Python's repr: `<coroutine object sleep at 0x1>`. */
  [reprSymbol](): string {
    return `<coroutine object sleep at ${objectId(this)}>`;
  }
}
inheritGeneratorPrototype(SleepCoroutine);
// Reprs name the coroutine as asyncio does: `coro=<sleep() running at …>`.
Object.defineProperty(SleepCoroutine.prototype, '__name__', { value: 'sleep' });

/**
 * Suspend the calling task for `delay` seconds of virtual time, then return `result`.
 *
 * A delay of 0 or less gives up exactly one loop iteration (a bare yield), without a
 * timer or a future. A positive delay schedules a timer; cancelling the task cancels
 * the wait (and the timer).
 *
 * @throws ValueError `Invalid delay: NaN (not a number)`.
 * @throws TypeError for a delay that is not a number.
 * @throws RuntimeError `no running event loop` outside a running loop.
 * @example const v = yield* sleep(1.5, 'done'); // 'done', at t+1.5
 * asyncio: asyncio.sleep
 */
export function sleep<T = undefined>(delay: number, result?: T): Coro<T> {
  return new SleepCoroutine(delay, result as T);
}
_markCoroutineFunction(sleep);
