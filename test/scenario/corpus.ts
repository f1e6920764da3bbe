// The corpus: scenarios with the traces CPython produced, one JSON object per line, and
// the seeds its generated scenarios are drawn with.

import fc from 'fast-check';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusEntry, Scenario } from './language.js';

/** The seed of generated.jsonl's scenarios (scenarioArb, ids `gen-<seed>-<i>`). */
export const GENERATED_SEED = 20261123;
/** The seed of threads.jsonl's generated scenarios (threadScenarioArb, ids `thr-<seed>-<i>`). */
export const THREADS_SEED = 20261124;
/** The seed of contextvars.jsonl's scenarios (contextScenarioArb, ids `cv-<seed>-<i>`). */
export const CONTEXTVARS_SEED = 20261207;
/** The seed of asyncgens.jsonl's scenarios (scenarioArb biased to async generators, ids `agen-<seed>-<i>`). */
export const ASYNCGENS_SEED = 20261207;
/** The seed of network.jsonl's generated scenarios (netScenarioArb, ids `net-<seed>-<i>`). */
export const NETWORK_SEED = 20261208;

/** `runs` scenarios drawn from `arb` with `seed`, with the ids `<prefix>-<seed>-<i>`. */
export function sampleScenarios(arb: fc.Arbitrary<Scenario>, seed: number, runs: number, prefix: string): Scenario[] {
  return fc.sample(arb, { seed, numRuns: runs }).map((s, i) => ({ ...s, id: `${prefix}-${seed}-${i}` }));
}

/** The folder holding the corpus files. */
export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

/** Read every corpus file: its name and entries. */
export function readCorpus(): { file: string; entries: CorpusEntry[] }[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((file) => ({
      file,
      entries: readFileSync(join(CORPUS_DIR, file), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as CorpusEntry),
    }));
}

/** Write a corpus file. */
export function writeCorpus(file: string, entries: readonly CorpusEntry[]): void {
  writeFileSync(join(CORPUS_DIR, file), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
