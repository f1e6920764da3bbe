// Exception chaining: Python's `__cause__` (JavaScript's `cause`) and `__context__`, set
// the way V8 sets `cause` from `new Error(msg, { cause })`: as own properties that are not
// enumerable, so test runners and `console.log` do not print them as data fields.
// asyncio: the interpreter's exception chaining (raise … from …, implicit context)

function define(e: object, key: string, value: unknown): void {
  Object.defineProperty(e, key, { value, writable: true, enumerable: false, configurable: true });
}

/** @internal Set `e.cause` (Python's `__cause__`, as `raise e from cause` does). */
export function _setCause(e: object, cause: unknown): void {
  define(e, 'cause', cause);
}

/** @internal Set `e.__context__` (Python's implicit exception context). */
export function _setContext(e: object, context: unknown): void {
  define(e, '__context__', context);
}
