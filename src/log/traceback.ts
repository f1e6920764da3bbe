// Python-style rendering of a thrown value for log output (traceback.format_exception).
// JavaScript stacks are turned into Python's "File ..., line N, in f" frame lines.

import { exceptionArgs, pyStr } from '../format/py-repr.js';

const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/;

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
  const lines = ['Traceback (most recent call last):'];
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack.split('\n') : [];
  const frames: string[] = [];
  for (const line of stack) {
    const m = FRAME.exec(line);
    if (m) frames.push(`  File "${m[2]}", line ${m[3]}, in ${m[1] ?? '<module>'}`);
  }
  lines.push(...frames.reverse(), formatExceptionOnly(e));
  return lines.join('\n');
}
