// Every test file runs with this setup: what aiosim writes to stderr while a test runs
// (the last-resort log handler, warnings, a thread's "Exception in thread …") must be
// captured and asserted on by that test (captureStderr), so a passing suite prints
// nothing but its results; anything else fails the test with the text it printed.

import { afterEach, beforeEach } from 'vitest';

// Tests capture what they expect to be printed with captureStderr (./stderr.js).

const realWrite = process.stderr.write;
let uncaptured: string[] = [];

beforeEach(() => {
  uncaptured = [];
  process.stderr.write = ((chunk: unknown) => {
    uncaptured.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
});

afterEach(() => {
  process.stderr.write = realWrite;
  const text = uncaptured.join('');
  uncaptured = [];
  if (text !== '') throw new Error(`the test wrote to stderr without capturing it (use captureStderr):\n${text}`);
});
