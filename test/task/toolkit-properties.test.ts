// Property tests of the task toolkit (gather, waitFor, cancellation through gather and
// TaskGroup, run()'s shutdown) over random inputs. A failure prints the seed to replay:
//   AIOSIM_SEED=<seed> npx vitest run test/task/toolkit-properties.test.ts
// AIOSIM_RUNS=<n> sets the number of runs of every property.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allTasks, asyncWith, CancelledError, createTask, EventLoop, gather, getRunningLoop, run, sleep, Task, TaskGroup,
  TimeoutError, ValueError, waitFor, type Coro, type Future,
} from '../../src/index.js';
import { captureAsyncioLogs } from '../_support/capture.js';

const SEED = process.env.AIOSIM_SEED === undefined ? undefined : Number(process.env.AIOSIM_SEED);
const RUNS = process.env.AIOSIM_RUNS === undefined ? undefined : Number(process.env.AIOSIM_RUNS);
const FILE = 'test/task/toolkit-properties.test.ts';

/** Check `property`; on failure throw fast-check's report with the command that replays it. */
function check<T>(property: fc.IProperty<T>, defaultRuns: number): void {
  const seed = SEED ?? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const details = fc.check(property, { numRuns: RUNS ?? defaultRuns, seed });
  if (details.failed || details.interrupted) {
    const cause = details.errorInstance instanceof Error ? `\n${details.errorInstance.message}` : '';
    throw new Error(`${fc.defaultReportMessage(details)}${cause}\nReplay: AIOSIM_SEED=${seed} npx vitest run ${FILE}`);
  }
}

// Delays with zero and repeated values (equal deadlines).
const DELAYS = [0, 0, 0.1, 0.25, 0.5, 0.5, 1, 1, 2] as const;
const delayArb = fc.constantFrom(...DELAYS);

// ---- (a) gather -------------------------------------------------------------------

/** One gather argument: a sleeper coroutine, a task, a future set by a timer, or an earlier argument again. */
type GatherArg = { kind: 'coro' | 'task' | 'future'; delay: number } | { kind: 'again'; ref: number };

const gatherArgArb: fc.Arbitrary<GatherArg> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('coro', 'task', 'future'), delay: delayArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('again'), ref: fc.nat({ max: 20 }) }) },
);

describe('gather (property)', () => {
  it('returns the results in argument order and finishes exactly at the largest delay', () => {
    const prop = fc.property(fc.array(gatherArgArb, { maxLength: 12 }), (args) => {
      const finishedAt: number[] = [];
      const expected: number[] = [];
      const delays: number[] = [];
      function* main(): Coro<void> {
        const loop = getRunningLoop();
        function* sleeper(i: number, d: number): Coro<number> {
          yield* sleep(d);
          finishedAt[i] = loop.time();
          return i;
        }
        const aws: (Future<number> | Coro<number>)[] = [];
        for (const a of args) {
          const i = aws.length;
          if (a.kind === 'again') {
            if (i === 0) continue;
            const j = a.ref % i;
            aws.push(aws[j]!);
            expected.push(expected[j]!);
            continue;
          }
          delays[i] = a.delay;
          expected.push(i);
          if (a.kind === 'coro') aws.push(sleeper(i, a.delay));
          else if (a.kind === 'task') aws.push(createTask(sleeper(i, a.delay)));
          else {
            const f = loop.createFuture<number>();
            loop.callLater(a.delay, () => {
              finishedAt[i] = loop.time();
              f.setResult(i);
            });
            aws.push(f);
          }
        }
        const start = loop.time();
        const result = yield* gather(...aws);
        expect(result).toEqual(expected);
        expect(loop.time() - start).toBe(Math.max(0, ...delays.filter((d) => d !== undefined)));
        delays.forEach((d, i) => expect(finishedAt[i]).toBe(d));
      }
      run(main());
    });
    check(prop, 1000);
  });
});

// ---- (b) waitFor ------------------------------------------------------------------

interface WaitForCase {
  /** Pass a task (created before the call) instead of a coroutine. */
  asTask: boolean;
  /** For a task: how long the caller sleeps before calling waitFor (it may be done by then). */
  before: number;
  /** The inner coroutine's sleeps; `swallow` catches a CancelledError there and goes on. */
  steps: { delay: number; swallow: boolean }[];
  /** How the inner coroutine ends after its steps. */
  ending: 'return' | 'throw';
  timeout: number | undefined;
  /** When a timer cancels the caller (undefined: never). */
  cancelCallerAt: number | undefined;
}

const waitForCaseArb: fc.Arbitrary<WaitForCase> = fc.record({
  asTask: fc.boolean(),
  before: fc.constantFrom(0, 0.25, 1),
  steps: fc.array(fc.record({ delay: delayArb, swallow: fc.boolean() }), { maxLength: 4 }),
  ending: fc.constantFrom('return', 'throw'),
  timeout: fc.constantFrom(undefined, -1, 0, 0.1, 0.25, 0.5, 1, 2),
  cancelCallerAt: fc.constantFrom(undefined, 0, 0.1, 0.25, 0.5, 1),
});

describe('waitFor (property)', () => {
  it('never lets the awaitable outlive the call: once waitFor returns or throws, it is done', () => {
    const prop = fc.property(waitForCaseArb, (c) => {
      let called = false;
      let started = false;
      let exited = false;
      const seen: { outcome: string; taskDone: boolean; started: boolean; exited: boolean; closed: boolean }[] = [];
      function* inner(): Coro<string> {
        started = true;
        try {
          for (const s of c.steps) {
            try {
              yield* sleep(s.delay);
            } catch (e) {
              if (!(e instanceof CancelledError) || !s.swallow) throw e;
            }
          }
          if (c.ending === 'throw') throw new ValueError('inner');
          return 'value';
        } finally {
          exited = true;
        }
      }
      function* caller(): Coro<void> {
        const coro = inner();
        const task = c.asTask ? createTask(coro) : undefined;
        if (task !== undefined) yield* sleep(c.before);
        let outcome = 'returned';
        try {
          called = true;
          yield* waitFor(task ?? coro, c.timeout);
        } catch (e) {
          outcome = (e as Error).constructor.name;
          if (!(e instanceof CancelledError || e instanceof TimeoutError || e instanceof ValueError)) throw e;
        } finally {
          const wasStarted = started;
          // A coroutine that never started must be closed (next() must not start it).
          const closed = wasStarted || (coro.next().done === true && !started);
          seen.push({ outcome, taskDone: task === undefined || task.done(), started: wasStarted, exited, closed });
        }
      }
      function* main(): Coro<void> {
        const loop = getRunningLoop();
        const t = createTask(caller());
        if (c.cancelCallerAt !== undefined) loop.callLater(c.cancelCallerAt, () => t.cancel());
        try {
          yield* t;
        } catch (e) {
          if (!(e instanceof CancelledError)) throw e;
        }
      }
      // An inner task that fails after its caller gave up logs 'Task exception was never retrieved'.
      captureAsyncioLogs(() => run(main()));
      if (!called) return;
      expect(seen).toHaveLength(1);
      const s = seen[0]!;
      // The one way out, as in CPython: with a timeout <= 0, waitFor cancels the task and
      // waits on a separate future, so cancelling the caller meanwhile abandons a task that
      // swallowed its cancellation (tasks._cancel_and_wait).
      const abandoned = c.timeout !== undefined && c.timeout <= 0 && s.outcome === 'CancelledError' && c.cancelCallerAt !== undefined;
      if (abandoned) return;
      expect(s.taskDone).toBe(true);
      expect(s.started ? s.exited : s.closed).toBe(true);
    });
    check(prop, 1000);
  });
});

// ---- (c) cancellation anywhere, then run()'s shutdown -------------------------------

/** A step of a random task body. */
type Node =
  | { k: 'sleep'; delay: number }
  | { k: 'gather'; children: Node[][]; returnExceptions: boolean }
  | { k: 'group'; children: Node[][] }
  /** createTask(body), never awaited: run() has to cancel it if it is still pending. */
  | { k: 'spawn'; body: Node[] }
  /** createTask(body), then await it. */
  | { k: 'await'; body: Node[] };

function bodyArb(depth: number): fc.Arbitrary<Node[]> {
  const sleepArb = fc.record({ k: fc.constant('sleep' as const), delay: delayArb });
  if (depth >= 3) return fc.array(sleepArb, { maxLength: 2 });
  const sub = bodyArb(depth + 1);
  const children = fc.array(sub, { maxLength: 3 });
  const node: fc.Arbitrary<Node> = fc.oneof(
    { weight: 4, arbitrary: sleepArb },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('gather' as const), children, returnExceptions: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('group' as const), children }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('spawn' as const), body: sub }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('await' as const), body: sub }) },
  );
  return fc.array(node, { maxLength: depth === 0 ? 5 : 3 });
}

/** Cancel the `target`-th task created so far (modulo), after `hops` callSoon hops or after `delay`. */
type Cancel = { via: 'soon'; hops: number; target: number } | { via: 'later'; delay: number; target: number };

const cancelArb: fc.Arbitrary<Cancel> = fc.oneof(
  fc.record({ via: fc.constant('soon' as const), hops: fc.nat({ max: 12 }), target: fc.nat({ max: 60 }) }),
  fc.record({ via: fc.constant('later' as const), delay: fc.constantFrom(0, 0.1, 0.25, 0.5, 1, 1.5, 3), target: fc.nat({ max: 60 }) }),
);

/** A loop that remembers which tasks were still pending when it was closed. */
class RecordingLoop extends EventLoop {
  pendingAtClose: Future<unknown>[] | undefined;

  override close(): void {
    if (!this.isClosed()) this.pendingAtClose = [...allTasks(this)];
    super.close();
  }
}

function* runBody(body: readonly Node[]): Coro<void> {
  for (const n of body) {
    switch (n.k) {
      case 'sleep':
        yield* sleep(n.delay);
        break;
      case 'gather':
        if (n.returnExceptions) yield* gather(...n.children.map(runBody), { returnExceptions: true });
        else yield* gather(...n.children.map(runBody));
        break;
      case 'group':
        yield* asyncWith(new TaskGroup(), function* (tg) {
          for (const child of n.children) tg.createTask(runBody(child));
        });
        break;
      case 'spawn':
        createTask(runBody(n.body));
        break;
      case 'await':
        yield* createTask(runBody(n.body));
        break;
    }
  }
}

describe('run() after random cancellations (property)', () => {
  it('leaves no task pending, whatever task is cancelled at whatever iteration', () => {
    const prop = fc.property(bodyArb(0), fc.array(cancelArb, { maxLength: 5 }), (body, cancels) => {
      const created: Task<unknown>[] = [];
      let loop: RecordingLoop | undefined;
      const loopFactory = (): EventLoop => {
        loop = new RecordingLoop();
        loop.setTaskFactory((l, coro, options) => {
          const t = new Task(coro, { loop: l, name: options?.name, context: options?.context });
          created.push(t);
          return t;
        });
        return loop;
      };
      const cancelOne = (target: number): void => {
        if (created.length > 0) created[target % created.length]!.cancel();
      };
      function* main(): Coro<void> {
        const l = getRunningLoop();
        for (const c of cancels) {
          if (c.via === 'later') {
            l.callLater(c.delay, cancelOne, c.target);
          } else {
            const hop = (left: number): void => {
              if (left === 0) cancelOne(c.target);
              else l.callSoon(hop, left - 1);
            };
            l.callSoon(hop, c.hops);
          }
        }
        yield* runBody(body);
      }
      let outcome = 'returned';
      const records = captureAsyncioLogs(() => {
        try {
          run(main(), { loopFactory });
        } catch (e) {
          outcome = (e as Error).constructor.name;
        }
      });
      expect(outcome).toMatch(/^(returned|CancelledError)$/);
      expect(loop!.isClosed()).toBe(true);
      expect(loop!.pendingAtClose).toEqual([]);
      expect(created.filter((t) => !t.done()).map((t) => t.getName())).toEqual([]);
      expect(records.map((r) => r.getMessage())).toEqual([]);
    });
    check(prop, 1000);
  });
});
