// Giving internal callbacks asyncio's qualified names, so that reprs and messages that
// show them ("cb=[gather.<locals>._done_callback() at …]") read as CPython's do.

/** Return `fn` renamed to `name`. */
export function named<F extends Function>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}
