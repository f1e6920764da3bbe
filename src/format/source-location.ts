// Where a function is defined and where a suspended generator stands, for the
// " at file:line" parts of asyncio's reprs (format_helpers._get_function_source and
// coroutines._format_coroutine). JavaScript exposes neither directly, so on Node this
// asks V8 through an in-process inspector session, lazily and only when a repr needs
// it (never on a hot path); results for functions are cached. Elsewhere it falls back
// to '<unknown>:0'. Lines are 1-based, in the file the running script's source map names
// (the TypeScript a user wrote, under vitest, tsx or tsc's sourceMap output), else in the
// JavaScript V8 runs.

import { displayPath, loadSourceMap, type SourceMap } from './source-map.js';

interface InspectorSession {
  connect(): void;
  post(method: string, params: object | undefined, cb: (err: Error | null, res: any) => void): void;
  on(event: string, listener: (msg: any) => void): void;
}

interface InternalProperty {
  name: string;
  value?: { type: string; value?: any; objectId?: string; description?: string };
}

/** The state and site of a generator, as asyncio's coroutine repr needs them. */
export interface GeneratorInfo {
  /** The generator function's name (`__qualname__`), or undefined when unknown. */
  name: string | undefined;
  /** Whether the generator has finished (Python: the coroutine has no frame). */
  closed: boolean;
  /** `file:line` where it is suspended (while not closed), else where it is defined. */
  site: string;
  /** Set when the generator function is known and has no name (reprs call it `<lambda>`). */
  anonymous?: true;
}

/**
 * Return the name reprs give a generator: its function's name, `<lambda>` for an anonymous
 * function (as for anonymous callbacks), else undefined (not known).
 */
export function generatorName(info: GeneratorInfo): string | undefined {
  return info.name ?? (info.anonymous === true ? '<lambda>' : undefined);
}

const UNKNOWN_SITE = '<unknown>:0';

/** @internal The method a non-generator coroutine object answers `generatorInfo` with. */
export const coroutineInfo: unique symbol = Symbol('aiosim.coroutineInfo');
const PROBE_KEY = '__aiosimSourceProbe';
const GROUP = 'aiosim-source';

let session: InspectorSession | null | undefined;
// What `Debugger.scriptParsed` said of each script, and its source map once read.
interface Script {
  readonly url: string;
  readonly sourceMapURL: string | undefined;
  map?: SourceMap | undefined;
}
const scripts = new Map<string, Script>();
const functionSites = new WeakMap<Function, string | null>();

function getSession(): InspectorSession | null {
  if (session !== undefined) return session;
  session = null;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const mod = proc?.getBuiltinModule?.('node:inspector') as { Session: new () => InspectorSession } | undefined;
    if (mod === undefined) return null;
    const s = new mod.Session();
    s.connect();
    s.on('Debugger.scriptParsed', (m) => scripts.set(m.params.scriptId, { url: m.params.url, sourceMapURL: m.params.sourceMapURL || undefined }));
    session = s;
  } catch {
    session = null;
  }
  return session;
}

// The in-process inspector answers synchronously: the callback has run when post returns.
function post(s: InspectorSession, method: string, params?: object): any {
  let result: any;
  let error: Error | null = null;
  s.post(method, params, (err, res) => {
    error = err;
    result = res;
  });
  if (error) throw error;
  return result;
}

function siteOf(s: InspectorSession, loc: { scriptId: string; lineNumber: number; columnNumber?: number }): string {
  if (!scripts.has(loc.scriptId)) {
    // Enabling the debugger replays scriptParsed for every script; disable it right away.
    post(s, 'Debugger.enable');
    post(s, 'Debugger.disable');
  }
  const script = scripts.get(loc.scriptId);
  if (script === undefined || !script.url) return UNKNOWN_SITE;
  if (!('map' in script)) script.map = loadSourceMap(script.url, script.sourceMapURL);
  const original = script.map?.originalSite(loc.lineNumber, loc.columnNumber ?? 0);
  return original !== undefined ? `${original.file}:${original.line}` : `${displayPath(script.url)}:${loc.lineNumber + 1}`;
}

function internalProperties(s: InspectorSession, obj: object): InternalProperty[] {
  const g = globalThis as Record<string, unknown>;
  g[PROBE_KEY] = obj;
  try {
    const ref = post(s, 'Runtime.evaluate', { expression: `globalThis.${PROBE_KEY}`, objectGroup: GROUP });
    const objectId = ref.result.objectId as string;
    return (post(s, 'Runtime.getProperties', { objectId, ownProperties: true }).internalProperties ?? []) as InternalProperty[];
  } finally {
    delete g[PROBE_KEY];
  }
}

function release(s: InspectorSession): void {
  post(s, 'Runtime.releaseObjectGroup', { objectGroup: GROUP });
}

function isNative(fn: Function): boolean {
  return /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(fn));
}

function locate(s: InspectorSession, fn: Function): string | null {
  const props = internalProperties(s, fn);
  const target = props.find((p) => p.name === '[[TargetFunction]]');
  if (target?.value?.objectId) {
    // A bound function: report the function it wraps (Python unwraps partials likewise).
    const inner = post(s, 'Runtime.getProperties', { objectId: target.value.objectId, ownProperties: true });
    const loc = (inner.internalProperties as InternalProperty[]).find((p) => p.name === '[[FunctionLocation]]');
    return loc?.value?.value ? siteOf(s, loc.value.value) : null;
  }
  const loc = props.find((p) => p.name === '[[FunctionLocation]]');
  return loc?.value?.value ? siteOf(s, loc.value.value) : null;
}

/**
 * Return `file:line` where `fn` is defined, or undefined for a native function
 * (CPython prints no source for builtins either).
 */
export function functionSource(fn: Function): string | undefined {
  const cached = functionSites.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  let site: string | null;
  const s = getSession();
  if (s === null) {
    site = isNative(fn) ? null : UNKNOWN_SITE;
  } else {
    try {
      site = locate(s, fn);
    } catch {
      site = UNKNOWN_SITE;
    } finally {
      release(s);
    }
  }
  functionSites.set(fn, site);
  return site ?? undefined;
}

/** Return the name, state and current site of a generator object. */
export function generatorInfo(gen: object): GeneratorInfo {
  // A coroutine object that is not a generator (an async-function coroutine) knows its own.
  const own = (gen as { [coroutineInfo]?: () => GeneratorInfo })[coroutineInfo];
  if (typeof own === 'function') return own.call(gen);
  const s = getSession();
  if (s === null) return { name: undefined, closed: false, site: UNKNOWN_SITE };
  try {
    const props = internalProperties(s, gen);
    const state = props.find((p) => p.name === '[[GeneratorState]]')?.value?.value as string | undefined;
    const fnRef = props.find((p) => p.name === '[[GeneratorFunction]]')?.value?.objectId;
    const here = props.find((p) => p.name === '[[GeneratorLocation]]')?.value?.value;
    let name: string | undefined;
    let anonymous = false;
    let defined = UNKNOWN_SITE;
    if (fnRef !== undefined) {
      name = post(s, 'Runtime.callFunctionOn', { objectId: fnRef, functionDeclaration: 'function () { return this.name; }', returnByValue: true }).result.value || undefined;
      anonymous = name === undefined;
      const fnProps = post(s, 'Runtime.getProperties', { objectId: fnRef, ownProperties: true }).internalProperties as InternalProperty[];
      const loc = fnProps.find((p) => p.name === '[[FunctionLocation]]')?.value?.value;
      if (loc) defined = siteOf(s, loc);
    }
    const closed = state === 'closed';
    const site = !closed && here ? siteOf(s, here) : defined;
    return anonymous ? { name, closed, site, anonymous } : { name, closed, site };
  } catch {
    return { name: undefined, closed: false, site: UNKNOWN_SITE };
  } finally {
    release(s);
  }
}
