// Port of CPython 3.13's Lib/test/test_asyncio/test_waitfor.py (issue 10): the same
// behaviours checked through aiosim's API. Each CPython method runs, as in
// IsolatedAsyncioTestCase, as the main task of a debug-mode run(); the virtual times
// asserted beyond CPython's own checks come from the oracle (CPython 3.13.2).
// This file: WaitForShieldTests. Table: docs/cpython-tests/test_waitfor.md.

import { describe, expect, it } from 'vitest';
import { createTask, shield, sleep, TimeoutError, waitFor, type Coro, type Future } from '../../../src/index.js';
import { assertRaises, asyncTest, now } from '../_support.js';

describe('WaitForShieldTests', () => {
  function* coro(delay: number): Coro<string> {
    yield* sleep(delay);
    return 'done';
  }

  it('test_zero_timeout — timeout 0 cancels the shield future while the task runs on', () => {
    asyncTest(function* () {
      const task = createTask(coro(0.01));
      let shieldedTask!: Future<string>;
      yield* assertRaises(TimeoutError, function* () {
        shieldedTask = shield(task);
        yield* waitFor(shieldedTask, { timeout: 0 });
      });
      expect(task.done()).toBe(false);
      expect(task.cancelled()).toBe(false);
      expect(shieldedTask.cancelled()).toBe(true);
      yield* sleep(0.1);
      expect(task.done()).toBe(true);
      expect(task.result()).toBe('done');
    });
  });

  it('test_none_timeout — timeout None waits for the shielded task to complete', () => {
    asyncTest(function* () {
      const task = createTask(coro(0.1));
      yield* waitFor(shield(task), { timeout: undefined });
      expect(task.done()).toBe(true);
      expect(yield* task).toBe('done');
      expect(now()).toBe(0.1);
    });
  });

  it('test_shielded_timeout — the shield keeps the task from being cancelled at the timeout', () => {
    asyncTest(function* () {
      const task = createTask(coro(0.1));
      yield* assertRaises(TimeoutError, () => waitFor(shield(task), { timeout: 0.01 }));
      expect(now()).toBe(0.01);
      expect(task.done()).toBe(false);
      expect(task.cancelled()).toBe(false);
      expect(yield* task).toBe('done');
      expect(now()).toBe(0.1);
    });
  });
});
