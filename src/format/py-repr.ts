// Python's repr() and str() for JavaScript values, as asyncio's messages print them.
// Mirrors builtins.repr/str for the types a translated program uses (reprlib's clipped
// form is in reprlib.ts).

import { generatorInfo, generatorName } from './source-location.js';

/** Objects that render their own Python repr implement this symbol. */
export const reprSymbol: unique symbol = Symbol.for('aiosim.repr');

interface SelfRepr {
  [reprSymbol](): string;
}

const ids = new WeakMap<object, number>();
let nextId = 1;

/**
 * Return the stable id of an object, shown where CPython prints an address.
 *
 * Ids are handed out on first use, so the same program always prints the same ids.
 */
export function objectId(obj: object): string {
  return `0x${objectIdNumber(obj).toString(16)}`;
}

/** Return the stable id of an object as a number (Python's `id(obj)`). */
export function objectIdNumber(obj: object): number {
  let id = ids.get(obj);
  if (id === undefined) {
    id = nextId++;
    ids.set(obj, id);
  }
  return id;
}

/** Format a number as Python's `repr(float)` does (`1.0`, `1e-05`, `inf`). */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  // Python switches to exponent notation when the decimal exponent is < -4 or >= 16;
  // both languages print the shortest round-tripping digits.
  const [digits, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const abs = Math.abs(exp);
    return `${digits}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  const s = String(n);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Format a number as Python would a value of the same kind: integral numbers as ints. */
export function pyNumber(n: number): string {
  if (Number.isInteger(n)) {
    // Beyond 2^53 String() rounds the digits; BigInt prints the exact integer value.
    return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  }
  return pyFloat(n);
}

// Python's str.isprintable(): everything but categories Cc, Cf, Cs, Co, Cn, Zl, Zp and
// Zs (the ASCII space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeCodePoint(c: number): string {
  if (c < 0x100) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c < 0x10000) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\U${c.toString(16).padStart(8, '0')}`;
}

/** Python's `repr(str)`: single quotes unless the text holds one and no double quote. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += escapeCodePoint(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}

/** Python's repr of bytes, for a Uint8Array: `b'hello\\n'`. */
export function reprBytes(bytes: Uint8Array): string {
  let single = false;
  let double = false;
  for (const b of bytes) {
    if (b === 0x27) single = true;
    else if (b === 0x22) double = true;
  }
  const quote = single && !double ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out + quote;
}

/** Python's repr of a tuple, for an array that stands for one: `(1, 'a')`, `(1,)`. */
export function reprTuple(items: readonly unknown[]): string {
  const inner = items.map((v) => (Array.isArray(v) ? reprTuple(v) : repr(v))).join(', ');
  return items.length === 1 ? `(${inner},)` : `(${inner})`;
}

/** The Python class name aiosim shows for a JavaScript value (`type(x).__name__`). */
export function pyTypeName(x: unknown): string {
  if (x === null || x === undefined) return 'NoneType';
  switch (typeof x) {
    case 'string': return 'str';
    case 'number': return Number.isInteger(x) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'boolean': return 'bool';
    case 'function': return 'function';
    case 'symbol': return 'symbol';
    default:
      if (Array.isArray(x)) return 'list';
      return (x as object).constructor?.name ?? 'object';
  }
}

/** Whether `x` is a plain object (a Python dict to repr). */
export function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function hasOwnToString(x: object): boolean {
  return typeof (x as { toString?: unknown }).toString === 'function' && (x as object).toString !== Object.prototype.toString;
}

// Python's reprlib.recursive_repr: a repr that re-enters itself for the same object prints '...'.
const inRepr = new Set<object>();

/**
 * Run `render` for `obj` unless a repr of `obj` is already in progress, then return '...'.
 *
 * asyncio: reprlib.recursive_repr, as used by Future and Task reprs.
 */
export function recursiveRepr(obj: object, render: () => string, placeholder = '...'): string {
  if (inRepr.has(obj)) return placeholder;
  inRepr.add(obj);
  try {
    return render();
  } finally {
    inRepr.delete(obj);
  }
}

/** The `args` Python would give an exception object. */
export function exceptionArgs(e: Error): readonly unknown[] {
  const args = (e as { args?: unknown }).args;
  if (Array.isArray(args)) return args;
  return e.message === '' ? [] : [e.message];
}

function reprError(e: Error): string {
  const args = exceptionArgs(e);
  const name = e.constructor?.name ?? e.name;
  return `${name}(${args.map((a) => repr(a)).join(', ')})`;
}

function reprFunction(f: Function): string {
  return `<function ${f.name || '<lambda>'} at ${objectId(f)}>`;
}

/**
 * Return Python's `repr(x)` of a value, in the form asyncio's messages print it.
 *
 * `undefined`/`null` are `None`, booleans `True`/`False`, integral numbers ints, other
 * numbers floats, arrays lists, plain objects dicts, errors `ClassName('message')`,
 * aiosim objects their asyncio repr and any other object `<Class object at 0xN>` with a
 * stable id in place of the address.
 *
 * @example repr(['a', 1.5, undefined]) // "['a', 1.5, None]"
 * asyncio: builtins.repr
 */
export function repr(x: unknown): string {
  switch (typeof x) {
    case 'undefined': return 'None';
    case 'boolean': return x ? 'True' : 'False';
    case 'number': return pyNumber(x);
    case 'bigint': return x.toString();
    case 'string': return pyStrRepr(x);
    case 'symbol': return x.toString();
    case 'function': return reprFunction(x);
    default: break;
  }
  if (x === null) return 'None';
  const obj = x as object;
  if (typeof (obj as Partial<SelfRepr>)[reprSymbol] === 'function') return (obj as SelfRepr)[reprSymbol]();
  if (obj instanceof Error) return reprError(obj);
  if (obj instanceof Uint8Array) return reprBytes(obj);
  if (Array.isArray(obj)) return recursiveRepr(obj, () => `[${obj.map((v) => repr(v)).join(', ')}]`, '[...]');
  if (obj instanceof Map) {
    return recursiveRepr(obj, () => `{${[...obj].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`, '{...}');
  }
  if (obj instanceof Set) {
    return obj.size === 0 ? 'set()' : recursiveRepr(obj, () => `{${[...obj].map((v) => repr(v)).join(', ')}}`, '{...}');
  }
  if (isPlainObject(obj)) {
    return recursiveRepr(obj, () => `{${Object.entries(obj).map(([k, v]) => `${pyStrRepr(k)}: ${repr(v)}`).join(', ')}}`, '{...}');
  }
  if (hasOwnToString(obj)) return String(obj);
  // A generator object is a coroutine in aiosim: `<coroutine object ticker at 0x1>`.
  if (Object.prototype.toString.call(obj) === '[object Generator]') {
    return `<coroutine object ${generatorName(generatorInfo(obj)) ?? '<unknown>'} at ${objectId(obj)}>`;
  }
  return `<${obj.constructor?.name || 'object'} object at ${objectId(obj)}>`;
}

/**
 * Return Python's `str(x)`: strings as they are, exceptions as their message, aiosim
 * objects as their `String()` form, anything else as its repr.
 */
export function pyStr(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x !== null && typeof x === 'object' && reprSymbol in x) return String(x);
  if (x instanceof Error) return x.message;
  return repr(x);
}
