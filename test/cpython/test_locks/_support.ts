// CPython 3.13's Lib/test/test_asyncio/test_locks.py, ported behaviour by behaviour:
// one `it` per CPython test method (its title starts with the method's name), one file
// per CPython test class. Each test runs as CPython's IsolatedAsyncioTestCase runs it: as
// the main task of a debug-mode runner, and (as on CPython, checked on the oracle) with
// nothing logged on the 'asyncio' logger. Table: docs/cpython-tests/test_locks.md.
// This file: the helpers several of those classes share.

import { expect } from 'vitest';
import { asyncWith, Condition, createTask, Lock, Semaphore, Task, type Coro } from '../../../src/index.js';
import { assertRaises } from '../_support.js';

// CPython's STR_RGX_REPR: the shape every synchronisation primitive's repr has.
export const RGX_REPR = new RegExp(
  '^<(?<class>.*?) object at (?<address>.*?)' +
    '\\[(?<extras>' +
    '(set|unset|locked|unlocked|filling|draining|resetting|broken)' +
    '(, value:\\d)?' +
    '(, waiters:\\d+)?' +
    '(, waiters:\\d+\\/\\d+)?' +
    ')\\]>$',
);

/** `await obj` on an object that is not awaitable: Python's TypeError, JavaScript's too. */
export function* awaitNonAwaitable(obj: object): Coro<TypeError> {
  return yield* assertRaises(TypeError, obj as unknown as Coro<unknown>);
}

/** `create_task(c(n))` for each `n`, in order. */
export function spawn<T, const Ns extends readonly number[]>(c: (n: number) => Coro<T>, ...ns: Ns): { [K in keyof Ns]: Task<T> } {
  return ns.map((n) => createTask(c(n))) as { [K in keyof Ns]: Task<T> };
}

/** test_release_no_waiters (Lock, Semaphore): acquire() locks it; release() with no waiter unlocks it. */
export function* expectReleaseUnlocks(lock: Lock | Semaphore): Coro<void> {
  yield* lock.acquire();
  expect(lock.locked()).toBe(true);
  lock.release();
  expect(lock.locked()).toBe(false);
}

/** test_context_manager (Lock, Condition): `async with lock:` holds the lock for the body only. */
export function* expectHeldForBody(lock: Lock | Condition): Coro<void> {
  expect(lock.locked()).toBe(false);
  yield* asyncWith(lock, function* () {
    expect(lock.locked()).toBe(true);
  });
  expect(lock.locked()).toBe(false);
}

/** Every task is done and returned `value`. */
export function expectReturned(tasks: readonly Task<unknown>[], value: unknown): void {
  for (const t of tasks) {
    expect(t.done()).toBe(true);
    expect(t.result()).toBe(value);
  }
}
