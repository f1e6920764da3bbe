// The package as a user gets it: a clean copy of the repository (the files a fresh clone
// has, with the working tree's contents), packed by `npm pack` with no manual build (the
// `prepack` script builds dist/), and fresh projects that install the tarball offline.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from '../testing/_support.js';

export const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** The repository's files as a fresh clone has them (tracked and new, not ignored), copied to `dest`. */
function copyCleanClone(dest: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  for (const file of listed.split('\0')) {
    if (file === '') continue;
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    // A file deleted in the working tree but still tracked is not in the copy either.
    try {
      cpSync(join(root, file), join(dest, file));
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
  }
}

/** `npm pack` of a clean copy of the repository into `dir`: the tarball's path and its file list. */
export function packCleanCopy(dir: string): { tarball: string; files: string[]; clone: string } {
  const clone = join(dir, 'clone');
  copyCleanClone(clone);
  // The clone's dev dependencies (typescript for the build) are the repository's own.
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  run('npm', ['pack', '--pack-destination', dir], clone);
  const name = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (name === undefined) throw new Error(`npm pack wrote no tarball into ${dir}`);
  const tarball = join(dir, name);
  const files = run('tar', ['-tzf', tarball], dir).split('\n').filter((f) => f !== '').map((f) => f.replace(/^package\//, ''));
  return { tarball, files: files.sort(), clone };
}

/**
 * A fresh ESM project in `dir/name` with the tarball installed offline. With `fastCheck`,
 * the repository's own fast-check (and its dependency) is copied into its node_modules, as
 * `npm install fast-check` would put it there, without asking the registry.
 */
export function freshProject(dir: string, name: string, tarball: string, options: { fastCheck?: boolean } = {}): string {
  const p = join(dir, name);
  mkdirSync(p);
  writeFileSync(join(p, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], p);
  if (options.fastCheck === true) {
    for (const pkg of ['fast-check', 'pure-rand']) cpSync(join(root, 'node_modules', pkg), join(p, 'node_modules', pkg), { recursive: true });
  }
  return p;
}

/** Copy the fixture `name` into the project `p` (as its file `as`). */
export function addFixture(p: string, name: string, as: string = name): void {
  cpSync(join(import.meta.dirname, 'fixtures', name), join(p, as));
}

/**
 * Install the repository's copy of `@types/node` found at `node_modules/<from>` (an npm
 * alias such as `@types/node-latest`, or `@types/node` itself) as the project's
 * `@types/node`, with its dependency `undici-types` (nested or hoisted in the repository).
 */
export function addTypesNode(p: string, from: string): string {
  const source = join(root, 'node_modules', from);
  cpSync(source, join(p, 'node_modules', '@types', 'node'), { recursive: true });
  if (!existsSync(join(source, 'node_modules', 'undici-types'))) {
    cpSync(join(root, 'node_modules', 'undici-types'), join(p, 'node_modules', 'undici-types'), { recursive: true });
  }
  return (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Type-check `file` in project `p` with TypeScript strict, resolving packages as Node does;
 * with `node`, against the project's `@types/node` and without skipping library checks.
 */
export function typecheck(p: string, file: string, options: { node?: boolean } = {}): void {
  writeFileSync(join(p, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true,
      types: options.node === true ? ['node'] : [], skipLibCheck: false,
    },
    files: [file],
  }));
  run('node', [tsc, '-p', 'tsconfig.json'], p);
}
