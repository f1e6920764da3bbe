// Trace: the loop's decisions as events and stable text. The order of decisions is
// CPython's: two programs are traced on CPython 3.13 itself (test/testing/trace_probe.py
// observes the same decisions in CPython's asyncio) and must give the same text.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, EventLoop, getRunningLoop, sleep, TimeoutError, waitFor, warnings, type Coro,
} from '../../src/index.js';
import { _tracer } from '../../src/log/trace-hook.js';
import { Trace, traceSerializer, withLoop, type TraceEvent } from '../../src/testing/index.js';
import { captureAsyncioLogs } from '../_support/capture.js';
import { cpythonTrace, startTasks, TASKS_PYTHON, traced, tracedRun } from './_support.js';

class ValueError extends Error {}

function* worker(n: number): Coro<number> {
  yield* sleep(n);
  return n * 2;
}

function* failing(): Coro<void> {
  yield* sleep(0.5);
  throw new ValueError('boom');
}

const tasksMain = function* main(): Coro<number> {
  const { fut, a, b, c } = startTasks(worker, failing);
  const x = yield* a;
  try {
    yield* c;
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
  }
  b.cancel();
  try {
    yield* b;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
  yield* sleep(0);
  return x + (yield* fut).length;
};

function boom(): void {
  throw new ValueError('in callback');
}

function* slow(): Coro<string> {
  yield* sleep(5);
  return 'slow';
}

const timeoutMain = function* main(): Coro<number> {
  const loop = getRunningLoop();
  const h = loop.callLater(3, function print() {}, 'never');
  loop.callSoon(boom);
  try {
    yield* waitFor(slow(), 1);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }
  h.cancel();
  const done = loop.createFuture<number>();
  done.setResult(7);
  yield* sleep(0);
  return yield* done;
};

const timeoutProgram = `
def boom():
    raise ValueError('in callback')

async def slow():
    await asyncio.sleep(5)
    return 'slow'

async def main():
    loop = asyncio.get_running_loop()
    h = loop.call_later(3, print, 'never')
    loop.call_soon(boom)
    try:
        await asyncio.wait_for(slow(), 1)
    except TimeoutError:
        pass
    h.cancel()
    done = loop.create_future()
    done.set_result(7)
    await asyncio.sleep(0)
    return await done
`;

describe('Trace', () => {
  it('records task steps, timers, futures and callbacks in the order CPython takes them', async () => {
    const expected = await cpythonTrace(TASKS_PYTHON);
    expect(expected.slice(0, 2)).toEqual(['hello', '6']);
    const { result, trace } = tracedRun(tasksMain);
    expect(result).toBe(6);
    expect(trace.lines()).toEqual(expected.slice(2));
  });

  it('records cancelled timers and log records in the order CPython takes them', async () => {
    const expected = await cpythonTrace(timeoutProgram);
    expect(expected[0]).toBe('7');
    let run: { result: number; trace: Trace } | undefined;
    captureAsyncioLogs(() => {
      run = tracedRun(timeoutMain);
    });
    expect(run!.result).toBe(7);
    expect(run!.trace.lines()).toEqual(expected.slice(1));
  });

  it('serialises to the same text on every run, whatever ran before in the process', () => {
    const first = String(traced(tasksMain));
    // Tasks, futures and objects made meanwhile move process-wide counters and ids.
    withLoop(function* () {
      yield* createTask(worker(0.1));
    });
    expect(String(traced(tasksMain))).toBe(first);
  });

  it('snapshots as its text', () => {
    const trace = traced(function* main(): Coro<number> {
      return yield* createTask(worker(1));
    });
    expect(trace).toMatchInlineSnapshot(`
      "0.0 iteration 1
      0.0   main: start
      0.0   main: await worker
      0.0 iteration 2
      0.0   worker: start
      0.0   timer 1 scheduled at 1.0: _set_result_unless_cancelled(sleep future 1, None)
      0.0   worker: await sleep future 1
      1.0 iteration 3
      1.0   timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)
      1.0   sleep future 1: done, result=None
      1.0 iteration 4
      1.0   worker: resume after sleep future 1
      1.0   worker: done, result=2
      1.0 iteration 5
      1.0   main: resume after worker
      1.0   main: done, result=2
      1.0 iteration 6
      1.0   run _run_until_complete_cb(main)"
    `);
  });

  it('snapshots as bare lines with traceSerializer', () => {
    expect.addSnapshotSerializer(traceSerializer);
    const trace = traced(function* main(): Coro<void> {
      yield;
    });
    expect(trace).toMatchInlineSnapshot(`
      0.0 iteration 1
      0.0   main: start
      0.0   main: yield
      0.0 iteration 2
      0.0   main: resume
      0.0   main: done, result=None
      0.0 iteration 3
      0.0   run _run_until_complete_cb(main)
    `);
  });

  it('records only the kinds asked for', () => {
    const trace = traced(() => worker(2), { kinds: ['timer', 'done'] });
    expect(trace.lines()).toEqual([
      '0.0 timer 1 scheduled at 2.0: _set_result_unless_cancelled(sleep future 1, None)',
      '2.0 timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)',
      '2.0 sleep future 1: done, result=None',
      '2.0 worker: done, result=4',
    ]);
  });

  it('gives each event its time and iteration, 0 outside a running loop', () => {
    const loop = new EventLoop({ start: 10 });
    const trace = new Trace().attach(loop);
    const tick = loop.callLater(1, function tick() {});
    const late = loop.callLater(5, function late() {});
    loop.runUntilComplete(sleep(1));
    tick.cancel();
    late.cancel();
    trace.detach();
    loop.close();
    expect(trace.events.map((e: TraceEvent) => [e.kind, e.time, e.iteration])).toEqual([
      ['timer', 10, 0],
      ['timer', 10, 0],
      ['iteration', 10, 1],
      ['step', 10, 1],
      ['timer', 10, 1],
      ['suspend', 10, 1],
      ['iteration', 11, 2],
      ['timer', 11, 2],
      ['timer', 11, 2],
      ['done', 11, 2],
      ['iteration', 11, 3],
      ['step', 11, 3],
      ['done', 11, 3],
      ['iteration', 11, 4],
      ['run', 11, 4],
      ['timer', 11, 0],
    ]);
    // Equal deadlines fire in heapq order; cancelling the timer that fired records nothing.
    expect(trace.lines()).toEqual([
      '10.0 timer 1 scheduled at 11.0: tick()',
      '10.0 timer 2 scheduled at 15.0: late()',
      '10.0 iteration 1',
      '10.0   sleep: start',
      '10.0   timer 3 scheduled at 11.0: _set_result_unless_cancelled(sleep future 1, None)',
      '10.0   sleep: await sleep future 1',
      '11.0 iteration 2',
      '11.0   timer 1 fires: tick()',
      '11.0   timer 3 fires: _set_result_unless_cancelled(sleep future 1, None)',
      '11.0   sleep future 1: done, result=None',
      '11.0 iteration 3',
      '11.0   sleep: resume after sleep future 1',
      '11.0   sleep: done, result=None',
      '11.0 iteration 4',
      '11.0   run _run_until_complete_cb(sleep)',
      '11.0 timer 2 cancelled',
    ]);
  });

  it('records warnings, raised ones marked', () => {
    const loop = new EventLoop();
    const trace = new Trace({ kinds: ['warning'] }).attach(loop);
    warnings.catchWarnings({ record: true }, () => {
      warnings.simplefilter('always');
      warnings.warn('shown', warnings.RuntimeWarning);
      warnings.simplefilter('error');
      expect(() => warnings.warn('raised', warnings.DeprecationWarning)).toThrow('raised');
    });
    trace.detach();
    loop.close();
    expect(trace.lines()).toEqual([
      '0.0 warning RuntimeWarning: shown',
      '0.0 warning DeprecationWarning (raised): raised',
    ]);
  });

  it('records only its own loop, and nothing once detached', () => {
    const loop = new EventLoop();
    const other = new EventLoop();
    const trace = new Trace().attach(loop);
    other.runUntilComplete(worker(1));
    expect(trace.events).toEqual([]);
    trace.detach();
    expect(_tracer).toBeUndefined();
    loop.runUntilComplete(worker(1));
    expect(trace.events).toEqual([]);
    loop.close();
    other.close();
  });

  it('lets several traces record at once, each from its attachment on', () => {
    const loop = new EventLoop();
    const whole = new Trace({ kinds: ['timer'] }).attach(loop);
    loop.runUntilComplete(worker(1));
    const late = new Trace({ kinds: ['timer'] }).attach(loop);
    loop.runUntilComplete(worker(2));
    whole.detach();
    late.detach();
    loop.close();
    expect(late.lines()).toEqual([
      '1.0 timer 1 scheduled at 3.0: _set_result_unless_cancelled(sleep future 1, None)',
      '3.0 timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)',
    ]);
    expect(whole.lines().slice(2)).toEqual([
      '1.0 timer 2 scheduled at 3.0: _set_result_unless_cancelled(sleep future 2, None)',
      '3.0 timer 2 fires: _set_result_unless_cancelled(sleep future 2, None)',
    ]);
    whole.clear();
    expect(whole.lines()).toEqual([]);
  });

  it('refuses a second attachment', () => {
    const loop = new EventLoop();
    const trace = new Trace().attach(loop);
    try {
      expect(() => trace.attach(loop)).toThrow(/^this trace is already attached to a loop; detach\(\) it first$/);
    } finally {
      trace.detach();
      loop.close();
    }
  });

  it('names tasks by their name, else their coroutine, numbering namesakes', () => {
    const trace = traced(function* main(): Coro<void> {
      const a = createTask(worker(0));
      const b = createTask(worker(0));
      const c = createTask(worker(0), { name: 'w' });
      yield* a;
      yield* b;
      yield* c;
    });
    const starts = trace.events.filter((e) => e.kind === 'step' && e.action === 'start').map((e) => e.kind === 'step' && e.task);
    expect(starts).toEqual(['main', 'worker', 'worker#2', 'w']);
  });
});
