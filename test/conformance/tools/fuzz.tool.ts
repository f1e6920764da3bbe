// npm run conformance -- fuzz [--runs N] [--seed S] [--path P] [--generator G] — a differential
// campaign: random scenarios (liveScenarioArb, as npm test's differential run draws them,
// or with `--generator contextvars` contextScenarioArb, with `--generator network`
// netScenarioArb) run on CPython 3.13 and on aiosim must give the same trace. A failure is
// shrunk and printed with both traces and the scenario as Python and TypeScript; the
// seed and path printed replay it.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { contextScenarioArb, liveScenarioArb } from '../../scenario/arbitrary.js';
import { netScenarioArb } from '../../scenario/net-arbitrary.js';
import { differential, explain, type Observation } from '../report.js';

const env = process.env;

it('agrees with CPython on random scenarios', async () => {
  const failures: Observation[] = [];
  const generators = { contextvars: contextScenarioArb, network: netScenarioArb } as const;
  const scenarios = (generators[env.AIOSIM_GENERATOR as keyof typeof generators] ?? liveScenarioArb)('fuzz');
  const property = fc.asyncProperty(scenarios, (scenario) => differential(scenario, failures));
  const details = await fc.check(property, {
    numRuns: Number(env.AIOSIM_RUNS ?? 1000),
    ...(env.AIOSIM_SEED === undefined ? {} : { seed: Number(env.AIOSIM_SEED) }),
    ...(env.AIOSIM_PATH === undefined ? {} : { path: env.AIOSIM_PATH }),
  });
  console.log(`seed ${details.seed}: ${details.numRuns} scenarios run`);
  const message = details.failed ? explain(details, failures) : 'agrees';
  expect(message).toBe('agrees');
}, 3_600_000);
