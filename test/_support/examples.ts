// The asyncio originals of the examples (examples/python/*.py) and which oracle runs them:
// pyodide, or native CPython 3.13 for those that start threads (pyodide cannot).

import { readdirSync, readFileSync } from 'node:fs';
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
