// CPython 3.13's test_asyncio/test_tasks.py, SleepTests: one `it` per test method, titled
// after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { EventLoop, sleep, type Coro } from '../../../src/index.js';
import { loopPerTest } from './_support.js';

describe('SleepTests', () => {
  let loop: EventLoop;
  loopPerTest(() => (loop = new EventLoop()));

  it('test_sleep_zero — sleep(0, result) yields one iteration (a call_soon made before it has run) and returns result', () => {
    let result = 0;
    const incResult = (num: number): void => {
      result += num;
    };
    function* coro(): Coro<void> {
      loop.callSoon(incResult, 1);
      expect(result).toBe(0);
      const num = yield* sleep(0, 10);
      expect(result).toBe(1);
      incResult(num);
    }
    loop.runUntilComplete(coro());
    expect(result).toBe(11);
  });
});
