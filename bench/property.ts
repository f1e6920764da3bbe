// Property-testing throughput: how many runs per second checkProperty does on the README's
// counter example and on the three races of examples/11-property-testing.ts (their fixed,
// passing versions, imported from the example, so every run is a whole run). Each is measured cold (a fresh process's
// first search) and warm (the same search again, after V8 has compiled it).
//
//   npm run bench:property [-- --runs 3000] [--profile]
//
// With --profile, the warm searches run under `node --cpu-prof` and the functions with the
// most self time are printed (bench/profile.ts's table).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { booking, bookFixed, bookingModel, counter, wakeupModel, wakeups } from '../examples/11-property-testing.js';
import { createTask, Lock, sleep, type Coro } from '../src/index.js';
import { checkProperty, modelDelay, type Scenario } from '../src/testing/index.js';
import { selfTimes, type CpuProfile } from './self-times.js';

// The README's counter ("Property testing"), written after the write: it passes.
const counterModel = { latency: modelDelay({ min: 0.1, max: 1, resolution: 0.1 }) };
const readmeCounter: Scenario<{ latency: number }> = function* main({ latency }): Coro<boolean> {
  const store = { value: 0 };
  const lock = new Lock();
  function* increment(): Coro<void> {
    yield* lock.acquire();
    yield* sleep(latency);
    const value = store.value;
    yield* sleep(latency);
    store.value = value + 1;
    lock.release();
  }
  const [a, b] = [createTask(increment()), createTask(increment())];
  yield* a;
  yield* b;
  return store.value === 2;
};

interface Case {
  name: string;
  run(runs: number): boolean;
}

const cases: Case[] = [
  { name: 'README counter (after write)', run: (runs) => checkProperty(counterModel, readmeCounter, { seed: 1, runs }).failed },
  { name: 'examples/11 booking (fixed)', run: (runs) => checkProperty(bookingModel, booking(bookFixed), { seed: 1, runs }).failed },
  { name: 'examples/11 wake-ups (fixed)', run: (runs) => checkProperty(wakeupModel, wakeups('before'), { seed: 1, runs }).failed },
  { name: 'examples/11 counter (fixed)', run: (runs) => checkProperty({}, counter('after write'), { seed: 1, runs }).failed },
];

function measure(c: Case, runs: number): number {
  const start = performance.now();
  // A failure would stop the search early and inflate the rate: every case must pass.
  if (c.run(runs)) throw new Error(`${c.name}: the property failed`);
  return runs / ((performance.now() - start) / 1000);
}

const here = dirname(fileURLToPath(import.meta.url));

function main(args: string[]): void {
  const runsIndex = args.indexOf('--runs');
  const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 3000;
  if (args.includes('--child')) {
    // One case per process, so that "cold" is a fresh process's first search.
    const c = cases[Number(args[args.indexOf('--child') + 1])]!;
    const cold = measure(c, runs);
    const warm = [measure(c, runs), measure(c, runs), measure(c, runs)].sort((a, b) => a - b)[1]!;
    console.log(JSON.stringify({ cold, warm }));
    return;
  }
  const profile = args.includes('--profile');
  console.log(`checkProperty throughput, ${runs} runs per search (Node ${process.version}); runs per second, cold | warm (median of 3)`);
  console.log('| scenario | cold | warm |\n| --- | ---: | ---: |');
  cases.forEach((c, i) => {
    const dir = join(here, '..', 'profiles', `property-${i}`);
    const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
    if (profile) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    const child = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', String(i), '--runs', String(runs)], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const { cold, warm } = JSON.parse(child.stdout) as { cold: number; warm: number };
    console.log(`| ${c.name} | ${Math.round(cold).toLocaleString('en-US')} | ${Math.round(warm).toLocaleString('en-US')} |`);
    if (profile) {
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
      const top = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile).slice(0, 25);
      for (const e of top) console.log(`    ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.ms.toFixed(1).padStart(8)} ms  ${e.name}  ${e.where}`);
    }
  });
}

main(process.argv.slice(2));
