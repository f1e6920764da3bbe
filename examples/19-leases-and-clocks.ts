// A lease trusted to a skewed clock: a lock service on one host grants a 1 s lease, by its
// own clock; two workers on two other hosts take turns holding it and write to the
// service while they hold it, timing the lease on their own clocks. On clocks that agree,
// a worker that counts its lease from when it asked is always safe. When a worker's clock
// runs slow (a rate of 0.9: its second lasts 1.11 s), it keeps writing after the service
// gave the lease to the other: checkProperty finds the clock fault among the ones
// faultSchedule() draws, and shrinks it to the one slow clock that matters. The fix keeps
// a margin for the clocks' drift (it writes for 0.85 s of its 1 s lease).
// The same in vitest: test/testing/leases-example.test.ts; README "Testing networked programs".

import { getRunningLoop, openConnection, Simulation, sleep, startServer, type Coro, type StreamReader, type StreamWriter } from '../src/index.js';
import { checkProperty, faultSchedule, type FaultSchedule, type PropertyOptions } from '../src/testing/index.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b).trim();

/** The lease's length, by the lock service's clock. */
export const LEASE = 1;

/** The lock service: `acquire <name>` → `granted` or `busy`; `write <name>` → `ok`. */
export class LockService {
  holder: string | undefined;
  expiry = 0;
  /** Writes from a worker that did not hold the lease when they arrived (the property: none). */
  readonly stale: string[] = [];

  handle(request: string, now: number): string {
    const [op, name] = request.split(' ');
    const held = this.holder !== undefined && now < this.expiry;
    if (op === 'acquire') {
      if (held && this.holder !== name) return 'busy';
      this.holder = name;
      this.expiry = now + LEASE;
      return 'granted';
    }
    if (!held || this.holder !== name) this.stale.push(`${name!} at ${now.toFixed(3)}`);
    return 'ok';
  }
}

/**
 * A worker: ask for the lease; once granted, write every 0.05 s for `use` seconds of its own
 * clock, counted from when it asked (never from the answer, which came later); then rest.
 */
function worker(name: string, use: number): () => Coro<void> {
  return function* work(): Coro<void> {
    const loop = getRunningLoop();
    const [reader, writer] = yield* openConnection('10.0.0.1', 5000);
    const call = function* (request: string): Coro<string> {
      writer.write(encode(`${request}\n`));
      return decode(yield* reader.readline());
    };
    for (let round = 0; round < 3; round++) {
      for (;;) {
        const asked = loop.time();
        if ((yield* call(`acquire ${name}`)) === 'granted') {
          while (loop.time() - asked < use) {
            yield* call(`write ${name}`);
            yield* sleep(0.05);
          }
          break;
        }
        yield* sleep(0.15);
      }
      yield* sleep(0.3);
    }
    writer.close();
  };
}

/** How long a worker writes after asking, on its own clock. */
export type LeaseUse = 'the whole lease' | 'with a margin';

/** One run: the service on `lock`, workers on `a` and `b`; the property: no stale write. */
export function leases(use: LeaseUse): (model: { faults: FaultSchedule }) => boolean {
  return ({ faults }) => {
    const sim = new Simulation({ latency: 0.01 });
    sim.addHost('lock');
    const service = new LockService();
    sim.host('lock', function* lock(): Coro<void> {
      function* serve(reader: StreamReader, writer: StreamWriter): Coro<void> {
        for (let line = yield* reader.readline(); line.length > 0; line = yield* reader.readline()) {
          writer.write(encode(`${service.handle(decode(line), getRunningLoop().time())}\n`));
        }
        writer.close();
      }
      yield* startServer(serve, '0.0.0.0', 5000);
      yield* getRunningLoop().createFuture();
    });
    const seconds = use === 'the whole lease' ? LEASE : 0.85 * LEASE;
    sim.client('a', worker('a', seconds));
    sim.client('b', worker('b', seconds));
    faults.apply(sim);
    sim.run();
    return service.stale.length === 0;
  };
}

/** The workers' clocks may run up to 10% fast or slow, for a while. */
export const skews = {
  faults: faultSchedule({
    hosts: ['a', 'b'], kinds: ['clock'], rates: [1.1, 0.9], maxFaults: 2,
    start: { max: 3, resolution: 0.1 }, duration: { min: 0.1, max: 3, resolution: 0.1 },
  }),
};

// ---- running them ------------------------------------------------------------------------

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = 'prints a failing property on purpose: the bug is found under a skewed clock, then its fix passes';

export function main(): void {
  const options: PropertyOptions = { seed: 1, runs: 200, traceKinds: ['fault'] };
  console.log('--- a lease timed on a skewed clock');
  console.log(checkProperty(skews, leases('the whole lease'), options).report);
  console.log(`the fix: ${checkProperty(skews, leases('with a margin'), { ...options, runs: 500 }).report}`);
}
