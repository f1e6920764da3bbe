// The scenario interpreter for aiosim, the twin of interpreter.py: runs a scenario with
// run() on a fresh loop and returns its trace. Both give every construct the same
// meaning, handler for handler (actions.ts, steps.ts, jobs.ts), so that they print the
// same trace when aiosim behaves as CPython does.

import { getRunningLoop, logging, repr, run, StalledError, warnings, world, type Coro, type EventLoop } from '../../src/index.js';
import { captureStderr } from '../_support/stderr.js';
import { Interp, normalise, run_body } from './interp.js';
import type { Scenario, Value } from './language.js';


// Messages CPython logs when it collects an object (see interpreter.py).
const GC_WARNING = /^(coroutine .* was never awaited|unclosed event loop)/;
const GC_MESSAGE = /^(\w+ exception was never retrieved|Task was destroyed but it is pending!)/;

function* scenario_main(interp: Interp): Coro<Value> {
  interp.loop = getRunningLoop() as EventLoop;
  interp.futures = Array.from({ length: interp.scn.futures }, () => interp.loop.createFuture());
  interp.makeSync();
  return yield* run_body(interp, 0, 'main');
}

/** Run one scenario with run() on a fresh loop; return its trace. */
export function runScenario(scenario: Scenario): string[] {
  const interp = new Interp(scenario);
  const handler: logging.Handler = {
    handle(record) {
      const first = record.getMessage().split('\n')[0]!;
      if (!GC_MESSAGE.test(first)) interp.trace.push(`log ${record.levelname} ${normalise(first)}`);
    },
  };
  const logger = logging.getLogger('asyncio');
  logger.addHandler(handler);
  warnings.catchWarnings({ record: true }, (shown) => {
    warnings.simplefilter('always');
    try {
      // What threads print to stderr ("Exception in thread …") is not traced on either side.
      let result: Value;
      captureStderr(() => {
        result = run(scenario_main(interp), { debug: scenario.debug === true });
      });
      interp.trace.push(`end result ${repr(result!)}`);
    } catch (e) {
      interp.trace.push(e instanceof StalledError ? 'end stalled' : `end raised ${normalise(repr(e))}`);
    } finally {
      logger.removeHandler(handler);
      // Threads still waiting belong to this scenario only (virtual_threads.py unwinds them).
      if (scenario.threads === true) world._reset();
    }
    for (const w of shown) {
      const text = String(w.message);
      if (!GC_WARNING.test(text)) interp.trace.push(`warn ${w.category.name}: ${normalise(text)}`);
    }
  });
  return interp.trace;
}
