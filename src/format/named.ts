// Giving internal callbacks asyncio's qualified names, so that reprs and messages that
// show them ("cb=[gather.<locals>._done_callback() at …]") read as CPython's do.

import { callbackText, type MarkedCallback } from './format-callback.js';

/** Return `fn` renamed to `name` (a Python function or closure: shown with its source). */
export function named<F extends Function>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/**
 * Return `fn` marked as the Python bound method `qualname` (`Class.method`): CPython
 * shows bound methods without a source location (`cb=[TaskGroup._on_task_done()]`).
 */
export function boundMethod<F extends Function>(qualname: string, fn: F): F {
  (fn as F & MarkedCallback)[callbackText] = qualname;
  return named(qualname, fn);
}

/**
 * Mark `fn` as the Python bound method its name says (`Class.method`), as boundMethod
 * does, for callbacks made per object (a transport's, a connection's): name it at its
 * creation, as an object literal's property (`({ 'Class.method': () => … })['Class.method']`,
 * or a computed key), which costs nothing, where boundMethod's renaming turns the
 * function's properties into a dictionary (some 250 bytes and a microsecond each).
 */
export function markBound<F extends Function>(fn: F): F {
  (fn as F & MarkedCallback)[callbackText] = fn.name;
  return fn;
}
