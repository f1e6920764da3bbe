// The oracle for scenarios and examples with threads: interpreter.py (or an example's
// program) with virtual_threads.py on native CPython 3.13 (pyodide cannot start threads).
// Used by the conformance tools only: `npm test` replays the traces stored in
// corpus/threads.jsonl and the outputs stored in examples/python/*.out.

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

/**
 * Run a Python program file on native CPython 3.13 with the virtual clock and
 * virtual_threads.py (for programs that start threads); return what it printed.
 */
export function runProgramNative(file: string): string {
  return execFileSync(nativePython(), [join(import.meta.dirname, 'run_native_program.py'), file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 600_000,
  });
}

/** Whether a native CPython 3.13 is here (tests that need one are skipped, saying so, where not). */
export function hasNativePython(): boolean {
  try {
    return existsSync(nativePython());
  } catch {
    return false;
  }
}

/**
 * Run a Python program (source text) on native CPython 3.13 over the network's twin with
 * simulated threads (run_twin_native.py): name resolution in the default executor works
 * there, unlike in pyodide. Return what it printed.
 */
export function runNetPythonNative(source: string, loopbackLatency = 0): string {
  const file = join(mkdtempSync(join(tmpdir(), 'aiosim-twin-')), 'prog.py');
  writeFileSync(file, source);
  return execFileSync(nativePython(), [join(import.meta.dirname, 'run_twin_native.py'), file, String(loopbackLatency)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}
