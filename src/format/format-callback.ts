// How asyncio names a callback in reprs and messages: `name(args) at file:line`.
// asyncio: format_helpers._format_callback_source / _format_callback / _format_args_and_kwargs

import { repr } from './py-repr.js';
import { reprlibRepr } from './reprlib.js';
import { functionSource } from './source-location.js';

/**
 * Internal callbacks that stand for C objects in CPython (a Task's step and wake-up)
 * carry this symbol: their text is fixed and they have no source location.
 */
export const callbackText: unique symbol = Symbol('aiosim.callbackText');

/** The object a callback is bound to (Python's `callback.__self__`), when it matters. */
export const callbackSelf: unique symbol = Symbol('aiosim.callbackSelf');

/** A callback made by `partial(fn, ...args)`: its target and the bound arguments. */
export const partialOf: unique symbol = Symbol('aiosim.partialOf');

export interface MarkedCallback {
  [partialOf]?: { fn: Function; args: readonly unknown[] };
  /** The name to show, or a function of the callback (`this`) giving it. */
  [callbackText]?: string | ((this: Function) => string);
  [callbackSelf]?: object;
}

function formatArgs(args: readonly unknown[], debug: boolean): string {
  // asyncio 3.13 hides arguments unless debug mode is on (they may be sensitive).
  if (!debug) return '()';
  return `(${args.map((a) => reprlibRepr(a)).join(', ')})`;
}

function functionName(fn: Function): string {
  const name = fn.name.startsWith('bound ') ? fn.name.slice('bound '.length) : fn.name;
  return name === '' ? '<lambda>' : name;
}

/**
 * Return `fn` with `args` bound in front of the arguments it is called with; reprs show
 * it as Python shows a `functools.partial`: `fn(bound args)(call args)`.
 * asyncio: functools.partial
 */
export function partial<A extends unknown[], B extends unknown[], R>(fn: (...args: [...A, ...B]) => R, ...args: A): (...rest: B) => R {
  const p = (...rest: B): R => fn(...args, ...rest);
  (p as MarkedCallback)[partialOf] = { fn, args };
  return p;
}

/** Return the callback's name with its arguments (`_format_callback`). */
export function formatCallback(fn: unknown, args: readonly unknown[], debug: boolean, suffix = ''): string {
  const target = typeof fn === 'function' ? (fn as MarkedCallback)[partialOf] : undefined;
  if (target !== undefined) return formatCallback(target.fn, target.args, debug, formatArgs(args, debug) + suffix);
  return formatPlainCallback(fn, args, debug) + suffix;
}

function formatPlainCallback(fn: unknown, args: readonly unknown[], debug: boolean): string {
  if (typeof fn === 'function') {
    const fixed = (fn as MarkedCallback)[callbackText];
    const name = fixed === undefined ? functionName(fn) : typeof fixed === 'string' ? fixed : fixed.call(fn);
    return name + formatArgs(args, debug);
  }
  return repr(fn) + formatArgs(args, debug);
}

/** Return `name(args) at file:line` for a callback (`_format_callback_source`). */
export function formatCallbackSource(fn: unknown, args: readonly unknown[], debug: boolean): string {
  const text = formatCallback(fn, args, debug);
  let target = fn;
  while (typeof target === 'function' && (target as MarkedCallback)[partialOf] !== undefined) {
    target = (target as MarkedCallback)[partialOf]!.fn;
  }
  if (typeof target !== 'function' || (target as MarkedCallback)[callbackText] !== undefined) return text;
  const source = functionSource(target);
  return source === undefined ? text : `${text} at ${source}`;
}
