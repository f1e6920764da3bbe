// Exceptions raised as control flow: a non-blocking socket call that would block, the end
// of a stream that readline() turns into its result. CPython raises and catches them at
// little cost; V8 records a stack trace for every Error it makes, which costs some
// microseconds each (more than the rest of a round trip), so these are made without one.
// asyncio: none (an engine cost CPython does not have)

/**
 * @internal Make an exception with no stack trace recorded (its `stack` is its first line).
 * For exceptions the caller mostly catches at once: a would-block error, an EOF readline
 * turns into its result.
 */
export function _withoutStack<E>(make: () => E): E {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = saved;
  }
}
