// Python's reprlib: a repr clipped to fixed limits, as asyncio prints a future's result and
// a callback's arguments. A repr that fails gives a made-up text instead of an error, and
// a huge value costs no more than its visible part (a string or list of 10^6 items prints
// in a few dozen characters).
// asyncio: reprlib.Repr / reprlib.repr

import { isPlainObject, objectId, pyStrRepr, pyTypeName, repr } from './py-repr.js';

// reprlib.Repr's default limits.
const MAX_LEVEL = 6;
const MAX_LIST = 6;
const MAX_DICT = 4;
const MAX_SET = 6;
const MAX_STRING = 30;
const MAX_LONG = 40;
const MAX_OTHER = 30;
const FILL = '...';

// The first n code points of s (Python's s[:n]), read from the front only.
function head(s: string, n: number): string {
  let end = 0;
  for (let k = 0; k < n && end < s.length; k++) end += s.codePointAt(end)! > 0xffff ? 2 : 1;
  return s.slice(0, end);
}

// The last n code points of s, read from the back only.
function tail(s: string, n: number): string {
  let start = s.length;
  for (let k = 0; k < n && start > 0; k++) {
    const low = s.charCodeAt(start - 1);
    const high = start >= 2 ? s.charCodeAt(start - 2) : 0;
    start -= low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
  }
  return s.slice(start);
}

// Clipping reads only the first and last `keep` code points and whether there are more:
// a text far longer than that is cut down to them first (same result, bounded cost).
function shortened(text: string, keep: number): string {
  return text.length > 4 * keep ? head(text, keep) + tail(text, keep) : text;
}

// Python strings index code points, not UTF-16 units.
function clip(text: string, max: number): string {
  const s = Array.from(shortened(text, max));
  if (s.length <= max) return text;
  const i = Math.max(0, Math.floor((max - 3) / 2));
  const j = Math.max(0, max - 3 - i);
  return s.slice(0, i).join('') + FILL + s.slice(s.length - j).join('');
}

// reprlib._possibly_sorted: sort when Python could compare the items, else keep the order.
function possiblySorted<T>(items: T[], key: (item: T) => unknown): T[] {
  const keys = items.map(key);
  const kind = typeof keys[0];
  if ((kind !== 'number' && kind !== 'string' && kind !== 'bigint') || !keys.every((k) => typeof k === kind || (kind !== 'string' && (typeof k === 'number' || typeof k === 'bigint')))) {
    return items;
  }
  return items.map((item, i) => [item, keys[i]] as const).sort(([, a], [, b]) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0)).map(([item]) => item);
}

function reprStr(x: string): string {
  // Python's repr_str reads x[:30], x[:13] and the last 14 characters.
  const chars = Array.from(shortened(x, MAX_STRING));
  let s = Array.from(pyStrRepr(chars.slice(0, MAX_STRING).join('')));
  if (s.length <= MAX_STRING) return s.join('');
  const i = Math.max(0, Math.floor((MAX_STRING - 3) / 2));
  const j = Math.max(0, MAX_STRING - 3 - i);
  s = Array.from(pyStrRepr(chars.slice(0, i).join('') + chars.slice(chars.length - j).join('')));
  return s.slice(0, i).join('') + FILL + s.slice(s.length - j).join('');
}

/**
 * Python's `reprlib.Repr` with its default limits (30 characters for strings and other
 * objects, 40 digits, 6 list and set items, 4 dict entries, 6 levels). Subclasses change
 * how the values it does not take apart are shown, as Python's subclasses override
 * `repr_instance`.
 *
 * @example new Repr().repr('x'.repeat(100)) // "'xxxxxxxxxxxx...xxxxxxxxxxxxx'"
 * asyncio: reprlib.Repr
 */
export class Repr {
  /** Return the clipped repr of `x`. asyncio: Repr.repr */
  repr(x: unknown): string {
    return this.repr1(x, MAX_LEVEL);
  }

  /** Return the clipped repr of `x`, `level` levels above the depth limit. asyncio: Repr.repr1 */
  repr1(x: unknown, level: number): string {
    if (typeof x === 'string') return reprStr(x);
    if ((typeof x === 'number' && Number.isInteger(x)) || typeof x === 'bigint') return clip(repr(x), MAX_LONG);
    if (typeof x !== 'object' || x === null || !(Array.isArray(x) || x instanceof Set || x instanceof Map || isPlainObject(x))) {
      return this.reprInstance(x, level);
    }
    try {
      return this.#reprContainer(x, level);
    } catch {
      // Only a getter can fail here (each item is contained): the container is a bad instance.
      return this.failed(x);
    }
  }

  /**
   * Return the repr of a value reprlib does not take apart, clipped to 30 characters, or
   * `<Class instance at 0x1>` when its repr throws (a `toString` that fails).
   * asyncio: Repr.repr_instance
   */
  reprInstance(x: unknown, _level: number): string {
    let s: string;
    try {
      s = this.builtinRepr(x);
    } catch {
      return this.failed(x);
    }
    return clip(s, MAX_OTHER);
  }

  /** Return the full repr that `reprInstance` clips (default: Python's `repr`). */
  protected builtinRepr(x: unknown): string {
    return repr(x);
  }

  /** Return the text made up for a value whose repr failed: `<Bad instance at 0x1>`. */
  protected failed(x: unknown): string {
    let name = 'object';
    try {
      name = pyTypeName(x);
    } catch {
      // A hostile constructor getter: keep the generic name.
    }
    return (typeof x === 'object' && x !== null) || typeof x === 'function' ? `<${name} instance at ${objectId(x)}>` : `<${name} instance>`;
  }

  #iterable(items: unknown[], level: number, left: string, right: string, max: number): string {
    if (level <= 0 && items.length > 0) return left + FILL + right;
    const pieces = items.slice(0, max).map((v) => this.repr1(v, level - 1));
    if (items.length > max) pieces.push(FILL);
    return left + pieces.join(', ') + right;
  }

  #reprContainer(x: object, level: number): string {
    if (Array.isArray(x)) return this.#iterable(x, level, '[', ']', MAX_LIST);
    if (x instanceof Set) return x.size === 0 ? 'set()' : this.#iterable(possiblySorted([...x], (v) => v), level, '{', '}', MAX_SET);
    // reprlib sorts dict keys when they are comparable.
    const entries = possiblySorted<[unknown, unknown]>(x instanceof Map ? [...x] : Object.entries(x), ([k]) => k);
    if (entries.length === 0) return '{}';
    if (level <= 0) return `{${FILL}}`;
    const pieces = entries.slice(0, MAX_DICT).map(([k, v]) => `${this.repr1(k, level - 1)}: ${this.repr1(v, level - 1)}`);
    if (entries.length > MAX_DICT) pieces.push(FILL);
    return `{${pieces.join(', ')}}`;
  }
}

const aRepr = new Repr();

/**
 * Return `reprlib.repr(x)`: a repr clipped to reprlib's default limits (30 characters
 * for strings and other objects, 6 list items, 4 dict entries, 6 levels).
 *
 * @example reprlibRepr([0, 1, 2, 3, 4, 5, 6]) // '[0, 1, 2, 3, 4, 5, ...]'
 * asyncio: reprlib.repr, used for `result=` in Future reprs and for callback arguments.
 */
export function reprlibRepr(x: unknown): string {
  return aRepr.repr(x);
}
