// readuntil()'s separators: one byte string or an array (Python's tuple) of them, tried
// shortest first, the match ending first winning.
// asyncio: the separator handling of streams.StreamReader.readuntil

import { ValueError } from '../errors/exceptions.js';
import type { ByteBuffer } from './byte-buffer.js';

/** readuntil()'s separator: a byte string, or an array of them (Python's tuple). */
export type Separator = Uint8Array | readonly Uint8Array[];

/** @internal The separators as a list sorted by length (a stable sort, as Python's sorted). */
export function sortSeparators(separator: Separator): Uint8Array[] {
  if (separator instanceof Uint8Array) return [separator];
  return [...separator].sort((a, b) => a.length - b.length);
}

/**
 * @internal readuntil()'s `separator` argument (or its options form; `dflt` when absent)
 * as a list sorted by length.
 * @throws ValueError `Separator should contain at least one element`, `Separator should be
 * at least one-byte string`.
 */
export function separatorList(separator: Separator | { separator?: Separator } | undefined | null, dflt: Uint8Array): Uint8Array[] {
  if (separator == null) separator = dflt;
  else if (!(separator instanceof Uint8Array) && !Array.isArray(separator)) separator = (separator as { separator?: Separator }).separator ?? dflt;
  const seps = sortSeparators(separator as Separator);
  if (seps.length === 0) throw new ValueError('Separator should contain at least one element');
  if (seps[0]!.length === 0) throw new ValueError('Separator should be at least one-byte string');
  return seps;
}

/**
 * @internal The `[start, end)` of the match of `seps` in `buffer` at or after `offset`
 * that ends first (the shorter separator on a tie, as it is tried first), or undefined.
 */
export function findSeparator(buffer: ByteBuffer, seps: readonly Uint8Array[], offset: number): [number, number] | undefined {
  let match: [number, number] | undefined;
  for (const sep of seps) {
    const isep = buffer.find(sep, offset);
    if (isep === -1) continue;
    const end = isep + sep.length;
    if (match === undefined || end < match[1]) match = [isep, end];
  }
  return match;
}
