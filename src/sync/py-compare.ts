// Python's `<` and `==` for the values PriorityQueue items are made of: numbers,
// booleans, strings (by code point) and arrays (standing for tuples, compared element
// by element). Anything else cannot be ordered, as in Python.

import { pyTypeName } from '../format/py-repr.js';

function kind(x: unknown): 'number' | 'string' | 'array' | 'other' {
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return 'number';
  if (typeof x === 'string') return 'string';
  if (Array.isArray(x)) return 'array';
  return 'other';
}

/** Python's `a == b` for these values (other objects: identity). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const ka = kind(a);
  if (ka !== kind(b)) return false;
  if (ka === 'number') return Number(a) === Number(b);
  if (ka === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    return x.length === y.length && x.every((v, i) => pyEquals(v, y[i]));
  }
  return a === b;
}

function compareStrings(a: string, b: string): number {
  // Python orders strings by code point; JavaScript's < orders UTF-16 code units.
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Check that Python can compare `a` and `b` with `op` (`<`, `<=`, …), as it does before
 * comparing them; return their kind.
 *
 * @throws TypeError `'<=' not supported between instances of 'str' and 'int'` (and so on).
 */
export function checkOrderable(op: string, a: unknown, b: unknown): 'number' | 'string' | 'array' {
  const ka = kind(a);
  if (ka !== kind(b) || ka === 'other') {
    const name = (x: unknown): string => (Array.isArray(x) ? 'tuple' : pyTypeName(x));
    throw new TypeError(`'${op}' not supported between instances of '${name(a)}' and '${name(b)}'`);
  }
  return ka;
}

/**
 * Python's `a < b`.
 *
 * @throws TypeError `'<' not supported between instances of 'str' and 'int'` (and so on)
 * for values Python cannot order.
 */
export function pyLess(a: unknown, b: unknown): boolean {
  const ka = checkOrderable('<', a, b);
  if (ka === 'number') return Number(a) < Number(b);
  if (ka === 'string') return compareStrings(a as string, b as string) < 0;
  const x = a as unknown[];
  const y = b as unknown[];
  // Tuples: the first pair that differs decides, else the shorter one is smaller.
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (!pyEquals(x[i], y[i])) return pyLess(x[i], y[i]);
  }
  return x.length < y.length;
}
