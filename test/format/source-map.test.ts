// Sites in reprs and tracebacks name the lines of the file the user wrote: under vitest
// the running code is transformed TypeScript, mapped back through its source map; compiled
// JavaScript with a map file is mapped the same way.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionSource, generatorInfo } from '../../src/format/source-location.js';
import { SourceMap, sourceMapOfFile } from '../../src/format/source-map.js';
import { userFrames } from '../../src/format/stack.js';

const here = 'test/format/source-map.test.ts';

// Lines below are checked by number: keep the blank line and the type-only lines above
// each definition, which transformed code drops.
type Unused = { a: number };

function defined(): void {}

interface Padding {
  b: string;
}

function* suspended(x: Unused | Padding): Generator<undefined, void, unknown> {
  void x;

  yield;
}

describe('source sites', () => {
  it('names the line a function is defined on in the TypeScript source', () => {
    expect(functionSource(defined)).toBe(`${here}:19`);
  });

  it('names the line a generator is suspended on, and its definition once it is done', () => {
    const gen = suspended({ a: 1 });
    gen.next();
    expect(generatorInfo(gen)).toEqual({ name: 'suspended', closed: false, site: `${here}:28` });
    gen.next();
    expect(generatorInfo(gen)).toEqual({ name: 'suspended', closed: true, site: `${here}:25` });
  });
});

describe('SourceMap', () => {
  // Generated line 0: column 0 maps to a.ts line 3; column 10 to b.ts line 1.
  // Line 1: nothing. Line 2: column 4 to a.ts line 7 (relative fields carry over lines).
  const map = new SourceMap({ sources: ['a.ts', 'b.ts'], sourceRoot: 'src', mappings: 'AAEA,UCFA;;IDMA' }, 'file:///p/dist/x.js');

  it('finds the last segment at or before a column', () => {
    expect(map.originalSite(0, 0)).toEqual({ file: '/p/dist/src/a.ts', line: 3 });
    expect(map.originalSite(0, 9)).toEqual({ file: '/p/dist/src/a.ts', line: 3 });
    expect(map.originalSite(0, 10)).toEqual({ file: '/p/dist/src/b.ts', line: 1 });
    expect(map.originalSite(0, 99)).toEqual({ file: '/p/dist/src/b.ts', line: 1 });
  });

  it('says nothing of lines it has no segments for', () => {
    expect(map.originalSite(1, 0)).toBeUndefined();
    expect(map.originalSite(9, 0)).toBeUndefined();
    expect(map.originalSite(2, 0)).toEqual({ file: '/p/dist/src/a.ts', line: 7 });
  });

  it('maps frames of compiled JavaScript that declares a map file, and leaves other frames alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiosim-map-'));
    try {
      writeFileSync(join(dir, 'app.js'), 'line0;\nline1;\n//# sourceMappingURL=app.js.map\n');
      writeFileSync(join(dir, 'app.js.map'), JSON.stringify({ version: 3, sources: ['../src/app.ts'], mappings: ';AAIA' }));
      expect(sourceMapOfFile(join(dir, 'app.js'))?.originalSite(1, 0)).toEqual({ file: join(dir, '..', 'src', 'app.ts'), line: 5 });
      const stack = `Error\n    at work (file://${dir}/app.js:2:3)\n    at other (${dir}/plain.js:7:1)`;
      expect(userFrames(stack)).toEqual([
        { file: `${dir}/plain.js`, line: 7, name: 'other' },
        { file: join(dir, '..', 'src', 'app.ts'), line: 5, name: 'work' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
