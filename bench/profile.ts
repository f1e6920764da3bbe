// Profile one workload with `node --cpu-prof` and print the functions with the most
// self time (and, for aiosim's own code, the source line they start on).
//
//   npm run bench:profile -- W6 [aiosim|floor|fake] [--quick] [--top 25]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selfTimes, type CpuProfile } from './self-times.js';
import { workload } from './workloads/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function main(args: string[]): void {
  const id = args.find((a) => /^[WS]\d+$/.test(a)) ?? 'W6';
  const impl = args.find((a) => a === 'aiosim' || a === 'floor' || a === 'fake') ?? 'aiosim';
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  const w = workload(id);
  const p = args.includes('--quick') ? w.quick : w.full;
  const dir = join(root, '.build', 'profiles', `${id}-${impl}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--expose-gc', join(here, 'child.js'), 'run', impl, id, String(p.n), String(p.m), '3'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  console.log(`${id} ${impl} n=${p.n} m=${p.m}: ${run.stdout.trim()}`);
  console.log(`profile: ${relative(process.cwd(), join(dir, file))} (open in Chrome DevTools)`);
  for (const e of selfTimes(profile).slice(0, top)) {
    console.log(`${(e.share * 100).toFixed(1).padStart(5)}%  ${e.ms.toFixed(1).padStart(8)} ms  ${e.name}  ${e.where}`);
  }
}

main(process.argv.slice(2));
