// Bytes per pending timer and per pending (suspended) task, from heapUsed after a full
// GC, with n of them alive at once. Run with --expose-gc.

import type { Clock } from '@sinonjs/fake-timers';
import type { Api, Fut, Gen } from './workloads/api.js';
import { lcgDelays } from './workloads/lcg.js';

/** What is measured: an implementation of the workload Api, or fake-timers' clock factory. */
export type Subject = { api: Api } | { createClock: (now: number, loopLimit: number) => Clock };

// What holds the items while the heap is measured. V8 drops a local (even one saved in a
// suspended generator) once no later code reads it, so a clock, loop or future that the
// measuring code no longer mentions would be collected with everything it holds.
const alive: unknown[] = [];

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Measure what one item costs on `subject` with `n` alive at once, and pass it to
 * `report`: `timers` (callLater / setTimeout), `tasks` (each suspended on one shared Future).
 */
export function measureMemory(subject: Subject, what: string, n: number, report: (bytes: number) => void): void {
  if (what !== 'timers' && what !== 'tasks') throw new Error(`unknown memory item ${what}`);
  const delays = lcgDelays(n);
  const cb = (): void => {};
  if ('createClock' in subject) {
    if (what !== 'timers') throw new Error('fake timers have no tasks');
    const clock = subject.createClock(0, 2 * n);
    alive.push(clock);
    const before = heapAfterGc();
    for (let i = 0; i < n; i++) clock.setTimeout(cb, delays[i]! * 1000);
    const bytes = (heapAfterGc() - before) / n;
    if (clock.countTimers() !== n) throw new Error(`${clock.countTimers()} fake timers pending, expected ${n}`);
    report(bytes);
    return;
  }
  const api = subject.api;
  const loop = api.newLoop();
  alive.push(loop);
  if (what === 'timers') {
    const before = heapAfterGc();
    for (let i = 0; i < n; i++) loop.callLater(delays[i]!, cb);
    report((heapAfterGc() - before) / n);
    return;
  }
  let suspended = 0;
  function* waiter(fut: Fut<void>): Gen<void> {
    suspended++;
    yield* fut;
  }
  function* main(): Gen<void> {
    const fut = loop.createFuture<void>();
    alive.push(fut);
    const before = heapAfterGc();
    for (let i = 0; i < n; i++) api.createTask(waiter(fut));
    // One iteration: every task runs its first step and suspends on the future.
    yield* api.sleep(0);
    const bytes = (heapAfterGc() - before) / n;
    if (suspended !== n) throw new Error(`${suspended} tasks suspended, expected ${n}`);
    report(bytes);
  }
  loop.runUntilComplete(main());
}
