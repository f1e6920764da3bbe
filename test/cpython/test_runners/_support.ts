// Port of CPython 3.13's Lib/test/test_asyncio/test_runners.py (issue 10): asyncio.run()
// and Runner checked through aiosim's run()/Runner. CPython's harness gives every test a
// policy whose loops record shutdown_asyncgens(); here loops come from loopFactory where
// that matters. Values asserted beyond CPython's own checks come from the oracle (3.13.2);
// the SIGINT tests (pyodide has no interrupt_main) from native CPython 3.13.0 on a
// virtual clock.
// This file: the harness its test classes share (BaseTest).

import { afterEach } from 'vitest';
import { EventLoop, setEventLoop, signals, type Coro } from '../../../src/index.js';

/** BaseTest.new_loop: a loop whose shutdown_asyncgens() records that it ran. */
export function newLoop(): EventLoop & { shutdownAgRun: boolean } {
  const loop = new EventLoop() as EventLoop & { shutdownAgRun: boolean };
  loop.shutdownAgRun = false;
  loop.shutdownAsyncgens = function* shutdownAsyncgens(): Coro<void> {
    loop.shutdownAgRun = true;
  };
  return loop;
}

/** _thread.interrupt_main(): SIGINT, handled in the main thread at once. */
export const interruptSelf = (): void => signals.raiseSignal(signals.SIGINT);

/** BaseTest.tearDown for a test file (`set_event_loop_policy(None)`): no current loop after each test. */
export function tearDownEach(): void {
  afterEach(() => {
    setEventLoop(undefined);
  });
}
