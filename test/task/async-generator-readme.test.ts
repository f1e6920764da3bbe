// The README's async-generator example, run as it is written there (the last test checks
// that the README shows exactly this code, with the package's import paths). What it
// expects is what CPython 3.13 gives for the same program.

import { describe } from 'vitest';
import { expectReadmeShows } from '../testing/_support.js';

// README:begin
import { expect, it } from 'vitest';
import { anext, asCompleted, asyncFor, asyncGenerator, createTask, emit, getRunningLoop, run, sleep, type AsyncGen, type Coro } from '../../src/index.js';

const seen: unknown[] = [];

// async def ticker(n): ... yield i
const ticker = asyncGenerator(function* ticker(n: number): AsyncGen<number> {
  try {
    for (let i = 0; i < n; i++) {
      yield* sleep(0.5); // await asyncio.sleep(0.5)
      yield* emit(i); // yield i
    }
  } finally {
    seen.push('ticker cleaned up');
  }
});

function* main(): Coro<void> {
  const t = ticker(10);
  // async for i in t: ...; if i == 2: break
  yield* asyncFor(t, function* (i) {
    seen.push(i);
    if (i === 2) return asyncFor.BREAK;
  });
  seen.push(yield* anext(t, 'none')); // 3: leaving the loop did not close t
  yield* t.aclose();
  seen.push(yield* anext(t, 'none'));
  // async for task in as_completed(...): the tasks themselves, as they finish (3.13)
  const tasks = [createTask(sleep(2, 'slow')), createTask(sleep(1, 'fast'))];
  yield* asyncFor(asCompleted(tasks), function* (task) {
    seen.push(task.result());
  });
  seen.push(getRunningLoop().time());
}

it('consumes an async generator as async for does', () => {
  run(main());
  expect(seen).toEqual([0, 1, 2, 3, 'ticker cleaned up', 'none', 'fast', 'slow', 4]);
});
// README:end

describe('README', () => {
  it('shows this example, with the package import paths', () => {
    expectReadmeShows(import.meta.filename, '### Asynchronous generators');
  });
});
