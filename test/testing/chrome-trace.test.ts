// toChromeTrace: a trace in the Chrome Trace Event Format. Every output is checked against
// the format's rules (what Perfetto and chrome://tracing need), and the mapping from
// virtual time to microseconds is checked to the number.

import { describe, expect, it } from 'vitest';
import {
  blockingSleep, createTask, eagerTaskFactory, getRunningLoop, sleep, ThreadPoolExecutor, ValueError, type Coro,
} from '../../src/index.js';
import { toChromeTrace, Trace, type ChromeTrace, type ChromeTraceEvent } from '../../src/testing/index.js';
import { traceProgram } from '../../examples/12-pictures.js';
import { traced } from './_support.js';

/**
 * The rules of the Trace Event Format that aiosim's output must keep: every event has a
 * name, phase, pid and tid; slices have a numeric ts and a dur >= 0; every tid used is
 * named by metadata; flows come in s/f pairs of one id, cat and name, the f binding to
 * the enclosing slice (bp 'e'), each end inside a slice of its own track; slices on a
 * track nest (no partial overlap).
 */
function checkFormat(json: ChromeTrace): void {
  expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  const events = json.traceEvents;
  const named = new Set<number>();
  const slices = new Map<number, ChromeTraceEvent[]>();
  for (const e of events) {
    expect(typeof e.name).toBe('string');
    expect(['X', 'i', 's', 'f', 'M']).toContain(e.ph);
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    if (e.ph === 'M') {
      if (e.name === 'thread_name') named.add(e.tid);
      continue;
    }
    expect(Number.isFinite(e.ts)).toBe(true);
    if (e.ph === 'X') {
      expect(e.dur).toBeGreaterThanOrEqual(0);
      slices.set(e.tid, [...(slices.get(e.tid) ?? []), e]);
    }
  }
  for (const e of events) if (e.ph !== 'M') expect(named.has(e.tid), `tid ${e.tid} is named`).toBe(true);
  const inside = (e: ChromeTraceEvent): boolean =>
    (slices.get(e.tid) ?? []).some((s) => s.cat !== 'wait' && s.ts! <= e.ts! && e.ts! < s.ts! + s.dur!);
  const starts = events.filter((e) => e.ph === 's');
  const ends = events.filter((e) => e.ph === 'f');
  expect(ends.map((e) => e.id)).toEqual(starts.map((e) => e.id));
  expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
  starts.forEach((s, k) => {
    const f = ends[k]!;
    expect([f.cat, f.name, f.bp]).toEqual([s.cat, s.name, 'e']);
    expect(s.ts!).toBeLessThan(f.ts!);
    expect(inside(s), `flow ${s.id} starts inside a slice`).toBe(true);
    expect(inside(f), `flow ${f.id} ends inside a slice`).toBe(true);
  });
  for (const list of slices.values()) {
    const sorted = [...list].sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const open: ChromeTraceEvent[] = [];
    for (const s of sorted) {
      while (open.length > 0 && open.at(-1)!.ts! + open.at(-1)!.dur! <= s.ts!) open.pop();
      const parent = open.at(-1);
      if (parent !== undefined) expect(s.ts! + s.dur!, `${s.name} nests in ${parent.name}`).toBeLessThanOrEqual(parent.ts! + parent.dur!);
      open.push(s);
    }
  }
}

function* worker(): Coro<number> {
  yield* sleep(1);
  return 2;
}

describe('toChromeTrace', () => {
  it('keeps the format\'s rules for tasks, callbacks, timers, threads and eager tasks', () => {
    checkFormat(toChromeTrace(traceProgram().trace));
    checkFormat(toChromeTrace(traced(function* main(): Coro<number> {
      getRunningLoop().setTaskFactory(eagerTaskFactory);
      const a = createTask(worker());
      getRunningLoop().callSoon(function busy() {
        blockingSleep(0.25);
      });
      return (yield* a) + (yield* createTask(worker()));
    })));
    checkFormat(toChromeTrace(new Trace()));
  });

  it('names the process and one track per task, per thread and for the loop\'s callbacks, in order', () => {
    const json = toChromeTrace(traceProgram().trace, { name: 'example' });
    const meta = json.traceEvents.filter((e) => e.ph === 'M').map((e) => [e.name, e.tid, e.args]);
    expect(meta).toEqual([
      ['process_name', 0, { name: 'example' }],
      ['thread_name', 1, { name: 'loop callbacks' }], ['thread_sort_index', 1, { sort_index: 0 }],
      ['thread_name', 2, { name: 'main' }], ['thread_sort_index', 2, { sort_index: 1 }],
      ['thread_name', 3, { name: 'fast fetch' }], ['thread_sort_index', 3, { sort_index: 2 }],
      ['thread_name', 4, { name: 'slow fetch' }], ['thread_sort_index', 4, { sort_index: 3 }],
      ['thread_name', 5, { name: 'thread pool_0' }], ['thread_sort_index', 5, { sort_index: 4 }],
    ]);
  });

  it('places each event at its virtual time in microseconds plus its rank within the instant', () => {
    // Events: 0-3 at t=0 (iteration, main: start, timer scheduled, main: await), 4-11 at
    // t=1 (iteration, timer fires, future done, iteration, main: resume, main: done,
    // iteration, run). A slot is 1000 µs; a slice lasts until the end of its last event's.
    const json = toChromeTrace(traced(function* main(): Coro<void> {
      yield* sleep(1);
    }));
    expect(json.traceEvents.filter((e) => e.ph !== 'M').map(({ ph, name, cat, tid, ts, dur, id }) => ({ ph, name, cat, tid, ts, dur, id }))).toEqual([
      { ph: 'X', name: 'main: start', cat: 'step', tid: 2, ts: 1000, dur: 3000, id: undefined },
      { ph: 'X', name: 'timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)', cat: 'timer', tid: 1, ts: 1_001_000, dur: 2000, id: undefined },
      { ph: 'X', name: 'main: resume after sleep future 1', cat: 'step', tid: 2, ts: 1_004_000, dur: 2000, id: undefined },
      { ph: 'X', name: 'run _run_until_complete_cb(main)', cat: 'callback', tid: 1, ts: 1_007_000, dur: 1000, id: undefined },
      { ph: 'X', name: 'await sleep future 1', cat: 'wait', tid: 2, ts: 4000, dur: 1_000_000, id: undefined },
      { ph: 's', name: 'timer: timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)', cat: 'timer', tid: 2, ts: 2500, dur: undefined, id: 1 },
      { ph: 'f', name: 'timer: timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)', cat: 'timer', tid: 1, ts: 1_001_500, dur: undefined, id: 1 },
      { ph: 's', name: 'wake: main: resume after sleep future 1', cat: 'wake', tid: 1, ts: 1_002_500, dur: undefined, id: 2 },
      { ph: 'f', name: 'wake: main: resume after sleep future 1', cat: 'wake', tid: 2, ts: 1_004_500, dur: undefined, id: 2 },
      { ph: 's', name: 'call: run _run_until_complete_cb(main)', cat: 'call', tid: 2, ts: 1_004_500, dur: undefined, id: 3 },
      { ph: 'f', name: 'call: run _run_until_complete_cb(main)', cat: 'call', tid: 1, ts: 1_007_500, dur: undefined, id: 3 },
      { ph: 'i', name: 'sleep future 1: done, result=None', cat: 'done', tid: 1, ts: 1_002_500, dur: undefined, id: undefined },
    ]);
    const step = json.traceEvents.find((e) => e.name === 'main: resume after sleep future 1')!;
    expect(step.args).toEqual({ time: 1, end: 1, iteration: 3, outcome: 'done', events: ['1.0 main: resume after sleep future 1', '1.0 main: done, result=None'] });
  });

  it('narrows the slots where the next instant is closer, so instants never overlap', () => {
    // Four events at t=0 and the next instant 1000 µs later: slots of 1000 / 5 = 200 µs.
    const json = toChromeTrace(traced(function* main(): Coro<void> {
      yield* sleep(0.001);
    }));
    const first = json.traceEvents.find((e) => e.name === 'main: start')!;
    expect([first.ts, first.dur]).toEqual([200, 600]);
    const wait = json.traceEvents.find((e) => e.cat === 'wait')!;
    expect([wait.ts, wait.ts! + wait.dur!]).toEqual([800, 1000 + 4 * 1000]);
    expect(toChromeTrace(traced(function* main(): Coro<void> {
      yield* sleep(0.001);
    }), { slotMicros: 10 }).traceEvents.find((e) => e.name === 'main: start')).toMatchObject({ ts: 10, dur: 30 });
  });

  it('shows a thread busy until the sleeping in its turn ends', () => {
    const pool = new ThreadPoolExecutor(1);
    const json = toChromeTrace(traced(function* main(): Coro<number> {
      return yield* getRunningLoop().runInExecutor(pool, function job() {
        blockingSleep(2);
        return 1;
      });
    }));
    pool.shutdown();
    const turn = json.traceEvents.find((e) => e.cat === 'thread')!;
    expect(turn).toMatchObject({ name: 'thread ThreadPoolExecutor-?_0: start, busy until 2.0', ph: 'X' });
    expect(turn.ts! + turn.dur!).toBe(2_000_000);
    expect(turn.args).toMatchObject({ time: 0, end: 2 });
  });

  it('gives times without float noise: ts to the nanosecond, args rounded to the clock resolution', () => {
    const json = toChromeTrace(traced(function* main(): Coro<void> {
      for (let i = 0; i < 3; i++) yield* sleep(0.1);
    }));
    checkFormat(json);
    // The third sleep ends at 0.30000000000000004.
    const step = json.traceEvents.find((e) => e.name === 'main: resume after sleep future 3')!;
    expect(step.ts).toBe(300_000 + 4 * 1000);
    expect(step.args).toMatchObject({ time: 0.3, end: 0.3, events: ['0.3 main: resume after sleep future 3', '0.3 main: done, result=None'] });
    expect(JSON.stringify(json)).not.toMatch(/\d\.\d*0000000\d/);
  });

  it('gives the same JSON for the same program', () => {
    const once = JSON.stringify(toChromeTrace(traceProgram().trace));
    traced(worker);
    expect(JSON.stringify(toChromeTrace(traceProgram().trace))).toBe(once);
  });

  it('refuses a slot that is not a finite number of microseconds > 0', () => {
    for (const [slot, text] of [[0, '0'], [-1, '-1'], [NaN, 'nan'], [Infinity, 'inf']] as const) {
      expect(() => toChromeTrace(new Trace(), { slotMicros: slot })).toThrow(ValueError);
      expect(() => toChromeTrace(new Trace(), { slotMicros: slot })).toThrow(new RegExp(`^slotMicros must be a finite number of microseconds > 0, got ${text}$`));
    }
    expect(() => toChromeTrace(new Trace(), { slotMicros: '5' as never })).toThrow(TypeError);
  });
});
