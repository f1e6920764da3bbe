// npm run conformance -- threads [--runs N] [--seed S] — scenarios with simulated
// threads: hand-written ones and N generated ones (fixed seed unless given) run on
// native CPython 3.13 (virtual_threads.py) and on aiosim. Prints every disagreement;
// with the default seed and size it rewrites corpus/threads.jsonl, which `npm test`
// replays without Python.

import { expect, it } from 'vitest';
import { threadScenarioArb } from '../../scenario/arbitrary.js';
import { sampleScenarios, THREADS_SEED, writeCorpus } from '../../scenario/corpus.js';
import { runScenario } from '../../scenario/interpreter.js';
import { runScenariosNative } from '../../scenario/oracle/native.js';
import { describeMismatch } from '../report.js';
import { THREAD_EDGE_CASES } from '../../scenario/thread-edge-cases.js';

const env = process.env;

it('agrees with native CPython on scenarios with threads', () => {
  const seed = Number(env.AIOSIM_SEED ?? THREADS_SEED);
  const runs = Number(env.AIOSIM_RUNS ?? 400);
  const generated = sampleScenarios(threadScenarioArb(), seed, runs, 'thr');
  const scenarios = [...THREAD_EDGE_CASES, ...generated];
  const traces = runScenariosNative(scenarios);
  const failures: string[] = [];
  scenarios.forEach((scenario, i) => {
    const actual = runScenario(scenario);
    if (JSON.stringify(actual) !== JSON.stringify(traces[i])) failures.push(describeMismatch(scenario, traces[i]!, actual));
  });
  if (env.AIOSIM_SEED === undefined && env.AIOSIM_RUNS === undefined) {
    writeCorpus('threads.jsonl', scenarios.map((scenario, i) => ({ scenario, trace: traces[i]! })));
  }
  console.log(`seed ${seed}: ${scenarios.length} scenarios with threads, ${failures.length} disagree`);
  expect(failures.length === 0 ? 'agrees' : `${failures.length} disagree\n\n${failures.slice(0, 3).join('\n\n')}`).toBe('agrees');
}, 3_600_000);
