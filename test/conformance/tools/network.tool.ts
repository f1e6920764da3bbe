// npm run conformance -- network [--runs N] [--seed S] — network scenarios: the
// hand-written ones and N drawn by netScenarioArb (default 300, fixed seed unless given),
// run on CPython 3.13 over the network's twin (pyodide) and on aiosim's simulated network.
// Prints every disagreement; with the default seed and size it rewrites
// corpus/network.jsonl (leaving out the scenarios of KNOWN_NETWORK_DISAGREEMENTS, whose
// traces aiosim does not reproduce yet), which `npm test` replays without Python.

import { expect, it } from 'vitest';
import { NETWORK_SEED, sampleScenarios, writeCorpus } from '../../scenario/corpus.js';
import { runScenario } from '../../scenario/interpreter.js';
import { KNOWN_NETWORK_DISAGREEMENTS, NET_EDGE_CASES } from '../../scenario/net-edge-cases.js';
import { netScenarioArb } from '../../scenario/net-arbitrary.js';
import { runScenariosPython } from '../../scenario/oracle/cpython.js';
import { describeMismatch } from '../report.js';

const env = process.env;

it('agrees with CPython on network scenarios', async () => {
  const seed = Number(env.AIOSIM_SEED ?? NETWORK_SEED);
  const runs = Number(env.AIOSIM_RUNS ?? 300);
  const scenarios = [...NET_EDGE_CASES, ...sampleScenarios(netScenarioArb('net'), seed, runs, 'net')];
  const traces: string[][] = [];
  // In batches: one long pyodide call for hundreds of scenarios holds all their output.
  for (let i = 0; i < scenarios.length; i += 25) traces.push(...(await runScenariosPython(scenarios.slice(i, i + 25))));
  const failures: string[] = [];
  const disagreeing = new Set<string>();
  scenarios.forEach((scenario, i) => {
    let actual: string[];
    try {
      actual = runScenario(scenario);
    } catch (e) {
      actual = [`aiosim's interpreter crashed: ${String(e)}`];
    }
    if (JSON.stringify(actual) !== JSON.stringify(traces[i])) {
      failures.push(describeMismatch(scenario, traces[i]!, actual));
      disagreeing.add(scenario.id);
    }
  });
  if (env.AIOSIM_SEED === undefined && env.AIOSIM_RUNS === undefined) {
    const stored = scenarios.map((scenario, i) => ({ scenario, trace: traces[i]! })).filter(({ scenario }) => !KNOWN_NETWORK_DISAGREEMENTS.has(scenario.id));
    writeCorpus('network.jsonl', stored);
  }
  console.log(`${scenarios.length} network scenarios, seed ${seed}: ${failures.length} disagree: ${[...disagreeing].join(' ')}`);
  if (env.AIOSIM_SHOW_ALL !== undefined) console.log(failures.join('\n\n'));
  const unexpected = [...disagreeing].filter((id) => !KNOWN_NETWORK_DISAGREEMENTS.has(id));
  expect(unexpected.length === 0 ? 'all agree' : failures.slice(0, 3).join('\n\n')).toBe('all agree');
}, 3_600_000);
