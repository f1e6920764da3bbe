// CPython 3.13's test_asyncio/test_tasks.py, GenericTaskTests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { beforeEach, describe, expect, it } from 'vitest';
import { Future, setEventLoop, Task } from '../../../src/index.js';

// test_utils.TestCase.setUp: no current event loop (the tests pass theirs explicitly).
beforeEach(() => {
  setEventLoop(undefined);
});

describe('GenericTaskTests', () => {
  it('test_future_subclass — Task is a subclass of Future', () => {
    expect(Task.prototype).toBeInstanceOf(Future);
    expect(Object.getPrototypeOf(Task)).toBe(Future);
  });
});
