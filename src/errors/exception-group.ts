// Python's exception groups (PEP 654): BaseExceptionGroup and ExceptionGroup with
// `exceptions`, `subgroup`, `split` and `derive`. asyncio: builtins.BaseExceptionGroup

import { pyTypeName, repr, reprSymbol } from '../format/py-repr.js';
import { BaseException, isException, ValueError } from './exceptions.js';
import { _setCause, _setContext } from './chaining.js';

/** What `subgroup`/`split` match on: an exception class, several, or a predicate. */
export type ExceptionMatcher = (abstract new (...args: any[]) => unknown) | readonly (abstract new (...args: any[]) => unknown)[] | ((e: unknown) => boolean);

function isClass(x: unknown): x is abstract new (...args: any[]) => unknown {
  return typeof x === 'function' && (x === Error || x.prototype instanceof Error);
}

// A thrown value that is not an Error is an instance of no exception class: it goes with
// the rest (Error and BaseException, which would cover it, match any whole group first).
function matcher(cond: ExceptionMatcher): (e: unknown) => boolean {
  if (isClass(cond)) return (e) => e instanceof cond;
  if (Array.isArray(cond)) return (e) => cond.some((c) => e instanceof c);
  if (typeof cond === 'function') return cond as (e: unknown) => boolean;
  throw new TypeError('expected an exception type, a tuple of exception types, or a callable (other than a class)');
}

// Python refuses members that are not exceptions; aiosim lets the groups it builds from
// caught values (a TaskGroup's errors, and what split makes of such a group) hold any
// value a program threw. Above zero while such a group is being built.
let buildingFromThrown = 0;

// Copy what Python copies onto a derived group: __cause__, __context__, __notes__.
function copyMetadata(from: BaseExceptionGroup, to: BaseExceptionGroup): BaseExceptionGroup {
  if (from.cause !== undefined) _setCause(to, from.cause);
  const ctx = (from as { __context__?: unknown }).__context__;
  if (ctx !== undefined) _setContext(to, ctx);
  const notes = (from as { __notes__?: unknown }).__notes__;
  if (notes !== undefined) (to as { __notes__?: unknown }).__notes__ = notes;
  return to;
}

/**
 * A group of exceptions raised together, some of which may not be ordinary exceptions.
 * `new BaseExceptionGroup(msg, excs)` gives an ExceptionGroup when every member is an
 * ordinary exception, as in Python.
 *
 * `eg.message` is the group's own message; `String(eg)` is Python's `str(eg)`:
 * `message (N sub-exceptions)`.
 * asyncio: builtins.BaseExceptionGroup
 */
export class BaseExceptionGroup extends BaseException {
  readonly exceptions!: readonly unknown[];
  declare readonly message: string;

  constructor(message: string, exceptions: readonly unknown[]) {
    if (typeof message !== 'string') throw new TypeError(`BaseExceptionGroup.__new__() argument 1 must be str, not ${pyTypeName(message)}`);
    if (!Array.isArray(exceptions)) throw new TypeError('second argument (exceptions) must be a sequence');
    if (exceptions.length === 0) throw new ValueError('second argument (exceptions) must be a non-empty sequence');
    if (buildingFromThrown === 0) {
      exceptions.forEach((e, i) => {
        if (!(e instanceof Error)) throw new ValueError(`Item ${i} of second argument (exceptions) is not an exception`);
      });
    }
    const ordinary = exceptions.every(isException);
    if (new.target === ExceptionGroup && !ordinary) throw new TypeError('Cannot nest BaseExceptions in an ExceptionGroup');
    if (new.target === BaseExceptionGroup && ordinary) {
      // Python's BaseExceptionGroup.__new__ returns an ExceptionGroup here.
      // eslint-disable-next-line no-constructor-return
      return new ExceptionGroup(message, exceptions);
    }
    super(message, Object.freeze([...exceptions]));
    Object.defineProperty(this, 'message', { value: message, writable: true, configurable: true });
    this.exceptions = Object.freeze([...exceptions]);
  }

  /** Python's `str(eg)`: the message and the number of sub-exceptions. */
  override toString(): string {
    const n = this.exceptions.length;
    return `${this.message} (${n} sub-exception${n === 1 ? '' : 's'})`;
  }

  [reprSymbol](): string {
    return `${this.constructor.name}(${repr(this.message)}, ${repr([...this.exceptions])})`;
  }

  /** Return a new group with this message and these exceptions (an ExceptionGroup when all are ordinary). */
  derive(exceptions: readonly unknown[]): BaseExceptionGroup {
    return new BaseExceptionGroup(this.message, exceptions);
  }

  /**
   * Return the part of the group whose leaves match `cond` (the group itself when it
   * matches or all its leaves do), or undefined when nothing matches.
   */
  subgroup(cond: ExceptionMatcher): BaseExceptionGroup | undefined {
    return this.split(cond)[0];
  }

  /** Return `[match, rest]`: the matching and the other leaves, each a group or undefined. */
  split(cond: ExceptionMatcher): [BaseExceptionGroup | undefined, BaseExceptionGroup | undefined] {
    const test = matcher(cond);
    if (test(this)) return [this, undefined];
    const match: unknown[] = [];
    const rest: unknown[] = [];
    for (const e of this.exceptions) {
      if (e instanceof BaseExceptionGroup) {
        const [m, r] = e.split(test);
        if (m !== undefined) match.push(m);
        if (r !== undefined) rest.push(r);
      } else if (test(e)) {
        match.push(e);
      } else {
        rest.push(e);
      }
    }
    const build = (excs: unknown[]): BaseExceptionGroup | undefined => (excs.length === 0 ? undefined : copyMetadata(this, deriveFromThrown(this, excs)));
    return [build(match), build(rest)];
  }
}

// derive() for split: the members come from the group itself, thrown values included.
function deriveFromThrown(group: BaseExceptionGroup, exceptions: unknown[]): BaseExceptionGroup {
  buildingFromThrown++;
  try {
    return group.derive(exceptions);
  } finally {
    buildingFromThrown--;
  }
}

/**
 * @internal Return the group of these caught values (an ExceptionGroup when all are
 * ordinary), which may include values that are not Errors: aiosim carries any thrown
 * value as an ordinary exception.
 */
export function _groupOfThrown(message: string, exceptions: readonly unknown[]): BaseExceptionGroup {
  buildingFromThrown++;
  try {
    return new BaseExceptionGroup(message, exceptions);
  } finally {
    buildingFromThrown--;
  }
}

/**
 * A group of ordinary exceptions; itself an ordinary exception (Python's ExceptionGroup
 * is both a BaseExceptionGroup and an Exception).
 * asyncio: builtins.ExceptionGroup
 */
export class ExceptionGroup extends BaseExceptionGroup {
  /** @internal Python's ExceptionGroup is an Exception too. */
  override get _isOrdinary(): boolean {
    return true;
  }
}

