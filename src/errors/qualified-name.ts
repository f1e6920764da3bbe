// The module a Python exception class lives in, for the `module.Class: message` line of a
// traceback: Python qualifies every class outside `builtins` and `__main__`.
// asyncio: traceback.TracebackException (exc_type.__module__), asyncio/exceptions.py, queues.py

import { BrokenBarrierError, CancelledError, InvalidStateError, QueueEmpty, QueueFull, QueueShutDown } from './exceptions.js';

// Keyed by the exact class: a program's subclass of CancelledError is its own (`__main__`),
// so it prints unqualified, as in Python.
const modules = new Map<Function, string>([
  [CancelledError, 'asyncio.exceptions'],
  [InvalidStateError, 'asyncio.exceptions'],
  [BrokenBarrierError, 'asyncio.exceptions'],
  [QueueEmpty, 'asyncio.queues'],
  [QueueFull, 'asyncio.queues'],
  [QueueShutDown, 'asyncio.queues'],
]);

/** @internal Declare the Python module of an exception class defined in a higher layer. */
export function _setPythonModule(cls: Function, module: string): void {
  modules.set(cls, module);
}

/**
 * Return the name a traceback gives the class of `e`: `asyncio.exceptions.CancelledError`
 * for asyncio's own classes, the bare class name for builtins and the program's classes.
 */
export function qualifiedClassName(e: Error): string {
  const cls = e.constructor;
  const name = cls?.name ?? e.name;
  const module = cls === undefined ? undefined : modules.get(cls);
  return module === undefined ? name : `${module}.${name}`;
}
