// Capturing "where was this created" in debug mode: the caller's frames, with aiosim's
// own frames removed, oldest first, at most DEBUG_STACK_DEPTH of them.
// asyncio: format_helpers.extract_stack (and the `del _source_traceback[-1]` trims)

import { displayPath, sourceMapOfFile, type SourceMap } from './source-map.js';

/** One frame of a captured stack (Python's FrameSummary: filename, lineno, name). */
export interface StackFrame {
  readonly file: string;
  readonly line: number;
  readonly name: string;
}

/** asyncio: constants.DEBUG_STACK_DEPTH */
export const DEBUG_STACK_DEPTH = 10;

const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

// Frames in files under aiosim's own source directory are the library's, not the user's.
const OWN_ROOT = new URL('..', import.meta.url).href;

// The source maps of JavaScript files seen in stacks (null: the file declares none).
const fileMaps = new Map<string, SourceMap | null>();

// A frame in compiled JavaScript whose file declares a source map is reported at its
// original line, as the inspector's sites are. Frames the runtime has mapped already
// (vitest, tsx, node --enable-source-maps) name the source file and are left alone.
function frameSite(file: string, line: number, column: number): { file: string; line: number } {
  if (/\.[cm]?js$/.test(file)) {
    let map = fileMaps.get(file);
    if (map === undefined) {
      map = sourceMapOfFile(file) ?? null;
      fileMaps.set(file, map);
    }
    const original = map?.originalSite(line - 1, column - 1);
    if (original !== undefined) return original;
  }
  return { file: displayPath(file), line };
}

function isOwn(file: string): boolean {
  const url = file.startsWith('/') ? `file://${file}` : file;
  return url.startsWith(OWN_ROOT);
}

/**
 * Return the user's frames of the current stack, oldest first (the last one is the
 * call site), skipping aiosim's own frames.
 */
export function extractStack(limit = DEBUG_STACK_DEPTH): StackFrame[] {
  const saved = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = limit + 30;
  // V8 hands the frames over before making text of them: only the user's frames are made
  // text (most of a debug-mode stack is aiosim's own), by whatever formats stacks here
  // (a runtime that maps source positions installs its own prepareStackTrace).
  if (typeof Error.captureStackTrace === 'function') Error.prepareStackTrace = (error, sites) => formatUserSites(error, sites, limit, prepare);
  let stack: unknown;
  try {
    stack = new Error().stack;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = saved;
  }
  return userFrames(typeof stack === 'string' ? stack : '', limit);
}

type Prepare = NonNullable<typeof Error.prepareStackTrace>;
type CallSite = Parameters<Prepare>[1][number];

function formatUserSites(error: Error, sites: CallSite[], limit: number, prepare: typeof Error.prepareStackTrace): unknown {
  const user: CallSite[] = [];
  for (const site of sites) {
    const file = site.getFileName();
    if (file !== undefined && file !== null && (file.startsWith('node:') || isOwn(file))) continue;
    user.push(site);
    if (user.length === limit) break;
  }
  return prepare !== undefined ? prepare(error, user) : `Error\n${user.map((site) => `    at ${String(site)}`).join('\n')}`;
}

/**
 * Return the user's frames of a JavaScript stack text (`error.stack`), oldest first,
 * at most `limit` of the newest: aiosim's own frames and Node's internals are left out.
 */
export function userFrames(stack: string, limit = Infinity): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m || m[2] === undefined || isOwn(m[2])) continue;
    if (m[2].startsWith('node:')) continue;
    const site = frameSite(m[2], Number(m[3]), Number(m[4]));
    frames.push({ file: site.file, line: site.line, name: m[1] ?? '<module>' });
    if (frames.length === limit) break;
  }
  return frames.reverse();
}

/** Return `file:line` of the newest frame, as "created at" prints it. */
export function lastFrameSite(frames: readonly StackFrame[]): string {
  const f = frames[frames.length - 1];
  return f === undefined ? '<unknown>:0' : `${f.file}:${f.line}`;
}

/** Render frames as Python's `traceback.format_list` does, joined and right-stripped. */
export function formatStack(frames: readonly StackFrame[]): string {
  return frames.map((f) => `  File "${f.file}", line ${f.line}, in ${f.name}`).join('\n');
}
