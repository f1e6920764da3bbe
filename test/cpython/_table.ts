// A CPython test module's table (docs/cpython-tests/<module>.md) against its folder of
// ports (test/cpython/<module>/): every row the table calls ported names an `it` of its
// class there, every `it` there is in the table, and the "Ported" line counts the rows.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Register the table's checks for `module`, whose ports are in the folder `here`. */
export function describePortTable(module: string, here: string): void {
  const table = readFileSync(join(here, '..', '..', '..', 'docs', 'cpython-tests', `${module}.md`), 'utf8');
  // `Class.method` of each `it` here: its describe and the method its title starts with.
  function ported(): string[] {
    const out: string[] = [];
    for (const file of readdirSync(here).filter((f) => f.endsWith('.test.ts') && f !== 'table.test.ts')) {
      let cls = '';
      for (const line of readFileSync(join(here, file), 'utf8').split('\n')) {
        cls = /^describe\('(\w+)'/.exec(line)?.[1] ?? cls;
        const method = /^\s+it\(['"](test_\w+)/.exec(line)?.[1];
        if (method !== undefined) out.push(`${cls}.${method}`);
      }
    }
    return out.sort();
  }

  // The table's rows: CPython test, aiosim test, status.
  const rows = table
    .split('\n')
    .filter((l) => /^\| \w+\.test_/.test(l))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '')) as [string, string, string]);

  describe(`docs/cpython-tests/${module}.md`, () => {
    it(`lists every it of test/cpython/${module}/ as ported under its class, and no other as ported here`, () => {
      const found = ported();
      expect(new Set(found).size).toBe(found.length);
      const listed = rows.filter(([, test]) => test !== '—' && !test.startsWith('`test/')).map(([name]) => name).sort();
      expect(listed).toEqual(found);
      for (const [name, test, status] of rows) {
        if (test === '—') expect(status).toMatch(/^(not ported|ported as a type test)/);
        else expect(test).toBe(`\`${name.replace('.', ' › ')}\``);
      }
    });

    it('counts its rows in the Ported line', () => {
      const portedRows = rows.filter(([, , status]) => status.startsWith('ported')).length;
      const notPortable = rows.filter(([, , status]) => status.startsWith('not ported')).length;
      expect(table).toContain(`Ported: ${portedRows} of ${rows.length - notPortable} portable (${rows.length} methods in 3.13.0)`);
    });
  });
}
