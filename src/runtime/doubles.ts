// The doubles >= 0 in order: the bits of a double >= 0, read as an unsigned integer, are
// ordered as the doubles are, so the next double is the next integer. Virtual times use
// it to move by the smallest step (a loop's clock, a skewed host's first instant).
// asyncio: none (math.nextafter)

const view = new DataView(new ArrayBuffer(8));

/** The position of `x` (finite or Infinity, >= 0) among the doubles >= 0 (-0 is 0). */
export function ordinal(x: number): bigint {
  view.setFloat64(0, x === 0 ? 0 : x);
  return view.getBigUint64(0);
}

/** The double at position `n` among the doubles >= 0. */
export function fromOrdinal(n: bigint): number {
  view.setBigUint64(0, n);
  return view.getFloat64(0);
}

/** The smallest double greater than `x` (x finite and >= 0). asyncio: math.nextafter(x, inf) */
export function nextUp(x: number): number {
  return fromOrdinal(ordinal(x) + 1n);
}
