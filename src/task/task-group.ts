// TaskGroup: structured concurrency. The group's block does not finish before its
// tasks; the first failure cancels the others and the body, and the failures leave the
// block together as an ExceptionGroup. Semantics of CPython 3.13.2.
// asyncio: taskgroups.TaskGroup

import { CancelledError, isExitException, RuntimeError } from '../errors/exceptions.js';
import { _setCause } from '../errors/chaining.js';
import { _groupOfThrown } from '../errors/exception-group.js';
import { repr, reprSymbol } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { _tracer } from '../log/trace-hook.js';
import { getRunningLoop } from '../events/running-loop.js';
import type { AsyncContextManager } from './context-manager.js';
import { boundMethod } from '../format/named.js';
import type { Coro } from './coroutine.js';
import type { CreateTaskOptions } from './create-task.js';
import { currentTask } from './current-task.js';
import type { Task } from './task.js';
import { _libraryCoroutineMethods } from './library-coroutine.js';

/**
 * A group of tasks that `asyncWith(new TaskGroup(), function* (tg) { ... })` waits for.
 *
 * When a task of the group fails (with anything but CancelledError), the other tasks
 * and the block's own task are cancelled; once every task is done, all the errors are
 * thrown as one BaseExceptionGroup/ExceptionGroup ('unhandled errors in a TaskGroup').
 * KeyboardInterrupt and SystemExit propagate as themselves.
 *
 * @example
 * yield* asyncWith(new TaskGroup(), function* (tg) {
 *   tg.createTask(worker(1));
 *   tg.createTask(worker(2));
 * });
 * asyncio: asyncio.TaskGroup
 */
export class TaskGroup implements AsyncContextManager<TaskGroup> {
  #entered = false;
  #exiting = false;
  #aborting = false;
  #loop: AbstractEventLoop | undefined;
  #parentTask: Task<unknown> | undefined;
  #parentCancelRequested = false;
  // Insertion order stands for CPython's set order, which depends on addresses.
  #tasks = new Set<Task<unknown>>();
  #errors: unknown[] | undefined = [];
  #baseError: unknown;
  #onCompletedFut: Future<boolean> | undefined;

  /** asyncio's repr: `<TaskGroup tasks=2 errors=1 cancelling>`. */
  toString(): string {
    const info = [''];
    if (this.#tasks.size > 0) info.push(`tasks=${this.#tasks.size}`);
    if (this.#errors !== undefined && this.#errors.length > 0) info.push(`errors=${this.#errors.length}`);
    if (this.#aborting) info.push('cancelling');
    else if (this.#entered) info.push('entered');
    return `<TaskGroup${info.join(' ')}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }

  /**
   * @throws RuntimeError `TaskGroup … has already been entered` / `… cannot determine the parent task`.
   */
  *aenter(): Coro<TaskGroup> {
    if (this.#entered) throw new RuntimeError(`TaskGroup ${repr(this)} has already been entered`);
    this.#loop ??= getRunningLoop();
    this.#parentTask = currentTask(this.#loop) as Task<unknown> | undefined;
    if (this.#parentTask === undefined) throw new RuntimeError(`TaskGroup ${repr(this)} cannot determine the parent task`);
    this.#entered = true;
    return this;
  }

  *aexit(exc?: unknown): Coro<undefined> {
    try {
      return yield* this.#aexit(exc);
    } finally {
      // asyncio 3.13.2 drops these references once the block is left (gh-128552).
      this.#parentTask = undefined;
      this.#errors = undefined;
      this.#baseError = undefined;
    }
  }

  *#aexit(exc: unknown): Coro<undefined> {
    this.#exiting = true;
    const raised = exc !== undefined;
    if (raised && isExitException(exc) && this.#baseError === undefined) this.#baseError = exc;
    let propagateCancellation: CancelledError | undefined = exc instanceof CancelledError ? exc : undefined;
    if (raised && !this.#aborting) this.#abort();

    // A loop: the wait can be cancelled several times while the parent is cancelled.
    while (this.#tasks.size > 0) {
      if (this.#onCompletedFut === undefined) {
        this.#onCompletedFut = this.#loop!.createFuture<boolean>();
        if (_tracer !== undefined) _tracer.futureRole(this.#onCompletedFut, 'TaskGroup._aexit');
      }
      try {
        yield* this.#onCompletedFut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        if (!this.#aborting) {
          propagateCancellation = e;
          this.#abort();
        }
      }
      this.#onCompletedFut = undefined;
    }

    if (this.#baseError !== undefined) throw this.#baseError;
    // The group cancelled its parent itself: take that request back.
    if (this.#parentCancelRequested && this.#parentTask!.uncancel() === 0) propagateCancellation = undefined;
    const errors = this.#errors!;
    if (propagateCancellation !== undefined && errors.length === 0) throw propagateCancellation;
    if (raised && !(exc instanceof CancelledError)) errors.push(exc);
    if (errors.length > 0) {
      // Cancelled from outside too: re-cancel so that the parent's count stays stable.
      if (this.#parentTask!.cancelling() > 0) {
        this.#parentTask!.uncancel();
        this.#parentTask!.cancel();
      }
      const group = _groupOfThrown('unhandled errors in a TaskGroup', errors);
      // Python: `raise ... from None` (an own cause of None suppresses the context).
      _setCause(group, undefined);
      throw group;
    }
    return undefined;
  }

  /**
   * Create a task of this group (as `createTask`) and return it.
   *
   * @throws RuntimeError `TaskGroup … has not been entered` / `… is finished` /
   * `… is shutting down`; the coroutine is closed then, as in CPython 3.13.
   * asyncio: TaskGroup.create_task
   */
  createTask<T>(coro: Generator<unknown, T, unknown>, options?: CreateTaskOptions): Task<T> {
    if (!this.#entered) {
      coro.return(undefined as T);
      throw new RuntimeError(`TaskGroup ${repr(this)} has not been entered`);
    }
    if (this.#exiting && this.#tasks.size === 0) {
      coro.return(undefined as T);
      throw new RuntimeError(`TaskGroup ${repr(this)} is finished`);
    }
    if (this.#aborting) {
      coro.return(undefined as T);
      throw new RuntimeError(`TaskGroup ${repr(this)} is shutting down`);
    }
    const loop = this.#loop!;
    const context = options?.context;
    const task = context === undefined || context === null
      ? loop.createTask!(coro, { name: options?.name })
      : loop.createTask!(coro, { name: options?.name, context });
    // Added even when already done (eager), so a failure cannot cancel the parent
    // before the body reaches its next await (gh-128550).
    this.#tasks.add(task as Task<unknown>);
    task.addDoneCallback(this.#onTaskDone);
    return task;
  }

  #abort(): void {
    this.#aborting = true;
    for (const t of this.#tasks) if (!t.done()) t.cancel();
  }

  #onTaskDone = boundMethod('TaskGroup._on_task_done', (task: Task<unknown>): void => {
    this.#tasks.delete(task);
    if (this.#onCompletedFut !== undefined && this.#tasks.size === 0 && !this.#onCompletedFut.done()) {
      this.#onCompletedFut.setResult(true);
    }
    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === undefined) return;
    this.#errors!.push(exc);
    if (isExitException(exc) && this.#baseError === undefined) this.#baseError = exc;
    const parent = this.#parentTask!;
    if (parent.done()) {
      this.#loop!.callExceptionHandler({
        message: `Task ${repr(task)} has errored out but its parent task ${String(parent)} is already completed`,
        exception: exc,
        task,
      });
      return;
    }
    if (!this.#aborting && !this.#parentCancelRequested) {
      // Interrupt whatever the body awaits now; #aexit takes this cancel back.
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  });
}
_libraryCoroutineMethods(TaskGroup.prototype, { aenter: 'TaskGroup.__aenter__', aexit: 'TaskGroup.__aexit__' });
