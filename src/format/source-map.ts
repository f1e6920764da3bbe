// Source maps: where a position in the JavaScript that runs comes from in the file its
// author wrote (TypeScript run by vitest or tsx, or compiled by tsc with `sourceMap`), so
// that the `file:line` parts of reprs and tracebacks name the user's own lines. Maps are
// read lazily, only when a repr or a traceback needs a site, and kept per script.
// asyncio: none (CPython runs its sources directly); serves format_helpers' `file:line`.

/** A 1-based line in a display path (relative to the working directory when inside it). */
export interface SourceSite {
  readonly file: string;
  readonly line: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/** Return `url` (a file: URL or a path) as reprs print it: relative to the working directory when inside it. */
export function displayPath(url: string): string {
  let path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  if (cwd && path.startsWith(`${cwd}/`)) path = path.slice(cwd.length + 1);
  return path;
}

/** One decoded source map (version 3): for each generated line, its mapped segments. */
export class SourceMap {
  // Per generated line: [generatedColumn, sourceIndex, originalLine] triples, in column
  // order; sourceIndex -1 marks a segment that maps to no source.
  readonly #lines: Int32Array[];
  readonly #sources: string[];

  constructor(json: { sources?: unknown; sourceRoot?: unknown; mappings?: unknown }, base: string) {
    const root = typeof json.sourceRoot === 'string' && json.sourceRoot !== '' ? json.sourceRoot.replace(/\/?$/, '/') : '';
    const sources = Array.isArray(json.sources) ? json.sources : [];
    this.#sources = sources.map((s) => resolveSource(`${root}${String(s)}`, base));
    this.#lines = decodeMappings(typeof json.mappings === 'string' ? json.mappings : '');
  }

  /**
   * Return the original site of a generated position (0-based line and column), or
   * undefined where the map says nothing about that line.
   */
  originalSite(line: number, column: number): SourceSite | undefined {
    const segments = this.#lines[line];
    if (segments === undefined || segments.length === 0) return undefined;
    // The last segment starting at or before the column; before the first one, the first.
    let at = 0;
    for (let i = 0; i < segments.length && segments[i]! <= column; i += 3) at = i;
    const source = segments[at + 1]!;
    const file = this.#sources[source];
    return source < 0 || file === undefined ? undefined : { file, line: segments[at + 2]! + 1 };
  }
}

function resolveSource(source: string, base: string): string {
  try {
    return displayPath(new URL(source, base).href);
  } catch {
    return source;
  }
}

// Base64 VLQ, as the format defines it: 5 value bits per digit, bit 6 continues, and the
// lowest bit of the whole value is its sign.
function decodeMappings(mappings: string): Int32Array[] {
  const lines: Int32Array[] = [];
  let line: number[] = [];
  let source = 0;
  let originalLine = 0;
  let field: number[] = [];
  let value = 0;
  let shift = 0;
  const endSegment = (): void => {
    if (field.length > 0) {
      const column = (line.length > 0 ? line[line.length - 3]! : 0) + field[0]!;
      if (field.length >= 4) {
        source += field[1]!;
        originalLine += field[2]!;
        line.push(column, source, originalLine);
      } else {
        line.push(column, -1, 0);
      }
    }
    field = [];
  };
  for (let i = 0; i < mappings.length; i++) {
    const c = mappings.charCodeAt(i);
    if (c === 59 /* ; */ || c === 44 /* , */) {
      endSegment();
      if (c === 59) {
        lines.push(Int32Array.from(line));
        line = [];
      }
      continue;
    }
    const digit = c < 128 ? DIGIT[c]! : -1;
    if (digit < 0) continue;
    value += (digit & 31) * 2 ** shift;
    if ((digit & 32) !== 0) {
      shift += 5;
      continue;
    }
    field.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  endSegment();
  lines.push(Int32Array.from(line));
  return lines;
}

interface FileSystem {
  readFileSync(path: string | URL, encoding: 'utf8'): string;
}

let fs: FileSystem | null | undefined;

function fileSystem(): FileSystem | null {
  if (fs === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    fs = (proc?.getBuiltinModule?.('node:fs') as FileSystem | undefined) ?? null;
  }
  return fs;
}

/**
 * Return the source map a script declares (`sourceMapURL`: a data: URL or a path relative
 * to the script's URL), or undefined when there is none or it cannot be read.
 */
export function loadSourceMap(scriptUrl: string, sourceMapURL: string | undefined): SourceMap | undefined {
  if (sourceMapURL === undefined || sourceMapURL === '') return undefined;
  try {
    let text: string;
    let base = scriptUrl;
    if (sourceMapURL.startsWith('data:')) {
      const comma = sourceMapURL.indexOf(',');
      const payload = sourceMapURL.slice(comma + 1);
      text = /;base64$/.test(sourceMapURL.slice(0, comma)) ? decodeBase64(payload) : decodeURIComponent(payload);
    } else {
      const file = fileSystem();
      if (file === null) return undefined;
      const url = new URL(sourceMapURL, toUrl(scriptUrl));
      text = file.readFileSync(url, 'utf8');
      base = url.href;
    }
    return new SourceMap(JSON.parse(text) as object, toUrl(base));
  } catch {
    return undefined;
  }
}

const SOURCE_MAPPING_URL = /\/\/[#@] sourceMappingURL=(\S+)\s*$/;

/**
 * Return the source map the JavaScript file at `path` declares in its trailing
 * `//# sourceMappingURL=` comment, or undefined.
 */
export function sourceMapOfFile(path: string): SourceMap | undefined {
  const file = fileSystem();
  if (file === null) return undefined;
  try {
    const text = file.readFileSync(toUrl(path).startsWith('file:') ? new URL(toUrl(path)) : path, 'utf8');
    const m = SOURCE_MAPPING_URL.exec(text.slice(-100_000));
    return m === null ? undefined : loadSourceMap(toUrl(path), m[1]);
  } catch {
    return undefined;
  }
}

function toUrl(pathOrUrl: string): string {
  return pathOrUrl.startsWith('/') ? `file://${encodeURI(pathOrUrl)}` : pathOrUrl;
}

function decodeBase64(text: string): string {
  const g = globalThis as { Buffer?: { from(s: string, e: string): { toString(e: string): string } }; atob?: (s: string) => string };
  if (g.Buffer !== undefined) return g.Buffer.from(text, 'base64').toString('utf8');
  const binary = g.atob!(text);
  return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}
