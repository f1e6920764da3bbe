// Asynchronous generators: asyncFor (a break leaves the generator open), anext with a
// default, asend, aclose, asCompleted under asyncFor (3.13's `async for`), and the
// generators run() finalises at the end (shutdownAsyncgens). The asyncio original is
// examples/python/15-async-generators.py.

import {
  anext, asCompleted, asyncFor, asyncGenerator, createTask, emit, getRunningLoop, repr, run, sleep, type AsyncGen,
  type AsyncGeneratorObject, type Coro,
} from '../src/index.js';

export function main(): void {
  const kept: AsyncGeneratorObject<number>[] = [];
  const log = (text: string): void => console.log(`${getRunningLoop().time().toFixed(1).padStart(4)} ${text}`);

  // `async def ticker(...)` with `yield i`: yield* emit(i) gives a value to the consumer,
  // yield* sleep(...) awaits.
  const ticker = asyncGenerator(function* ticker(name: string, n: number, interval: number): AsyncGen<number> {
    try {
      for (let i = 0; i < n; i++) {
        yield* sleep(interval);
        yield* emit(i);
      }
    } finally {
      log(`${name} cleaned up`);
    }
  });

  // `value = yield total`: emit() evaluates to what asend() sent.
  const runningTotal = asyncGenerator(function* runningTotal(): AsyncGen<number, number> {
    let total = 0;
    for (;;) {
      const value = yield* emit<number, number>(total);
      total += value ?? 0;
    }
  });

  function* job(name: string, delay: number): Coro<string> {
    yield* sleep(delay);
    return name;
  }

  function* mainCoro(): Coro<void> {
    yield* asyncFor(ticker('a', 3, 0.5), function* (i) {
      log(`a gave ${i}`);
    });

    const b = ticker('b', 10, 1);
    yield* asyncFor(b, function* (i) {
      if (i === 1) return asyncFor.BREAK;
    });
    log(`after break b is open; anext gives ${yield* anext(b)}`);
    yield* b.aclose();

    log(`anext with a default: ${repr(yield* anext(ticker('c', 0, 1), 'exhausted'))}`);

    const acc = runningTotal();
    yield* anext(acc);
    const five = yield* acc.asend(5);
    log(`asend(5) -> ${five}, asend(3) -> ${yield* acc.asend(3)}`);
    yield* acc.aclose();

    const slow = createTask(job('slow', 2));
    const fast = createTask(job('fast', 1));
    yield* asyncFor(asCompleted([slow, fast]), function* (t) {
      log(`${t.result()} finished (the task itself: ${t === slow || t === fast ? 'True' : 'False'})`);
    });

    const d = ticker('d', 5, 1);
    kept.push(d);
    log(`d gave ${yield* anext(d)}; main returns with d unfinished`);
  }

  run(mainCoro());
}
