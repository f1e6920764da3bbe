// The event-loop interface that every layer below the concrete loop programs against
// (handles, futures, tasks, locks, executors), so that none imports the concrete loop:
// it sees the loop, and the types it hands out, as types only.
// asyncio: events.AbstractEventLoop

import type { CapturedContext, ContextOwner } from '../contextvars/snapshot.js';
import type { ThreadPoolExecutor } from '../executor/thread-pool.js';
import type { Future } from '../future/future.js';
import type { CreateTaskOptions } from '../task/create-task.js';
import type { Task } from '../task/task.js';
import type { Handle, TimerHandle } from './handle.js';

/** The context object given to exception handlers (asyncio's keys, spelled as asyncio spells them). */
export interface ExceptionContext {
  message?: string;
  exception?: unknown;
  future?: unknown;
  task?: unknown;
  handle?: unknown;
  source_traceback?: unknown;
  handle_traceback?: unknown;
  [key: string]: unknown;
}

/** A callback as the loop runs it. */
export type Callback = (...args: any[]) => unknown;

/**
 * What the layers below the concrete loop need from a loop (EventLoop documents each
 * method). The three optional methods are the ones a model of the loop basics may leave
 * out (the reference loop of the property tests runs futures and tasks without them), as
 * CPython's AbstractEventLoop leaves them raising NotImplementedError; every EventLoop
 * has them, and callers that need one call it as `loop.createTask!(…)`.
 */
export interface AbstractEventLoop {
  time(): number;
  callSoon(callback: Callback, ...args: unknown[]): Handle;
  callSoonThreadsafe?(callback: Callback, ...args: unknown[]): Handle;
  callLater(delay: number, callback: Callback, ...args: unknown[]): TimerHandle;
  callAt(when: number, callback: Callback, ...args: unknown[]): TimerHandle;
  createFuture<T = unknown>(): Future<T>;
  createTask?<T>(coro: Generator<unknown, T, unknown>, options?: CreateTaskOptions): Task<T>;
  runInExecutor?<T>(executor: ThreadPoolExecutor | undefined | null, fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): Future<T>;
  stop(): void;
  close(): void;
  getDebug(): boolean;
  isRunning(): boolean;
  isClosed(): boolean;
  callExceptionHandler(context: ExceptionContext): void;
  /**
   * @internal callSoon(callback, inContext(owner's context)) for a task's bare step. Outside debug
   * mode it may reuse `handle`, the task's previous step handle (which has run: a task
   * has at most one step scheduled); returns the handle scheduled. Loops without it get
   * callSoon.
   */
  _callSoonStep?(handle: Handle | undefined, callback: Callback, owner: ContextOwner): Handle;
  /**
   * @internal callSoon(callback, arg, inContext(context)) for a future's done callback
   * (the hot path of every wake-up). Loops without it get callSoon.
   */
  _callSoonWith?(callback: Callback, arg: unknown, context: CapturedContext): Handle;
  /** @internal A scheduled timer was cancelled (keeps the cancelled count exact). */
  _timerHandleCancelled(handle: TimerHandle): void;
  /**
   * @internal The task whose step is running on this loop (asyncio's `_current_tasks[loop]`).
   */
  _currentTask: object | undefined;
  /**
   * @internal The task whose step an async-function coroutine deferred (aiosim/testing):
   * the loop's iteration pauses after that step's handle until the step ends.
   */
  _deferredStep?: Task<unknown> | undefined;
}
