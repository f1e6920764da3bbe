// Port of CPython 3.13's Lib/test/test_asyncio/test_taskgroups.py (issue 10): the same
// behaviours checked through aiosim's API. Each CPython method runs, as in
// IsolatedAsyncioTestCase, as the main task of a debug-mode run(); virtual times, group
// reprs and counts asserted beyond CPython's own checks come from the oracle (3.13.2).
// The module's one class, TestTaskGroup, is split by subject; this file holds the
// exceptions and coroutines its tests share. Table: docs/cpython-tests/test_taskgroups.md.

import { expect } from 'vitest';
import {
  asyncWith, BaseException, BaseExceptionGroup, CancelledError, createTask, sleep, TaskGroup, type Coro, type Task,
} from '../../../src/index.js';
import { ZeroDivisionError } from '../../_support/python.js';
import type { Ctor } from '../_support.js';

export class MyExc extends Error {
  static {
    Object.defineProperty(this, 'name', { value: 'MyExc' });
  }
}

export class MyBaseExc extends BaseException {
  static {
    Object.defineProperty(this, 'name', { value: 'MyBaseExc' });
  }
}

// get_error_types(eg): the set of the members' class names.
export function errorTypes(eg: unknown): string[] {
  expect(eg).toBeInstanceOf(BaseExceptionGroup);
  return [...new Set((eg as BaseExceptionGroup).exceptions.map((e) => (e as Error).constructor.name))].sort();
}

// `except* cls:` — run body; return the matching part of a raised group, re-raise the rest.
export function* exceptStar(cls: Ctor<unknown>, body: () => Coro<unknown>): Coro<BaseExceptionGroup | undefined> {
  try {
    yield* body();
  } catch (e) {
    if (!(e instanceof BaseExceptionGroup)) throw e;
    const [match, rest] = e.split(cls as never);
    if (rest !== undefined) throw rest;
    return match;
  }
  return undefined;
}

export function* sleepThen<T>(delay: number, value: T): Coro<T> {
  yield* sleep(delay);
  return value;
}

export function* crashAfter(delay: number, make: () => unknown = () => new ZeroDivisionError()): Coro<never> {
  yield* sleep(delay);
  throw make();
}

// `try: await sleep(10) finally: raise make()` (the finally's error replaces the cancel).
export function* raiseInFinally(make: () => unknown, delay = 10): Coro<void> {
  try {
    yield* sleep(delay);
  } finally {
    throw make();
  }
}

// `try: await asyncio.sleep(delay) except CancelledError: onCancel(); raise`.
export function* sleepNotingCancel(delay: number, onCancel: () => void): Coro<void> {
  try {
    yield* sleep(delay);
  } catch (e) {
    if (e instanceof CancelledError) onCancel();
    throw e;
  }
}

// `r = create_task(runner); await asyncio.sleep(0.1); assertFalse(r.done()); r.cancel()`.
export function* startThenCancel(runner: Coro<void>): Coro<Task<void>> {
  const r = createTask(runner);
  yield* sleep(0.1);
  expect(r.done()).toBe(false);
  r.cancel();
  return r;
}

// A group body whose five children raise ZeroDivisionError when cancelled; it sleeps 10 s.
export function* fiveFailingOnCancel(g: TaskGroup): Coro<void> {
  for (let i = 0; i < 5; i++) g.createTask(raiseInFinally(() => new ZeroDivisionError()));
  yield* sleep(10);
}

// A group whose child fails at 0.1 (with `child()`, ZeroDivisionError by default) while
// its body, cancelled, raises `body()` from its cleanup.
export function* childAndBodyFail(body: () => unknown, child?: () => unknown): Coro<void> {
  yield* asyncWith(new TaskGroup(), function* (g) {
    g.createTask(crashAfter(0.1, child));
    yield* raiseInFinally(body);
  });
}
