// buildTimeline: a trace as tracks, slices, waits, flows and marks (what the pictures
// draw). The flows say which step or callback scheduled which: the same program run in
// CPython 3.13, with call_soon / call_at watched, must give the same links.

import { describe, expect, it } from 'vitest';
import {
  createTask, Event, EventLoop, gather, getRunningLoop, sleep, TimeoutError, waitFor, type Coro,
} from '../../src/index.js';
import { buildTimeline, Trace, trackTitle, type Timeline, type TimelineSlice } from '../../src/testing/index.js';
import { runPython } from '../scenario/oracle/cpython.js';
import { TRACE_PROBE, traced } from './_support.js';

function* worker(): Coro<number> {
  yield* sleep(1);
  return 2;
}

const small = function* main(): Coro<number> {
  const t = createTask(worker());
  getRunningLoop().callSoon(function ping() {});
  return yield* t;
};

// ---- the same program in CPython, with the span that scheduled each handle printed ----

// Appended to trace_probe.py: a stack of running spans (task steps, callbacks) and, for
// each handle call_soon / call_at makes, the span running then.
const flowProbe = `
flow_lines = []
span_stack = []
causes = {}

# asyncio's own nested functions by their qualified name, as asyncio's reprs (and aiosim's
# labels) show them: gather.<locals>._done_callback.
def cbtext_q(cb, args):
    if not hasattr(cb, '__self__') and getattr(cb, '__module__', '').startswith('asyncio'):
        return f"{cb.__qualname__}({', '.join(value(a) for a in args)})"
    return cbtext(cb, args)

def _span_of(h):
    cb = h._callback
    owner = getattr(cb, '__self__', None)
    if isinstance(owner, _T) and getattr(cb, '__func__', None) in (_T._Task__step, _wakeup):
        return 'task ' + label(owner), True
    if isinstance(h, asyncio.TimerHandle):
        return label(h) + ' fires', False
    return 'run ' + cbtext_q(cb, h._args), False

_probe_run = asyncio.events.Handle._run
def _flow_run(self):
    cause = causes.pop(id(self), None)
    target, is_task = _span_of(self)
    if cause is not None:
        flow_lines.append(target + ' <- ' + cause[1])
    if not is_task:
        span_stack.append(target)
    try:
        return _probe_run(self)
    finally:
        if not is_task:
            span_stack.pop()
asyncio.events.Handle._run = _flow_run

_probe_step = _T._Task__step_run_and_handle_result
def _flow_step(self, exc):
    span_stack.append('task ' + label(self))
    try:
        return _probe_step(self, exc)
    finally:
        span_stack.pop()
_T._Task__step_run_and_handle_result = _flow_step

def attach_flows(loop):
    call_soon = loop.call_soon
    def watched_call_soon(cb, *args, context=None):
        h = call_soon(cb, *args, context=context)
        if span_stack:
            causes[id(h)] = (h, span_stack[-1])
        return h
    loop.call_soon = watched_call_soon
    call_at = loop.call_at
    def watched_call_at(when, cb, *args, context=None):
        h = call_at(when, cb, *args, context=context)
        if span_stack:
            causes[id(h)] = (h, span_stack[-1])
        return h
    loop.call_at = watched_call_at

def dump_flows():
    for line in flow_lines:
        print(line)
`;

function* fetch(name: string, seconds: number): Coro<string> {
  yield* sleep(seconds);
  return name;
}

function* waiter(ev: Event): Coro<string> {
  yield* ev.wait();
  return 'woken';
}

const flowsMain = function* main(): Coro<string[]> {
  const loop = getRunningLoop();
  const ev = new Event();
  const fast = createTask(fetch('fast', 1), { name: 'fast fetch' });
  const slow = createTask(fetch('slow', 3), { name: 'slow fetch' });
  const w = createTask(waiter(ev));
  loop.callLater(0.5, function setEvent() {
    ev.set();
  });
  loop.callSoon(function note() {}, 1);
  const out = [yield* fast];
  try {
    yield* waitFor(slow, 1);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    out.push('timeout');
  }
  out.push(...(yield* gather(w, fetch('again', 0.5))));
  yield* sleep(0);
  return out;
};

const flowsProgram = `
async def fetch(name, seconds):
    await asyncio.sleep(seconds)
    return name

async def waiter(ev):
    await ev.wait()
    return 'woken'

async def main():
    loop = asyncio.get_running_loop()
    ev = asyncio.Event()
    fast = asyncio.create_task(fetch('fast', 1), name='fast fetch')
    slow = asyncio.create_task(fetch('slow', 3), name='slow fetch')
    w = asyncio.create_task(waiter(ev))
    def setEvent():
        ev.set()
    loop.call_later(0.5, setEvent)
    def note(x):
        pass
    loop.call_soon(note, 1)
    out = [await fast]
    try:
        await asyncio.wait_for(slow, 1)
    except TimeoutError:
        out.append('timeout')
    out += await asyncio.gather(w, fetch('again', 0.5))
    await asyncio.sleep(0)
    return out

loop = asyncio.new_event_loop()
attach(loop)
attach_flows(loop)
print(loop.run_until_complete(main()))
loop.close()
dump_flows()
`;

// A slice as the CPython probe names a span.
function spanName(timeline: Timeline, s: TimelineSlice): string {
  const e = timeline.events[s.first]!;
  if (e.kind === 'step') return `task ${e.task}`;
  if (e.kind === 'timer') return `${e.timer} fires`;
  if (e.kind === 'run') return `run ${e.callback}`;
  return e.kind;
}

describe('buildTimeline', () => {
  it('links each step and callback to the span that scheduled it, as CPython does', async () => {
    const out = (await runPython(`${TRACE_PROBE}\n${flowProbe}\n${flowsProgram}`, 'prog.py')).trimEnd().split('\n');
    expect(out[0]).toBe("['fast', 'timeout', 'woken', 'again']");
    const results: unknown[] = [];
    const trace = traced(function* main(): Coro<void> {
      results.push(...(yield* flowsMain()));
    });
    expect(results).toEqual(['fast', 'timeout', 'woken', 'again']);
    const timeline = buildTimeline(trace);
    const flows = timeline.flows.map((f) => `${spanName(timeline, timeline.slices[f.to]!)} <- ${spanName(timeline, timeline.slices[f.from]!)}`);
    expect(flows.length).toBeGreaterThan(15);
    expect(flows).toEqual(out.slice(1));
  });

  it('makes a track for the loop\'s callbacks, then one per task in order of appearance', () => {
    const timeline = buildTimeline(traced(small));
    expect(timeline.tracks).toEqual([
      { kind: 'loop', name: 'loop' },
      { kind: 'task', name: 'main' },
      { kind: 'task', name: 'worker' },
    ]);
    expect(timeline.tracks.map(trackTitle)).toEqual(['loop callbacks', 'main', 'worker']);
  });

  it('makes a slice of each step, callback and timer run, spanning its events', () => {
    const timeline = buildTimeline(traced(small));
    expect(timeline.slices.map((s) => [s.track, s.kind, s.name, s.first, s.last, s.start, s.end, s.outcome])).toEqual([
      [1, 'step', 'main: start', 1, 2, 0, 0, 'waiting'],
      [2, 'step', 'worker: start', 4, 6, 0, 0, 'waiting'],
      [0, 'callback', 'run ping()', 7, 7, 0, 0, undefined],
      [0, 'timer', 'timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)', 9, 10, 1, 1, undefined],
      [2, 'step', 'worker: resume after sleep future 1', 12, 13, 1, 1, 'done'],
      [1, 'step', 'main: resume after worker', 15, 16, 1, 1, 'done'],
      [0, 'callback', 'run _run_until_complete_cb(main)', 18, 18, 1, 1, undefined],
    ]);
  });

  it('makes a wait of what a task awaits between two steps', () => {
    const timeline = buildTimeline(traced(small));
    expect(timeline.waits).toEqual([
      { track: 1, after: 0, until: 5, awaits: 'worker' },
      { track: 2, after: 1, until: 4, awaits: 'sleep future 1' },
    ]);
  });

  it('links what scheduled each step and callback, a task\'s wake-up from its done event', () => {
    const timeline = buildTimeline(traced(small));
    expect(timeline.flows).toEqual([
      { kind: 'start', from: 0, at: 1, to: 1 },
      { kind: 'call', from: 0, at: 1, to: 2 },
      { kind: 'timer', from: 1, at: 5, to: 3 },
      { kind: 'wake', from: 3, at: 10, to: 4 },
      { kind: 'wake', from: 4, at: 13, to: 5 },
      { kind: 'call', from: 5, at: 15, to: 6 },
    ]);
    expect(timeline.marks).toEqual([{ track: 0, kind: 'done', at: 10, text: 'sleep future 1: done, result=None' }]);
  });

  it('leaves a task that never resumes waiting until the end, and a span cut by the end open', () => {
    const loop = new EventLoop();
    const trace = new Trace().attach(loop);
    const forever = loop.createFuture<void>();
    let during: Timeline | undefined;
    const task = loop.createTask((function* hang(): Coro<void> {
      during = buildTimeline(trace);
      yield* forever;
    })());
    loop.runUntilIdle();
    trace.detach();
    const after = buildTimeline(trace);
    task.cancel();
    loop.runUntilIdle();
    loop.close();
    // Built inside the step: the step has not ended.
    expect(during!.slices).toEqual([{ track: 1, kind: 'step', name: 'hang: start', first: 1, last: 1, start: 0, end: 0, outcome: 'open' }]);
    expect(after.slices.map((s) => s.outcome)).toEqual(['waiting']);
    expect(after.waits).toEqual([{ track: 1, after: 0, until: undefined, awaits: 'future 1' }]);
  });
});
