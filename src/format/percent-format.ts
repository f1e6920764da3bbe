// Python's printf-style `msg % args`, the subset logging messages use
// (%s, %r, %d, %i, %f with precision, %x, %%).

import { pyFloat, pyStr, repr } from './py-repr.js';

const SPEC = /%(?:\.(\d+))?([srdifx%])/g;

// The double as m * 2^e with integer m (exact).
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0 ? [frac, -1074] : [frac | (1n << 52n), exp - 1075];
}

/**
 * Format `x` with `precision` decimals as Python's `'%.Nf'` does: the exact binary value
 * rounded half to even (JavaScript's toFixed rounds exact halves up and switches to
 * exponent notation from 1e21).
 */
export function formatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return pyFloat(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [m, e] = decompose(Math.abs(x));
  const scaled = m * 10n ** BigInt(precision);
  let q: bigint;
  if (e >= 0) {
    q = scaled << BigInt(e);
  } else {
    const den = 1n << BigInt(-e);
    q = scaled / den;
    const twice = 2n * (scaled % den);
    if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(precision + 1, '0');
  if (precision === 0) return sign + digits;
  return `${sign}${digits.slice(0, -precision)}.${digits.slice(-precision)}`;
}

/**
 * Format `msg % args` as Python does for logging records.
 *
 * @throws TypeError when there are too few or too many arguments, as Python does.
 * asyncio: str.__mod__ (as used by logging.LogRecord.getMessage)
 */
export function percentFormat(msg: string, args: readonly unknown[]): string {
  if (args.length === 0) return msg;
  let i = 0;
  const out = msg.replace(SPEC, (_m, precision: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (i >= args.length) throw new TypeError('not enough arguments for format string');
    const value = args[i++];
    switch (conv) {
      case 's': return pyStr(value);
      case 'r': return repr(value);
      case 'd':
      case 'i': return String(Math.trunc(Number(value)));
      case 'x': return Math.trunc(Number(value)).toString(16);
      default: return formatFixed(Number(value), precision === undefined ? 6 : Number(precision));
    }
  });
  if (i < args.length) throw new TypeError('not all arguments converted during string formatting');
  return out;
}
