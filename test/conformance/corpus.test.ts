// test/conformance/ — aiosim compared with CPython 3.13 through the scenario language
// (test/scenario/, whose language.ts maps it): this corpus replay, the live differential
// run (differential.test.ts), what a disagreement prints (report.ts) and the campaign
// tools (tools/, run by `npm run conformance -- <command>`).
//
// Replays the corpus: every scenario must give, on aiosim, the trace CPython 3.13
// produced for it (stored by `npm run conformance -- regen`, `-- threads`,
// `-- contextvars`, `-- asyncgens` and `-- network`; no Python needed here).

import { describe, expect, it } from 'vitest';
import { contextScenarioArb, scenarioArb, threadScenarioArb } from '../scenario/arbitrary.js';
import { CONTEXT_EDGE_CASES } from '../scenario/context-edge-cases.js';
import { ASYNCGENS_SEED, CONTEXTVARS_SEED, GENERATED_SEED, NETWORK_SEED, readCorpus, sampleScenarios, THREADS_SEED } from '../scenario/corpus.js';
import { netScenarioArb } from '../scenario/net-arbitrary.js';
import { KNOWN_NETWORK_DISAGREEMENTS, NET_EDGE_CASES } from '../scenario/net-edge-cases.js';
import { EDGE_CASES } from '../scenario/edge-cases.js';
import { AGEN_EDGE_CASES } from '../scenario/agen-edge-cases.js';
import { THREAD_EDGE_CASES } from '../scenario/thread-edge-cases.js';
import { runScenario } from '../scenario/interpreter.js';
import { describeMismatch } from './report.js';

const corpus = readCorpus();

describe('conformance corpus', () => {
  it('holds at least 1,000 generated scenarios, 400 with threads and the hand-written edge cases', () => {
    const counts = Object.fromEntries(corpus.map(({ file, entries }) => [file, entries.length]));
    expect(counts['generated.jsonl']).toBeGreaterThanOrEqual(1000);
    expect(counts['edge-cases.jsonl']).toBeGreaterThan(0);
    // Executor jobs and thread-safe calls, traced by native CPython 3.13 (npm run conformance -- threads).
    expect(counts['threads.jsonl']).toBeGreaterThanOrEqual(400);
    // Context variables and contexts, hand-written and drawn (npm run conformance -- contextvars).
    expect(counts['contextvars.jsonl']).toBeGreaterThanOrEqual(80 + CONTEXT_EDGE_CASES.length);
    // Biased to async generators (npm run conformance -- asyncgens).
    expect(counts['asyncgens.jsonl']).toBeGreaterThanOrEqual(80);
    // Servers, clients, streams and datagrams on the simulated network (npm run conformance -- network).
    expect(counts['network.jsonl']).toBeGreaterThanOrEqual(300);
  });

  it('holds the scenarios the generators draw with its seeds and the hand-written ones (a generator changed: npm run conformance -- regen, -- threads, -- contextvars, -- asyncgens, -- network)', () => {
    const stored = Object.fromEntries(corpus.map(({ file, entries }) => [file, entries.map((e) => JSON.stringify(e.scenario))]));
    const drawn = (scenarios: unknown[]): string[] => scenarios.map((s) => JSON.stringify(s));
    expect(drawn(EDGE_CASES)).toEqual(stored['edge-cases.jsonl']);
    expect(drawn(sampleScenarios(scenarioArb(), GENERATED_SEED, stored['generated.jsonl']!.length, 'gen'))).toEqual(stored['generated.jsonl']);
    const threads = sampleScenarios(threadScenarioArb(), THREADS_SEED, stored['threads.jsonl']!.length - THREAD_EDGE_CASES.length, 'thr');
    expect(drawn([...THREAD_EDGE_CASES, ...threads])).toEqual(stored['threads.jsonl']);
    const cvs = sampleScenarios(contextScenarioArb(), CONTEXTVARS_SEED, stored['contextvars.jsonl']!.length - CONTEXT_EDGE_CASES.length, 'cv');
    expect(drawn([...CONTEXT_EDGE_CASES, ...cvs])).toEqual(stored['contextvars.jsonl']);
    const agens = sampleScenarios(scenarioArb('agen', { agens: 'biased' }), ASYNCGENS_SEED, stored['asyncgens.jsonl']!.length - AGEN_EDGE_CASES.length, 'agen');
    expect(drawn([...AGEN_EDGE_CASES, ...agens])).toEqual(stored['asyncgens.jsonl']);
    // network.jsonl: the hand-written ones and 300 drawn, but those aiosim does not reproduce yet.
    const nets = [...NET_EDGE_CASES, ...sampleScenarios(netScenarioArb('net'), NETWORK_SEED, 300, 'net')].filter((s) => !KNOWN_NETWORK_DISAGREEMENTS.has(s.id));
    expect(drawn(nets)).toEqual(stored['network.jsonl']);
  });

  for (const { file, entries } of corpus) {
    it(`replays ${file}: every trace equals CPython's`, () => {
      const failures: string[] = [];
      for (const { scenario, trace } of entries) {
        const actual = runScenario(scenario);
        if (JSON.stringify(actual) !== JSON.stringify(trace)) failures.push(describeMismatch(scenario, trace, actual));
      }
      // Print every disagreement in full (both traces, the scenario as Python and TypeScript).
      expect(failures.length === 0 ? 'all agree' : `${failures.length} of ${entries.length} disagree\n\n${failures.slice(0, 3).join('\n\n')}`).toBe('all agree');
    });
  }
});
