// What a failing differential run prints: both traces side by side from the first
// difference, and the scenario as JSON, as an asyncio program and as aiosim TypeScript.

import type fc from 'fast-check';
import { runScenariosPython } from '../scenario/oracle/cpython.js';
import { runScenario } from '../scenario/interpreter.js';
import { toPython, toTypeScript } from '../scenario/printers.js';
import type { Scenario } from '../scenario/language.js';

/** Return the index of the first line where the traces differ, or -1. */
export function firstDifference(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Format a disagreement between CPython's trace and aiosim's. */
export function describeMismatch(scenario: Scenario, cpython: readonly string[], aiosim: readonly string[]): string {
  const at = firstDifference(cpython, aiosim);
  const width = Math.min(70, Math.max(10, ...cpython.map((l) => l.length)));
  const rows = [`${'CPython 3.13'.padEnd(width)} | aiosim`];
  for (let i = Math.max(0, at - 5); i < Math.min(Math.max(cpython.length, aiosim.length), at + 15); i++) {
    const mark = cpython[i] === aiosim[i] ? '  ' : '!!';
    rows.push(`${mark} ${(cpython[i] ?? '').slice(0, width).padEnd(width)} | ${aiosim[i] ?? ''}`);
  }
  return [
    `scenario ${scenario.id}: traces differ at line ${at}`,
    ...rows,
    '',
    'scenario:',
    JSON.stringify(scenario),
    '',
    toPython(scenario),
    '',
    toTypeScript(scenario),
  ].join('\n');
}

/** What one differential run saw. */
export interface Observation {
  scenario: Scenario;
  cpython: string[];
  aiosim: string[];
}

/**
 * Run a scenario on CPython and on aiosim; return whether the traces agree. Records the
 * last disagreement in `failures` (the shrunk counterexample is the last one recorded).
 */
export async function differential(scenario: Scenario, failures: Observation[]): Promise<boolean> {
  const [cpython] = await runScenariosPython([scenario]);
  let aiosim: string[];
  try {
    aiosim = runScenario(scenario);
  } catch (e) {
    aiosim = [`aiosim's interpreter crashed: ${String(e)}`];
  }
  const agree = JSON.stringify(cpython) === JSON.stringify(aiosim);
  if (!agree) failures.push({ scenario, cpython: cpython!, aiosim });
  return agree;
}

/** Explain a failed differential run: the shrunk scenario, both traces, how to replay. */
export function explain(details: fc.RunDetails<[Scenario]>, failures: readonly Observation[]): string {
  const replay = `replay: npm run conformance -- fuzz --seed ${details.seed} --path ${details.counterexamplePath}`;
  const seen = failures[failures.length - 1];
  if (seen === undefined) return `${String(details.errorInstance)}\n${replay}`;
  return `${describeMismatch(seen.scenario, seen.cpython, seen.aiosim)}\n\n${replay}`;
}
