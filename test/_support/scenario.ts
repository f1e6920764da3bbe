// Shared test helpers: run a scenario on a fresh loop and record its [time, event]
// trace, mark loop iterations with a ticker, and name tasks relative to a first one.

import { EventLoop, repr, type Coro, type Future } from '../../src/index.js';
import { captureStderr } from './stderr.js';

/** `text` without the `  File "…", line N, in f` lines of its tracebacks. */
export function withoutFrames(text: string): string {
  return text.split('\n').filter((line) => !line.startsWith('  File ')).join('\n');
}

/** One trace entry: `[loop.time(), event]`, or `['return' | 'raised', repr]` at the end. */
export type TraceEvent = [number | string, string];

/** What a scenario's main coroutine gets: its loop and a logger into the trace. */
export interface Scene {
  loop: EventLoop;
  log: (event: string) => void;
  trace: TraceEvent[];
}

/**
 * Run `main` with `loop.runUntilComplete` on a new loop, close the loop, and return the
 * trace ending with `['return', repr(result)]` or `['raised', repr(error)]`, then
 * `['stderr', text]` when closing the loop printed something (what collection reports,
 * without the traceback's `File` lines, which name this test's own lines).
 * The CPython probes do the same with `new_event_loop()` / `run_until_complete`.
 */
export function runScenario<T>(main: (scene: Scene) => Coro<T>): TraceEvent[] {
  const loop = new EventLoop();
  const trace: TraceEvent[] = [];
  const scene: Scene = { loop, trace, log: (event) => trace.push([loop.time(), event]) };
  try {
    const result = loop.runUntilComplete(main(scene));
    trace.push(['return', repr(result)]);
  } catch (e) {
    trace.push(['raised', repr(e)]);
  }
  const printed = captureStderr(() => loop.close());
  if (printed !== '') trace.push(['stderr', withoutFrames(printed)]);
  return trace;
}

/**
 * Log `tick 0` … `tick n`, one per loop iteration, starting with the next iteration:
 * a callSoon chain that makes traces iteration-exact.
 */
export function ticker(loop: EventLoop, log: (event: string) => void, n: number): void {
  const tick = (i: number): void => {
    log(`tick ${i}`);
    if (i < n) loop.callSoon(tick, i + 1);
  };
  loop.callSoon(tick, 0);
}

/** The N of a default `Task-N` name. */
export function taskNumber(task: { getName(): string }): number {
  const m = /^Task-(\d+)$/.exec(task.getName());
  if (m === null) throw new Error(`not a default task name: ${task.getName()}`);
  return Number(m[1]);
}

/**
 * Describe a task for a trace: `undefined` → 'None', a default name `Task-N` as
 * `Task+k` relative to `base` (the counter is process-wide), any other name as it is.
 */
export function relName(task: Future<unknown> | undefined, base: number): string {
  if (task === undefined) return 'None';
  const name = (task as unknown as { getName(): string }).getName();
  const m = /^Task-(\d+)$/.exec(name);
  return m === null ? name : `Task+${Number(m[1]) - base}`;
}
