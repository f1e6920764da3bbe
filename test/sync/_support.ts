// Helpers shared by the test/sync tests: Python's str() of a bool, one loop iteration,
// site-normalised reprs, `except X as e:` narrowing, and the three queue classes.

import {
  BrokenBarrierError, CancelledError, LifoQueue, PriorityQueue, Queue, repr, RuntimeError, sleep, type Coro,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';

/** Python's str() of a bool, for f-string-like log lines. */
export function py(b: boolean): string {
  return b ? 'True' : 'False';
}

/** `await asyncio.sleep(0)`: one loop iteration. */
export function* sleep0(): Coro<void> {
  yield* sleep(0);
}

/** repr() with source sites and ids normalised (see normaliseSites). */
export const r = (x: unknown): string => normaliseSites(repr(x));

/** A queue's str(), as CPython's `str(q)` / `f'{q}'`. */
export const s = (q: Queue<unknown>): string => String(q);

/** `except cls as e:` — return `e` narrowed to `cls`, rethrow anything else. */
export function expectType<E>(cls: new (...args: never[]) => E, e: unknown): E {
  if (!(e instanceof cls)) throw e;
  return e;
}

/** `except asyncio.CancelledError as e:` — rethrow anything else. */
export const asCancelled = (e: unknown): CancelledError => expectType(CancelledError, e);

/** `except RuntimeError as e:` — rethrow anything else. */
export const asRuntime = (e: unknown): RuntimeError => expectType(RuntimeError, e);

/** `except asyncio.BrokenBarrierError as e:` — rethrow anything else. */
export const asBroken = (e: unknown): BrokenBarrierError => expectType(BrokenBarrierError, e);

/** The queue classes, with their Python names, for tests run against each. */
export const CLASSES = [['Queue', Queue], ['LifoQueue', LifoQueue], ['PriorityQueue', PriorityQueue]] as const;
