// Python's printf-style `msg % args`, the subset logging messages use
// (%s, %r, %d, %i, %f with precision, %x, %%).

import { pyFloat, pyStr, repr } from './py-repr.js';

const SPEC = /%(?:\.(\d+))?([srdifx%])/g;

/**
 * Format `msg % args` as Python does for logging records.
 *
 * @throws TypeError when there are not enough arguments, as Python does.
 * asyncio: str.__mod__ (as used by logging.LogRecord.getMessage)
 */
export function percentFormat(msg: string, args: readonly unknown[]): string {
  if (args.length === 0) return msg;
  let i = 0;
  return msg.replace(SPEC, (_m, precision: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (i >= args.length) throw new TypeError('not enough arguments for format string');
    const value = args[i++];
    switch (conv) {
      case 's': return pyStr(value);
      case 'r': return repr(value);
      case 'd':
      case 'i': return String(Math.trunc(Number(value)));
      case 'x': return Math.trunc(Number(value)).toString(16);
      default: {
        const n = Number(value);
        if (!Number.isFinite(n)) return pyFloat(n);
        return n.toFixed(precision === undefined ? 6 : Number(precision));
      }
    }
  });
}
