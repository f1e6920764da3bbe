// loopState(loop): what a loop holds right now (ready callbacks, live timers in firing
// order, pending tasks with what each waits for) as plain data, so that `toEqual` diffs
// and snapshots read well, and formatLoopState for the same as text.
// asyncio: none (an aiosim testing extra; asyncio.all_tasks and loop._scheduled in one view)

import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import type { Future } from '../future/future.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { Handle, TimerHandle } from '../events/handle.js';
import { TimerHeap } from '../events/timer-heap.js';
import { allTasks } from '../task/current-task.js';
import { Task } from '../task/task.js';
import { Labels } from './labels.js';
import { DEFAULT_CLOCK_RESOLUTION, formatTime, timeDecimals } from './trace-time.js';

/** A pending task as `loopState` lists it. */
export interface TaskState {
  /** Its label: the task's name if given, else its coroutine's (`worker#2` for a second one). */
  name: string;
  /** `running` (its step runs now), `ready` (a step is scheduled), `waiting` (it awaits a future). */
  status: 'running' | 'ready' | 'waiting';
  /** What it awaits, with the timer that will complete it if one will: `future 1 (timer at 2.0)`. */
  waitsFor?: string;
  /** Pending cancellation requests (`task.cancelling()`), when there are any. */
  cancelling?: number;
}

/** A live timer as `loopState` lists it. */
export interface TimerState {
  when: number;
  callback: string;
}

/** A loop's state: `loopState(loop)`. */
export interface LoopState {
  time: number;
  /** Callbacks that run in the next iteration, in order (`step main`, `cb(1)`). */
  ready: string[];
  /** Live timers in the order they will fire (equal deadlines in heapq order, as CPython). */
  timers: TimerState[];
  /** Pending tasks, in creation order. */
  tasks: TaskState[];
}

function readyText(handle: Handle, labels: Labels): string {
  const cb = handle._callback;
  const owner = (cb as MarkedCallback | undefined)?.[callbackSelf];
  if (owner instanceof Task) {
    if (cb === owner._stepCb) return `step ${labels.of(owner)}`;
    if (cb === owner._wakeupCb) return `wake ${labels.of(owner)} (${labels.value(handle._args![0])} done)`;
  }
  return labels.callback(cb, handle._args ?? []);
}

function liveTimers(loop: EventLoop): TimerHandle[] {
  // The loop's heap order, popped from a copy.
  const heap = TimerHeap.fromHeapOrder(loop._scheduled);
  const out: TimerHandle[] = [];
  while (heap.length > 0) {
    const timer = heap.pop();
    if (!timer._cancelled) out.push(timer);
  }
  return out;
}

function taskState(task: Task<unknown>, loop: EventLoop, timers: readonly TimerHandle[], labels: Labels): TaskState {
  const state: TaskState = { name: labels.of(task), status: 'ready' };
  const waiter: Future<unknown> | undefined = task._futWaiter;
  if (loop._currentTask === task) {
    state.status = 'running';
  } else if (waiter !== undefined) {
    state.status = 'waiting';
    const timer = timers.find((t) => t._args?.includes(waiter));
    const at = timer === undefined ? '' : ` (timer at ${formatTime(timer._when, timeDecimals(loop._clockResolution))})`;
    state.waitsFor = labels.of(waiter) + at;
  }
  if (task.cancelling() > 0) state.cancelling = task.cancelling();
  return state;
}

/**
 * Return what `loop` holds now: its time, the callbacks ready to run, its live timers in
 * firing order and its pending tasks with what each waits for, as plain data (compare
 * it with `toEqual`, or print it with `formatLoopState`). Pass a trace's `labels` to
 * name things as that trace does.
 *
 * @example
 * loop.advance(1);
 * expect(loopState(loop).tasks).toEqual([{ name: 'main', status: 'waiting', waitsFor: 'future 1 (timer at 2.0)' }]);
 * asyncio: none (aiosim testing)
 */
export function loopState(loop: EventLoop, options?: { labels?: Labels }): LoopState {
  const labels = options?.labels ?? new Labels();
  const ready: string[] = [];
  for (let i = 0; i < loop._ready.length; i++) {
    const handle = loop._ready.at(i)!;
    if (!handle._cancelled) ready.push(readyText(handle, labels));
  }
  const timers = liveTimers(loop);
  // Tasks first: their labels come before those of the futures their timers complete.
  const tasks = [...allTasks(loop)].map((t) => taskState(t as Task<unknown>, loop, timers, labels));
  return {
    time: loop.time(),
    ready,
    timers: timers.map((t) => ({ when: t._when, callback: labels.callback(t._callback, t._args ?? []) })),
    tasks,
  };
}

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [`${title}: none`] : [`${title}:`, ...lines.map((l) => `  ${l}`)];
}

/**
 * Return a loop state as text, one line per callback, timer and task (times rounded to
 * 1e-9 s, the default clock resolution, so that float noise does not show).
 */
export function formatLoopState(state: LoopState): string {
  const decimals = timeDecimals(DEFAULT_CLOCK_RESOLUTION);
  const tasks = state.tasks.map((t) => {
    let text = `${t.name}: ${t.status}`;
    if (t.waitsFor !== undefined) text += ` for ${t.waitsFor}`;
    if (t.cancelling !== undefined) text += `, cancelling (${t.cancelling})`;
    return text;
  });
  return [
    `time ${formatTime(state.time, decimals)}`,
    ...section('ready', state.ready),
    ...section('timers', state.timers.map((t) => `${formatTime(t.when, decimals)} ${t.callback}`)),
    ...section('tasks', tasks),
  ].join('\n');
}
