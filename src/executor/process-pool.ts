// ProcessPoolExecutor: jobs run as in child processes. They cannot reach the parent's
// loops (no loop is running or set there, and using a parent loop object fails), and
// their arguments and results cross the process boundary by copy (structured clone,
// standing for pickling).
// asyncio: concurrent.futures.ProcessPoolExecutor

import { pyTypeName } from '../format/py-repr.js';
import { _inChildProcess } from '../events/running-loop.js';
import { _asChildProcess } from '../runtime/thread-ident.js';
import { checkMaxWorkers, getCpuCount, ThreadPoolExecutor } from './thread-pool.js';

// Only plain data crosses the process boundary here: JavaScript cannot rebuild a class
// instance, a function or a loop in another process (Python pickles classes by name).
function checkPicklable(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`cannot pickle '${pyTypeName(value)}' object`);
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) checkPicklable(v, seen);
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      checkPicklable(k, seen);
      checkPicklable(v, seen);
    }
  } else if (value instanceof Set) {
    for (const v of value) checkPicklable(v, seen);
  } else if (value instanceof Error || value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value)) {
    return;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new TypeError(`cannot pickle '${pyTypeName(value)}' object`);
    for (const v of Object.values(value)) checkPicklable(v, seen);
  }
}

// Copy a value across the process boundary, as pickling would.
function pickle<T>(value: T): T {
  checkPicklable(value);
  return structuredClone(value);
}

/**
 * An executor whose jobs run as in separate processes (default workers: the simulated
 * CPU count). Jobs are plain functions; their arguments and results are copied.
 *
 * @throws ValueError `max_workers must be greater than 0`.
 * asyncio: concurrent.futures.ProcessPoolExecutor
 */
export class ProcessPoolExecutor extends ThreadPoolExecutor {
  constructor(options?: number | null | { maxWorkers?: number | null }) {
    // Anything but an options object is max_workers itself, checked as Python checks it.
    const o = typeof options === 'object' && options !== null ? options : { maxWorkers: options ?? undefined };
    const max = checkMaxWorkers(o.maxWorkers ?? getCpuCount());
    super({ maxWorkers: max });
  }

  /** @internal */
  override _invoke(fn: (...args: unknown[]) => unknown, args: readonly unknown[]): unknown {
    const copied = pickle([...args]);
    const result = _asChildProcess(() => _inChildProcess(() => fn(...copied)));
    if (typeof result === 'object' && result !== null && typeof (result as Generator).next === 'function') {
      throw new TypeError('a process pool job must be a plain function, not a generator function');
    }
    return pickle(result);
  }
}
