// The shape of the test tree (docs: STYLE.md, "Tests"): no test file past 600 lines, and
// no `_2` files (a file too long for its subject splits by subject, each part named after
// what it tests).

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 600;

const root = import.meta.dirname;
const testFiles = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.test(-d)?\.ts$/.test(f))
  .map((f) => join('test', f))
  .sort();

/** The number of lines, as `wc -l` counts them. */
function lineCount(file: string): number {
  return readFileSync(join(root, '..', file), 'utf8').split('\n').length - 1;
}

describe('the test tree', () => {
  it(`keeps every test file within ${MAX_LINES} lines`, () => {
    expect(testFiles).toContain('test/test-tree.test.ts');
    const long = testFiles.filter((f) => lineCount(f) > MAX_LINES).map((f) => `${f}: ${lineCount(f)} lines`);
    expect(long).toEqual([]);
  });

  it('has no test file whose name ends in _2', () => {
    expect(testFiles.filter((f) => /_2$/.test(basename(f).replace(/\.test(-d)?\.ts$/, '')))).toEqual([]);
  });
});
