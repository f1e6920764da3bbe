// Slow callbacks and blocking code: in debug mode, a callback or task step that keeps
// the loop busy for at least loop.slowCallbackDuration (0.1 s) is logged. Blocking code
// (time.sleep in Python, blockingSleep here) delays everything else on the loop, and a
// logging handler that blocks (network logging) blocks the loop too.

import { blockingSleep, createTask, EventLoop, getRunningLoop, logging, run, sleep, type Coro } from '../src/index.js';

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints asyncio's slow-callback warnings on purpose`;

export function main(): void {
  logging.basicConfig({ level: logging.DEBUG, handlers: [new logging.StreamHandler((t) => process.stdout.write(t), '%(levelname)s:%(name)s:%(message)s')], force: true });
  try {
    function* ticker(): Coro<void> {
      const loop = getRunningLoop();
      for (let i = 0; i < 3; i++) {
        yield* sleep(0.5);
        console.log(`${loop.time().toFixed(2)} tick ${i}`);
      }
    }

    function* cpuBound(): Coro<void> {
      yield* sleep(0.6);
      // A CPU-bound computation of 1 second: every task waits for it.
      blockingSleep(1.0);
    }

    function* mainCoro(): Coro<void> {
      const loop = getRunningLoop();
      // A "network" log handler: each record costs 0.2 s of blocking I/O.
      const slowHandler: logging.Handler = { handle: () => blockingSleep(0.2) };
      const app = logging.getLogger('app');
      app.addHandler(slowHandler);
      app.propagate = false;
      loop.callSoon(function logSomething() {
        app.warning('disk almost full');
      });
      yield* sleep(0);
      const a = createTask(ticker());
      const b = createTask(cpuBound());
      yield* a;
      yield* b;
      app.removeHandler(slowHandler);
    }

    run(mainCoro(), { debug: true });

    // The fix for slow log handlers: queue the records, and let a listener on its own
    // thread hand them to the slow handler (logging.handlers.QueueHandler/QueueListener).
    // (A simulated thread's atomic stretch runs at once and its time moves on as it
    // sleeps, so the lines are collected with their times and printed in time order.)
    const timeline: [number, string][] = [];
    function* withQueue(): Coro<void> {
      const loop = getRunningLoop();
      const note = (text: string): void => {
        timeline.push([loop.time(), `${loop.time().toFixed(2)} ${text}`]);
      };
      const slowHandler: logging.Handler = {
        handle: (r) => {
          blockingSleep(0.2);
          note(`sent '${r.getMessage()}' (listener thread)`);
        },
      };
      const queue = new logging.handlers.RecordQueue();
      const listener = new logging.handlers.QueueListener(queue, slowHandler);
      listener.start();
      const app = logging.getLogger('app.queued');
      app.addHandler(new logging.handlers.QueueHandler(queue));
      app.propagate = false;
      for (let i = 0; i < 3; i++) {
        app.warning('record %d', i);
        note(`logged record ${i} without blocking`);
        yield* sleep(0.1);
      }
      yield* sleep(1);
      listener.stop();
    }
    run(withQueue(), { debug: true });
    for (const [, line] of timeline.sort((a, b) => a[0] - b[0])) console.log(line);

    // The page's "slow selector" log (asyncio 3.4-3.7; opt-in in aiosim, as 3.13 dropped
    // it): long waits in the selector are logged at INFO.
    const loop = new EventLoop({ debug: true, logSlowSelector: true });
    loop.runUntilComplete(sleep(1.5));
    loop.close();
  } finally {
    logging.basicConfig({ handlers: [], force: true });
  }
}
