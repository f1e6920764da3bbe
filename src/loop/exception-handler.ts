// Reporting errors the loop catches: to the custom handler, else the default one, which
// logs one ERROR record on the 'asyncio' logger with the message and every other context key.
// asyncio: BaseEventLoop.call_exception_handler / default_exception_handler

import { isExitException } from '../errors/exceptions.js';
import { _asException } from '../errors/raised.js';
import { repr } from '../format/py-repr.js';
import { formatStack, type StackFrame } from '../format/stack.js';
import { logger } from '../log/asyncio-logger.js';
import type { ExceptionContext } from '../events/abstract-loop.js';
import type { Handle } from '../events/handle.js';

/**
 * Report `context` to `handler` if set, else to the loop's default handler. A custom
 * handler runs in the context of the task, future or handle the report is about (the
 * first of `context.task`, `context.future`, `context.handle` that is set), when that
 * object has a `getContext()` giving something with a `run()`. A failing handler
 * (entering that context included) is itself reported; SystemExit and KeyboardInterrupt
 * propagate.
 * asyncio: BaseEventLoop.call_exception_handler
 */
export function callExceptionHandler<L extends { defaultExceptionHandler(context: ExceptionContext): void }>(
  loop: L,
  handler: ((loop: L, context: ExceptionContext) => void) | undefined,
  context: ExceptionContext,
): void {
  if (handler === undefined) {
    try {
      loop.defaultExceptionHandler(context);
    } catch (e) {
      if (isExitException(e)) throw e;
      logger.errorWithException(_asException(e), 'Exception in default exception handler');
    }
    return;
  }
  try {
    const ctx = contextOf(context);
    if (ctx !== undefined) ctx.run(handler, loop, context);
    else handler(loop, context);
  } catch (exc) {
    if (isExitException(exc)) throw exc;
    try {
      loop.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: _asException(exc), context });
    } catch (e) {
      if (isExitException(e)) throw e;
      logger.errorWithException(_asException(e), 'Exception in default exception handler while handling an unexpected error in custom exception handler');
    }
  }
}

// asyncio: the context a custom handler runs in (Task.get_context, Handle.get_context;
// a Future has none). Python's None (undefined, null) moves on to the next key.
function contextOf(context: ExceptionContext): { run(fn: (...args: any[]) => unknown, ...args: unknown[]): unknown } | undefined {
  let thing = context.task;
  if (thing === undefined || thing === null) thing = context.future;
  if (thing === undefined || thing === null) thing = context.handle;
  if (thing === undefined || thing === null) return undefined;
  const getContext = (thing as { getContext?: unknown }).getContext;
  if (typeof getContext !== 'function') return undefined;
  const ctx = getContext.call(thing) as { run?: unknown } | undefined | null;
  if (ctx === undefined || ctx === null || typeof ctx.run !== 'function') return undefined;
  return ctx as { run(fn: (...args: any[]) => unknown, ...args: unknown[]): unknown };
}

/**
 * Log `context` as asyncio does: the message (or 'Unhandled exception in event loop'),
 * then `key: repr(value)` for the other keys in sorted order, with creation tracebacks
 * rendered as text; the exception is attached to the record.
 */
export function logExceptionContext(context: ExceptionContext, currentHandle: Handle | undefined): void {
  const exception = context.exception;
  if (!('source_traceback' in context) && currentHandle?._sourceTraceback?.length) {
    context.handle_traceback = currentHandle._sourceTraceback;
  }
  const text = formatExceptionContext(context);
  if (exception === undefined || exception === null) logger.error(text);
  else logger.errorWithException(exception, text);
}

/**
 * Return the text the default handler logs for `context` (without the exception's
 * traceback): the message, then `key: repr(value)` for the other keys in sorted order.
 */
export function formatExceptionContext(context: ExceptionContext): string {
  const message = context.message || 'Unhandled exception in event loop';
  const lines = [message];
  for (const key of Object.keys(context).sort()) {
    if (key === 'message' || key === 'exception') continue;
    const value = context[key];
    let text: string;
    if (key === 'source_traceback') {
      text = `Object created at (most recent call last):\n${formatStack(value as StackFrame[])}`;
    } else if (key === 'handle_traceback') {
      text = `Handle created at (most recent call last):\n${formatStack(value as StackFrame[])}`;
    } else {
      text = repr(value);
    }
    lines.push(`${key}: ${text}`);
  }
  return lines.join('\n');
}
