// What happens to an exception escaping a simulated thread's body: threading.excepthook
// is called with it (by default: "Exception in thread NAME:" and the traceback on
// stderr; SystemExit is silently ignored), and an exception escaping the hook itself is
// printed as "Exception in threading.excepthook:" with its traceback.
// asyncio: threading.excepthook / threading.ExceptHookArgs / Thread._invoke_excepthook

import { RuntimeError, SystemExit } from '../errors/exceptions.js';
import { formatException } from '../log/traceback.js';

/** What `threading.excepthook` receives (Python's `ExceptHookArgs`). */
export interface ExceptHookArgs {
  /** The exception's class (its constructor; undefined for a thrown primitive). */
  readonly excType: unknown;
  /** The thrown value. */
  readonly excValue: unknown;
  /** Always undefined: aiosim has no traceback objects (the stack is on `excValue`). */
  readonly excTraceback: undefined;
  /** The thread whose body raised. */
  readonly thread: { readonly name: string };
}

/** A replacement for `threading.excepthook`. */
export type ExceptHook = (args: ExceptHookArgs) => void;

function writeStderr(text: string): void {
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr;
  stderr?.write(text);
}

/**
 * Print an exception that escaped a thread's body as Python's default hook does:
 * `Exception in thread NAME:`, then the traceback, on stderr; ignore SystemExit.
 *
 * @example threading.excepthook = threading.__excepthook__; // restore the default
 * asyncio: threading.__excepthook__
 */
export function defaultExcepthook(args: ExceptHookArgs): void {
  if (args.excType === SystemExit || args.excValue instanceof SystemExit) return;
  writeStderr(`Exception in thread ${args.thread.name}:\n${formatException(args.excValue)}\n`);
}

// undefined: Python's `threading.excepthook = None`.
let hook: ExceptHook | undefined = defaultExcepthook;

/** @internal The current `threading.excepthook` (undefined for None). */
export function _getExcepthook(): ExceptHook | undefined {
  return hook;
}

/** @internal Replace `threading.excepthook` (undefined or null stand for None). */
export function _setExcepthook(fn: ExceptHook | undefined | null): void {
  hook = fn ?? undefined;
}

/**
 * @internal The hook a new thread falls back on if `threading.excepthook` is None when
 * its body fails: the one set when the thread is created.
 * @throws RuntimeError `threading.excepthook is None` (a thread cannot be created then).
 */
export function _excepthookAtCreation(): ExceptHook {
  if (hook === undefined) throw new RuntimeError('threading.excepthook is None');
  return hook;
}

/**
 * @internal Hand an exception that escaped `thread`'s body to `threading.excepthook`
 * (else `fallback`), called on that thread as in CPython; never throws.
 */
export function _invokeExcepthook(thread: { readonly name: string }, e: unknown, fallback: ExceptHook): void {
  const excType = typeof e === 'object' && e !== null ? (e as object).constructor : undefined;
  try {
    (hook ?? fallback)({ excType, excValue: e, excTraceback: undefined, thread });
  } catch (err) {
    writeStderr(`Exception in threading.excepthook:\n${formatException(err)}\n`);
  }
}
