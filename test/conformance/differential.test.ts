// A bounded live differential run: fresh random scenarios (context variables, async
// generators and the network among them: liveScenarioArb) on CPython 3.13 (pyodide) and on aiosim must
// give the same trace. The seed is printed; a failure prints the shrunk
// scenario, both traces and the scenario as Python and TypeScript.
// Replay: npm run conformance -- fuzz --seed <seed> --path <path>. AIOSIM_CONFORMANCE_RUNS
// sets the number of scenarios (default 300).

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { liveScenarioArb } from '../scenario/arbitrary.js';
import { differential, explain, type Observation } from './report.js';

const RUNS = Number(process.env.AIOSIM_CONFORMANCE_RUNS ?? 300);

it('agrees with CPython 3.13 on fresh random scenarios', async () => {
  const failures: Observation[] = [];
  const details = await fc.check(
    fc.asyncProperty(liveScenarioArb('live'), (scenario) => differential(scenario, failures)),
    {
      numRuns: RUNS,
      ...(process.env.AIOSIM_SEED === undefined ? {} : { seed: Number(process.env.AIOSIM_SEED) }),
      ...(process.env.AIOSIM_PATH === undefined ? {} : { path: process.env.AIOSIM_PATH }),
    },
  );
  console.log(`conformance: ${details.numRuns} random scenarios, seed ${details.seed}`);
  const message = details.failed ? explain(details, failures) : 'agrees';
  expect(message).toBe('agrees');
}, 600_000);
