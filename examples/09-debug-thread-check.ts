// Debug mode: calling a non-thread-safe loop API from another thread raises; the
// thread-safe variant is the fix.

import { getRunningLoop, run, sleep, threading, type Coro } from '../src/index.js';

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints the debug-mode RuntimeError on purpose`;

export function main(): void {
  function* mainCoro(): Coro<void> {
    const loop = getRunningLoop();
    const worker = new threading.Thread({
      target: function wrongThread() {
        try {
          loop.callSoon(() => console.log('never'));
        } catch (e) {
          console.log(`${(e as Error).constructor.name}: ${(e as Error).message}`);
        }
        loop.callSoonThreadsafe(() => console.log('call_soon_threadsafe works from any thread'));
      },
    });
    worker.start();
    yield* sleep(0.1);
  }
  run(mainCoro(), { debug: true });
}
