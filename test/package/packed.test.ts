// The published package as a user gets it: `npm pack` of a clean copy of the repository
// (prepack builds dist/; nobody runs a build by hand), what the tarball holds, what its
// declarations expose, and fresh ESM projects that install it offline and use both entry
// points from JavaScript and from TypeScript strict, with and without fast-check.

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredSurfaces, internalNames } from '../_support/declarations.js';
import { rootTypes, rootValues, testingTypes, testingValues } from '../_support/public-api.js';
import { run } from '../testing/_support.js';
import { addFixture, addTypesNode, freshProject, packCleanCopy, typecheck } from './_pack.js';

const sorted = (names: readonly string[]): string[] => [...names].sort();

let dir = '';
let packed: ReturnType<typeof packCleanCopy>;

beforeAll(() => {
  run('npm', ['--version'], tmpdir());
  dir = mkdtempSync(join(tmpdir(), 'aiosim-pack-'));
  packed = packCleanCopy(dir);
}, 180_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('the tarball of a clean clone', () => {
  it('holds the compiled entry points, their declarations and self-contained source maps, and nothing else', () => {
    const { files } = packed;
    for (const entry of ['dist/index', 'dist/testing/index']) {
      expect(files).toEqual(expect.arrayContaining([`${entry}.js`, `${entry}.d.ts`, `${entry}.js.map`]));
    }
    expect(files.filter((f) => !/^dist\/.+\.(js|d\.ts|js\.map)$/.test(f))).toEqual(['LICENSE', 'README.md', 'package.json']);
    // Every module has its declarations and its map.
    for (const js of files.filter((f) => f.endsWith('.js'))) {
      expect(files).toContain(js.replace(/\.js$/, '.d.ts'));
      expect(files).toContain(`${js}.map`);
    }
    // The maps carry their TypeScript sources: the package ships no src/ for them to point at.
    const map = JSON.parse(readFileSync(join(packed.clone, 'dist', 'index.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toContain("from './loop/event-loop.js'");
    expect(readFileSync(packed.tarball).length).toBeLessThan(1_000_000);
  });

  it('publishes without warnings (a dry run)', () => {
    const out = run('sh', ['-c', 'npm publish --dry-run --ignore-scripts --offline 2>&1'], packed.clone);
    // The one warning a dry run always gives here: nobody is logged in to the registry.
    // The tarball's listing (`npm notice 920B dist/runners/host-error.js`) names files, not problems.
    const listing = /^npm notice [\d.]+k?B\s/;
    const warnings = out.split('\n').filter((l) => /\b(warn|error)\b/i.test(l) && !listing.test(l) && !/requires you to be logged in/.test(l));
    expect(warnings).toEqual([]);
    expect(out).toMatch(/^\+ aiosim@\d+\.\d+\.\d+$/m);
  });
});

describe('the published declarations', () => {
  it('export exactly the documented values and types and no internal names', () => {
    const p = freshProject(dir, 'declarations', packed.tarball);
    const dist = join(p, 'node_modules', 'aiosim', 'dist');
    const [root, testing] = declaredSurfaces([join(dist, 'index.d.ts'), join(dist, 'testing', 'index.d.ts')]);
    expect(root).toEqual({ values: sorted(rootValues), types: sorted(rootTypes) });
    expect(testing).toEqual({ values: sorted(testingValues), types: sorted(testingTypes) });
    const internals = readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.d.ts'))
      .flatMap((f) => internalNames(readFileSync(join(dist, f), 'utf8')).map((line) => `${f}: ${line}`));
    expect(internals).toEqual([]);
  });
});

describe('a fresh project that installed the tarball', () => {
  it("imports 'aiosim' and 'aiosim/testing' and runs", () => {
    const p = freshProject(dir, 'consumer', packed.tarball);
    addFixture(p, 'both-entries.mjs', 'check.mjs');
    expect(JSON.parse(run('node', ['check.mjs'], p))).toEqual({
      result: [true, 1],
      trace: [
        '0.0 timer 1 scheduled at 1.0: _set_result_unless_cancelled(sleep future 1, None)',
        '1.0 timer 1 fires: _set_result_unless_cancelled(sleep future 1, None)',
      ],
      tasks: [],
      chrome: true,
      svg: true,
      asyncResult: 2,
    });
    addFixture(p, 'both-entries.ts', 'check.ts');
    typecheck(p, 'check.ts');
  }, 120_000);

  it('finds, reports and replays a race with fast-check installed', () => {
    const p = freshProject(dir, 'with-fast-check', packed.tarball, { fastCheck: true });
    addFixture(p, 'property.mjs', 'check.mjs');
    expect(JSON.parse(run('node', ['check.mjs'], p))).toEqual({
      failed: true,
      ties: 'TieBreaks([1])',
      replayed: true,
      firstLine: 'property failed after N (seed 1, path P), shrunk N',
      slow: { d: 0.5, n: 0 },
    });
    addFixture(p, 'property.ts', 'check.ts');
    typecheck(p, 'check.ts');
  }, 120_000);

  // @types/node 24 and later declare `[Symbol.dispose]` on every Generator: aiosim's
  // hand-made coroutines must still count as generators there.
  it.each([['@types/node-latest', 'the newest'], ['@types/node', 'the oldest supported']])(
    'type-checks a program with Node types, against %s (%s @types/node)', (from) => {
      const p = freshProject(dir, `types-${from.replace(/\W/g, '-')}`, packed.tarball);
      const version = addTypesNode(p, from);
      expect(version).toMatch(from === '@types/node' ? /^20\./ : /^(2[6-9]|[3-9]\d)\./);
      addFixture(p, 'types-node.ts', 'check.ts');
      typecheck(p, 'check.ts', { node: true });
    }, 120_000);

  it('works without fast-check: the rest of aiosim/testing runs, the runner says what to install, TypeScript compiles', () => {
    const p = freshProject(dir, 'without-fast-check', packed.tarball);
    addFixture(p, 'no-fast-check.mjs', 'check.mjs');
    expect(JSON.parse(run('node', ['check.mjs'], p))).toEqual({
      time: 2,
      message: 'checkProperty() needs fast-check, an optional peer dependency of aiosim/testing: npm install --save-dev fast-check',
    });
    addFixture(p, 'no-fast-check.ts', 'check.ts');
    typecheck(p, 'check.ts');
  }, 120_000);
});
