// globalDelay(): how long, in global seconds, a sleep of a machine's seconds lasts, through
// the clock lookup the network registers (docs/network.md, "Clocks").

import { afterEach, describe, expect, it } from 'vitest';
import { HostClock } from '../../src/net/host-clock.js';
import { network } from '../../src/net/network.js';
import { _setMachineClockLookup, globalDelay } from '../../src/runtime/process-clock.js';

afterEach(() => {
  _setMachineClockLookup(() => network.current.clock);
});

describe('globalDelay', () => {
  it('returns the seconds unchanged with no clock or an unskewed one', () => {
    _setMachineClockLookup(() => undefined);
    expect(globalDelay(0.3, 1)).toBe(0.3);
    _setMachineClockLookup(() => new HostClock());
    expect(globalDelay(0.3, 1)).toBe(0.3);
  });

  it('lasts until the first global instant the clock reads its start plus the seconds, never before', () => {
    const clock = new HostClock();
    clock.set({ offset: 1e6, rate: 3 }, 0, true, 'h');
    _setMachineClockLookup(() => clock);
    for (const [seconds, from] of [[1, 0], [0.1, 2.5], [1e-3, 1234.5]] as const) {
      const d = globalDelay(seconds, from);
      expect(clock.local(from + d)).toBeGreaterThanOrEqual(clock.local(from) + seconds);
      expect(from + d).toBeGreaterThanOrEqual(clock.globalAt(clock.local(from) + seconds, from));
    }
  });

  it('is 0 for a sleep too short for the machine\'s clock to tell', () => {
    const clock = new HostClock();
    clock.set({ offset: 1e12, rate: 2 }, 0, true, 'h');
    _setMachineClockLookup(() => clock);
    expect(globalDelay(1e-9, 5)).toBe(0);
  });
});
