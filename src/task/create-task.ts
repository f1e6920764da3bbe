// Turning coroutines into tasks: asyncio.create_task and asyncio.ensure_future.
// asyncio: tasks.create_task / tasks.ensure_future

import type { Context } from '../contextvars/context.js';
import { RuntimeError, ValueError } from '../errors/exceptions.js';
import { Future, isFuture } from '../future/future.js';
import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { getEventLoop, getRunningLoop } from '../events/running-loop.js';
import { _promiseHint, isAwaitable, isCoroutine } from './coroutine.js';
import { named } from '../format/named.js';
import type { Task } from './task.js';

/** Options of `createTask`: the task's name and the context its steps run in. */
export interface CreateTaskOptions {
  name?: unknown;
  /** Default (also for null): a copy of the current context. */
  context?: Context | null;
}

/**
 * Schedule a coroutine as a Task on the running loop and return the task.
 *
 * The task's first step runs on a later loop iteration (or at once, with an eager task
 * factory). Its steps run in `options.context`, by default in a copy of the current
 * context. Keep a reference to the task: a task nobody awaits can fail silently.
 *
 * @throws RuntimeError `no running event loop` outside a running loop.
 * @example
 * const t = createTask(worker(), { name: 'w1' });
 * yield* t;
 * asyncio: asyncio.create_task
 */
export function createTask<T>(coro: Generator<unknown, T, unknown>, options?: CreateTaskOptions): Task<T> {
  return getRunningLoop().createTask!(coro, options);
}

const wrapAwaitable = named('ensure_future.<locals>._wrap_awaitable', function* <T>(awaitable: { [Symbol.iterator](): Iterator<unknown, T, unknown> }): Generator<unknown, T, unknown> {
  return yield* awaitable;
});

/**
 * Return a Future for `obj`: a future as it is, a coroutine wrapped in a Task, any
 * other awaitable (an object whose iterator `yield*` can drive) wrapped in a Task.
 *
 * @throws ValueError if a future belongs to another loop than `loop`.
 * @throws TypeError `An asyncio.Future, a coroutine or an awaitable is required`.
 * @example const fut = ensureFuture(work());
 * asyncio: asyncio.ensure_future
 */
export function ensureFuture<T>(obj: Future<T> | Generator<unknown, T, unknown> | { [Symbol.iterator](): Iterator<unknown, T, unknown> }, options?: { loop?: AbstractEventLoop | null }): Future<T> {
  const loop = options?.loop ?? undefined;
  if (isFuture(obj)) {
    if (loop !== undefined && loop !== obj._loop) {
      throw new ValueError('The future belongs to a different loop than the one specified as the loop argument');
    }
    return obj as Future<T>;
  }
  let coro: Generator<unknown, T, unknown>;
  let shouldClose = true;
  if (isCoroutine(obj)) {
    coro = obj as Generator<unknown, T, unknown>;
  } else if (isAwaitable(obj)) {
    coro = wrapAwaitable(obj as { [Symbol.iterator](): Iterator<unknown, T, unknown> });
    shouldClose = false;
  } else {
    throw new TypeError(`An asyncio.Future, a coroutine or an awaitable is required${_promiseHint(obj)}`);
  }
  const target = loop ?? getEventLoop();
  try {
    return target.createTask!(coro);
  } catch (e) {
    if (shouldClose && e instanceof RuntimeError) coro.return(undefined as T);
    throw e;
  }
}
