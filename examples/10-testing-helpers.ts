// aiosim/testing outside a test runner: a fresh loop per test that fails with CPython's
// messages when the test leaves something behind, time driven by the test (manual mode,
// advance(), a time limit), the loop's state, and a trace of its decisions. The same
// helpers inside vitest: README "Testing with aiosim" and test/testing/readme.test.ts.

import { createTask, sleep, StalledError, type Coro } from '../src/index.js';
import { formatLoopState, loopState, runUntilComplete, TimeLimitError, Trace, withLoop } from '../src/testing/index.js';

function* worker(seconds: number): Coro<number> {
  yield* sleep(seconds);
  return seconds;
}

function firstLine(e: unknown): string {
  return String(e).split('\n')[0]!;
}

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints test failures (LoopCheckError, StalledError, TimeLimitError) on purpose: they are what the helpers report`;

export function main(): void {
  console.log('--- a test that forgets a task: withLoop fails it with CPython\'s message');
  try {
    withLoop(function* () {
      createTask(worker(10));
      yield* sleep(1);
    });
  } catch (e) {
    console.log(String(e).replace(/ at \S+:\d+/g, ' at …'));
  }

  console.log('--- manual time: only advance() moves the clock');
  withLoop((loop) => {
    const task = loop.createTask(worker(2));
    try {
      loop.runUntilComplete(task);
    } catch (e) {
      if (!(e instanceof StalledError)) throw e;
      console.log(firstLine(e));
    }
    loop.advance(1.5);
    console.log(formatLoopState(loopState(loop)));
    loop.advance(0.5);
    console.log(`t=${loop.time()}: ${task.result()}`);
  }, { timeMode: 'manual' });

  console.log('--- a time limit');
  withLoop((loop) => {
    const task = loop.createTask(worker(60));
    try {
      runUntilComplete(loop, task, { timeLimit: 5 });
    } catch (e) {
      if (!(e instanceof TimeLimitError)) throw e;
      console.log(String(e));
    }
    task.cancel();
    loop.runUntilIdle();
  });

  console.log('--- a trace of the loop\'s decisions');
  const trace = new Trace();
  withLoop(function* main(): Coro<number> {
    const a = createTask(worker(1));
    return (yield* a) + (yield* worker(0.5));
  }, { trace });
  console.log(String(trace));
}
