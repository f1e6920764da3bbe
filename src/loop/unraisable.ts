// An exception raised where nothing can catch it (by a finalizer, at a collection point):
// CPython prints it as "Exception ignored in: <object>" with its traceback and goes on.
// asyncio: PyErr_WriteUnraisable (sys.unraisablehook's default)

import { _asException } from '../errors/raised.js';
import { formatException } from '../log/traceback.js';

/** @internal Print `e` as raised, and ignored, in `where` (the object's repr). */
export function _unraisable(where: string, e: unknown): void {
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr;
  stderr?.write(`Exception ignored in: ${where}\n${formatException(_asException(e))}\n`);
}
