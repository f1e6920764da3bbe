// Small stand-ins for Python that tests share: str() of a bool, `except X as e:`
// narrowing, implicit exception chaining (`__context__`), and built-in exception classes
// that aiosim does not export (KeyError, AttributeError, ZeroDivisionError).

import { CancelledError, ExceptionGroup, RuntimeError, TimeoutError } from '../../src/index.js';

/** Python's str() of a bool, for f-string-like log lines. */
export function py(b: boolean): string {
  return b ? 'True' : 'False';
}

// ---- except X as e ------------------------------------------------------------------

/** `except cls as e:` — return `e` narrowed to `cls`, rethrow anything else. */
export function expectType<E>(cls: new (...args: never[]) => E, e: unknown): E {
  if (!(e instanceof cls)) throw e;
  return e;
}

/** `except asyncio.CancelledError as e:` — rethrow anything else. */
export const asCancelled = (e: unknown): CancelledError => expectType(CancelledError, e);

/** `except TimeoutError as e:` — rethrow anything else. */
export const asTimeout = (e: unknown): TimeoutError => expectType(TimeoutError, e);

/** `except RuntimeError as e:` — rethrow anything else. */
export const asRuntime = (e: unknown): RuntimeError => expectType(RuntimeError, e);

/** `except ExceptionGroup as e:` — rethrow anything else. */
export const asGroup = (e: unknown): ExceptionGroup => expectType(ExceptionGroup, e);

// ---- implicit chaining ----------------------------------------------------------------

// Python's implicit chaining (`__context__`), which JavaScript does not do: a test body
// sets it by hand where Python would, in user code.
interface Chained {
  __context__?: unknown;
}

/** Python's `e.__context__`. */
export const ctx = (e: unknown): unknown => (e as Chained).__context__;

/** Set `e.__context__` as Python's implicit chaining would (`raise exc` inside `except`), and return `e`. */
export function withCtx<E>(e: E, context: unknown): E {
  (e as Chained).__context__ = context;
  return e;
}

// ---- built-in exceptions --------------------------------------------------------------

// The class name is what reprs and tracebacks show (`KeyError('k')`); an instance's own
// `name` stays Error's, as for any JavaScript subclass that does not set it.

/** Python's KeyError. */
export class KeyError extends Error {
  static {
    Object.defineProperty(this, 'name', { value: 'KeyError' });
  }
}

/** Python's AttributeError. */
export class AttributeError extends Error {
  static {
    Object.defineProperty(this, 'name', { value: 'AttributeError' });
  }
}

/**
 * Python's ZeroDivisionError (what `1/0` raises, with its message by default). Unlike the
 * two above, its instances are named too (`e.name`).
 */
export class ZeroDivisionError extends Error {
  constructor(message = 'division by zero') {
    super(message);
  }
}
ZeroDivisionError.prototype.name = 'ZeroDivisionError';
