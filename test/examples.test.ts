// Every example that has an asyncio original in examples/python prints exactly what
// CPython 3.13 prints for the original: run now on pyodide (over the network's twin for
// one whose first line is `# network: loopback latency <s>`), or, for an original that
// starts threads, as native CPython 3.13 printed it (examples/python/<name>.out, written
// by `npm run conformance -- examples`).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hostOutputs, multiHostExamples, PYTHON_EXAMPLES, pythonExamples, splitByHost, startsThreads } from './_support/examples.js';
import { runNetPython, runPython } from './scenario/oracle/cpython.js';

const dir = join(import.meta.dirname, '..', 'examples');
const pairs = pythonExamples();

async function expectedOutput(name: string): Promise<string> {
  const py = join(PYTHON_EXAMPLES, `${name}.py`);
  const source = readFileSync(py, 'utf8');
  // A networking original runs over the network's twin, at the loopback latency its first line gives.
  const network = /^# network: loopback latency ([\d.]+)$/m.exec(source);
  if (network !== null) return runNetPython(source, Number(network[1]), `${name}.py`);
  if (!startsThreads(name)) return runPython(source, `${name}.py`);
  const stored = join(PYTHON_EXAMPLES, `${name}.out`);
  if (!existsSync(stored)) throw new Error(`${name}.py starts threads: store its output with \`npm run conformance -- examples\``);
  return readFileSync(stored, 'utf8');
}

async function runExample(name: string): Promise<string> {
  const mod = (await import(join(dir, `${name}.ts`))) as { main(): void | Promise<void> };
  let out = '';
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { out += `${args.join(' ')}\n`; });
  try {
    await mod.main();
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('examples', () => {
  it('has an asyncio original for at least one example', () => {
    expect(pairs.length).toBeGreaterThan(0);
  });

  // Several hosts: each host prints what CPython printed for its own program.
  for (const name of multiHostExamples()) {
    it(`${name} prints on each host what CPython prints for that host's program`, async () => {
      expect(splitByHost(await runExample(name))).toEqual(hostOutputs(name));
    });
  }

  for (const name of pairs) {
    it(`${name} prints what CPython prints for its original`, async () => {
      const expected = await expectedOutput(name);
      expect(await runExample(name)).toBe(expected);
    });
  }
});
