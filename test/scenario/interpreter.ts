// The scenario interpreter for aiosim, the twin of interpreter.py: runs a scenario with
// run() on a fresh loop (or, TypeScript only, in drive mode) and reports what happens to
// an observer. runScenario returns the trace text compared with CPython's;
// recordScenario returns the structured records the property tests check. Both give
// every construct the meaning interpreter.py gives it, handler for handler (actions.ts,
// steps.ts, jobs.ts).

import {
  EventLoop, getRunningLoop, logging, repr, run, StalledError, warnings, world, type Coro,
} from '../../src/index.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { captureStderr } from '../_support/stderr.js';
import { drive, type DriveLoop } from './drive.js';
import { Interp, normalise, run_body } from './interp.js';
import type { Scenario, Value } from './language.js';
import { RecordsObserver, TraceObserver, type Observer } from './observers.js';

// Messages CPython logs when it collects an object (see interpreter.py).
// ("unclosed …": a transport or StreamWriter collected while still open; "loop is
// closed": a StreamWriter collected, still open, after its loop closed.)
const GC_WARNING = /^(coroutine .* was never awaited|unclosed |loop is closed$)/;
const GC_MESSAGE = /^(\w+ exception was never retrieved|Task was destroyed but it is pending!)/;

function* scenario_main(interp: Interp): Coro<Value> {
  interp.loop = getRunningLoop() as EventLoop;
  interp.futures = Array.from({ length: interp.scn.futures }, () => interp.loop.createFuture());
  interp.makeSync();
  return yield* run_body(interp, 0, 'main');
}

/** Run one scenario on a fresh loop; return its trace (what CPython's is compared with). */
export function runScenario(scenario: Scenario): string[] {
  const trace = new TraceObserver();
  runObserved(scenario, trace, () => new EventLoop());
  return trace.lines;
}

/**
 * Run one scenario on a fresh loop (drive mode: the one `makeLoop` makes); return its
 * trace and structured records.
 */
export function recordScenario(scenario: Scenario, makeLoop: () => DriveLoop = () => new EventLoop()): RecordsObserver {
  const records = new RecordsObserver();
  runObserved(scenario, records, makeLoop);
  return records;
}

function runObserved(scenario: Scenario, observer: Observer, makeLoop: () => DriveLoop): void {
  const interp = new Interp(scenario, observer);
  const handler: logging.Handler = {
    handle(record) {
      const first = record.getMessage().split('\n')[0]!;
      if (!GC_MESSAGE.test(first)) observer.line(`log ${record.levelname} ${normalise(first)}`);
    },
  };
  const logger = logging.getLogger('asyncio');
  logger.addHandler(handler);
  warnings.catchWarnings({ record: true }, (shown) => {
    warnings.simplefilter('always');
    try {
      // What threads print to stderr ("Exception in thread …") is not traced on either side.
      let end = '';
      captureStderr(() => {
        end = scenario.drive === undefined ? runMain(interp) : drive(interp, makeLoop());
      });
      observer.line(end);
    } catch (e) {
      observer.line(e instanceof StalledError ? 'end stalled' : `end raised ${normalise(repr(e))}`);
    } finally {
      logger.removeHandler(handler);
      // Threads still waiting belong to this scenario only (virtual_threads.py unwinds them);
      // a network scenario's deliveries and clock too (the next scenario's loop starts at 0).
      if (scenario.threads === true || scenario.net !== undefined) world._reset();
    }
    for (const w of shown) {
      const text = String(w.message);
      if (!GC_WARNING.test(text)) observer.line(`warn ${w.category.name}: ${normalise(text)}`);
    }
  });
}

// Run main with run(); return the trace's end line.
function runMain(interp: Interp): string {
  if (interp.scn.net !== undefined) {
    // A fresh network (hosts, ports, fds) at the scenario's latency, as net_twin.install().
    world._reset();
    _resetNetwork();
    network.loopbackLatency = interp.scn.net.loopbackLatency;
    const model = interp.scn.net.model;
    if (model !== undefined) {
      network.seed = model.seed;
      const m = network.model(network.defaultHost, network.defaultHost);
      if (model.latency !== undefined) m.latency = { min: model.latency[0], max: model.latency[1] };
      m.bandwidth = model.bandwidth ?? Infinity;
      m.loss = model.loss ?? 0;
      m.duplicate = model.duplicate ?? 0;
    }
  }
  const result = run(scenario_main(interp), { debug: interp.scn.debug === true });
  interp.observer.finish?.(interp);
  return `end result ${repr(result)}`;
}
