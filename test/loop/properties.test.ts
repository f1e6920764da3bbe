// Property tests of the kernel (EventLoop, Handle/TimerHandle, Future, Task) over random
// drive-mode scenarios (test/scenario/loop-programs.ts), run by the scenario interpreter
// with its records observer. Replay a failure with the seed fast-check prints:
//   AIOSIM_SEED=<seed> npx vitest run test/loop/properties.test.ts
// AIOSIM_RUNS=<n> sets the number of runs of every property.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Future, Handle, StalledError, Task, TimerHandle, type Coro, type EventLoop, type ExceptionContext, type ExceptionHandler,
} from '../../src/index.js';
import { _takeContextArg } from '../../src/contextvars/in-context.js';
import { TimerHeap } from '../../src/events/timer-heap.js';
import { _forgetLoopTasks } from '../../src/task/current-task.js';
import type { DriveLoop } from '../scenario/drive.js';
import { recordScenario } from '../scenario/interpreter.js';
import { anyLoopProgramArb, loopProgramArb, TIMER_HEAVY } from '../scenario/loop-programs.js';
import type { HandleRecord, RecordsObserver } from '../scenario/observers.js';

const SEED = process.env.AIOSIM_SEED === undefined ? undefined : Number(process.env.AIOSIM_SEED);
const RUNS = process.env.AIOSIM_RUNS === undefined ? undefined : Number(process.env.AIOSIM_RUNS);

// Shrinking a 400-op program can take minutes: stop each property after SHRINK_MS and report the
// smallest counterexample so far (an interrupted run without failure fails too).
const SHRINK_MS = 20_000;

function params<T>(defaultRuns: number): fc.Parameters<T> {
  return {
    numRuns: RUNS ?? defaultRuns,
    ...(SEED === undefined ? {} : { seed: SEED }),
    plugins: [fc.interruptAfterTimeLimit(SHRINK_MS, { failOnInterrupt: true }) as fc.Plugin<T>],
  };
}

/** Check `invariant` on the records of every generated program's run. */
function forAllRuns(invariant: (r: RecordsObserver) => void, defaultRuns = 300): void {
  fc.assert(fc.property(anyLoopProgramArb(), (program) => invariant(recordScenario(program))), params(defaultRuns));
}

const RESOLUTION = 1e-9;
const timers = (r: RecordsObserver): HandleRecord[] => r.handles.filter((h) => h.kind !== 'soon');

// ---- reference heapq and _run_once ------------------------------------------------
// Written from CPython's Lib/heapq.py and base_events.BaseEventLoop._run_once and
// deliberately not imported from src/loop: items compare by `when` only, as
// TimerHandle.__lt__ does.

interface Keyed { when: number }

// heapq._siftdown: move the new item at `pos` up while it is smaller than its parent.
function refSiftDown<T extends Keyed>(heap: T[], startpos: number, pos: number): void {
  const newitem = heap[pos]!;
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    const parent = heap[parentpos]!;
    if (newitem.when < parent.when) {
      heap[pos] = parent;
      pos = parentpos;
      continue;
    }
    break;
  }
  heap[pos] = newitem;
}

// heapq._siftup: move the smaller child up until a leaf, then sift the item down.
function refSiftUp<T extends Keyed>(heap: T[], pos: number): void {
  const endpos = heap.length;
  const startpos = pos;
  const newitem = heap[pos]!;
  let childpos = 2 * pos + 1;
  while (childpos < endpos) {
    const rightpos = childpos + 1;
    if (rightpos < endpos && !(heap[childpos]!.when < heap[rightpos]!.when)) childpos = rightpos;
    heap[pos] = heap[childpos]!;
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  heap[pos] = newitem;
  refSiftDown(heap, startpos, pos);
}

function refPush<T extends Keyed>(heap: T[], item: T): void {
  heap.push(item);
  refSiftDown(heap, 0, heap.length - 1);
}

function refPop<T extends Keyed>(heap: T[]): T {
  const last = heap.pop()!;
  if (heap.length === 0) return last;
  const ret = heap[0]!;
  heap[0] = last;
  refSiftUp(heap, 0);
  return ret;
}

function refHeapify<T extends Keyed>(heap: T[]): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) refSiftUp(heap, i);
}

interface Entry { when: number; handle: Handle; run: () => void }

/**
 * A reference event loop: CPython's _run_once (cancelled-timer purge or compaction,
 * selector timeout, due timers to the ready deque, one batch of ready handles) over the
 * reference heap, with aiosim's virtual selector (the clock moves by the timeout) and
 * runUntilIdle's documented rule (stop when nothing is ready and no timer is scheduled).
 * Real Future/Task objects run on it unchanged.
 */
class RefLoop implements DriveLoop {
  _currentTask: object | undefined = undefined;
  #clock = 0;
  #ready: Entry[] = [];
  #heap: (Entry & { handle: TimerHandle })[] = [];
  #inHeap = new Set<Handle>();
  #cancelledInHeap = 0;
  #stopping = false;
  #running = false;
  #handler: ExceptionHandler | undefined;
  compactions = 0;

  time(): number { return this.#clock; }
  getDebug(): boolean { return false; }
  isRunning(): boolean { return this.#running; }
  isClosed(): boolean { return false; }
  stop(): void { this.#stopping = true; }
  setExceptionHandler(handler: ExceptionHandler | undefined): void { this.#handler = handler; }
  callExceptionHandler(context: ExceptionContext): void { this.#handler?.(this as unknown as EventLoop, context); }
  createFuture<T = unknown>(): Future<T> { return new Future<T>({ loop: this }); }
  createTask<T>(coro: Coro<T>, options?: { name?: string }): Task<T> { return new Task<T>(coro, { loop: this, name: options?.name }); }
  close(): void { _forgetLoopTasks(this); }

  // Each callback runs in its handle's context (a task's steps in the task's).
  callSoon(callback: (...args: any[]) => unknown, ...args: unknown[]): Handle {
    const handle = new Handle(callback, args, this, _takeContextArg(args, 'call_soon'));
    this.#ready.push({ when: 0, handle, run: () => handle.getContext().run(callback, ...args) });
    return handle;
  }

  callLater(delay: number, callback: (...args: any[]) => unknown, ...args: unknown[]): TimerHandle {
    return this.callAt(this.#clock + delay, callback, ...args);
  }

  callAt(when: number, callback: (...args: any[]) => unknown, ...args: unknown[]): TimerHandle {
    const handle = new TimerHandle(when, callback, args, this, _takeContextArg(args, 'call_at'));
    refPush(this.#heap, { when, handle, run: () => handle.getContext().run(callback, ...args) });
    this.#inHeap.add(handle);
    return handle;
  }

  _timerHandleCancelled(handle: TimerHandle): void {
    if (this.#inHeap.has(handle)) this.#cancelledInHeap++;
  }

  #runOnce(): void {
    const n = this.#heap.length;
    if (n > 100 && this.#cancelledInHeap / n > 0.5) {
      this.compactions++;
      const kept = this.#heap.filter((e) => !e.handle.cancelled());
      for (const e of this.#heap) if (e.handle.cancelled()) this.#inHeap.delete(e.handle);
      refHeapify(kept);
      this.#heap = kept;
      this.#cancelledInHeap = 0;
    } else {
      while (this.#heap.length > 0 && this.#heap[0]!.handle.cancelled()) {
        this.#cancelledInHeap--;
        this.#inHeap.delete(refPop(this.#heap).handle);
      }
    }
    let timeout: number | null = null;
    if (this.#ready.length > 0 || this.#stopping) timeout = 0;
    else if (this.#heap.length > 0) timeout = Math.min(Math.max(0, this.#heap[0]!.when - this.#clock), 24 * 3600);
    if (timeout === null) throw new StalledError('reference loop: nothing can wake it');
    if (timeout > 0) this.#clock += timeout;
    const endTime = this.#clock + RESOLUTION;
    while (this.#heap.length > 0 && this.#heap[0]!.when < endTime) {
      const e = refPop(this.#heap);
      this.#inHeap.delete(e.handle);
      this.#ready.push(e);
    }
    const batch = this.#ready.splice(0, this.#ready.length);
    for (const e of batch) {
      if (e.handle.cancelled()) continue;
      try {
        e.run();
      } catch (exception) {
        this.callExceptionHandler({ message: 'Exception in callback', exception });
      }
    }
  }

  #runWhile(more: () => boolean): void {
    this.#running = true;
    try {
      while (more()) {
        this.#runOnce();
        if (this.#stopping) break;
      }
    } finally {
      this.#running = false;
      this.#stopping = false;
    }
  }

  // Idle: nothing ready and no live timer. (The cancelled count drifts, as CPython's
  // does: a cancelled timer popped as due is not subtracted, so it cannot tell.)
  runUntilIdle(): void {
    this.#runWhile(() => this.#ready.length > 0 || this.#heap.some((e) => !e.handle.cancelled()));
  }

  runUntilComplete<T>(future: Future<T>): T {
    const stop = (): void => this.stop();
    future.addDoneCallback(stop);
    try {
      this.#runWhile(() => true);
    } finally {
      future.removeDoneCallback(stop);
    }
    return future.result();
  }
}

// ---- properties ---------------------------------------------------------------------

describe('EventLoop', () => {
  it('determinism: the same program run twice gives byte-identical traces', () => {
    fc.assert(
      fc.property(anyLoopProgramArb(), (program) => {
        expect(recordScenario(program).lines.join('\n')).toBe(recordScenario(program).lines.join('\n'));
      }),
      params(200),
    );
  });

  it('runs callSoon callbacks in the order they were scheduled (FIFO)', () => {
    forAllRuns((r) => {
      const soon = r.handles.filter((h) => h.kind === 'soon' && h.runEvs.length > 0);
      const runOrder = [...soon].sort((a, b) => a.runEvs[0]! - b.runEvs[0]!).map((h) => h.id);
      expect(runOrder).toEqual(soon.map((h) => h.id));
    });
  });

  it('never reports an exception to the handler and leaves no current task after the run', () => {
    forAllRuns((r) => {
      expect(r.events.filter((e) => e.fact.kind === 'exception').map((e) => e.text)).toEqual([]);
      expect(r.currentAfterRun).toBe('none');
    });
  });

  it('runs every callback, step and done callback in the order and at the time of a reference _run_once over heapq', () => {
    fc.assert(
      fc.property(anyLoopProgramArb(), (program) => {
        const strip = (trace: string[]): string[] => trace.filter((line) => !line.startsWith('log '));
        expect(strip(recordScenario(program).lines)).toEqual(strip(recordScenario(program, () => new RefLoop()).lines));
      }),
      params(300),
    );
  });
});

describe('TimerHandle', () => {
  it('never fires before its deadline (when < time + clockResolution), at nondecreasing times', () => {
    forAllRuns((r) => {
      for (const h of timers(r)) {
        for (const t of h.runTimes) {
          if (!(h.when! < t + RESOLUTION)) expect.fail(`h${h.id} (when=${h.when}) fired at t=${t}`);
        }
      }
      const fired = timers(r)
        .flatMap((h) => h.runEvs.map((ev, i) => ({ ev, t: h.runTimes[i]!, id: h.id })))
        .sort((a, b) => a.ev - b.ev);
      for (let i = 1; i < fired.length; i++) {
        if (fired[i]!.t < fired[i - 1]!.t) expect.fail(`h${fired[i]!.id} fired at t=${fired[i]!.t} after h${fired[i - 1]!.id} at t=${fired[i - 1]!.t}`);
      }
      // The clock itself never goes back.
      for (let i = 1; i < r.events.length; i++) {
        if (r.events[i]!.t < r.events[i - 1]!.t) expect.fail(`the clock went back: ${r.events[i - 1]!.text} then ${r.events[i]!.text}`);
      }
    });
  });

  it('fires timers with distinct deadlines in deadline order', () => {
    // Two timers both scheduled at a loop time before either fires are in the heap
    // together before either is popped; the heap pops the smaller deadline first.
    forAllRuns((r) => {
      const fired = timers(r).filter((h) => h.runEvs.length === 1);
      for (const a of fired) {
        for (const b of fired) {
          if (!(a.when! < b.when!)) continue;
          if (Math.max(a.scheduledAt, b.scheduledAt) >= Math.min(a.runTimes[0]!, b.runTimes[0]!)) continue;
          if (a.runEvs[0]! > b.runEvs[0]!) {
            expect.fail(`h${a.id} (when=${a.when}) fired after h${b.id} (when=${b.when})\n${r.lines.join('\n')}`);
          }
        }
      }
    });
  });

  it('fires timers with equal deadlines in the order of a reference heapq (timer-heavy programs, compaction included)', () => {
    let compactions = 0;
    fc.assert(
      fc.property(loopProgramArb(TIMER_HEAVY), (program) => {
        const trace = (r: RecordsObserver): string[] => r.events.filter((e) => e.fact.kind === 'run').map((e) => `t=${e.t} ${e.text}`);
        const ref = new RefLoop();
        const expected = trace(recordScenario(program, () => ref));
        compactions += ref.compactions;
        expect(trace(recordScenario(program))).toEqual(expected);
      }),
      params(60),
    );
    // The generator must reach CPython's compaction path (> 100 timers, > 50 % cancelled).
    if (RUNS === undefined || RUNS >= 60) expect(compactions).toBeGreaterThan(0);
  });
});

describe('TimerHeap push / pop', () => {
  it('pop in the order of a reference heapq, equal keys included', () => {
    const opsArb = fc.array(fc.oneof(fc.constantFrom(0, 1, 1, 2, 0.1 + 0.2, 0.3), fc.constant('pop' as const)), { maxLength: 300 });
    fc.assert(
      fc.property(opsArb, (ops) => {
        const heap = new TimerHeap<{ _when: number; id: number }>();
        const ref: { when: number; id: number }[] = [];
        const popped: number[] = [];
        const expected: number[] = [];
        ops.forEach((op, id) => {
          if (op === 'pop') {
            if (heap.length > 0) popped.push(heap.pop().id);
            if (ref.length > 0) expected.push(refPop(ref).id);
          } else {
            heap.push({ _when: op, id });
            refPush(ref, { when: op, id });
          }
        });
        expect(popped).toEqual(expected);
        expect(heap.items.map((x) => x.id)).toEqual(ref.map((x) => x.id));
      }),
      params(300),
    );
  });
});

describe('Handle', () => {
  it('runs every handle not cancelled before running exactly once, and a cancelled one never', () => {
    forAllRuns((r) => {
      for (const h of r.handles) {
        const expected = h.cancelledBeforeRun ? 0 : 1;
        if (h.runEvs.length !== expected) {
          expect.fail(`h${h.id} (cancelled before run: ${h.cancelledBeforeRun}) ran ${h.runEvs.length} times`);
        }
      }
    });
  });
});

describe('Future', () => {
  it('ends in exactly one state and runs each done callback exactly once, in registration order', () => {
    forAllRuns((r) => {
      for (const f of [...r.futures, ...r.tasks]) {
        const effective = f.settles.filter((s) => s.ok);
        expect(effective.length, `${f.name}: settled more than once`).toBeLessThanOrEqual(1);
        const first = effective[0];
        if (first !== undefined) {
          const kind = first.how === 'cancel' ? 'cancelled' : first.how;
          expect(f.final.startsWith(kind), `${f.name} was settled with ${first.how}, ends ${f.final}`).toBe(true);
          // Every later attempt is refused.
          const i = f.settles.indexOf(first);
          expect(f.settles.slice(i + 1).every((s) => !s.ok)).toBe(true);
        }
        const runs = f.doneCbs.map((cb) => cb.length);
        if (f.final === 'pending') {
          expect(runs.every((n) => n === 0), `${f.name} is pending but a done callback ran`).toBe(true);
          expect(effective).toEqual([]);
          continue;
        }
        expect(runs.every((n) => n === 1), `${f.name}: done callbacks ran ${JSON.stringify(runs)} times`).toBe(true);
        for (const cb of f.doneCbs) expect(cb[0]!.state).toBe(f.final);
        const evs = f.doneCbs.map((cb) => cb[0]!.ev);
        expect(evs, `${f.name}: done callbacks out of registration order`).toEqual([...evs].sort((a, b) => a - b));
      }
    });
  });
});

describe('Task', () => {
  it('steps never overlap: currentTask is the task during its step, undefined between callbacks; a done task never steps again', () => {
    forAllRuns((r) => {
      const ended = new Set<string>();
      for (const e of r.events) {
        const kind = e.fact.kind;
        if (e.fact.kind === 'step') {
          if (e.overlaps || e.current !== e.who || e.fact.done) expect.fail(`bad step of ${e.who} (current ${e.current}): ${e.text}`);
          if (ended.has(e.who)) expect.fail(`${e.who} stepped after it ended`);
        } else if (kind === 'end') {
          ended.add(e.who);
        } else if (kind === 'run' || kind === 'doneCallback') {
          if (e.overlaps || e.current !== 'none') expect.fail(`callback inside a step (current ${e.current}): ${e.who} ${e.text}`);
        } else if (kind === 'exception') {
          expect.fail(e.text);
        }
      }
      // A task whose coroutine ended is done.
      for (const label of ended) expect(r.tasks.find((t) => t.name === `t:${label}`)!.final).not.toBe('pending');
    });
  });
});
