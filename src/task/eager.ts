// Eager task factories (3.12+): the task's first step runs inside createTask.
// asyncio: tasks.create_eager_task_factory / tasks.eager_task_factory

import type { Context } from '../contextvars/context.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { Task } from './task.js';

/**
 * A task factory, as `loop.setTaskFactory` takes it: `options` is given only when
 * `createTask` was given a context (as CPython's `context=` keyword).
 */
export type TaskFactory = (loop: AbstractEventLoop, coro: Generator<unknown, unknown, unknown>, options?: { name?: unknown; context?: Context }) => Task<unknown>;

/** A Task class (or subclass) a factory can construct. */
export type TaskConstructor = new (coro: Generator<unknown, unknown, unknown>, options?: { loop?: AbstractEventLoop; name?: unknown; context?: Context; eagerStart?: boolean }) => Task<unknown>;

/**
 * Return a task factory that builds `ctor` tasks with an eager start: when the loop is
 * running, the first step runs synchronously inside `createTask`, and a coroutine that
 * finishes without suspending never reaches the loop.
 * asyncio: asyncio.create_eager_task_factory
 */
export function createEagerTaskFactory(ctor: TaskConstructor): TaskFactory {
  return function factory(loop, coro, options) {
    return new ctor(coro, { loop, name: options?.name, context: options?.context, eagerStart: true });
  };
}

/**
 * The eager task factory for `Task`: `loop.setTaskFactory(eagerTaskFactory)`.
 * asyncio: asyncio.eager_task_factory
 */
export const eagerTaskFactory: TaskFactory = createEagerTaskFactory(Task as TaskConstructor);
