// The deterministic delays every implementation uses, and the order checksum.
// x = (1103515245*x + 12345) mod 2^31 from seed 42; delay = x / 2^31 * 1000 seconds.

const A = 1103515245;
const C = 12345;

/** The first `n` LCG delays, in seconds. Exact: the 31 low bits are computed in int32. */
export function lcgDelays(n: number): Float64Array {
  const out = new Float64Array(n);
  let x = 42;
  for (let i = 0; i < n; i++) {
    // (A*x + C) mod 2^31: Math.imul keeps the low 32 bits of the product exactly.
    x = (Math.imul(A, x) + C) & 0x7fffffff;
    out[i] = (x / 2147483648) * 1000;
  }
  return out;
}

/** The order checksum: fold indices in the order they were observed. */
export const CHECK_MOD = 1_000_000_007;
export function foldCheck(check: number, i: number): number {
  return (check * 31 + i) % CHECK_MOD;
}

/** The checksum of `indices` taken in ascending order of their delays (no two delays are equal). */
export function sortedCheck(delays: Float64Array, indices: number[]): number {
  const sorted = indices.slice().sort((a, b) => delays[a]! - delays[b]!);
  let check = 0;
  for (const i of sorted) check = foldCheck(check, i);
  return check;
}

/** The largest of the delays at `indices`. */
export function maxDelay(delays: Float64Array, indices: number[]): number {
  let m = 0;
  for (const i of indices) if (delays[i]! > m) m = delays[i]!;
  return m;
}
