// Pictures of a run: a trace of a small program (two fetches, one of them too slow for
// its timeout, and a checksum computed in a worker thread) written as a Chrome Trace
// Event file (open trace.json in https://ui.perfetto.dev or chrome://tracing) and as a
// self-contained HTML timeline (open timeline.html in any browser). The files go to a
// fresh temporary folder (or the folder given), never into the repository.
// docs/testing.md "Pictures"; test/testing/timeline-chromium.test.ts renders this page.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blockingSleep, createTask, EventLoop, getRunningLoop, sleep, ThreadPoolExecutor, TimeoutError, waitFor, type Coro,
} from '../src/index.js';
import { buildTimeline, toChromeTrace, toTimelineHtml, Trace, trackTitle } from '../src/testing/index.js';

function* fetch(name: string, seconds: number): Coro<string> {
  yield* sleep(seconds);
  return name;
}

/** The traced program: returns what it printed. */
export function program(pool: ThreadPoolExecutor): () => Coro<string[]> {
  return function* main(): Coro<string[]> {
    const loop = getRunningLoop();
    const fast = createTask(fetch('fast', 1), { name: 'fast fetch' });
    const slow = createTask(fetch('slow', 3), { name: 'slow fetch' });
    const checksum = loop.runInExecutor(pool, function checksum() {
      blockingSleep(1.5);
      return 42;
    });
    const out = [`${yield* fast} after ${loop.time()} s`];
    try {
      yield* waitFor(slow, 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      out.push(`slow fetch timed out at ${loop.time()} s`);
    }
    out.push(`checksum ${yield* checksum} at ${loop.time()} s`);
    return out;
  };
}

/** Run the program with a trace attached; return the trace and what it printed. */
export function traceProgram(): { trace: Trace; printed: string[] } {
  const loop = new EventLoop();
  const pool = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'pool' });
  const trace = new Trace().attach(loop);
  try {
    const printed = loop.runUntilComplete(program(pool)());
    pool.shutdown();
    return { trace, printed };
  } finally {
    trace.detach();
    loop.close();
  }
}

/** Write timeline.html and trace.json into `dir` (default: a new temporary folder). */
export function writePictures(dir = mkdtempSync(join(tmpdir(), 'aiosim-pictures-'))): { dir: string; trace: Trace; printed: string[] } {
  const { trace, printed } = traceProgram();
  writeFileSync(join(dir, 'timeline.html'), toTimelineHtml(trace, { title: 'two fetches and a checksum' }));
  writeFileSync(join(dir, 'trace.json'), `${JSON.stringify(toChromeTrace(trace), null, 1)}\n`);
  return { dir, trace, printed };
}

export function main(): void {
  const { dir, trace, printed } = writePictures();
  for (const line of printed) console.log(line);
  const timeline = buildTimeline(trace);
  console.log('--- the timeline\'s rows');
  for (const [i, track] of timeline.tracks.entries()) {
    const slices = timeline.slices.filter((s) => s.track === i);
    console.log(`${trackTitle(track).padEnd(22)} ${slices.length} span${slices.length === 1 ? '' : 's'}: ${slices.map((s) => s.start).join(' ')}`);
  }
  const wakes = timeline.flows.filter((f) => f.kind === 'wake').map((f) => timeline.slices[f.to]!.name);
  console.log(`--- wake-up arrows (${wakes.length})`);
  for (const w of wakes) console.log(w);
  console.log('--- written (open them in a browser, and trace.json in https://ui.perfetto.dev)');
  console.log(join(dir, 'timeline.html'));
  console.log(join(dir, 'trace.json'));
}
