// Collection points: where aiosim reports what CPython reports when it frees an object
// (JavaScript has no reference counting). At `loop.close()` (and so at the end of run())
// and at `gcCollect()`, every reportable object is reported once, in creation order:
// - a tracked coroutine never started: RuntimeWarning "coroutine 'f' was never awaited"
//   (in debug mode, with "Coroutine created at (most recent call last)" and its frames);
// - a pending task of a closed loop that only its queued step (or wake-up) refers to:
//   CPython frees it by reference counting when close() clears the ready queue, in queue
//   order, before anything else: "Task was destroyed but it is pending!" (`running at`),
//   then its coroutine is closed (its `finally` runs);
// - another pending task of a closed loop (one in a reference cycle: awaiting a future,
//   or with done callbacks): its coroutine is closed first, then "Task was destroyed but
//   it is pending!" (CPython's collector finalises the coroutine first too, so the repr
//   says `done, defined at`); likewise a task whose constructor failed (CPython frees it
//   at once), at the next point;
// - a coroutine whose `finally` awaits while it is closed: "Exception ignored in: …"
//   RuntimeError('coroutine ignored GeneratorExit'), and it stays suspended;
// - a future or task whose exception was never retrieved: "<Class> exception was never
//   retrieved";
// - (gcCollect only) a loop neither running nor closed, other than the current loop:
//   ResourceWarning "unclosed event loop <…>", then the loop is closed.
// asyncio: Future.__del__, Task.__del__, _PyGen_Finalize, BaseEventLoop.__del__

import { RuntimeError } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import { objectId, repr } from '../format/py-repr.js';
import { formatStack } from '../format/stack.js';
import { _unretrieved, type Future } from '../future/future.js';
import { formatException } from '../log/traceback.js';
import { _warnAt, ResourceWarning, RuntimeWarning, warningSite } from '../log/warnings.js';
import { _forgetLoopTasks, _takeOrphanTasks } from '../task/current-task.js';
import { _takeUnstartedCoroutines, type CoroutineObject } from '../task/tracked-coroutine.js';
import type { Task } from '../task/task.js';
import type { AbstractEventLoop, ExceptionContext } from './abstract-loop.js';
import type { ReadyQueue } from './ready-queue.js';

/** A loop as collection points see it. */
interface CollectableLoop extends AbstractEventLoop {
  readonly _seq: number;
  close(): void;
}

type Report = { seq: number; report: () => void };

const loops = new Set<CollectableLoop>();
let currentLoop: () => AbstractEventLoop | undefined = () => undefined;

/** @internal Remember a loop, so that gcCollect() can report it if it is never closed. */
export function _trackLoop(loop: CollectableLoop, current: () => AbstractEventLoop | undefined): void {
  loops.add(loop);
  currentLoop = current;
}

// An exception raised by a finalizer (a warning turned into an error by a filter) does
// not propagate: CPython prints it as "Exception ignored in: <object>" and goes on.
function unraisable(where: string, e: unknown): void {
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr;
  stderr?.write(`Exception ignored in: ${where}\n${formatException(_asException(e))}\n`);
}

function warnNeverAwaited(coro: CoroutineObject<unknown>): void {
  let text = `coroutine '${coro.__name__}' was never awaited`;
  if (coro._origin && coro._createdAt.length > 0) {
    text += `\nCoroutine created at (most recent call last)\n${formatStack(coro._createdAt)}`;
  }
  const { filename, lineno } = warningSite(coro._createdAt);
  try {
    _warnAt(text, RuntimeWarning, filename, lineno, { registry: true, program: true });
  } catch (e) {
    unraisable(repr(coro), e);
  }
}

function neverAwaited(coro: CoroutineObject<unknown>): Report {
  return { seq: coro._seq, report: () => warnNeverAwaited(coro) };
}

// Close a coroutine CPython frees (it throws GeneratorExit in): one whose `finally` awaits
// instead of finishing ignored it, which CPython reports as unraisable, and it stays
// suspended where it awaits.
function closeCoroutine(coro: Generator<unknown, unknown, unknown>): void {
  try {
    if (coro.return(undefined).done !== true) unraisable(repr(coro), new RuntimeError('coroutine ignored GeneratorExit'));
  } catch (e) {
    unraisable(repr(coro), e);
  }
}

function reportDestroyed(task: Task<unknown>): void {
  const context: ExceptionContext = { task, message: 'Task was destroyed but it is pending!' };
  if (task._sourceTraceback?.length) context.source_traceback = task._sourceTraceback;
  task._loop.callExceptionHandler(context);
}

// A pending task of a closed loop. A started task and its coroutine form a cycle, which
// CPython's collector frees coroutine first: the coroutine is closed, then the task
// reported (`done, defined at`). A task that never ran, or that only its queued step
// refers to (`freedFirst`), is freed first: it is reported (`running at`), then its
// coroutine is closed, or reported as never awaited.
function destroyedPending(task: Task<unknown>, unstartedCoro: CoroutineObject<unknown> | undefined, freedFirst: boolean): Report {
  return {
    seq: task._seq,
    report() {
      const coro = task._coro;
      if (task._started && !freedFirst && coro !== undefined) closeCoroutine(coro);
      reportDestroyed(task);
      if (task._started && freedFirst && coro !== undefined) closeCoroutine(coro);
      if (unstartedCoro !== undefined) warnNeverAwaited(unstartedCoro);
    },
  };
}

function neverRetrieved(fut: Future<unknown>): Report {
  return {
    seq: fut._seq,
    report() {
      fut._logTraceback = false;
      const context: ExceptionContext = {
        message: `${fut.constructor.name} exception was never retrieved`,
        exception: fut._exception,
        future: fut,
      };
      if (fut._sourceTraceback?.length) context.source_traceback = fut._sourceTraceback;
      fut._loop.callExceptionHandler(context);
    },
  };
}

function unclosedLoop(loop: CollectableLoop): Report {
  return {
    seq: loop._seq,
    report() {
      const { filename, lineno } = warningSite([]);
      try {
        _warnAt(`unclosed event loop ${repr(loop)}`, ResourceWarning, filename, lineno, { registry: true, program: false });
      } catch (e) {
        unraisable(`<function BaseEventLoop.__del__ at ${objectId(loop)}>`, e);
      }
      loop.close();
    },
  };
}

function unretrievedOf(loop: AbstractEventLoop | undefined): Report[] {
  const out: Report[] = [];
  // Only futures whose exception is still unretrieved are in the set.
  for (const fut of _unretrieved) {
    if (loop === undefined || fut._loop === loop) {
      _unretrieved.delete(fut);
      out.push(neverRetrieved(fut));
    }
  }
  return out;
}

function runReports(reports: Report[]): void {
  reports.sort((a, b) => a.seq - b.seq);
  for (const r of reports) r.report();
}

// Reports for tasks nothing can run again, and for the tracked coroutines never started
// (the coroutine of a task that never ran is reported with, after, its task). The tasks
// freed by reference counting (`queued`, in ready-queue order) come first, apart.
function destroyedAndNeverAwaited(tasks: Task<unknown>[], queued: readonly object[] = []): { first: Report[]; rest: Report[] } {
  const pending = new Set(tasks.filter((t) => !t.done() && t._logDestroyPending));
  const unstarted = new Set(_takeUnstartedCoroutines());
  const report = (task: Task<unknown>, freedFirst: boolean): Report => {
    const coro = task._coro as CoroutineObject<unknown> | undefined;
    const own = coro !== undefined && unstarted.delete(coro) ? coro : undefined;
    return destroyedPending(task, own, freedFirst);
  };
  const first: Report[] = [];
  for (const obj of queued) {
    const task = obj as Task<unknown>;
    // Done callbacks (an awaiting task's wake-up, a gather, a TaskGroup) close a cycle
    // back to the task: the collector frees it, with the others.
    if (pending.has(task) && task._callback0 === undefined && task._callbacks === undefined) {
      pending.delete(task);
      first.push(report(task, true));
    }
  }
  const rest = [...pending].map((task) => report(task, false));
  return { first, rest: [...[...unstarted].map(neverAwaited), ...rest] };
}

/**
 * @internal The objects the ready queue's handles are bound to (tasks, for their steps
 * and wake-ups), in queue order: what `loop.close()` frees when it clears the queue.
 */
export function _queuedOwners(ready: ReadyQueue): object[] {
  const owners = new Set<object>();
  for (let i = 0; i < ready.length; i++) {
    const owner = (ready.at(i)?._callback as MarkedCallback | undefined)?.[callbackSelf];
    if (owner !== undefined) owners.add(owner);
  }
  return [...owners];
}

/** @internal The loops neither closed nor reported yet, in creation order (test fixtures). */
export function _openLoops(): AbstractEventLoop[] {
  return [...loops];
}

/** @internal Report one loop as gcCollect() reports an unclosed loop, and close it. */
export function _collectUnclosedLoop(loop: AbstractEventLoop): void {
  if (loops.has(loop as CollectableLoop)) unclosedLoop(loop as CollectableLoop).report();
}

/**
 * @internal The collection point of `loop.close()`; `queued` are the objects its ready
 * queue held (`_queuedOwners`, taken before it was cleared).
 */
export function _collectClosedLoop(loop: CollectableLoop, queued: readonly object[] = []): void {
  loops.delete(loop);
  const { first, rest } = destroyedAndNeverAwaited(_forgetLoopTasks(loop) as Task<unknown>[], queued);
  for (const r of first) r.report();
  runReports([...rest, ...unretrievedOf(loop)]);
}

/**
 * Report, in creation order, everything CPython would report when freeing it: tracked
 * coroutines never awaited, futures and tasks whose exception was never retrieved, and
 * loops never closed (other than the current and running ones), which are closed.
 * Deterministic: the same program reports the same things at the same point.
 *
 * @example gcCollect(); // like Python's gc.collect() at this point
 * asyncio: gc.collect (the finalizers asyncio objects run)
 */
export function gcCollect(): void {
  const current = currentLoop();
  const unclosed = [...loops].filter((l) => !l.isRunning() && !l.isClosed() && l !== current);
  // Tasks whose constructor failed are unreachable: reported like a closed loop's tasks.
  const orphans = _takeOrphanTasks() as Task<unknown>[];
  runReports([...destroyedAndNeverAwaited(orphans).rest, ...unretrievedOf(undefined), ...unclosed.map(unclosedLoop)]);
}
