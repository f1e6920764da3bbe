// One measurement in a fresh Node process, so that no implementation's JIT state or
// garbage leaks into another's. The runner (run.ts) spawns it and reads one JSON line.
//
//   node --expose-gc child.js run <aiosim|floor|fake> <W1..W11|S1..S4> <n> <m> <reps>
//     -> {"ms":[...],"result":{count,check,time}}   (one untimed warm-up run first)
//   node --expose-gc child.js memory <aiosim|floor|fake> <timers|tasks> <n>
//     -> {"bytes": per item}
//   node --expose-gc child.js scale <aiosim|floor|fake> <W2|W3|S1..S4> <n1,n2,...> <reps1,reps2,...>
//     -> {"points":[{n,ms,result},...]}   (each size as `run` does it, smallest first)
//
// Only the implementation measured is loaded: importing aiosim or fake-timers takes a
// noticeable share of a short child's time.

import type { Clock } from '@sinonjs/fake-timers';
import { performance } from 'node:perf_hooks';
import { measureMemory, type Subject } from './memory.js';
import { netApi, type Api } from './workloads/api.js';
import { workload } from './workloads/index.js';
import type { Params, Result, Workload } from './workloads/workload.js';

async function load(impl: string): Promise<Subject> {
  if (impl === 'aiosim') return { api: (await import('./impl/aiosim.js')).aiosimApi };
  if (impl === 'floor') return { api: (await import('./impl/floor/index.js')).floorApi };
  if (impl === 'fake') return { createClock: (await import('@sinonjs/fake-timers')).createClock };
  throw new Error(`unknown implementation ${impl}`);
}

// No forced collection before a run: a full GC makes V8 shrink its heap, and the next run
// then pays for growing it again, which a program running in a warm process never does.
// A run pays for collecting its own garbage (and some of its predecessor's).
function once(subject: Subject, w: Workload<unknown>, p: Params): { ms: number; result: Result } {
  const data = w.prepare(p);
  if ('createClock' in subject) {
    if (w.fake === undefined) throw new Error(`${w.id} has no fake-timers form`);
    // The loop limit must exceed the number of timers run.
    const clock: Clock = subject.createClock(0, 4 * p.n + 1000);
    const t0 = performance.now();
    const result = w.fake.run(clock, p, data);
    return { ms: performance.now() - t0, result };
  }
  const api: Api = subject.api;
  if (w.network !== undefined) netApi(api, w.id).resetNetwork(w.network.loopbackLatency);
  const loop = api.newLoop();
  const t0 = performance.now();
  const result = w.run(api, loop, p, data);
  const ms = performance.now() - t0;
  loop.close();
  return { ms, result };
}

async function main(argv: string[]): Promise<void> {
  const [mode, impl, what, nText, mText, repsText] = argv;
  const subject = await load(impl!);
  if (mode === 'memory') {
    measureMemory(subject, what!, Number(nText), (bytes) => {
      process.stdout.write(`${JSON.stringify({ bytes })}\n`);
      process.exit(0);
    });
    return;
  }
  if (mode === 'scale') {
    // Sizes in ascending order, each with its own warm-up and repetitions.
    const w = workload(what!);
    const reps = mText!.split(',').map(Number);
    const points = nText!.split(',').map((n, i) => ({ n: Number(n), ...timed(subject, w, { n: Number(n), m: 0 }, reps[i]!) }));
    process.stdout.write(`${JSON.stringify({ points })}\n`);
    return;
  }
  if (mode !== 'run') throw new Error(`usage: child.js run|memory|scale ...`);
  const m = timed(subject, workload(what!), { n: Number(nText), m: Number(mText) }, Number(repsText ?? 1));
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

// One untimed run (the JIT compiles the hot paths, the heap grows to the run's size),
// then `reps` timed runs.
function timed(subject: Subject, w: Workload<unknown>, p: Params, reps: number): { ms: number[]; result: Result | undefined } {
  once(subject, w, p);
  const ms: number[] = [];
  let result: Result | undefined;
  for (let r = 0; r < reps; r++) {
    const one = once(subject, w, p);
    ms.push(one.ms);
    if (result !== undefined && JSON.stringify(one.result) !== JSON.stringify(result)) {
      throw new Error(`${w.id} gave ${JSON.stringify(one.result)} after ${JSON.stringify(result)}`);
    }
    result = one.result;
  }
  return { ms, result };
}

await main(process.argv.slice(2));
