// Collection points: where aiosim reports what CPython reports when it frees an object
// (JavaScript has no reference counting). At `loop.close()` (and so at the end of run())
// and at `gcCollect()`, every reportable object is reported once, in creation order:
// - a tracked coroutine never started: RuntimeWarning "coroutine 'f' was never awaited"
//   (in debug mode, with "Coroutine created at (most recent call last)" and its frames),
//   followed by the never-started coroutines it holds as arguments (freed with its frame);
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
// - (loop.close, after the rest) the loop's transports whose socket is still open: first
//   the StreamWriters over them whose transport is not closing (ResourceWarning "loop is
//   closed"), then the listening sockets of servers never closed (ResourceWarning
//   "unclosed <socket.socket …>"), then the transports (ResourceWarning "unclosed transport
//   <…>", a stream transport's socket warning just before; the socket is closed and the
//   transport leaves its server), each in creation order;
// - (gcCollect only) a loop neither running nor closed, other than the current loop:
//   ResourceWarning "unclosed event loop <…>", then the loop is closed.
// asyncio: Future.__del__, Task.__del__, _PyGen_Finalize, BaseEventLoop.__del__,
// _SelectorTransport.__del__, StreamWriter.__del__, socket.__del__

import { RuntimeError } from '../errors/exceptions.js';
import { callbackSelf, type MarkedCallback } from '../format/format-callback.js';
import { objectId, repr } from '../format/py-repr.js';
import { extractStack, formatStack } from '../format/stack.js';
import { _unretrieved, type Future } from '../future/future.js';
import { _warnAt, ResourceWarning, RuntimeWarning, warningSite } from '../log/warnings.js';
import { _forgetLoopTasks, _livePendingTasks, _takeOrphanTasks } from '../task/current-task.js';
import { _hasUnawaited, _retrackUnawaited, _takeUnawaited, type TrackedCoroutine, type UnawaitedRecord } from '../task/unawaited.js';
import type { Task } from '../task/task.js';
import type { StackFrame } from '../format/stack.js';
import type { AbstractEventLoop, ExceptionContext } from '../events/abstract-loop.js';
import type { ReadyQueue } from '../events/ready-queue.js';
import { _getCurrentLoop } from '../events/running-loop.js';
import type { EventLoop } from './event-loop.js';
import { _unraisable } from './unraisable.js';
import { _unclosedIo } from './unclosed-io.js';
import { _forgetLoopAsyncGens, freedAsyncGens } from './asyncgen-collection.js';

type Report = { seq: number; report: () => void };

const loops = new Set<EventLoop>();

/** @internal Remember a loop, so that gcCollect() can report it if it is never closed. */
export function _trackLoop(loop: EventLoop): void {
  loops.add(loop);
}

// An exception raised by a finalizer (a warning turned into an error by a filter) does
// not propagate: CPython prints it as "Exception ignored in: <object>" and goes on.
const unraisable = _unraisable;

// The frames of the code that reached this collection point (the run(), loop.close() or
// gcCollect() call), taken once per point: the site of coroutines created without origin.
let pointFrames: StackFrame[] | undefined;

function warnNeverAwaited(rec: UnawaitedRecord): void {
  const { coro, createdAt } = rec;
  // An async generator's awaitable says "coroutine method 'asend' of 'gen' was never awaited".
  let text = (coro as { _unawaitedText?: string })._unawaitedText ?? `coroutine '${coro.__name__}' was never awaited`;
  if (rec.origin && createdAt !== undefined && createdAt.length > 0) {
    text += `\nCoroutine created at (most recent call last)\n${formatStack(createdAt)}`;
  }
  // aiosim's own coroutines capture where they were created only in debug mode (sleep()
  // is too hot for a stack per call): they are attributed to the collection point.
  const { filename, lineno } = warningSite(createdAt ?? (pointFrames ??= extractStack()));
  try {
    _warnAt(text, RuntimeWarning, filename, lineno, { registry: true, program: true });
  } catch (e) {
    unraisable(repr(coro), e);
  }
}

/** Who reports which coroutine never started: `heldBy` maps one held as an argument to its holder. */
interface NeverAwaited {
  readonly recordOf: Map<TrackedCoroutine, UnawaitedRecord>;
  readonly heldBy: Map<UnawaitedRecord, UnawaitedRecord>;
}

// Report a coroutine, then the never-started coroutines it holds (CPython frees a
// coroutine's frame, and with it its arguments, right after warning about it).
function warnWithHeld(rec: UnawaitedRecord, ctx: NeverAwaited): void {
  warnNeverAwaited(rec);
  for (const coro of rec.holds ?? []) {
    const held = ctx.recordOf.get(coro);
    if (held !== undefined && ctx.heldBy.get(held) === rec) warnWithHeld(held, ctx);
  }
}

function neverAwaited(rec: UnawaitedRecord, ctx: NeverAwaited): Report {
  return { seq: rec.seq, report: () => warnWithHeld(rec, ctx) };
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
// coroutine is closed, or reported as never awaited (with the coroutines it holds).
function destroyedPending(task: Task<unknown>, unstartedCoro: UnawaitedRecord | undefined, freedFirst: boolean, ctx: NeverAwaited): Report {
  return {
    seq: task._seq,
    report() {
      const coro = task._coro;
      if (task._started && !freedFirst && coro !== undefined) closeCoroutine(coro);
      reportDestroyed(task);
      if (task._started && freedFirst && coro !== undefined) closeCoroutine(coro);
      if (unstartedCoro !== undefined) warnWithHeld(unstartedCoro, ctx);
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

function unclosedLoop(loop: EventLoop): Report {
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
  try {
    for (const r of reports) r.report();
  } finally {
    pointFrames = undefined;
  }
}

// Reports for tasks nothing can run again, and for the tracked coroutines never started
// (the coroutine of a task that never ran is reported with, after, its task; a coroutine
// held as an argument by another never started, after the last of its holders). The
// tasks freed by reference counting (`queued`, in ready-queue order) come first, apart.
function destroyedAndNeverAwaited(tasks: Task<unknown>[], queued: readonly object[] = []): { first: Report[]; rest: Report[] } {
  // Nothing to report (a test that ended cleanly): no set or map made.
  if (!_hasUnawaited() && !tasks.some((t) => !t.done() && t._logDestroyPending)) return { first: [], rest: [] };
  const pending = new Set(tasks.filter((t) => !t.done() && t._logDestroyPending));
  // The coroutines of tasks that may still run them are not reported (and stay tracked).
  const live = new Set<unknown>((_livePendingTasks() as Task<unknown>[]).map((t) => t._coro));
  const taken = _takeUnawaited();
  const records = taken.filter((r) => !live.has(r.coro));
  if (records.length < taken.length) _retrackUnawaited(taken.filter((r) => live.has(r.coro)));
  const ctx: NeverAwaited = { recordOf: new Map(records.map((r) => [r.coro, r])), heldBy: new Map() };
  const owned = new Map<Task<unknown>, UnawaitedRecord>();
  for (const task of pending) {
    const rec = task._coro === undefined ? undefined : ctx.recordOf.get(task._coro as unknown as TrackedCoroutine);
    if (rec !== undefined) owned.set(task, rec);
  }
  const ownedRecords = new Set(owned.values());
  // Records come in creation order: a coroutine held by several goes with the last one.
  for (const rec of records) {
    for (const coro of rec.holds ?? []) {
      const held = ctx.recordOf.get(coro);
      if (held !== undefined && !ownedRecords.has(held)) ctx.heldBy.set(held, rec);
    }
  }
  const first: Report[] = [];
  for (const obj of queued) {
    const task = obj as Task<unknown>;
    // Done callbacks (an awaiting task's wake-up, a gather, a TaskGroup) close a cycle
    // back to the task: the collector frees it, with the others.
    if (pending.has(task) && task._callback0 === undefined && task._callbacks === undefined) {
      pending.delete(task);
      first.push(destroyedPending(task, owned.get(task), true, ctx));
    }
  }
  const rest = [...pending].map((task) => destroyedPending(task, owned.get(task), false, ctx));
  const roots = records.filter((r) => !ownedRecords.has(r) && !ctx.heldBy.has(r));
  return { first, rest: [...roots.map((r) => neverAwaited(r, ctx)), ...rest] };
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
export function _openLoops(): EventLoop[] {
  return [...loops];
}

/** @internal Report one loop as gcCollect() reports an unclosed loop, and close it. */
export function _collectUnclosedLoop(loop: EventLoop): void {
  if (loops.has(loop)) unclosedLoop(loop).report();
}

/**
 * @internal The collection point of `loop.close()`; `queued` are the objects its ready
 * queue held (`_queuedOwners`, taken before it was cleared). The loop's open transports
 * and their writers come last.
 */
export function _collectClosedLoop(loop: EventLoop, queued: readonly object[] = []): void {
  loops.delete(loop);
  const { first, rest } = destroyedAndNeverAwaited(_forgetLoopTasks(loop) as Task<unknown>[], queued);
  for (const r of first) r.report();
  const unretrieved = unretrievedOf(loop);
  if (rest.length > 0 || unretrieved.length > 0) runReports([...rest, ...unretrieved]);
  else pointFrames = undefined;
  _forgetLoopAsyncGens(loop);
  // Writers, servers' sockets, then transports: not sorted together (CPython's order on the twin).
  for (const r of _unclosedIo(loop)) r.report();
}

/**
 * Report, in creation order, everything CPython would report when freeing it: tracked
 * coroutines never awaited, futures and tasks whose exception was never retrieved, and
 * loops never closed (other than the current and running ones), which are closed (and
 * so report their open transports). A running loop's transports are left alone.
 * Deterministic: the same program reports the same things at the same point.
 *
 * @example gcCollect(); // like Python's gc.collect() at this point
 * asyncio: gc.collect (the finalizers asyncio objects run)
 */
export function gcCollect(): void {
  const current = _getCurrentLoop();
  const unclosed = [...loops].filter((l) => !l.isRunning() && !l.isClosed() && l !== current);
  // Tasks whose constructor failed are unreachable: reported like a closed loop's tasks.
  const orphans = _takeOrphanTasks() as Task<unknown>[];
  runReports([...destroyedAndNeverAwaited(orphans).rest, ...unretrievedOf(undefined), ...unclosed.map(unclosedLoop), ...freedAsyncGens()]);
}
