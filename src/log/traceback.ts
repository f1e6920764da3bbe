// Python-style rendering of a thrown value for log output (traceback.format_exception).
// JavaScript stacks are turned into Python's "File ..., line N, in f" frame lines.

import { exceptionArgs, pyStr, pyTypeName } from '../format/py-repr.js';
import { formatStack, userFrames } from '../format/stack.js';

/**
 * Return Python's `traceback.format_exception_only` line: `ValueError: message`. A
 * thrown value that is not an Error prints as its type and `str()`, as Python printed
 * `format_exception_only(type(v), v)` before 3.10 (`str: not found`, `int: 42`); a value
 * whose `str()` fails prints `<exception str() failed>`, as in Python.
 */
export function formatExceptionOnly(e: unknown): string {
  let name: string;
  let text: string;
  try {
    if (e instanceof Error) {
      name = e.constructor?.name ?? e.name;
      text = exceptionArgs(e).length === 0 ? '' : e.message;
    } else {
      name = pyTypeName(e);
      text = pyStr(e);
    }
  } catch {
    name = e instanceof Error ? e.name : pyTypeName(e);
    text = '<exception str() failed>';
  }
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
