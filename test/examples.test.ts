// Every example that has an asyncio original in examples/python prints exactly what
// CPython 3.13 prints for the original.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runPython } from './scenario/oracle/cpython.js';

const dir = join(import.meta.dirname, '..', 'examples');
const pairs = readdirSync(join(dir, 'python')).filter((f) => f.endsWith('.py')).map((f) => f.replace(/\.py$/, ''));

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

  for (const name of pairs) {
    it(`${name} prints what CPython prints for its original`, async () => {
      const expected = await runPython(readFileSync(join(dir, 'python', `${name}.py`), 'utf8'), `${name}.py`);
      expect(await runExample(name)).toBe(expected);
    });
  }
});
