// The asyncio originals of the examples (examples/python/*.py) and which oracle runs them:
// pyodide, or native CPython 3.13 for those that start threads (pyodide cannot).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** examples/python. */
export const PYTHON_EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'python');

/** The names (without `.py`) of the examples that have an asyncio original. */
export function pythonExamples(): string[] {
  return readdirSync(PYTHON_EXAMPLES).filter((f) => f.endsWith('.py')).map((f) => f.replace(/\.py$/, '')).sort();
}

/**
 * Whether the original of example `name` starts threads: its output is then stored in
 * `<name>.out` by `npm run conformance -- examples` (native CPython 3.13).
 */
export function startsThreads(name: string): boolean {
  return /\b(threading|to_thread|run_in_executor|ThreadPoolExecutor)\b/.test(readFileSync(join(PYTHON_EXAMPLES, `${name}.py`), 'utf8'));
}

/**
 * The names of the examples that run several hosts: each has a folder
 * examples/python/<name>/ with one program per host (`<host>.py`) and what native CPython
 * printed for it on a real machine (`<host>.out`; the folder's README says how).
 */
export function multiHostExamples(): string[] {
  return readdirSync(PYTHON_EXAMPLES).filter((f) => statSync(join(PYTHON_EXAMPLES, f)).isDirectory()).sort();
}

/** The hosts of multi-host example `name` and what each printed: `{ server: '…', client: '…' }`. */
export function hostOutputs(name: string): Record<string, string> {
  const dir = join(PYTHON_EXAMPLES, name);
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.py')).sort()) {
    const host = f.replace(/\.py$/, '');
    out[host] = readFileSync(join(dir, `${host}.out`), 'utf8');
  }
  return out;
}

/**
 * Split what a multi-host example printed (`[  time] host: text` lines) into what each
 * host printed, without the times.
 */
export function splitByHost(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const m = /^\[\s*[\d.]+\] ([\w-]+): (.*)$/.exec(line);
    if (m !== null) out[m[1]!] = `${out[m[1]!] ?? ''}${m[2]!}\n`;
  }
  return out;
}
