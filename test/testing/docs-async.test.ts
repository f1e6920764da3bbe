// docs/testing.md's withLoopAsync example, run as it is written there (the last test checks
// that the page shows exactly this code, with the package's import paths).

import { describe } from 'vitest';
import { expectReadmeShows } from './_support.js';

// README:begin
import { expect, it } from 'vitest';
import { createTask, Queue, sleep } from '../../src/index.js';
import { asyncCoroutine, awaitable, withLoopAsync } from '../../src/testing/index.js';

// The code under test, written with async functions: a consumer that batches what arrives
// within half a second.
const consume = asyncCoroutine(async function consume(q: Queue<string>, batches: string[][]): Promise<void> {
  for (;;) {
    const batch = [await awaitable(q.get())];
    await awaitable(sleep(0.5));
    while (!q.empty()) batch.push(q.getNowait());
    batches.push(batch);
  }
});

it('batches what arrives within half a second', () => withLoopAsync(async (loop) => {
  const q = new Queue<string>();
  const batches: string[][] = [];
  const consumer = createTask(consume(q, batches));
  q.putNowait('a');
  await awaitable(sleep(0.25));
  q.putNowait('b');
  await awaitable(sleep(1));
  q.putNowait('c');
  await awaitable(sleep(1));
  expect(batches).toEqual([['a', 'b'], ['c']]);
  expect(loop.time()).toBe(2.25);
  consumer.cancel(); // the loop check fails a test that leaves a task pending
}));
// README:end

describe('docs/testing.md', () => {
  it('shows this example', () => {
    expectReadmeShows(import.meta.filename, '### An async test body', 'docs/testing.md');
  });
});
