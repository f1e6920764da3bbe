// What the network's differential programs share: Python's print() of their values, a
// log stamped with the loop's time, and small byte helpers. The Python side prints with
// `print(loop.time(), *args)`; netLog prints the same line.

import { getRunningLoop } from '../../src/index.js';
import { pyFloat, pyNumber, repr, reprTuple } from '../../src/format/py-repr.js';

/** A Python list (printed `[…]`; a plain array prints as a tuple). */
export class PyList {
  constructor(readonly items: readonly unknown[]) {}
}

/** Python's str() of a value a program prints. */
export function pyStr(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return pyNumber(x);
  if (x instanceof PyList) return `[${x.items.map(pyRepr).join(', ')}]`;
  if (Array.isArray(x)) return reprTuple(x);
  return repr(x);
}

function pyRepr(x: unknown): string {
  if (x instanceof PyList || Array.isArray(x) || typeof x === 'number') return pyStr(x);
  return repr(x);
}

let out: string[] = [];

/** Print `<loop time> <args…>` as the Python side's log() does. */
export function netLog(...parts: unknown[]): void {
  out.push([pyFloat(getRunningLoop().time()), ...parts.map(pyStr)].join(' '));
}

/** The lines printed since resetNetOutput(). */
export function netOutput(): readonly string[] {
  return out;
}

export function resetNetOutput(): void {
  out = [];
}

/** `type(e).__name__` and `str(e)`, as the Python side prints them. */
export function errorText(e: unknown): string {
  return `${(e as Error).constructor.name} ${(e as Error).message}`;
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether `data` starts with `prefix`. */
export function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}
