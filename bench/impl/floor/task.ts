// The plain-JS floor, part 2: a Future with done callbacks scheduled through callSoon,
// a minimal generator driver (Task), sleep and gather — asyncio's semantics for these
// workloads (callbacks one iteration later, a bare yield = one iteration) and nothing
// more: no names, no registry of tasks, no cancellation bookkeeping beyond the basics.

import type { Cb, Gen } from '../../workloads/api.js';
import { type FloorLoop, runningLoop } from './loop.js';

const PENDING = 0;
const CANCELLED = 1;
const FINISHED = 2;

class Cancelled extends Error {}

/** A future: set once, callbacks scheduled with callSoon in registration order. */
export class FFuture<T> {
  state = PENDING;
  result: T | undefined = undefined;
  exc: unknown = undefined;
  callbacks: Cb[] | undefined = undefined;
  blocking = false;
  readonly loop: FloorLoop;

  constructor(loop: FloorLoop) {
    this.loop = loop;
  }

  done(): boolean {
    return this.state !== PENDING;
  }

  cancelled(): boolean {
    return this.state === CANCELLED;
  }

  setResult(value: T): void {
    if (this.state !== PENDING) throw new Error('invalid state');
    this.result = value;
    this.state = FINISHED;
    this.schedule();
  }

  setException(exc: unknown): void {
    if (this.state !== PENDING) throw new Error('invalid state');
    this.exc = exc;
    this.state = FINISHED;
    this.schedule();
  }

  cancel(): boolean {
    if (this.state !== PENDING) return false;
    this.state = CANCELLED;
    this.schedule();
    return true;
  }

  /** The outcome: the result, or throw the exception. */
  get(): T {
    if (this.state === CANCELLED) throw new Cancelled();
    if (this.exc !== undefined) throw this.exc;
    return this.result as T;
  }

  addDoneCallback(cb: Cb): void {
    if (this.state !== PENDING) this.loop.callSoon(cb, this);
    else if (this.callbacks === undefined) this.callbacks = [cb];
    else this.callbacks.push(cb);
  }

  private schedule(): void {
    const cbs = this.callbacks;
    if (cbs === undefined) return;
    this.callbacks = undefined;
    for (let i = 0; i < cbs.length; i++) this.loop.callSoon(cbs[i]!, this);
  }

  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new FutureIter(this);
  }
}

// The iterator behind `yield* future`: yield the future once while pending.
class FutureIter<T> implements Iterator<unknown, T, unknown> {
  fut: FFuture<T> | undefined;

  constructor(fut: FFuture<T>) {
    this.fut = fut;
  }

  next(): IteratorResult<unknown, T> {
    const fut = this.fut!;
    if (fut.state === PENDING) {
      fut.blocking = true;
      return { done: false, value: fut };
    }
    this.fut = undefined;
    return { done: true, value: fut.get() };
  }
}

/** A task: steps a generator; a yielded future wakes it, a bare yield is one iteration. */
export class FTask<T> extends FFuture<T> {
  readonly coro: Gen<T>;
  readonly stepCb: () => void;
  readonly wakeupCb: (f: FFuture<unknown>) => void;

  constructor(loop: FloorLoop, coro: Gen<T>) {
    super(loop);
    this.coro = coro;
    this.stepCb = () => this.step(undefined);
    this.wakeupCb = (f) => this.step(f.state === FINISHED && f.exc === undefined ? undefined : outcomeError(f));
    loop.callSoon(this.stepCb);
  }

  step(exc: unknown): void {
    const loop = this.loop;
    loop.currentTask = this;
    let r: IteratorResult<unknown, T>;
    try {
      r = exc === undefined ? this.coro.next() : this.coro.throw(exc);
    } catch (e) {
      loop.currentTask = undefined;
      if (e instanceof Cancelled) this.cancel();
      else this.setException(e);
      return;
    }
    loop.currentTask = undefined;
    if (r.done === true) {
      this.setResult(r.value);
      return;
    }
    const y = r.value;
    if (y === undefined) {
      loop.callSoon(this.stepCb);
    } else if (y instanceof FFuture && y.blocking) {
      y.blocking = false;
      y.addDoneCallback(this.wakeupCb);
    } else {
      loop.callSoon(() => this.step(new Error('Task got bad yield')));
    }
  }
}

function outcomeError(f: FFuture<unknown>): unknown {
  return f.state === CANCELLED ? new Cancelled() : f.exc;
}

function setResultUnlessCancelled(fut: FFuture<unknown>, value: unknown): void {
  if (fut.state === PENDING) fut.setResult(value);
}

/** asyncio.sleep: a bare yield for 0, else a timer completing a future. */
export function* sleep(delay: number): Gen<void> {
  if (delay <= 0) {
    yield;
    return;
  }
  const loop = runningLoop();
  const fut = new FFuture<void>(loop);
  const h = loop.callLater(delay, setResultUnlessCancelled, fut, undefined);
  try {
    return yield* fut;
  } finally {
    h.cancel();
  }
}

/** asyncio.gather over futures: the results in order, or the first exception. */
export function gather<T>(children: FFuture<T>[]): FFuture<T[]> {
  const outer = new FFuture<T[]>(children[0]!.loop);
  let left = children.length;
  const done = (f: FFuture<T>): void => {
    if (outer.state !== PENDING) return;
    if (f.state !== FINISHED || f.exc !== undefined) {
      outer.setException(outcomeError(f));
      return;
    }
    if (--left === 0) outer.setResult(children.map((c) => c.result as T));
  };
  for (const c of children) c.addDoneCallback(done);
  return outer;
}
