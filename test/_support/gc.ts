// Garbage collection on demand for memory tests, without starting Node with
// --expose-gc: the flag is switched on at run time and `gc` taken from a fresh context.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gcNow = runInNewContext('gc') as () => void;

/** Run a full garbage collection (twice: the first may only queue finalisation). */
export function collectGarbage(): void {
  gcNow();
  gcNow();
}

/** The bytes in use after a full collection: the JavaScript heap plus external memory (ArrayBuffers). */
export function heapAfterGc(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/**
 * Wait for the current job to end: a WeakRef keeps its target alive until then, so a
 * test checking that something was collected awaits this before `collectGarbage()`.
 */
export function nextJob(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
