// The clock of the machine the running code is on, as the layers below the network see
// it: a simulated thread's time.sleep() on a host lasts seconds of that host's clock
// (docs/network.md, "Clocks"). The network registers how to find the current host's
// clock (runners/simulation.ts); with none registered, every machine's is the global one.
// asyncio: none (time.sleep() counts the machine's own CLOCK_MONOTONIC)

import { nextUp } from './doubles.js';

/** What the runtime needs of a host's clock (net/host-clock.ts's HostClock). */
export interface MachineClock {
  readonly skewed: boolean;
  local(g: number): number;
  globalAt(when: number, now: number): number;
}

let currentClock: () => MachineClock | undefined = () => undefined;

/** @internal Tell the runtime how to find the clock of the running code's machine. */
export function _setMachineClockLookup(lookup: () => MachineClock | undefined): void {
  currentClock = lookup;
}

/**
 * The global seconds that `seconds` of the current machine's clock last from global time
 * `from`: `seconds` itself on an unskewed machine; else up to the first global instant
 * its clock reads `local(from) + seconds` (and `from + result` is not before it).
 */
export function globalDelay(seconds: number, from: number): number {
  const clock = currentClock();
  if (clock === undefined || !clock.skewed || seconds === 0) return seconds;
  const start = clock.local(from);
  const when = start + seconds;
  // Too short for the machine's clock to tell: it reads `when` already.
  if (!(when > start)) return 0;
  const g = clock.globalAt(when, from);
  if (g === Infinity) return Infinity;
  let delay = g - from;
  while (from + delay < g) delay = nextUp(delay);
  return delay;
}
