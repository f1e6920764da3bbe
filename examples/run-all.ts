// Runs every example in this folder, in name order, each printing its trace.
// Usage: npm run example            (all)
//        npm run example -- timers  (those whose file name contains "timers")

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run-all.js' && f.includes(filter))
  .sort();
for (const file of files) {
  console.log(`=== examples/${file.replace(/\.js$/, '.ts')} ===`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { main(): void | Promise<void>; note?: string };
  // Reports that look like failures (tracebacks, warnings) are announced: they are the point.
  if (mod.note !== undefined) console.log(`(this example ${mod.note})`);
  await mod.main();
  console.log();
}
