// The property runner from the published package: a fresh project installs the packed
// tarball offline, with fast-check (the runner finds, reports and replays a race, from
// JavaScript and from TypeScript) and without it (the rest of aiosim/testing works, the
// runner says what to install, and TypeScript still compiles: no declaration needs
// fast-check's). The package is built into a temporary directory, not into dist/.

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './_support.js';

const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const fastCheckVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'fast-check', 'package.json'), 'utf8')) as { version: string }).version;

/** A fresh project with the tarball (and `extra` packages) installed offline. */
function project(dir: string, name: string, tarball: string, extra: string[]): string {
  const p = join(dir, name);
  mkdirSync(p);
  writeFileSync(join(p, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball, ...extra], p);
  return p;
}

function typecheck(p: string, source: string): void {
  writeFileSync(join(p, 'check.ts'), source);
  writeFileSync(join(p, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: [] },
    files: ['check.ts'],
  }));
  run('node', [tsc, '-p', 'tsconfig.json'], p);
}

const withFastCheck = `
import fc from 'fast-check';
import { createTask, Lock, sleep } from 'aiosim';
import { checkProperty, modelDelay, replayProperty } from 'aiosim/testing';

function* counter() {
  const store = { value: 0 };
  const lock = new Lock();
  function* increment() {
    yield* lock.acquire();
    let value;
    try {
      yield* sleep(0.25);
      value = store.value;
    } finally {
      lock.release();
    }
    yield* sleep(0.25);
    store.value = value + 1;
  }
  const a = createTask(increment());
  const b = createTask(increment());
  yield* a;
  yield* b;
  return store.value === 2;
}

const found = checkProperty({}, counter, { seed: 1 });
const again = replayProperty({}, counter, { seed: found.seed, path: found.path });
const slow = checkProperty({ d: modelDelay({ max: 1 }), n: fc.nat(3) }, ({ d }) => d < 0.5, { seed: 3 });
console.log(JSON.stringify({
  failed: found.failed,
  ties: String(found.counterexample.ties),
  replayed: String(again.trace) === String(found.counterexample.trace) && again.failed,
  firstLine: found.report.split('\\n')[0].replace(/path "[\\d:]+"/, 'path P').replace(/\\d+ runs?|\\d+ times?/g, 'N'),
  slow: slow.counterexample.model,
}));
`;

const withFastCheckTypes = `
import fc from 'fast-check';
import type { Coro } from 'aiosim';
import { sleep } from 'aiosim';
import { checkProperty, jobDuration, modelDelay, type PropertyResult } from 'aiosim/testing';

const model = fc.record({ delay: modelDelay({ max: 1 }), durations: fc.array(jobDuration({ max: 2 })) });
const result: PropertyResult<{ delay: number; durations: number[] }> = checkProperty(model, function* ({ delay, durations }): Coro<boolean> {
  yield* sleep(delay);
  return durations.length >= 0;
});
export { result };
`;

const withoutFastCheck = `
import { sleep } from 'aiosim';
import { checkProperty, withLoop } from 'aiosim/testing';

const time = withLoop(function* (loop) {
  yield* sleep(2);
  return loop.time();
});
let message = '';
try {
  checkProperty({}, () => true);
} catch (e) {
  message = e.message;
}
console.log(JSON.stringify({ time, message }));
`;

const withoutFastCheckTypes = `
import { checkProperty, TieBreaks, type FcArbitrary, type PropertyRun } from 'aiosim/testing';

declare const arb: FcArbitrary<number>;
const run: PropertyRun<number> | undefined = checkProperty(arb, (n) => n > 0).counterexample;
export { run, TieBreaks };
`;

describe('the packed package with the property runner', () => {
  let dir = '';
  let tarball = '';

  beforeAll(() => {
    run('npm', ['--version'], root);
    dir = mkdtempSync(join(tmpdir(), 'aiosim-pack-property-'));
    const pkg = join(dir, 'package');
    mkdirSync(pkg);
    run('node', [tsc, '-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist')], root);
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
    run('npm', ['pack', '--pack-destination', dir], pkg);
    tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  }, 120_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('finds, reports and replays a race from a project that installed fast-check', () => {
    const p = project(dir, 'with-fast-check', tarball, [`fast-check@${fastCheckVersion}`]);
    writeFileSync(join(p, 'check.mjs'), withFastCheck);
    expect(JSON.parse(run('node', ['check.mjs'], p))).toEqual({
      failed: true,
      ties: 'TieBreaks([1])',
      replayed: true,
      firstLine: 'property failed after N (seed 1, path P), shrunk N',
      slow: { d: 0.5, n: 0 },
    });
    typecheck(p, withFastCheckTypes);
  }, 120_000);

  it('works without fast-check: the rest of aiosim/testing runs, the runner says what to install, TypeScript compiles', () => {
    const p = project(dir, 'without-fast-check', tarball, []);
    writeFileSync(join(p, 'check.mjs'), withoutFastCheck);
    expect(JSON.parse(run('node', ['check.mjs'], p))).toEqual({
      time: 2,
      message: 'checkProperty() needs fast-check, an optional peer dependency of aiosim/testing: npm install --save-dev fast-check',
    });
    typecheck(p, withoutFastCheckTypes);
  }, 120_000);
});
