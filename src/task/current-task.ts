// Which task is running on each loop, and the registry of live tasks.
// asyncio: tasks.current_task / all_tasks / _enter_task / _leave_task /
// _swap_current_task / _register_task / _register_eager_task

import { RuntimeError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { getRunningLoop } from '../events/running-loop.js';
import type { Future } from '../future/future.js';

/** The part of a Task the registry needs (the links are the registry's own). */
interface Registered {
  _loop: AbstractEventLoop;
  done(): boolean;
  _regPrev?: Registered | undefined;
  _regNext?: Registered | undefined;
  _regIn?: boolean;
}

/**
 * The pending tasks, in registration order: a set threaded through the tasks themselves
 * (a task is registered and unregistered once each, so a hash set would only churn).
 * Iteration tolerates removing the task just yielded.
 */
class TaskList implements Iterable<Registered> {
  #head: Registered | undefined;
  #tail: Registered | undefined;

  add(t: Registered): void {
    if (t._regIn === true) return;
    t._regIn = true;
    t._regPrev = this.#tail;
    t._regNext = undefined;
    if (this.#tail === undefined) this.#head = t;
    else this.#tail._regNext = t;
    this.#tail = t;
  }

  delete(t: Registered): void {
    if (t._regIn !== true) return;
    t._regIn = false;
    const prev = t._regPrev;
    const next = t._regNext;
    if (prev === undefined) this.#head = next;
    else prev._regNext = next;
    if (next === undefined) this.#tail = prev;
    else next._regPrev = prev;
    t._regPrev = undefined;
    t._regNext = undefined;
  }

  *[Symbol.iterator](): Generator<Registered, void, undefined> {
    let t = this.#head;
    while (t !== undefined) {
      const next = t._regNext;
      yield t;
      t = next;
    }
  }
}

// asyncio: futures._get_loop — a task-like object tells its loop through get_loop() when
// it has one (all_tasks() filters on it), else through its _loop slot.
function loopOf(task: Registered): AbstractEventLoop {
  const getLoop = (task as { getLoop?: unknown }).getLoop;
  return typeof getLoop === 'function' ? (getLoop.call(task) as AbstractEventLoop) : task._loop;
}

// Pending tasks (asyncio's _scheduled_tasks); a task leaves the set when it finishes.
const scheduledTasks = new TaskList();
// Tasks whose eager first step is running (asyncio's _eager_tasks).
const eagerTasks = new Set<Registered>();

/** @internal */
export function _registerTask(task: Registered): void {
  scheduledTasks.add(task);
}

/** @internal */
export function _unregisterTask(task: Registered): void {
  scheduledTasks.delete(task);
}

/** @internal */
export function _registerEagerTask(task: Registered): void {
  eagerTasks.add(task);
}

/** @internal */
export function _unregisterEagerTask(task: Registered): void {
  eagerTasks.delete(task);
}

// Tasks whose constructor failed after they became pending (their first step could not
// be scheduled): no one holds them, so CPython frees them at once and logs 'Task was
// destroyed but it is pending!'; aiosim reports them at the next collection point.
const orphanTasks = new Set<Registered>();

/** @internal */
export function _registerOrphanTask(task: Registered): void {
  orphanTasks.add(task);
}

/** @internal Take the orphaned tasks (of `loop`, or of every loop). */
export function _takeOrphanTasks(loop?: AbstractEventLoop): Registered[] {
  const out: Registered[] = [];
  for (const t of orphanTasks) {
    if (loop === undefined || t._loop === loop) {
      orphanTasks.delete(t);
      out.push(t);
    }
  }
  return out;
}

/** @internal Forget the tasks of a closed loop (they can never run again); return them. */
export function _forgetLoopTasks(loop: AbstractEventLoop): Registered[] {
  const pending: Registered[] = _takeOrphanTasks(loop);
  for (const t of scheduledTasks) {
    if (t._loop === loop) {
      scheduledTasks.delete(t);
      pending.push(t);
    }
  }
  return pending;
}

/** @internal The tasks still pending on loops not closed (they may yet run their coroutines). */
export function _livePendingTasks(): Registered[] {
  return [...scheduledTasks, ...eagerTasks];
}

/**
 * @internal Mark `task` as running on `loop`.
 * @throws RuntimeError if another task is already running there.
 */
export function _enterTask(loop: AbstractEventLoop, task: object): void {
  const current = loop._currentTask;
  if (current !== undefined) {
    throw new RuntimeError(`Cannot enter into task ${repr(task)} while another task ${repr(current)} is being executed.`);
  }
  loop._currentTask = task;
}

/**
 * @internal Mark `task` as no longer running on `loop`.
 * @throws RuntimeError if `task` is not the running one.
 */
export function _leaveTask(loop: AbstractEventLoop, task: object): void {
  const current = loop._currentTask;
  if (current !== task) {
    throw new RuntimeError(`Leaving task ${repr(task)} does not match the current task ${repr(current)}.`);
  }
  loop._currentTask = undefined;
}

/** @internal Set the running task of `loop` and return the previous one. */
export function _swapCurrentTask(loop: AbstractEventLoop, task: object | undefined): object | undefined {
  const prev = loop._currentTask;
  loop._currentTask = task;
  return prev;
}

/**
 * Return the task whose step is running on `loop` (default: the running loop), or
 * undefined between steps.
 *
 * @throws RuntimeError `no running event loop` without a loop argument outside a loop.
 * asyncio: asyncio.current_task
 */
export function currentTask(loop?: AbstractEventLoop | null): Future<unknown> | undefined {
  return (loop ?? getRunningLoop())._currentTask as Future<unknown> | undefined;
}

/**
 * Return the set of not-yet-finished tasks of `loop` (default: the running loop), in
 * creation order (asyncio's set has no defined order).
 * asyncio: asyncio.all_tasks
 */
export function allTasks(loop?: AbstractEventLoop | null): Set<Future<unknown>> {
  const l = loop ?? getRunningLoop();
  const out = new Set<Future<unknown>>();
  for (const t of scheduledTasks) if (loopOf(t) === l && !t.done()) out.add(t as unknown as Future<unknown>);
  for (const t of eagerTasks) if (loopOf(t) === l && !t.done()) out.add(t as unknown as Future<unknown>);
  return out;
}
