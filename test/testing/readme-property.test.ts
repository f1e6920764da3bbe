// The README's property-testing example ("Testing with aiosim", "Property testing"), run as
// it is written there (the last test checks that the README shows exactly this code, with
// the package's import paths).

import { describe } from 'vitest';
import { expectReadmeShows } from './_support.js';

// README:begin
import { expect, it } from 'vitest';
import { createTask, Lock, sleep, type Coro } from '../../src/index.js';
import { assertProperty, checkProperty, modelDelay, TieBreaks, type Scenario } from '../../src/testing/index.js';

// Two tasks increment a stored counter under a lock: read, then write, each taking `latency`.
function counter(release: 'before write' | 'after write'): Scenario<{ latency: number }> {
  return function* main({ latency }): Coro<boolean> {
    const store = { value: 0 };
    const lock = new Lock();
    function* increment(): Coro<void> {
      yield* lock.acquire();
      yield* sleep(latency);
      const value = store.value;
      if (release === 'before write') lock.release();
      yield* sleep(latency);
      store.value = value + 1;
      if (release === 'after write') lock.release();
    }
    const [a, b] = [createTask(increment()), createTask(increment())];
    yield* a;
    yield* b;
    return store.value === 2;
  };
}
const model = { latency: modelDelay({ min: 0.1, max: 1, resolution: 0.1 }) };

it('loses an update when the lock is released before the write', () => {
  const result = checkProperty(model, counter('before write'), { seed: 1 });
  // One task's write and the other's read end at the same time. asyncio leaves the order
  // of such timers undefined: CPython runs the write first, the runner tries both.
  expect(result.counterexample?.model).toEqual({ latency: 0.1 });
  expect(result.counterexample?.ties).toEqual(new TieBreaks([1]));
  expect(result.report).toContain('t=0.2 timers: #2 of 2 went first (CPython: #1)');
});

it('keeps every update when the write comes first', () => {
  assertProperty(model, counter('after write'), { runs: 300 }); // throws the report on failure
});
// README:end

describe('README', () => {
  it('shows this example, with the package import paths', () => {
    expectReadmeShows(import.meta.filename, '### Property testing');
  });
});
