// Shared test helpers: capture asyncio log records and the exception a function throws,
// normalise source sites in reprs.

import { expect } from 'vitest';
import { logging } from '../../src/index.js';

/** Records logged on the 'asyncio' logger while `fn` runs (the logger's level is left as is). */
export function captureAsyncioLogs(fn: () => void): logging.LogRecord[] {
  const records: logging.LogRecord[] = [];
  const handler: logging.Handler = { handle: (r) => records.push(r) };
  const logger = logging.getLogger('asyncio');
  logger.addHandler(handler);
  try {
    fn();
  } finally {
    logger.removeHandler(handler);
  }
  return records;
}

/**
 * Replace every ` at <file>:<line>` / `created at <file>:<line>` / `defined at …` site with
 * `F:L` and every `0x…` id with `0x?`, so reprs from aiosim and CPython compare equal.
 */
export function normaliseSites(text: string): string {
  return text.replace(/ at [^\s>()]+:\d+(:\d+)?/g, ' at F:L').replace(/0x[0-9a-f]+/g, '0x?');
}

/** The exception `fn` throws (the test fails if it returns normally). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return expect.fail('expected an exception');
}
