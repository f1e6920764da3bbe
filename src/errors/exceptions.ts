// Python's exception hierarchy as asyncio uses it (builtins + asyncio/exceptions.py).
// BaseException and its direct subclasses are *not* ordinary exceptions: code that
// handles "Exception" must let them through (see isException).

import { pyStr, repr } from '../format/py-repr.js';

// Python's str(e), computed once at construction (it is `e.message`). Python computes it
// when asked, and a traceback prints `<exception str() failed>` when an argument's str or
// repr raises: the message says that, and constructing the exception never throws.
function messageOf(args: readonly unknown[]): string {
  try {
    if (args.length === 0) return '';
    if (args.length === 1) return pyStr(args[0]);
    return `(${args.map((a) => repr(a)).join(', ')})`;
  } catch {
    return '<exception str() failed>';
  }
}

// `raise X(msg) from Y` is `new X(msg, { cause: Y })`, as for JavaScript's own errors:
// a last argument that is a plain object holding only `cause` is that options bag, not
// one of Python's args.
function errorOptions(args: readonly unknown[]): { cause: unknown } | undefined {
  const last = args[args.length - 1];
  if (typeof last !== 'object' || last === null || Object.getPrototypeOf(last) !== Object.prototype) return undefined;
  const keys = Object.keys(last);
  return keys.length === 1 && keys[0] === 'cause' ? (last as { cause: unknown }) : undefined;
}

/**
 * The root of Python's exception hierarchy for exceptions that are not ordinary errors.
 *
 * `e.args` holds the constructor arguments and `e.message` is Python's `str(e)`.
 * asyncio: builtins.BaseException
 */
export class BaseException extends Error {
  // Held privately behind a getter: an own property would be printed by test runners
  // (vitest's "Serialized Error") as a field of every failure.
  readonly #args: readonly unknown[];
  constructor(...args: unknown[]) {
    const options = errorOptions(args);
    if (options !== undefined) args = args.slice(0, -1);
    super(messageOf(args), options);
    this.#args = args;
    this.name = new.target.name;
  }

  /** The constructor's arguments (Python's `args`). */
  get args(): readonly unknown[] {
    return this.#args;
  }

  /**
   * @internal Whether Python's `isinstance(e, Exception)` holds as well: only for
   * ExceptionGroup, which is both (it says so itself: no import cycle, no hook).
   */
  get _isOrdinary(): boolean {
    return false;
  }
}

/**
 * The base of the ordinary exceptions aiosim defines (Python's `Exception` is
 * JavaScript's `Error`; this class only carries Python's `args`).
 */
export class PythonError extends Error {
  // Held privately behind a getter: an own property would be printed by test runners
  // (vitest's "Serialized Error") as a field of every failure.
  readonly #args: readonly unknown[];
  constructor(...args: unknown[]) {
    const options = errorOptions(args);
    if (options !== undefined) args = args.slice(0, -1);
    super(messageOf(args), options);
    this.#args = args;
    this.name = new.target.name;
  }

  /** The constructor's arguments (Python's `args`). */
  get args(): readonly unknown[] {
    return this.#args;
  }
}

/**
 * Raised inside a task or future that was cancelled.
 *
 * The cancel message, if any, is `args[0]` (`e.message`).
 * asyncio: asyncio.CancelledError
 */
export class CancelledError extends BaseException {}

/** Raised by Ctrl-C in Python; propagates out of the event loop. asyncio: KeyboardInterrupt */
export class KeyboardInterrupt extends BaseException {}

/** Raised by `sys.exit()` in Python; propagates out of the event loop. asyncio: SystemExit */
export class SystemExit extends BaseException {
  /** The exit status: undefined without arguments, the argument, or all of them (Python's `code`). */
  get code(): unknown {
    const args = this.args;
    return args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
  }
}

/** The operation is not allowed in the object's current state. asyncio: asyncio.InvalidStateError */
export class InvalidStateError extends PythonError {}


/**
 * An operating-system error (aiosim raises it where CPython's OS calls fail). With an
 * errno and a text, `e.message` is Python's `str(e)`: `[Errno 98] Address already in use`.
 * `osError(errno, text)` makes the subclass Python's `OSError(errno, text)` makes.
 * asyncio: builtins.OSError
 */
export class OSError extends PythonError {
  constructor(...args: unknown[]) {
    super(...args);
    // Python's str(OSError(errno, strerror)) is '[Errno 22] Invalid argument'.
    if (this.args.length >= 2 && typeof this.args[0] === 'number') this.message = `[Errno ${this.args[0]}] ${pyStr(this.args[1])}`;
  }

  /** The errno value, when there is one. */
  get errno(): number | undefined {
    return typeof this.args[0] === 'number' && this.args.length > 1 ? this.args[0] : undefined;
  }

  /** The error's text, when there is an errno. asyncio: OSError.strerror */
  get strerror(): string | undefined {
    return this.errno === undefined ? undefined : pyStr(this.args[1]);
  }
}

/** An operation would block a non-blocking socket (EAGAIN, EALREADY, EINPROGRESS). asyncio: builtins.BlockingIOError */
export class BlockingIOError extends OSError {}

/** The base of the connection errors. asyncio: builtins.ConnectionError */
export class ConnectionError extends OSError {}

/** Writing to a connection whose other end is gone (EPIPE). asyncio: builtins.BrokenPipeError */
export class BrokenPipeError extends ConnectionError {}

/** The connection was aborted locally (ECONNABORTED). asyncio: builtins.ConnectionAbortedError */
export class ConnectionAbortedError extends ConnectionError {}

/** Nothing listens where a connection was asked for (ECONNREFUSED). asyncio: builtins.ConnectionRefusedError */
export class ConnectionRefusedError extends ConnectionError {}

/** The peer reset the connection (ECONNRESET). asyncio: builtins.ConnectionResetError */
export class ConnectionResetError extends ConnectionError {}

/**
 * An operation exceeded its deadline; an OSError, as in Python (ETIMEDOUT).
 * asyncio: TimeoutError (asyncio.TimeoutError is the builtin)
 */
export class TimeoutError extends OSError {}

// Python's OSError(errno, text) picks its subclass from the errno (Linux values).
const OS_ERROR_CLASSES: ReadonlyMap<number, new (...args: unknown[]) => OSError> = new Map<number, new (...args: unknown[]) => OSError>([
  [11, BlockingIOError], [114, BlockingIOError], [115, BlockingIOError],
  [32, BrokenPipeError], [108, BrokenPipeError],
  [103, ConnectionAbortedError], [111, ConnectionRefusedError], [104, ConnectionResetError],
  [110, TimeoutError],
]);

/**
 * Make the OSError Python's `OSError(errno, text)` makes: the subclass of the errno
 * (BlockingIOError for EAGAIN, ConnectionRefusedError for ECONNREFUSED, …), or OSError.
 * asyncio: builtins.OSError's constructor
 */
export function osError(errno: number, text: string): OSError {
  const cls = OS_ERROR_CLASSES.get(errno) ?? OSError;
  return new cls(errno, text);
}

/** asyncio: builtins.RuntimeError */
export class RuntimeError extends PythonError {}

/**
 * The call stack is exhausted: an await chain (or a recursion) too deep. aiosim raises
 * it where JavaScript's stack overflows (a RangeError `Maximum call stack size
 * exceeded`) inside a task step, a callback or a thread body, with Python's message
 * `maximum recursion depth exceeded`.
 * asyncio: builtins.RecursionError
 */
export class RecursionError extends RuntimeError {}

/** An abstract method a subclass must override was called. asyncio: builtins.NotImplementedError */
export class NotImplementedError extends RuntimeError {}

/** asyncio: builtins.ValueError */
export class ValueError extends PythonError {}

/** The end of a stream came before the data asked for (the base of IncompleteReadError). asyncio: builtins.EOFError */
export class EOFError extends PythonError {}

/**
 * An internal consistency check failed: where asyncio's code has an `assert` (run, as
 * CPython runs it without `-O`), aiosim raises this with the assert's message.
 * asyncio: builtins.AssertionError
 */
export class AssertionError extends PythonError {}

/** A key or index not found (the base of KeyError). asyncio: builtins.LookupError */
export class LookupError extends PythonError {}

/**
 * A mapping has no such key. Python's `str(KeyError(k))` is `repr(k)`: `e.message` is.
 * asyncio: builtins.KeyError
 */
export class KeyError extends LookupError {
  constructor(...args: unknown[]) {
    super(...args);
    if (this.args.length !== 1) return;
    try {
      this.message = repr(this.args[0]);
    } catch {
      this.message = '<exception str() failed>';
    }
  }
}

/**
 * Python's end-of-iteration signal. Futures refuse it as an exception, as CPython does.
 * asyncio: builtins.StopIteration
 */
export class StopIteration extends PythonError {
  get value(): unknown {
    return this.args[0];
  }
}

/**
 * The end of an asynchronous iteration: an async iterator's `anext()` raises it when it
 * has nothing more, and `asyncFor` stops there. An ordinary exception, as in Python.
 * asyncio: builtins.StopAsyncIteration
 */
export class StopAsyncIteration extends PythonError {}

/**
 * Thrown into an async generator to close it (`aclose()`, and a collection point closing
 * one that has no loop to finish it): its `finally` blocks run, and an `except`-all that
 * catches it must raise it again. Not an ordinary exception, as in Python.
 * asyncio: builtins.GeneratorExit
 */
export class GeneratorExit extends BaseException {}


/** `getNowait()` on an empty queue. asyncio: asyncio.QueueEmpty */
export class QueueEmpty extends PythonError {}

/** `putNowait()` on a full queue. asyncio: asyncio.QueueFull */
export class QueueFull extends PythonError {}

/** A put or get on a queue that was shut down. asyncio: asyncio.QueueShutDown */
export class QueueShutDown extends PythonError {}

/** A Barrier was reset or aborted while tasks waited on it. asyncio: asyncio.BrokenBarrierError */
export class BrokenBarrierError extends RuntimeError {}

/**
 * Raised by aiosim when the loop waits and nothing can ever wake it: no ready callback,
 * no timer, nothing pending elsewhere. The message names every pending task and what it
 * waits for. CPython would block forever here.
 */
export class StalledError extends RuntimeError {}

/**
 * Return whether `e` is an ordinary exception (Python's `isinstance(e, Exception)`):
 * anything thrown that is not a BaseException, and ExceptionGroup.
 */
export function isException(e: unknown): boolean {
  return !(e instanceof BaseException) || e._isOrdinary;
}

/** Return whether `e` must propagate out of the event loop (SystemExit, KeyboardInterrupt). */
export function isExitException(e: unknown): boolean {
  return e instanceof SystemExit || e instanceof KeyboardInterrupt;
}
