// Checks of the numbers the simulator's own API takes (options and arguments asyncio
// does not have: a loop's start time, advance(), time limits, picture sizes). A bad one
// would make the simulator spin, fire timers at the wrong time or draw nothing.
// asyncio: none (asyncio's own arguments keep CPython's checks and texts)

import { repr } from '../format/py-repr.js';
import { ValueError } from './exceptions.js';

/**
 * Return `value` when it is a number that `valid` accepts.
 *
 * `rule` says what is expected (`start must be a finite number of seconds >= 0`); the
 * error adds `, got <repr of the value>`.
 *
 * @throws TypeError when `value` is not a number (booleans and strings included).
 * @throws ValueError when `valid(value)` is false (NaN, infinities, out of range).
 */
export function checkNumber(value: unknown, rule: string, valid: (n: number) => boolean): number {
  if (typeof value !== 'number') throw new TypeError(`${rule}, got ${repr(value)}`);
  if (!valid(value)) throw new ValueError(`${rule}, got ${repr(value)}`);
  return value;
}

/** Whether `n` is finite and >= 0 (a duration or a virtual time). */
export const finiteNonNegative = (n: number): boolean => Number.isFinite(n) && n >= 0;
