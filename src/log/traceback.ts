// Python-style rendering of a thrown value for log output (traceback.format_exception):
// the chain of causes and contexts, each exception's frames (JavaScript stacks turned into
// Python's "File ..., line N, in f" lines), its `module.Class: message` line and notes, and
// exception groups drawn as Python draws them (`+-+---- 1 ----` boxes).

import { BaseExceptionGroup } from '../errors/exception-group.js';
import { qualifiedClassName } from '../errors/qualified-name.js';
import { _neverRaised } from '../errors/raised.js';
import { exceptionArgs, pyStr, pyTypeName } from '../format/py-repr.js';
import { formatStack, userFrames } from '../format/stack.js';

const CAUSE_MESSAGE = '\nThe above exception was the direct cause of the following exception:\n';
const CONTEXT_MESSAGE = '\nDuring handling of the above exception, another exception occurred:\n';

// asyncio: traceback.TracebackException's defaults.
const MAX_GROUP_WIDTH = 15;
const MAX_GROUP_DEPTH = 10;

// A value whose str() fails prints this, as in Python.
function safeStr(x: unknown): string {
  try {
    return pyStr(x);
  } catch {
    return '<exception str() failed>';
  }
}

/**
 * Return Python's `traceback.format_exception_only` text: `ValueError: message`, with
 * asyncio's classes module-qualified (`asyncio.exceptions.CancelledError`), then the
 * exception's notes (`__notes__`), one per line. A thrown value that is not an Error
 * prints as its type and `str()`, as Python printed `format_exception_only(type(v), v)`
 * before 3.10 (`str: not found`, `int: 42`); a value whose `str()` fails prints
 * `<exception str() failed>`, as in Python.
 */
export function formatExceptionOnly(e: unknown): string {
  let name: string;
  let text: string;
  try {
    if (e instanceof Error) {
      name = qualifiedClassName(e);
      // Python's str(e): a group's includes the number of its sub-exceptions.
      text = e instanceof BaseExceptionGroup ? String(e) : exceptionArgs(e).length === 0 ? '' : e.message;
    } else {
      name = pyTypeName(e);
      text = pyStr(e);
    }
  } catch {
    name = e instanceof Error ? e.name : pyTypeName(e);
    text = '<exception str() failed>';
  }
  const line = text === '' ? name : `${name}: ${text}`;
  const notes = e instanceof Error ? (e as { __notes__?: unknown }).__notes__ : undefined;
  return Array.isArray(notes) ? [line, ...notes.map(safeStr)].join('\n') : line;
}

// Python's `__cause__`: JavaScript's `cause` (`new X(msg, { cause })`); null and undefined are None.
function causeOf(e: Error): unknown {
  return Object.hasOwn(e, 'cause') ? (e as { cause?: unknown }).cause ?? undefined : undefined;
}

// Python's `__suppress_context__`, which `raise … from …` sets (`from None` included): an
// own `cause` property, whatever its value, says the exception was raised from something.
// A program may also set `__suppress_context__` itself, as in Python.
function suppressesContext(e: Error): boolean {
  const flag = (e as { __suppress_context__?: unknown }).__suppress_context__;
  return typeof flag === 'boolean' ? flag : Object.hasOwn(e, 'cause');
}

function contextOf(e: Error): unknown {
  return (e as { __context__?: unknown }).__context__ ?? undefined;
}

// The frames of `e`'s traceback: none when it was set on a future and never raised (a
// Python exception has no traceback then); else the user's frames of its stack (aiosim's
// own frames stand for CPython's C code, which tracebacks do not show either).
function framesOf(e: unknown): string | undefined {
  if (_neverRaised(e)) return undefined;
  const frames = e instanceof Error && typeof e.stack === 'string' ? userFrames(e.stack) : [];
  return frames.length > 0 ? formatStack(frames) : '';
}

// Python's _ExceptionPrintContext: the lines so far, how deep in groups, and whether the
// last member's box still needs its closing line.
interface PrintContext {
  readonly lines: string[];
  readonly seen: Set<unknown>;
  depth: number;
  needClose: boolean;
}

function indent(ctx: PrintContext): string {
  return ' '.repeat(2 * ctx.depth);
}

// Every line of `text`, indented for the current depth with the group margin.
function emit(ctx: PrintContext, text: string, margin = '|'): void {
  const prefix = ctx.depth > 0 ? `${indent(ctx)}${margin} ` : '';
  for (const line of text.split('\n')) ctx.lines.push(prefix + line);
}

// The chain of `e`, oldest first, each with the message that links it to the next (newer)
// one (each exception once, as Python's _seen set makes it).
function chainOf(e: unknown, seen: Set<unknown>): { exc: unknown; link: string | undefined }[] {
  const chain: { exc: unknown; link: string | undefined }[] = [{ exc: e, link: undefined }];
  seen.add(e);
  for (let exc = e; exc instanceof Error; ) {
    const cause = causeOf(exc);
    const next = cause !== undefined ? cause : suppressesContext(exc) ? undefined : contextOf(exc);
    if (next === undefined || seen.has(next)) break;
    chain.push({ exc: next, link: cause !== undefined ? CAUSE_MESSAGE : CONTEXT_MESSAGE });
    seen.add(next);
    exc = next;
  }
  return chain.reverse();
}

// asyncio: traceback.TracebackException.format
function formatChain(e: unknown, ctx: PrintContext): void {
  const chain = chainOf(e, ctx.seen);
  for (let i = 0; i < chain.length; i++) {
    const exc = chain[i]!.exc;
    if (!(exc instanceof BaseExceptionGroup)) {
      const frames = framesOf(exc);
      if (frames !== undefined) {
        emit(ctx, 'Traceback (most recent call last):');
        if (frames !== '') emit(ctx, frames);
      }
      emit(ctx, formatExceptionOnly(exc));
    } else if (ctx.depth > MAX_GROUP_DEPTH) {
      emit(ctx, `... (max_group_depth is ${MAX_GROUP_DEPTH})`);
    } else {
      formatGroup(exc, ctx);
    }
    const link = chain[i]!.link;
    if (link !== undefined) emit(ctx, link);
  }
}

// An exception group: its own traceback and line, then each member in a numbered box.
function formatGroup(group: BaseExceptionGroup, ctx: PrintContext): void {
  const topLevel = ctx.depth === 0;
  if (topLevel) ctx.depth++;
  const frames = framesOf(group);
  if (frames !== undefined) {
    emit(ctx, 'Exception Group Traceback (most recent call last):', topLevel ? '+' : '|');
    if (frames !== '') emit(ctx, frames);
  }
  emit(ctx, formatExceptionOnly(group));
  const members = group.exceptions;
  const n = members.length <= MAX_GROUP_WIDTH ? members.length : MAX_GROUP_WIDTH + 1;
  ctx.needClose = false;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    if (last) ctx.needClose = true;
    const truncated = i >= MAX_GROUP_WIDTH;
    ctx.lines.push(`${indent(ctx)}${i === 0 ? '+-' : '  '}+---------------- ${truncated ? '...' : i + 1} ----------------`);
    ctx.depth++;
    if (!truncated) {
      formatChain(members[i], ctx);
    } else {
      const remaining = members.length - MAX_GROUP_WIDTH;
      emit(ctx, `and ${remaining} more exception${remaining > 1 ? 's' : ''}`);
    }
    if (last && ctx.needClose) {
      ctx.lines.push(`${indent(ctx)}+------------------------------------`);
      ctx.needClose = false;
    }
    ctx.depth--;
  }
  if (topLevel) ctx.depth = 0;
}

/**
 * Return the text Python's logging appends for `exc_info` (`traceback.format_exception`,
 * without the last newline): the exception's chain, oldest first (its `cause`, else its
 * `__context__` unless `raise … from …` suppressed it, linked by Python's "The above
 * exception was the direct cause of the following exception:" or "During handling of
 * the above exception, another exception occurred:"), each exception with its traceback
 * header and frames (none for an exception set on a future and never raised) and its
 * exception line; an exception group with its members in numbered boxes.
 */
export function formatException(e: unknown): string {
  const ctx: PrintContext = { lines: [], seen: new Set(), depth: 0, needClose: false };
  formatChain(e, ctx);
  return ctx.lines.join('\n');
}
