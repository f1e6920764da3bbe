// The README's context-variables example, run as it is written there (the last test checks
// that the README shows exactly this code, with the package's import paths). What it
// expects is what CPython 3.13 gives for the same program (native CPython with
// virtual_threads.py, as to_thread starts a thread).

import { describe } from 'vitest';
import { expectReadmeShows } from '../testing/_support.js';

// README:begin
import { expect, it } from 'vitest';
import { asyncWith, contextvars, getRunningLoop, inContext, run, sleep, TaskGroup, toThread, type Coro } from '../../src/index.js';

const requestId = new contextvars.ContextVar('request_id', { default: '-' });
const seen: string[] = [];

function* handle(n: number): Coro<void> {
  requestId.set(`req-${n}`); // in this task's own copy of the context
  yield* sleep(0.1);
  // toThread runs the function in a worker thread, in a copy of the caller's context.
  seen.push(yield* toThread(() => `${requestId.get()} in a thread`));
}

function* main(): Coro<void> {
  yield* asyncWith(new TaskGroup(), function* (tg) {
    tg.createTask(handle(1));
    tg.createTask(handle(2));
  });
  seen.push(requestId.get()); // main's context is untouched
  const ctx = contextvars.copyContext();
  ctx.run(() => requestId.set('req-9'));
  // call_soon(cb, context=ctx)
  getRunningLoop().callSoon(() => seen.push(requestId.get()), inContext(ctx));
  yield* sleep(0);
}

it('gives every task its own request id', () => {
  run(main());
  expect(seen).toEqual(['req-1 in a thread', 'req-2 in a thread', '-', 'req-9']);
});
// README:end

describe('README', () => {
  it('shows this example, with the package import paths', () => {
    expectReadmeShows(import.meta.filename, '### Context variables');
  });
});
