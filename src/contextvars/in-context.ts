// inContext(ctx): Python's keyword argument `context=ctx` of the functions that also take
// `*args` (`call_soon(cb, *args, context=ctx)`), as a marker passed last. The marker is an
// instance of a class nobody else can make, so no positional argument is ever taken for it.
// asyncio: the `context=` keyword of call_soon, call_later, call_at, call_soon_threadsafe

import { repr, reprSymbol } from '../format/py-repr.js';
import { _checkContext, type Context } from './context.js';

// Markers are made here only.
let making = false;

/**
 * What `inContext(ctx)` returns: the `context=` keyword of a call that takes `...args`,
 * given as its last argument.
 * asyncio: the `context=` keyword argument
 */
export class InContext {
  /** The context given (undefined for Python's `context=None`: the current one is copied). */
  readonly context: Context | undefined;

  /** @throws TypeError `InContext cannot be created directly: use inContext(ctx)`. */
  constructor(context: Context | undefined) {
    if (!making) throw new TypeError('InContext cannot be created directly: use inContext(ctx)');
    this.context = context;
  }

  toString(): string {
    return `inContext(${this.context === undefined ? 'None' : repr(this.context)})`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}

function make(context: Context | undefined): InContext {
  making = true;
  try {
    return new InContext(context);
  } finally {
    making = false;
  }
}

// Python's `context=None`.
const NONE = make(undefined);

// Each context's marker, made once, on first use.
const markers = new WeakMap<Context, InContext>();

function markerOf(context: Context): InContext {
  let marker = markers.get(context);
  if (marker === undefined) {
    marker = make(context);
    markers.set(context, marker);
  }
  return marker;
}

/**
 * Return the marker for Python's `context=ctx` keyword in a call that takes `...args`:
 * pass it as the last argument (`loop.callSoon(cb, a, b, inContext(ctx))` is
 * `loop.call_soon(cb, a, b, context=ctx)`). `null` or `undefined` is Python's
 * `context=None`: the callback runs in a copy of the context current when it is scheduled,
 * as without the marker. The same context always gives the same marker (no allocation).
 *
 * Functions whose other arguments are keywords take `{ context }` in their options object
 * instead (`createTask(coro, { context })`, `fut.addDoneCallback(fn, { context })`).
 *
 * @throws TypeError `an instance of Context was expected` for anything else.
 * @example
 * const ctx = contextvars.copyContext();
 * loop.callSoon(report, 'done', inContext(ctx)); // report('done') runs in ctx
 * asyncio: the `context=` keyword of loop.call_soon and its siblings
 */
export function inContext(context: Context | null | undefined): InContext {
  if (context === undefined || context === null) return NONE;
  return markerOf(_checkContext(context));
}

/** @internal inContext(context) for a context known to be one. */
export function _contextArg(context: Context): InContext {
  return markerOf(context);
}

/**
 * @internal Take a trailing `inContext()` marker off `args` (the rest array of the call,
 * which the caller owns) and return its context: undefined when none was given, or
 * `context=None`.
 * @throws TypeError `inContext() must be the last argument of <method>()` for a marker
 * anywhere else (Python's keyword argument comes after the positional ones).
 */
export function _takeContextArg(args: unknown[], method: string): Context | undefined {
  const n = args.length;
  if (n === 0) return undefined;
  let context: Context | undefined;
  if (args[n - 1] instanceof InContext) context = (args.pop() as InContext).context;
  for (let i = 0; i < args.length; i++) {
    if (args[i] instanceof InContext) throw new TypeError(`inContext() must be the last argument of ${method}()`);
  }
  return context;
}
