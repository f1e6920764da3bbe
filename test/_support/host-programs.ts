// What the several-hosts differential programs share: Python's print() of a host's line
// (`<loop time> <hostname> <args…>`, as the Python side's log() prints it) and small byte
// helpers.

import { getRunningLoop, repr, socket } from '../../src/index.js';
import { pyFloat, reprTuple } from '../../src/format/py-repr.js';

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const upper = (b: Uint8Array): Uint8Array => bytes(new TextDecoder().decode(b).toUpperCase());

/** Python's print(): floats as Python prints them, strings as they are, the rest by repr. */
export function show(x: unknown): string {
  if (typeof x === 'number') return pyFloat(x);
  if (typeof x === 'string') return x;
  return Array.isArray(x) && x.length === 2 && typeof x[1] === 'number' ? reprTuple(x) : repr(x);
}

/** A log() appending `<loop time> <hostname> <args…>` to `out`. */
export function hostLog(out: string[]): (...args: unknown[]) => void {
  return (...args) => void out.push([getRunningLoop().time(), socket.gethostname(), ...args].map(show).join(' '));
}
