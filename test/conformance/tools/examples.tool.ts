// npm run conformance -- examples — the examples whose asyncio original starts threads
// (pyodide cannot): each original runs on native CPython 3.13 with virtual_threads.py and
// what it prints is stored beside it as examples/python/<name>.out, which `npm test`
// (test/examples.test.ts) compares the TypeScript example with.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PYTHON_EXAMPLES, pythonExamples, startsThreads } from '../../_support/examples.js';
import { runProgramNative } from '../../scenario/oracle/native.js';

it('stores what native CPython 3.13 prints for the examples that start threads', () => {
  const written = pythonExamples().filter(startsThreads);
  for (const name of written) {
    writeFileSync(join(PYTHON_EXAMPLES, `${name}.out`), runProgramNative(join(PYTHON_EXAMPLES, `${name}.py`)));
  }
  console.log(`stored the output of ${written.join(', ')}`);
  expect(written.length).toBeGreaterThan(0);
});
