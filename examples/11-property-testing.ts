// Property testing with aiosim/testing: checkProperty runs a scenario under many
// environments (a model's delays, signal arrival times, and the ties asyncio leaves open
// broken every way), shrinks the first failure, and reports it with fast-check's seed and
// path and the trace of the failing run; replayProperty runs it again, identically. Three
// classic races, each found within a few hundred runs, and each fix holding.
// The same in vitest: test/testing/races.test.ts; docs/testing.md "Property testing".

import fc from 'fast-check';
import { createTask, Event, gather, Lock, signals, sleep, wait, type Coro, type EventLoop } from '../src/index.js';
import { checkProperty, modelDelay, replayProperty, signalArrival, type ModelArbitrary, type PropertyOptions, type Scenario } from '../src/testing/index.js';

// ---- 1. Check-then-act around an await: two customers book the last seat ----------------

/** When each customer clicks "book" (seconds), and how long the payment service takes. */
export interface Booking {
  ann: number;
  bob: number;
  payment: number;
}

export const bookingModel: ModelArbitrary<Booking> = {
  ann: modelDelay({ max: 2, resolution: 0.1 }),
  bob: modelDelay({ max: 2, resolution: 0.1 }),
  payment: modelDelay({ min: 0.1, max: 1, resolution: 0.1 }),
};

type Book = (seats: Map<string, string>, seat: string, who: string, payment: number) => Coro<boolean>;

/** The bug: the seat is checked, then the payment awaited, then the seat taken. */
export function* bookRacy(seats: Map<string, string>, seat: string, who: string, payment: number): Coro<boolean> {
  if (seats.has(seat)) return false;
  yield* sleep(payment);
  seats.set(seat, who);
  return true;
}

/** The fix: check and take the seat in one step (no await between), then pay. */
export function* bookFixed(seats: Map<string, string>, seat: string, who: string, payment: number): Coro<boolean> {
  if (seats.has(seat)) return false;
  seats.set(seat, who);
  yield* sleep(payment);
  return true;
}

/** The property: at most one customer is told the seat is theirs. */
export function booking(book: Book): Scenario<Booking> {
  return function* main({ ann, bob, payment }: Booking): Coro<boolean> {
    const seats = new Map<string, string>();
    function* customer(who: string, at: number): Coro<boolean> {
      yield* sleep(at);
      return yield* book(seats, '1A', who, payment);
    }
    const confirmed = yield* gather(customer('ann', ann), customer('bob', bob));
    return confirmed.filter(Boolean).length <= 1;
  };
}

// ---- 2. A lost wake-up: Event.clear() after the work forgets a signal ---------------------

/** When SIGUSR1 arrives (one to three times, within 3 seconds). */
export interface Wakeups {
  arrivals: number[];
}

export const wakeupModel: ModelArbitrary<Wakeups> = {
  arrivals: fc.array(signalArrival({ max: 3, resolution: 0.1 }), { minLength: 1, maxLength: 3 }),
};

/**
 * The property: every signal is handled. The handler counts the signal and sets an Event;
 * a consumer waits for the Event and handles what has arrived (0.5 s of work). The bug
 * clears the Event after the work, forgetting a signal that came during it; the fix
 * clears it before looking at what arrived.
 */
export function wakeups(clear: 'after' | 'before'): Scenario<Wakeups> {
  return function* main({ arrivals }: Wakeups, loop: EventLoop): Coro<boolean> {
    let received = 0;
    let handled = 0;
    const wakeup = new Event();
    loop.addSignalHandler(signals.SIGUSR1, () => {
      received++;
      wakeup.set();
    });
    for (const t of arrivals) signals.scheduleSignal(signals.SIGUSR1, t);
    const consumer = createTask(function* consumer(): Coro<void> {
      for (;;) {
        yield* wakeup.wait();
        if (clear === 'before') wakeup.clear();
        const batch = received - handled;
        yield* sleep(0.5);
        handled += batch;
        if (clear === 'after') wakeup.clear();
      }
    }());
    // Every signal has arrived by 3.0 and been handled by 4.0.
    yield* sleep(5);
    consumer.cancel();
    yield* wait([consumer]);
    return handled === received;
  };
}

// ---- 3. A lock released in the wrong order: before the write it protects -----------------

/**
 * Two tasks increment a stored counter: read (0.25 s), write (0.25 s), under a lock. The bug
 * releases the lock after the read, before the write; the fix writes, then releases.
 * No model: with equal latencies, the second task's read and the first task's write end
 * at the same time, and asyncio leaves the order of such timers undefined. CPython's
 * heapq happens to run the write first, so a unit test passes; the runner tries the
 * other order too.
 */
export function counter(release: 'before write' | 'after write'): Scenario<object> {
  return function* main(): Coro<boolean> {
    const store = { value: 0 };
    const lock = new Lock();
    function* increment(): Coro<void> {
      yield* lock.acquire();
      let value: number;
      try {
        yield* sleep(0.25);
        value = store.value;
      } finally {
        if (release === 'before write') lock.release();
      }
      yield* sleep(0.25);
      store.value = value + 1;
      if (release === 'after write') lock.release();
    }
    yield* gather(increment(), increment());
    return store.value === 2;
  };
}

// ---- running them --------------------------------------------------------------------------

function show<M>(title: string, model: ModelArbitrary<M>, racy: Scenario<M>, fixed: Scenario<M>, options: PropertyOptions): void {
  console.log(`--- ${title}`);
  const found = checkProperty(model, racy, options);
  console.log(found.report);
  if (found.failed) {
    const again = replayProperty(model, racy, { ...options, seed: found.seed, path: found.path! });
    const same = String(again.trace) === String(found.counterexample!.trace);
    console.log(`replayProperty({ seed: ${found.seed}, path: "${found.path}" }): ${same ? 'the same run, the same trace' : 'A DIFFERENT RUN'}`);
  }
  console.log(`the fix: ${checkProperty(model, fixed, options).report}`);
}

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints failing properties on purpose: each race is found, then its fix passes`;

export function main(): void {
  show('1. check-then-act around an await (double booking)', bookingModel, booking(bookRacy), booking(bookFixed), {
    runs: 300, seed: 1, traceKinds: ['step', 'suspend', 'done'],
  });
  show('2. a lost wake-up (Event.clear after the work)', wakeupModel, wakeups('after'), wakeups('before'), {
    runs: 300, seed: 1, traceKinds: ['run', 'step', 'suspend'],
  });
  show('3. a lock released before the write', {}, counter('before write'), counter('after write'), {
    runs: 300, seed: 1, traceKinds: ['timer', 'step', 'suspend', 'done'],
  });
}
