// What a Trace records for pictures: where each span (task step, callback run, thread
// turn) ends, what scheduled each step and callback, and simulated threads' turns.

import { describe, expect, it } from 'vitest';
import {
  blockingSleep, createTask, eagerTaskFactory, EventLoop, getRunningLoop, logging, ProcessPoolExecutor, sleep, threading,
  ThreadPoolExecutor, type Coro,
} from '../../src/index.js';
import { Trace, type TraceEvent } from '../../src/testing/index.js';
import { traced } from './_support.js';
import { captureStderr } from '../_support/stderr.js';

// The fields pictures use, by event index.
function spans(trace: Trace): string[] {
  return trace.events.map((e: TraceEvent, i) => {
    const f = e as TraceEvent & { endIndex?: number; endTime?: number; scheduledBy?: number; scheduledAfter?: number };
    const parts = [`${i}`, e.kind];
    if (f.endIndex !== undefined) parts.push(`ends before ${f.endIndex} at ${f.endTime}`);
    if (f.scheduledBy !== undefined) parts.push(`scheduled by ${f.scheduledBy} after ${f.scheduledAfter}`);
    return parts.join(' ');
  });
}

function* child(): Coro<number> {
  yield;
  return 1;
}

describe('Trace spans', () => {
  it('marks where each step and callback ends and which span scheduled it', () => {
    const trace = traced(function* main(): Coro<number> {
      const t = createTask(child());
      getRunningLoop().callSoon(function ping() {});
      return yield* t;
    });
    expect(trace.lines()).toEqual([
      '0.0 iteration 1',
      '0.0   main: start',
      '0.0   main: await child',
      '0.0 iteration 2',
      '0.0   child: start',
      '0.0   child: yield',
      '0.0   run ping()',
      '0.0 iteration 3',
      '0.0   child: resume',
      '0.0   child: done, result=1',
      '0.0 iteration 4',
      '0.0   main: resume after child',
      '0.0   main: done, result=1',
      '0.0 iteration 5',
      '0.0   run _run_until_complete_cb(main)',
    ]);
    // The task's first step and ping() were scheduled in main's first step; child's
    // second step by its first (a bare yield); main's wake-up by child's last step, which
    // schedules its done callbacks before the step ends (so before its `done` event).
    expect(spans(trace)).toEqual([
      '0 iteration',
      '1 step ends before 3 at 0',
      '2 suspend',
      '3 iteration',
      '4 step ends before 6 at 0 scheduled by 1 after 1',
      '5 suspend',
      '6 run ends before 7 at 0 scheduled by 1 after 1',
      '7 iteration',
      '8 step ends before 10 at 0 scheduled by 4 after 4',
      '9 done',
      '10 iteration',
      '11 step ends before 13 at 0 scheduled by 8 after 8',
      '12 done',
      '13 iteration',
      '14 run ends before 15 at 0 scheduled by 11 after 11',
    ]);
  });

  it('links a timer to its scheduled event and a wake-up to the done event before it', () => {
    const trace = traced(function* main(): Coro<void> {
      yield* sleep(1);
    });
    expect(trace.lines()).toEqual([
      '0.0 iteration 1',
      '0.0   main: start',
      '0.0   timer 1 scheduled at 1.0: _set_result_unless_cancelled(sleep future 1, None)',
      '0.0   main: await sleep future 1',
      '1.0 iteration 2',
      '1.0   timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)',
      '1.0   sleep future 1: done, result=None',
      '1.0 iteration 3',
      '1.0   main: resume after sleep future 1',
      '1.0   main: done, result=None',
      '1.0 iteration 4',
      '1.0   run _run_until_complete_cb(main)',
    ]);
    expect(spans(trace)).toEqual([
      '0 iteration',
      '1 step ends before 4 at 0',
      '2 timer',
      '3 suspend',
      '4 iteration',
      '5 timer ends before 7 at 1 scheduled by 1 after 2',
      '6 done',
      '7 iteration',
      '8 step ends before 10 at 1 scheduled by 5 after 6',
      '9 done',
      '10 iteration',
      '11 run ends before 12 at 1 scheduled by 8 after 8',
    ]);
  });

  it('ends a callback that blocks the loop when the blocking ends', () => {
    const trace = traced(function* main(): Coro<void> {
      getRunningLoop().callSoon(function busy() {
        blockingSleep(2);
      });
      yield* sleep(0);
    }, { kinds: ['run'] });
    expect(trace.lines()).toEqual(['0.0 run busy()', '2.0 run _run_until_complete_cb(main)']);
    expect(trace.events[0]).toMatchObject({ endIndex: 1, endTime: 2 });
  });

  it('records an eager task\'s first step as started by the step that created it', () => {
    const trace = traced(function* main(): Coro<number> {
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      return yield* createTask(child());
    }, { kinds: ['step', 'suspend', 'done'] });
    expect(trace.lines()).toEqual([
      '0.0 main: start',
      '0.0 child: start',
      '0.0 child: yield',
      '0.0 main: await child',
      '0.0 child: resume',
      '0.0 child: done, result=1',
      '0.0 main: resume after child',
      '0.0 main: done, result=1',
    ]);
    // main's first step was scheduled before the loop ran: nothing recorded scheduled it.
    expect(spans(trace).slice(0, 4)).toEqual([
      '0 step ends before 4 at 0',
      '1 step ends before 3 at 0 scheduled by 0 after 0',
      '2 suspend',
      '3 suspend',
    ]);
  });

  it('records the turns of simulated threads, busy until the sleeping they did ends', () => {
    const trace = traced(function* main(): Coro<void> {
      const loop = getRunningLoop();
      const done = loop.createFuture<void>();
      new threading.Thread({
        name: 'atomic',
        target: function atomic() {
          blockingSleep(2);
          loop.callSoonThreadsafe(function report() {});
        },
      }).start();
      new threading.Thread({
        name: 'stepper',
        target: function* stepper() {
          yield* blockingSleep(0.5);
          yield* blockingSleep(0.5);
          loop.callSoonThreadsafe(function finished() {
            done.setResult();
          });
        },
      }).start();
      yield* done;
      yield* sleep(2);
    }, { kinds: ['thread', 'run'] });
    // The atomic body runs at once and its call reaches the loop when its 2 seconds are
    // over; the generator body gives its turn away at each sleep.
    expect(trace.lines()).toEqual([
      '0.0 thread atomic: start, busy until 2.0',
      '0.0 thread stepper: start, busy until 0.5',
      '0.5 thread stepper: resume, busy until 1.0',
      '1.0 thread stepper: resume',
      '1.0 run finished()',
      '2.0 run report()',
      '3.0 run _run_until_complete_cb(main)',
    ]);
    expect(spans(trace)).toEqual([
      '0 thread ends before 1 at 2',
      '1 thread ends before 2 at 0.5',
      '2 thread ends before 3 at 1',
      '3 thread ends before 4 at 1',
      '4 run ends before 5 at 1 scheduled by 3 after 3',
      '5 run ends before 6 at 2 scheduled by 0 after 0',
      '6 run ends before 7 at 3',
    ]);
  });

  it('numbers threads that share a name', () => {
    const trace = traced(function* main(): Coro<void> {
      for (let i = 0; i < 2; i++) new threading.Thread({ name: 'w', target: () => undefined }).start();
      yield* sleep(0);
    }, { kinds: ['thread'] });
    expect(trace.lines()).toEqual(['0.0 thread w: start', '0.0 thread w#2: start']);
  });

  it('forgets what pointed into cleared events', () => {
    const loop = new EventLoop();
    const trace = new Trace().attach(loop);
    const task = loop.createTask(child());
    loop.callSoon(() => {
      trace.clear();
    });
    loop.runUntilComplete(task);
    trace.detach();
    loop.close();
    // child's resume was scheduled by its first step, whose event was cleared.
    expect(trace.lines()).toEqual([
      '0.0 iteration 2',
      '0.0   child: resume',
      '0.0   child: done, result=1',
      '0.0 iteration 3',
      '0.0   run _run_until_complete_cb(child)',
    ]);
    expect(spans(trace)).toEqual([
      '0 iteration',
      '1 step ends before 3 at 0',
      '2 done',
      '3 iteration',
      '4 run ends before 5 at 0 scheduled by 1 after 1',
    ]);
  });
});

describe('thread names in traces', () => {
  it('leave out the process-wide counters of default names, so a run traces the same text every time', () => {
    const once = (): string[] => traced(function* main(): Coro<void> {
      const pool = new ThreadPoolExecutor(1);
      yield* getRunningLoop().runInExecutor(pool, function* job(): Generator<unknown, void, unknown> {
        yield* blockingSleep(1);
      });
      const t = new threading.Thread({ target: () => undefined });
      t.start();
      pool.shutdown({ wait: false });
    }, { kinds: ['thread'] }).lines();
    const first = once();
    expect(first).toEqual([
      '0.0 thread ThreadPoolExecutor-?_0: start, busy until 1.0',
      '1.0 thread ThreadPoolExecutor-?_0: resume',
      '1.0 thread Thread-? (target): start',
      '1.0 thread ThreadPoolExecutor-?_0: resume',
    ]);
    expect(once()).toEqual(first);
  });

  it('leave out the counters of process pools and executor subclasses, in names and in values', () => {
    // Regression: a ProcessPoolExecutor's workers traced as ProcessPoolExecutor-1_0 in a
    // fresh process but -3_0 or -6_0 after earlier executors.
    class MyPool extends ThreadPoolExecutor {}
    let printed = '';
    const once = (): string[] => traced(function* main(): Coro<void> {
      const loop = getRunningLoop();
      const procs = new ProcessPoolExecutor(1);
      yield* loop.runInExecutor(procs, (x: number) => x + 1, 1);
      procs.shutdown({ wait: false });
      const mine = new MyPool(1);
      yield* loop.runInExecutor(mine, () => undefined);
      mine.shutdown({ wait: false });
      const t = new threading.Thread({ target: function work() {} });
      t.start();
      yield* sleep(0);
      // Shown by the last-resort handler too (stderr), with the real names.
      printed = captureStderr(() => logging.getLogger('asyncio').warning('%r %s %s', t, t.name, 'ProcessPoolExecutor-4_0'));
    }, { kinds: ['thread', 'log'] }).lines();
    const first = once();
    expect(printed).toMatch(/^<Thread\(Thread-\d+ \(work\), stopped \d+\)> Thread-\d+ \(work\) ProcessPoolExecutor-4_0\n$/);
    expect(first).toEqual([
      '0.0 thread ProcessPoolExecutor-?_0: start',
      '0.0 thread ProcessPoolExecutor-?_0: resume',
      '0.0 thread MyPool-?_0: start',
      '0.0 thread MyPool-?_0: resume',
      '0.0 thread Thread-? (work): start',
      '0.0 log WARNING asyncio: <Thread(Thread-? (work), stopped ?)> Thread-? (work) ProcessPoolExecutor-?_0',
    ]);
    new ProcessPoolExecutor(1);
    new MyPool(1);
    new threading.Thread();
    expect(once()).toEqual(first);
  });
});
