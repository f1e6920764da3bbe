// A snapshot serializer (vitest's and jest's `expect.addSnapshotSerializer`) printing a
// Trace as its bare text lines, without the quotes a string snapshot has.
// asyncio: none (an aiosim testing extra)

import { Trace } from './trace.js';

/**
 * Print traces in snapshots as their text, one event per line. Without it a trace
 * still snapshots as its text, as one quoted string.
 *
 * @example
 * expect.addSnapshotSerializer(traceSerializer);
 * expect(trace).toMatchInlineSnapshot();
 * asyncio: none (aiosim testing)
 */
export const traceSerializer = {
  test(value: unknown): boolean {
    return value instanceof Trace;
  },
  serialize(value: unknown): string {
    return String(value as Trace);
  },
};
