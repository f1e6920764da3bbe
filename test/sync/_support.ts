// Helpers shared by the test/sync tests: one loop iteration, site-normalised reprs,
// `except X as e:` for the sync errors, and the three queue classes.

import { BrokenBarrierError, LifoQueue, PriorityQueue, Queue, repr, sleep, type Coro } from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { expectType } from '../_support/python.js';

/** `await asyncio.sleep(0)`: one loop iteration. */
export function* sleep0(): Coro<void> {
  yield* sleep(0);
}

/** repr() with source sites and ids normalised (see normaliseSites). */
export const r = (x: unknown): string => normaliseSites(repr(x));

/** A queue's str(), as CPython's `str(q)` / `f'{q}'`. */
export const s = (q: Queue<unknown>): string => String(q);

/** `except asyncio.BrokenBarrierError as e:` — rethrow anything else. */
export const asBroken = (e: unknown): BrokenBarrierError => expectType(BrokenBarrierError, e);

/** The queue classes, with their Python names, for tests run against each. */
export const CLASSES = [['Queue', Queue], ['LifoQueue', LifoQueue], ['PriorityQueue', PriorityQueue]] as const;
