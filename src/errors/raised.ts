// What a caught value stands for as an exception. JavaScript can throw any value;
// Python raises only exceptions, and turns a too-deep stack into RecursionError.
// asyncio: the raise statement's check (ceval's do_raise) and the recursion limit

import { RecursionError } from './exceptions.js';

// V8's message for an exhausted stack (a RangeError).
const STACK_OVERFLOW = 'Maximum call stack size exceeded';

// Whether `e` is JavaScript's stack overflow (V8's RangeError).
function isStackOverflow(e: unknown): e is RangeError {
  return e instanceof RangeError && e.message === STACK_OVERFLOW;
}

// Python's RecursionError where the stack overflowed; the overflow's frames stand for
// the traceback Python would show.
function recursionError(overflow: RangeError): RecursionError {
  const err = new RecursionError('maximum recursion depth exceeded');
  const stack = overflow.stack;
  const firstFrame = typeof stack === 'string' ? stack.indexOf('\n') : -1;
  if (firstFrame >= 0) err.stack = `RecursionError: maximum recursion depth exceeded${stack!.slice(firstFrame)}`;
  return err;
}

/**
 * @internal Return the exception that a value caught where aiosim runs user code (a
 * task step, a callback, an executor job, a thread body, a context manager's block, an
 * exception handler) stands for. Any value is an exception and is kept as it is, except:
 * `undefined` and `null`, which cannot be told from "no exception", become
 * `TypeError('exceptions must derive from BaseException')` (what Python raises for
 * `raise None`); V8's stack overflow becomes `RecursionError('maximum recursion depth
 * exceeded')`.
 */
export function _asException(thrown: unknown): unknown {
  if (thrown === undefined || thrown === null) return new TypeError('exceptions must derive from BaseException');
  if (isStackOverflow(thrown)) return recursionError(thrown);
  _markRaised(thrown);
  return thrown;
}

// Exceptions a program gave to `Future.setException` and nobody raised since. Python's
// exception has no traceback until it is raised, and a logged traceback then shows only
// its `ValueError: f2` line; a JavaScript error always carries a stack, so aiosim keeps
// the fact here. Every other exception counts as raised (it reached aiosim thrown, or
// the program logs what it caught).
const unraised = new WeakSet<object>();

/** @internal Note that `e` was set on a future without being raised (Future.setException). */
export function _markUnraised(e: unknown): void {
  if (typeof e === 'object' && e !== null) unraised.add(e);
}

/** @internal Note that `e` was raised (thrown by `result()`, caught from user code). */
export function _markRaised(e: unknown): void {
  if (typeof e === 'object' && e !== null) unraised.delete(e);
}

/** @internal Whether `e` was set on a future and never raised (a traceback prints no frames for it). */
export function _neverRaised(e: unknown): boolean {
  return typeof e === 'object' && e !== null && unraised.has(e);
}
