// Python's `warnings`: categories, filters with their actions and registries, Python's
// default filters, catchWarnings and a replaceable showwarning.
// asyncio: warnings (as asyncio uses it: RuntimeWarning for never-awaited coroutines,
// ResourceWarning for unclosed loops, DeprecationWarning)

import { PythonError, ValueError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import { extractStack, type StackFrame } from '../format/stack.js';
import { _tracer } from './trace-hook.js';

/** The base warning category (a Python Exception). `String(w)` is its text. */
export class Warning extends PythonError {
  override toString(): string {
    return this.message;
  }
}
/** asyncio: builtins.UserWarning */
export class UserWarning extends Warning {}
/** asyncio: builtins.RuntimeWarning (e.g. "coroutine '…' was never awaited") */
export class RuntimeWarning extends Warning {}
/** asyncio: builtins.ResourceWarning (e.g. "unclosed event loop"), hidden by default */
export class ResourceWarning extends Warning {}
/** asyncio: builtins.DeprecationWarning, hidden by default outside __main__ */
export class DeprecationWarning extends Warning {}
/** asyncio: builtins.PendingDeprecationWarning, hidden by default */
export class PendingDeprecationWarning extends Warning {}

/** A warning category: Warning or a subclass. */
export type WarningCategory = new (...args: unknown[]) => Warning;

/** What a filter does with a matching warning. */
export type WarningAction = 'default' | 'error' | 'ignore' | 'always' | 'once' | 'module';

/** @internal A warning filter, as Python keeps them (action, message regex, category, module, line). */
export interface Filter {
  action: WarningAction;
  message: RegExp | undefined;
  category: WarningCategory;
  module: RegExp | '__main__' | undefined;
  lineno: number;
}

/** One shown warning, as `catchWarnings({ record: true })` collects it. */
export interface WarningMessage {
  /** The warning object (an instance of its category; `String(message)` is the text). */
  message: Warning;
  category: WarningCategory;
  filename: string;
  lineno: number;
}

const ACTIONS: readonly WarningAction[] = ['default', 'error', 'ignore', 'always', 'once', 'module'];

// Python 3.13's default filters (a release build without -W or -X dev).
function defaultFilters(): Filter[] {
  return [
    { action: 'default', message: undefined, category: DeprecationWarning, module: '__main__', lineno: 0 },
    { action: 'ignore', message: undefined, category: DeprecationWarning, module: undefined, lineno: 0 },
    { action: 'ignore', message: undefined, category: PendingDeprecationWarning, module: undefined, lineno: 0 },
    { action: 'ignore', message: undefined, category: ResourceWarning, module: undefined, lineno: 0 },
  ];
}

let filters: Filter[] = defaultFilters();
// Bumped whenever the filters change: registries of earlier versions are stale.
let filtersVersion = 1;
const registries = new Map<string, { version: number; keys: Set<string> }>();
const onceRegistry = new Set<string>();

function checkAction(action: string): asserts action is WarningAction {
  if (!(ACTIONS as readonly string[]).includes(action)) throw new ValueError(`invalid action: ${repr(action)}`);
}

// Registries of an older filters version are stale; CPython 3.13's C warnings module
// also forgets what `once` showed whenever the filters change.
function filtersChanged(): void {
  filtersVersion++;
  // Set.clear() makes a new table in V8: only when something was shown once.
  if (onceRegistry.size > 0) onceRegistry.clear();
}

function addFilter(filter: Filter, append: boolean): void {
  const same = (f: Filter): boolean =>
    f.action === filter.action && String(f.message) === String(filter.message) && f.category === filter.category &&
    String(f.module) === String(filter.module) && f.lineno === filter.lineno;
  if (!append) {
    filters = [filter, ...filters.filter((f) => !same(f))];
  } else if (!filters.some(same)) {
    filters.push(filter);
  }
  filtersChanged();
}

/** The module name Python would use for a file: its path without the extension. */
function moduleOf(filename: string): string {
  return filename.replace(/\.(py|[cm]?[jt]s)$/, '');
}

// `program`: the warning comes from the program's own code, which plays the part of
// Python's `__main__` module (there is no __main__ in JavaScript).
function matches(f: Filter, text: string, category: WarningCategory, module: string, program: boolean, lineno: number): boolean {
  if (f.message !== undefined && !f.message.test(text)) return false;
  if (!(category === f.category || category.prototype instanceof f.category)) return false;
  if (f.module === '__main__') {
    if (!program) return false;
  } else if (f.module !== undefined && !f.module.test(module) && !(program && f.module.test('__main__'))) {
    return false;
  }
  return f.lineno === 0 || f.lineno === lineno;
}

/** Python's `warnings.formatwarning` (without the source line, which aiosim cannot read). */
export function formatwarning(message: Warning | string, category: WarningCategory, filename: string, lineno: number): string {
  return `${filename}:${lineno}: ${category.name}: ${String(message)}\n`;
}

/**
 * Issue a warning at an explicit location, or filter it out, as Python's
 * `warnings.warn_explicit` does (with no registry: every call is considered).
 * @throws the warning itself when an `error` filter matches.
 * asyncio: warnings.warn_explicit
 */
export function warnExplicit(message: string | Warning, category: WarningCategory, filename: string, lineno: number): void {
  _warnAt(message, category, filename, lineno, { registry: false, program: false });
}

/**
 * @internal Issue a warning: the first matching filter decides; `default` shows it once
 * per location (with the per-file registry), `once` once per text, `module` once per
 * module, `always` every time, `error` throws it.
 */
export function _warnAt(message: string | Warning, category: WarningCategory, filename: string, lineno: number, options: { registry: boolean; program: boolean }): void {
  const warning = message instanceof Warning ? message : new category(message);
  const cat = message instanceof Warning ? (message.constructor as WarningCategory) : category;
  const text = String(warning);
  let registry = options.registry ? registries.get(filename) : undefined;
  if (options.registry && (registry === undefined || registry.version !== filtersVersion)) {
    registry = { version: filtersVersion, keys: new Set() };
    registries.set(filename, registry);
  }
  registry ??= { version: filtersVersion, keys: new Set() };
  const key = `${text}\u0000${cat.name}\u0000${lineno}`;
  if (registry.keys.has(key)) return;
  const module = moduleOf(filename);
  const action = filters.find((f) => matches(f, text, cat, module, options.program, lineno))?.action ?? 'default';
  if (action === 'ignore') return;
  if (action === 'error') {
    if (_tracer !== undefined) _tracer.warning(warning, cat, true);
    throw warning;
  }
  if (action === 'once') {
    registry.keys.add(key);
    const onceKey = `${text}\u0000${cat.name}`;
    if (onceRegistry.has(onceKey)) return;
    onceRegistry.add(onceKey);
  } else if (action === 'module') {
    registry.keys.add(key);
    const altKey = `${text}\u0000${cat.name}\u00000`;
    if (registry.keys.has(altKey)) return;
    registry.keys.add(altKey);
  } else if (action === 'default') {
    registry.keys.add(key);
  }
  if (_tracer !== undefined) _tracer.warning(warning, cat, false);
  warnings.showwarning(warning, cat, filename, lineno);
}

/** Where a warning raised from `frames` (user frames, newest last) is attributed. */
export function warningSite(frames: readonly StackFrame[], stacklevel = 1): { filename: string; lineno: number } {
  const frame = frames[frames.length - stacklevel] ?? frames[0];
  return frame === undefined ? { filename: '<aiosim>', lineno: 1 } : { filename: frame.file, lineno: frame.line };
}

/**
 * Issue a warning attributed to the calling code (`stacklevel` 1 is the caller).
 *
 * @throws the warning itself when an `error` filter matches.
 * @example warnings.warn('old API', warnings.DeprecationWarning);
 * asyncio: warnings.warn
 */
export function warn(message: string | Warning, category?: WarningCategory | null, stacklevel = 1): void {
  const { filename, lineno } = warningSite(extractStack(), stacklevel);
  // Python: `category=None` is UserWarning.
  _warnAt(message, category ?? UserWarning, filename, lineno, { registry: true, program: true });
}

/** Add a filter for every warning of `category` (default: all). asyncio: warnings.simplefilter */
export function simplefilter(action: WarningAction, category: WarningCategory = Warning, options?: { lineno?: number; append?: boolean | null }): void {
  checkAction(action);
  const lineno = checkLineno(options?.lineno);
  addFilter({ action, message: undefined, category, module: undefined, lineno }, Boolean(options?.append));
}

// Python checks a filter's line number (None included: it is no int).
function checkLineno(lineno: unknown): number {
  if (lineno === undefined) return 0;
  if (typeof lineno !== 'number' || !Number.isInteger(lineno)) throw new TypeError('lineno must be an int');
  if (lineno < 0) throw new ValueError('lineno must be an int >= 0');
  return lineno;
}

/**
 * Add a filter; `message` and `module` are regular expressions matched at the start
 * (the message case-insensitively), as in Python. asyncio: warnings.filterwarnings
 */
export function filterwarnings(action: WarningAction, options?: { message?: string; category?: WarningCategory; module?: string; lineno?: number; append?: boolean | null }): void {
  checkAction(action);
  // Python refuses None here: the defaults are '', Warning and '' (checked in Python's order).
  const { message = '', category = Warning, module = '' } = options ?? {};
  if (typeof message !== 'string') throw new TypeError('message must be a string');
  if (typeof category !== 'function' || !(category === Warning || category.prototype instanceof Warning)) {
    throw new TypeError('category must be a Warning subclass');
  }
  if (typeof module !== 'string') throw new TypeError('module must be a string');
  const lineno = checkLineno(options?.lineno);
  addFilter({
    action,
    message: message ? new RegExp(`^(?:${message})`, 'i') : undefined,
    category,
    module: module ? new RegExp(`^(?:${module})`) : undefined,
    lineno,
  }, Boolean(options?.append));
}

/** Remove every filter (Python's defaults included). asyncio: warnings.resetwarnings */
export function resetwarnings(): void {
  filters = [];
  filtersChanged();
}

/** @internal Python's default filters again (for tests and dev-mode changes). */
export function _restoreDefaultFilters(): void {
  filters = defaultFilters();
  filtersChanged();
}

/**
 * @internal Put `front` before the current filters (they match first), until the filters
 * are restored: aiosim/testing's end-of-test checks, which add the same filters every
 * test, without filterwarnings' search for duplicates (a filter after an equal one never
 * matches first).
 */
export function _prependFilters(front: readonly Filter[]): void {
  filters = [...front, ...filters];
  filtersChanged();
}

/**
 * @internal Save the filters and `showwarning`; the returned function restores them
 * (catchWarnings for a scope that is not one call, such as a test fixture's).
 */
export function _saveWarnings(): () => void {
  const savedFilters = filters;
  const savedShow = warnings.showwarning;
  filters = [...filters];
  filtersChanged();
  return () => {
    filters = savedFilters;
    filtersChanged();
    warnings.showwarning = savedShow;
  };
}

/**
 * Run `fn` with the filters and `showwarning` saved and restored afterwards; with
 * `record`, shown warnings are collected in the list passed to `fn` instead of printed.
 * asyncio: warnings.catch_warnings
 */
export function catchWarnings<R>(options: { record?: boolean | null }, fn: (log: WarningMessage[]) => R): R {
  const savedFilters = filters;
  const savedShow = warnings.showwarning;
  const log: WarningMessage[] = [];
  filters = [...filters];
  filtersChanged();
  if (options.record === true) {
    warnings.showwarning = (message, category, filename, lineno) => {
      log.push({ message: message instanceof Warning ? message : new category(String(message)), category, filename, lineno });
    };
  }
  try {
    return fn(log);
  } finally {
    filters = savedFilters;
    filtersChanged();
    warnings.showwarning = savedShow;
  }
}

function defaultShowwarning(message: Warning | string, category: WarningCategory, filename: string, lineno: number): void {
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr;
  stderr?.write(formatwarning(message, category, filename, lineno));
}

/**
 * The `warnings` namespace. `warnings.showwarning` may be replaced, as in Python.
 */
export const warnings = {
  Warning,
  UserWarning,
  RuntimeWarning,
  ResourceWarning,
  DeprecationWarning,
  PendingDeprecationWarning,
  warn,
  warnExplicit,
  simplefilter,
  filterwarnings,
  resetwarnings,
  catchWarnings,
  formatwarning,
  showwarning: defaultShowwarning as (message: Warning | string, category: WarningCategory, filename: string, lineno: number) => void,
};
