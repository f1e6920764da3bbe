// npm run conformance -- contextvars [--runs N] [--seed S] — scenarios with context
// variables, the hand-written ones (context-edge-cases.ts) and N drawn from
// contextScenarioArb, run on CPython 3.13 (pyodide) and on aiosim. Prints every
// disagreement; with the default seed and size (120, CONTEXTVARS_SEED) it rewrites
// corpus/contextvars.jsonl, which `npm test` replays without Python.

import { expect, it } from 'vitest';
import { contextScenarioArb } from '../../scenario/arbitrary.js';
import { CONTEXT_EDGE_CASES } from '../../scenario/context-edge-cases.js';
import { CONTEXTVARS_SEED, sampleScenarios, writeCorpus } from '../../scenario/corpus.js';
import { runScenario } from '../../scenario/interpreter.js';
import { runScenariosPython } from '../../scenario/oracle/cpython.js';
import { describeMismatch } from '../report.js';

const env = process.env;

it('agrees with CPython on scenarios with context variables', async () => {
  const seed = Number(env.AIOSIM_SEED ?? CONTEXTVARS_SEED);
  const runs = Number(env.AIOSIM_RUNS ?? 120);
  const scenarios = [...CONTEXT_EDGE_CASES, ...sampleScenarios(contextScenarioArb(), seed, runs, 'cv')];
  const traces = await runScenariosPython(scenarios);
  const failures: string[] = [];
  scenarios.forEach((scenario, i) => {
    const actual = runScenario(scenario);
    if (JSON.stringify(actual) !== JSON.stringify(traces[i])) failures.push(describeMismatch(scenario, traces[i]!, actual));
  });
  if (env.AIOSIM_SEED === undefined && env.AIOSIM_RUNS === undefined) {
    writeCorpus('contextvars.jsonl', scenarios.map((scenario, i) => ({ scenario, trace: traces[i]! })));
  }
  console.log(`contextvars: ${scenarios.length} scenarios, seed ${seed}, ${failures.length} disagree`);
  expect(failures.length === 0 ? 'agrees' : `${failures.length} disagree\n\n${failures.slice(0, 3).join('\n\n')}`).toBe('agrees');
}, 3_600_000);
