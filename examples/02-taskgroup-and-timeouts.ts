// gather, waitFor, TaskGroup and timeout on the virtual clock: 10 seconds of sleeps,
// printed at once. The asyncio original is examples/python/02-taskgroup-and-timeouts.py.

import {
  asyncWith, CancelledError, ExceptionGroup, gather, getRunningLoop, repr, run, sleep, TaskGroup, timeout, TimeoutError,
  ValueError, waitFor, type Coro,
} from '../src/index.js';

export function main(): void {
  function* mainCoro(): Coro<void> {
    const loop = getRunningLoop();
    const log = (text: string): void => console.log(`${loop.time().toFixed(2).padStart(5)} ${text}`);

    function* fetch(name: string, delay: number): Coro<string> {
      yield* sleep(delay);
      log(`${name} fetched`);
      return name.toUpperCase();
    }

    function* flaky(): Coro<never> {
      yield* sleep(1.5);
      throw new ValueError('flaky failed');
    }

    const results = yield* gather(fetch('a', 1), fetch('b', 0.5));
    log(`gather -> ${repr(results)}`);

    try {
      yield* waitFor(fetch('slow', 10), 2);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('wait_for timed out');
    }

    try {
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(fetch('c', 1));
        tg.createTask(flaky());
        tg.createTask(fetch('never', 5));
      });
    } catch (e) {
      // Python's `except* ValueError`: take the matching part of the group.
      const eg = e instanceof ExceptionGroup ? e.subgroup(ValueError) : undefined;
      if (eg === undefined) throw e;
      log(`TaskGroup failed: ${repr(eg.exceptions[0])}`);
    }

    const cm = timeout(1);
    yield* asyncWith(cm, function* () {
      try {
        yield* sleep(3);
      } catch (e) {
        if (e instanceof CancelledError) log('cancelled by the timeout');
        throw e;
      }
    });
    log(`unreachable? expired=${cm.expired()}`);
  }

  try {
    run(mainCoro());
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log('main raised TimeoutError');
  }
}
