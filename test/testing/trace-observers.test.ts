// Observers never change the run: a traced program behaves exactly as the untraced one,
// whatever its values do when printed (a toString that throws, a result of 10^6 items),
// and an error inside the trace itself is contained and recorded as an observer error.

import { describe, expect, it } from 'vitest';
import { EventLoop, Future, sleep, type Coro } from '../../src/index.js';
import { buildTimeline, formatLoopState, loopState, Trace } from '../../src/testing/index.js';
import { captureAsyncioLogs } from '../_support/capture.js';

/** A value whose repr cannot be taken: its toString throws (Python: a __repr__ raising). */
class Bad {
  toString(): string {
    throw new Error('no str');
  }
}

interface Run {
  out: string[];
  logs: string[];
}

/**
 * Run `body` on a fresh loop, traced by `trace` if given: what the program printed and
 * what asyncio logged.
 */
function runProgram(body: (loop: EventLoop, out: string[]) => void, trace?: Trace): Run {
  const out: string[] = [];
  const records = captureAsyncioLogs(() => {
    const loop = new EventLoop();
    trace?.attach(loop);
    try {
      body(loop, out);
    } finally {
      trace?.detach();
      loop.close();
    }
  });
  return { out, logs: records.map((r) => r.getMessage().split('\n')[0]!) };
}

// A waiter on a future resolved with a Bad, and a task returning a Bad.
function badValues(loop: EventLoop, out: string[]): void {
  const fut = loop.createFuture<Bad>();
  function* waiter(): Coro<void> {
    const v = yield* fut;
    out.push(`waiter woke at ${loop.time()} with a Bad: ${v instanceof Bad}`);
  }
  function* child(): Coro<Bad> {
    yield* sleep(2);
    return new Bad();
  }
  loop.callLater(1, () => fut.setResult(new Bad()));
  const w = loop.createTask(waiter());
  const c = loop.createTask(child());
  loop.runUntilComplete(w);
  out.push(`child returned a Bad: ${loop.runUntilComplete(c) instanceof Bad}`);
}

describe('Trace as an observer', () => {
  it('changes nothing when a future or task result cannot be printed, and shows it as reprlib does', () => {
    // Before: the trace's repr ran before the done callbacks were scheduled and threw, so
    // the waiter never woke; for the task it logged 'Exception in callback <TaskStepMethWrapper>'.
    const untraced = runProgram(badValues);
    const trace = new Trace();
    const traced = runProgram(badValues, trace);
    expect(untraced).toEqual({ out: ['waiter woke at 1 with a Bad: true', 'child returned a Bad: true'], logs: [] });
    expect(traced).toEqual(untraced);
    expect(trace.observerErrors).toEqual([]);
    expect(trace.lines().filter((l) => l.includes('done'))).toEqual([
      '1.0   future 1: done, result=<Bad instance at 0x?>',
      '1.0   waiter: done, result=None',
      '2.0   sleep future 1: done, result=None',
      '2.0   child: done, result=<Bad instance at 0x?>',
    ]);
  });

  it('shows a callback argument that cannot be printed as reprlib does, in the trace and the loop state', () => {
    const trace = new Trace();
    const run = runProgram((loop, out) => {
      loop.callSoon(function cb(v: Bad, n: number) {
        out.push(`cb got a Bad: ${v instanceof Bad}, ${n}`);
      }, new Bad(), 1);
      out.push(formatLoopState(loopState(loop, { labels: trace.labels })).split('\n')[2]!);
      loop.runUntilIdle();
    }, trace);
    expect(run).toEqual({ out: ['  cb(<Bad instance at 0x?>, 1)', 'cb got a Bad: true, 1'], logs: [] });
    expect(trace.lines()).toContain('0.0   run cb(<Bad instance at 0x?>, 1)');
  });

  it('records a result of 10^6 items in a short line, as reprlib clips it', () => {
    const trace = new Trace();
    runProgram((loop) => {
      loop.createFuture<number[]>().setResult(Array.from({ length: 1e6 }, (_, i) => i));
      loop.callSoon(function cb(_s: string) {}, 'x'.repeat(1e6));
      loop.runUntilIdle();
    }, trace);
    expect(trace.lines()).toEqual([
      '0.0 future 1: done, result=[0, 1, 2, 3, 4, 5, ...]',
      '0.0 iteration 1',
      "0.0   run cb('xxxxxxxxxxxx...xxxxxxxxxxxxx')",
    ]);
  });

  it('contains an error inside the trace: the run is the untraced one, the error an observer error line', () => {
    // A future class whose name cannot be read: the trace cannot label it.
    class Unnamed extends Future<number> {}
    Object.defineProperty(Unnamed, 'name', {
      get(): string {
        throw new TypeError('no name');
      },
    });
    const program = (loop: EventLoop, out: string[]): void => {
      const fut = new Unnamed({ loop });
      function* waiter(): Coro<number> {
        const v = yield* fut;
        out.push(`woke at ${loop.time()} with ${v}`);
        return v;
      }
      loop.callLater(1, () => fut.setResult(7));
      out.push(`result ${loop.runUntilComplete(loop.createTask(waiter()))}`);
    };
    const untraced = runProgram(program);
    const trace = new Trace();
    expect(runProgram(program, trace)).toEqual(untraced);
    expect(untraced).toEqual({ out: ['woke at 1 with 7', 'result 7'], logs: [] });
    expect(trace.observerErrors.map((e) => (e as Error).message)).toEqual(['no name', 'no name', 'no name']);
    expect(trace.lines()).toEqual([
      '0.0 timer 1 scheduled at 1.0: <lambda>()',
      '0.0 iteration 1',
      '0.0   waiter: start',
      '0.0   observer error in stepEnd: TypeError: no name',
      '1.0 iteration 2',
      '1.0   timer 1 fires: <lambda>()',
      '1.0   observer error in futureDone: TypeError: no name',
      '1.0 iteration 3',
      '1.0   observer error in stepStart: TypeError: no name',
      '1.0   waiter: done, result=7',
      '1.0 iteration 4',
      '1.0   run _run_until_complete_cb(waiter)',
    ]);
    // The pictures and texts built from such a trace still work.
    expect(buildTimeline(trace).tracks.map((t) => t.name)).toEqual(['loop', 'waiter']);
  });
});
