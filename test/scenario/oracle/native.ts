// The oracle for scenarios with threads: interpreter.py with virtual_threads.py on
// native CPython 3.13 (pyodide cannot start threads). Used by the corpus tools only;
// `npm test` replays the traces stored in corpus/threads.jsonl.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../language.js';

/** Native CPython 3.13: $AIOSIM_PYTHON, else pyenv's newest 3.13.x. */
export function nativePython(): string {
  const explicit = process.env.AIOSIM_PYTHON;
  if (explicit !== undefined && explicit !== '') return explicit;
  let root: string;
  try {
    root = execFileSync('pyenv', ['root'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('native CPython 3.13 is needed for thread scenarios: install it with pyenv or set AIOSIM_PYTHON');
  }
  const versions = existsSync(join(root, 'versions')) ? readdirSync(join(root, 'versions')).filter((v) => /^3\.13\.\d+$/.test(v)).sort() : [];
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error(`no CPython 3.13 under ${root}/versions: install it with pyenv or set AIOSIM_PYTHON`);
  return join(root, 'versions', newest, 'bin', 'python3');
}

/** Run scenarios through interpreter.py on native CPython; return one trace per scenario. */
export function runScenariosNative(scenarios: readonly Scenario[]): string[][] {
  const file = join(mkdtempSync(join(tmpdir(), 'aiosim-native-')), 'scenarios.json');
  writeFileSync(file, JSON.stringify(scenarios));
  const out = execFileSync(nativePython(), [join(import.meta.dirname, 'run_native.py'), file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    // Threads that fail print to stderr, as CPython's threading.excepthook does.
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 600_000,
  });
  return JSON.parse(out) as string[][];
}
