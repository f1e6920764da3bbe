// Property-testing throughput: how many runs per second checkProperty does on the README's
// counter example and on the three races of examples/11-property-testing.ts (their fixed,
// passing versions, so every run is a whole run). Each is measured cold (a fresh process's
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
import fc from 'fast-check';
import { createTask, Event, gather, Lock, signals, sleep, wait, type Coro, type EventLoop } from '../src/index.js';
import { checkProperty, modelDelay, signalArrival, type ModelArbitrary, type Scenario } from '../src/testing/index.js';
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

// examples/11's three races, fixed (the same code: the bench does not compile examples/).
const bookingModel = { ann: modelDelay({ max: 2, resolution: 0.1 }), bob: modelDelay({ max: 2, resolution: 0.1 }), payment: modelDelay({ min: 0.1, max: 1, resolution: 0.1 }) };
const booking: Scenario<{ ann: number; bob: number; payment: number }> = function* main({ ann, bob, payment }): Coro<boolean> {
  const seats = new Map<string, string>();
  function* customer(who: string, at: number): Coro<boolean> {
    yield* sleep(at);
    if (seats.has('1A')) return false;
    seats.set('1A', who);
    yield* sleep(payment);
    return true;
  }
  const confirmed = yield* gather(customer('ann', ann), customer('bob', bob));
  return confirmed.filter(Boolean).length <= 1;
};

const wakeupModel: ModelArbitrary<{ arrivals: number[] }> = {
  arrivals: fc.array(signalArrival({ max: 3, resolution: 0.1 }), { minLength: 1, maxLength: 3 }),
};
const wakeups: Scenario<{ arrivals: number[] }> = function* main({ arrivals }, loop: EventLoop): Coro<boolean> {
  let received = 0;
  let handled = 0;
  const wakeup = new Event();
  loop.addSignalHandler(signals.SIGUSR1, () => {
    received++;
    wakeup.set();
  });
  for (const t of arrivals) signals.scheduleSignal(signals.SIGUSR1, t);
  const consumer = createTask(function* consumer(): Coro<void> {
    for (;;) {
      yield* wakeup.wait();
      wakeup.clear();
      const batch = received - handled;
      yield* sleep(0.5);
      handled += batch;
    }
  }());
  yield* sleep(5);
  consumer.cancel();
  yield* wait([consumer]);
  return handled === received;
};

const counter: Scenario<object> = function* main(): Coro<boolean> {
  const store = { value: 0 };
  const lock = new Lock();
  function* increment(): Coro<void> {
    yield* lock.acquire();
    yield* sleep(0.25);
    const value = store.value;
    yield* sleep(0.25);
    store.value = value + 1;
    lock.release();
  }
  yield* gather(increment(), increment());
  return store.value === 2;
};

interface Case {
  name: string;
  run(runs: number): boolean;
}

const cases: Case[] = [
  { name: 'README counter (after write)', run: (runs) => checkProperty(counterModel, readmeCounter, { seed: 1, runs }).failed },
  { name: 'examples/11 booking (fixed)', run: (runs) => checkProperty(bookingModel, booking, { seed: 1, runs }).failed },
  { name: 'examples/11 wake-ups (fixed)', run: (runs) => checkProperty(wakeupModel, wakeups, { seed: 1, runs }).failed },
  { name: 'examples/11 counter (fixed)', run: (runs) => checkProperty({}, counter, { seed: 1, runs }).failed },
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
