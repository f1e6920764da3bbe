// npm run conformance -- asyncgens [--runs N] [--seed S] — scenarios with async
// generators: the hand-written ones and N drawn biased to them (scenarioArb(…, { agens:
// 'biased' }); default 100, fixed seed unless given), run on CPython 3.13 (pyodide) and
// on aiosim. Prints every disagreement;
// with the default seed and size it rewrites corpus/asyncgens.jsonl, which `npm test`
// replays without Python.

import { expect, it } from 'vitest';
import { scenarioArb } from '../../scenario/arbitrary.js';
import { ASYNCGENS_SEED, sampleScenarios, writeCorpus } from '../../scenario/corpus.js';
import { runScenario } from '../../scenario/interpreter.js';
import { runScenariosPython } from '../../scenario/oracle/cpython.js';
import { describeMismatch } from '../report.js';
import { AGEN_EDGE_CASES } from '../../scenario/agen-edge-cases.js';

const env = process.env;

it('agrees with CPython on scenarios with async generators', async () => {
  const seed = Number(env.AIOSIM_SEED ?? ASYNCGENS_SEED);
  const runs = Number(env.AIOSIM_RUNS ?? 100);
  const scenarios = [...AGEN_EDGE_CASES, ...sampleScenarios(scenarioArb('agen', { agens: 'biased' }), seed, runs, 'agen')];
  const traces = await runScenariosPython(scenarios);
  const failures: string[] = [];
  scenarios.forEach((scenario, i) => {
    const actual = runScenario(scenario);
    if (JSON.stringify(actual) !== JSON.stringify(traces[i])) failures.push(describeMismatch(scenario, traces[i]!, actual));
  });
  if (env.AIOSIM_SEED === undefined && env.AIOSIM_RUNS === undefined) {
    writeCorpus('asyncgens.jsonl', scenarios.map((scenario, i) => ({ scenario, trace: traces[i]! })));
  }
  console.log(`${scenarios.length} scenarios with async generators, seed ${seed}: ${failures.length} disagree`);
  expect(failures.length === 0 ? 'all agree' : failures.slice(0, 3).join('\n\n')).toBe('all agree');
}, 600_000);
