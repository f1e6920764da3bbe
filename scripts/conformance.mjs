#!/usr/bin/env node
// Runs a conformance tool: `regen` (npm run conformance:regen) or `fuzz` (npm run fuzz --
// [--runs N] [--seed S] [--path P]). Options become environment variables for the tool.
import { spawnSync } from 'node:child_process';

const [tool, ...args] = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i += 2) {
  const key = { '--runs': 'AIOSIM_RUNS', '--seed': 'AIOSIM_SEED', '--path': 'AIOSIM_PATH', '--size': 'AIOSIM_CORPUS_SIZE' }[args[i]];
  if (key === undefined || args[i + 1] === undefined) {
    console.error(`usage: conformance.mjs regen [--size N] | fuzz [--runs N] [--seed S] [--path P] | threads [--runs N] [--seed S]`);
    process.exit(2);
  }
  env[key] = args[i + 1];
}
const result = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.tools.config.ts', `test/conformance/tools/${tool}.tool.ts`], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
