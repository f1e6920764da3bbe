// npm run conformance -- regen [--runs N] — regenerate the corpus: the hand-written edge
// cases and N generated scenarios (default 1,000, fixed seed), each with the trace
// CPython 3.13 produces.

import { it } from 'vitest';
import { scenarioArb } from '../../scenario/arbitrary.js';
import { GENERATED_SEED, sampleScenarios, writeCorpus } from '../../scenario/corpus.js';
import { runScenariosPython } from '../../scenario/oracle/cpython.js';
import { EDGE_CASES } from '../../scenario/edge-cases.js';
import type { Scenario } from '../../scenario/language.js';

const COUNT = Number(process.env.AIOSIM_RUNS ?? 1000);

async function withTraces(scenarios: Scenario[]): Promise<{ scenario: Scenario; trace: string[] }[]> {
  const traces = await runScenariosPython(scenarios);
  return scenarios.map((scenario, i) => ({ scenario, trace: traces[i]! }));
}

it('regenerates the corpus from CPython', async () => {
  writeCorpus('edge-cases.jsonl', await withTraces(EDGE_CASES));
  const generated = sampleScenarios(scenarioArb(), GENERATED_SEED, COUNT, 'gen');
  writeCorpus('generated.jsonl', await withTraces(generated));
  console.log(`corpus: ${EDGE_CASES.length} edge cases, ${generated.length} generated scenarios`);
}, 600_000);
