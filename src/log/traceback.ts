// Python-style rendering of a thrown value for log output (traceback.format_exception).
// JavaScript stacks are turned into Python's "File ..., line N, in f" frame lines.

import { exceptionArgs, pyStr } from '../format/py-repr.js';
import { formatStack, userFrames } from '../format/stack.js';

/** Return Python's `traceback.format_exception_only` line: `ValueError: message`. */
export function formatExceptionOnly(e: unknown): string {
  if (!(e instanceof Error)) return pyStr(e);
  const name = e.constructor?.name ?? e.name;
  const text = exceptionArgs(e).length === 0 ? '' : e.message;
  return text === '' ? name : `${name}: ${text}`;
}

/**
 * Return the text Python's logging appends for `exc_info`: the traceback header,
 * the frames (oldest first) and the exception line.
 */
export function formatException(e: unknown): string {
  // The user's frames only: aiosim's own frames stand for CPython's C code, which
  // tracebacks do not show either.
  const frames = e instanceof Error && typeof e.stack === 'string' ? userFrames(e.stack) : [];
  const lines = ['Traceback (most recent call last):'];
  if (frames.length > 0) lines.push(formatStack(frames));
  lines.push(formatExceptionOnly(e));
  return lines.join('\n');
}
