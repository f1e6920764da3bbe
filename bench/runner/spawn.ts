// Child processes: one measurement each, in a fresh Node or CPython process, read back
// as one JSON line. Also finds the CPython to compare with.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Params, Result } from '../workloads/workload.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file runs from .build/bench/runner/). */
export const ROOT = join(here, '..', '..', '..');
const CHILD = join(here, '..', 'child.js');
const PY_BENCH = join(ROOT, 'bench', 'python', 'bench.py');

/** The implementations measured. */
export type Impl = 'aiosim' | 'cpython' | 'stock' | 'fake' | 'floor';

export interface Measurement {
  ms: number[];
  result: Result;
}

export interface Python {
  exe: string;
  version: string;
}

// CPython 3.13 from pyenv when present, else python3 on the PATH.
function pythonCandidates(): string[] {
  const out: string[] = [];
  try {
    const root = process.env.PYENV_ROOT ?? execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const versions = readdirSync(join(root, 'versions'))
      .filter((v) => /^3\.13(\.\d+)?$/.test(v))
      .sort((a, b) => Number(a.split('.')[2] ?? 0) - Number(b.split('.')[2] ?? 0));
    for (const v of versions.reverse()) {
      const exe = join(root, 'versions', v, 'bin', 'python3');
      if (existsSync(exe)) out.push(exe);
    }
  } catch {
    // No pyenv: fall back to python3.
  }
  out.push('python3');
  return out;
}

/** The CPython to measure (`exe` when given), with its version. */
export function findPython(exe?: string): Python {
  for (const candidate of exe !== undefined ? [exe] : pythonCandidates()) {
    try {
      const out = execFileSync(candidate, [PY_BENCH, 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { exe: candidate, version: (JSON.parse(out) as { version: string }).version };
    } catch {
      // Try the next candidate.
    }
  }
  throw new Error(exe !== undefined ? `${exe} cannot run bench/python/bench.py` : 'no python3 found');
}

function lastJsonLine<T>(command: string, args: string[], timeoutMs: number): T {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20 });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) {
    const tail = (run.stderr || run.stdout || '').trim().split('\n').slice(-6).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${run.status ?? run.signal}:\n${tail}`);
  }
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** Run one workload measurement (`reps` timed runs after one warm-up at n/10). */
export function measure(py: Python, impl: Impl, id: string, p: Params, reps: number, timeoutMs = 900_000): Measurement {
  const sizes = [String(p.n), String(p.m), String(reps)];
  if (impl === 'cpython' || impl === 'stock') {
    return lastJsonLine<Measurement>(py.exe, [PY_BENCH, 'run', id, ...sizes, impl === 'cpython' ? 'virtual' : 'stock'], timeoutMs);
  }
  return lastJsonLine<Measurement>(process.execPath, ['--expose-gc', CHILD, 'run', impl, id, ...sizes], timeoutMs);
}

/** Bytes per pending item (`timers`, `tasks`, `sleepers`) with n alive at once. */
export function measureMemory(py: Python, impl: Impl, what: string, n: number, timeoutMs = 900_000): number {
  if (impl === 'cpython') return lastJsonLine<{ bytes: number }>(py.exe, [PY_BENCH, 'memory', what, String(n)], timeoutMs).bytes;
  return lastJsonLine<{ bytes: number }>(process.execPath, ['--expose-gc', CHILD, 'memory', impl, what, String(n)], timeoutMs).bytes;
}

/** One measurement per size of W2 or W3, all in one process (smallest size first). */
export function measureScaling(py: Python, impl: Impl, id: string, sizes: number[], reps: number[], timeoutMs = 1_800_000): (Measurement & { n: number })[] {
  const args = [id, sizes.join(','), reps.join(',')];
  const out =
    impl === 'cpython'
      ? lastJsonLine<{ points: (Measurement & { n: number })[] }>(py.exe, [PY_BENCH, 'scale', ...args], timeoutMs)
      : lastJsonLine<{ points: (Measurement & { n: number })[] }>(process.execPath, ['--expose-gc', CHILD, 'scale', impl, ...args], timeoutMs);
  return out.points;
}
