// npm run conformance -- replay — the oracle's own check: every stored corpus scenario
// run again through interpreter.py (pyodide for edge-cases.jsonl and generated.jsonl,
// native CPython 3.13 for threads.jsonl) must give the stored trace. Run it after any
// change to interpreter.py, virtual_loop.py or virtual_threads.py; it writes nothing.

import { expect, it } from 'vitest';
import { readCorpus } from '../../scenario/corpus.js';
import { runScenariosPython } from '../../scenario/oracle/cpython.js';
import { runScenariosNative } from '../../scenario/oracle/native.js';
import { describeMismatch } from '../report.js';

it('replays the stored corpus through the Python interpreter: every trace unchanged', async () => {
  const failures: string[] = [];
  let total = 0;
  for (const { file, entries } of readCorpus()) {
    const scenarios = entries.map((e) => e.scenario);
    const traces = file === 'threads.jsonl' ? runScenariosNative(scenarios) : await runScenariosPython(scenarios);
    entries.forEach(({ scenario, trace }, i) => {
      if (JSON.stringify(traces[i]) !== JSON.stringify(trace)) failures.push(`${file}: ${describeMismatch(scenario, trace, traces[i]!)}`);
    });
    total += entries.length;
    console.log(`${file}: ${entries.length} scenarios replayed, ${failures.length} differ so far`);
  }
  expect(failures.length === 0 ? `${total} agree` : `${failures.length} differ\n\n${failures.slice(0, 3).join('\n\n')}`).toBe(`${total} agree`);
}, 3_600_000);
