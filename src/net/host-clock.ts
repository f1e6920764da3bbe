// A host's clock: what `loop.time()` (CPython's time.monotonic()) reads on a machine whose
// clock is offset from the simulation's global virtual time and drifts at its own rate.
// The global clock is the wire's (latencies stay global); each host reads it through
// its clock. docs/network.md, "Clocks", is the specification; the twin
// (test/scenario/oracle/hosts_twin.py, HostClock) computes the same doubles, bit for bit.
// asyncio: none (time.monotonic() of one machine)

import { checkNumber } from '../errors/check-number.js';
import { ValueError } from '../errors/exceptions.js';
import { pyFloat } from '../format/py-repr.js';
import { fromOrdinal, ordinal } from '../runtime/doubles.js';

/** How a host's clock is set: `Simulation.setClock()`, or the clock a host is added with. */
export interface ClockOptions {
  /**
   * The host's clock reads the global time plus `offset` seconds from now on (a step,
   * NTP's settimeofday; after the host was added, never backwards). Default: unchanged.
   */
  offset?: number;
  /**
   * Local seconds per global second from now on (drift or NTP slewing: continuous, no
   * step). Finite and > 0. Default: unchanged (1 for a new host).
   */
  rate?: number;
}

const offsetRule = 'a clock offset must be a finite number of seconds';
const rateRule = 'a clock rate must be a finite number > 0';

/**
 * Check a clock's options before anything changes (a host is not added with a bad clock).
 * @throws TypeError / ValueError for an offset that is not finite or a rate not finite and > 0.
 */
export function checkClockOptions(options: ClockOptions): void {
  if (options.offset !== undefined) checkNumber(options.offset, offsetRule, Number.isFinite);
  if (options.rate !== undefined) checkNumber(options.rate, rateRule, (n) => Number.isFinite(n) && n > 0);
}

const ORDINAL_INFINITY = ordinal(Infinity);

/**
 * The clock of one host: `local(g) = l0 + rate * (g - g0)`, g the global virtual time,
 * (g0, l0) the anchor the last change set. A clock never set is the global clock itself
 * (`skewed` false: no float operation at all, so unskewed hosts keep today's exact times).
 */
export class HostClock {
  // Invariant: skewed is false exactly when the clock reads the global time unchanged
  // (offset 0, rate 1); then #g0, #l0 and #rate are 0, 0 and 1.
  /** Whether the clock differs from the global one. */
  skewed = false;
  #g0 = 0;
  #l0 = 0;
  #rate = 1;
  /** @internal Told after every change (a host's process reschedules its next timer). */
  readonly _watchers = new Set<() => void>();

  /** Local seconds per global second. */
  get rate(): number {
    return this.#rate;
  }

  /**
   * The host's time at global time `g`. Non-decreasing in `g` (rate > 0 and IEEE
   * rounding is monotonic), and continuous at a rate change: at the anchor, `g - g0` is 0.
   */
  local(g: number): number {
    return this.skewed ? this.#l0 + this.#rate * (g - this.#g0) : g;
  }

  /**
   * The first global instant (a double >= `now`) at which the host's time reaches `when`,
   * so that a timer due at local `when` never runs before it; Infinity if no finite one.
   * The caller knows `local(now) < when`. The estimate `g0 + (when - l0) / rate` may be
   * off by a few ulps either way: a gallop then a bisection over the doubles between
   * `now` and Infinity finds the exact first one (at most ~130 evaluations of local()).
   */
  globalAt(when: number, now: number): number {
    const reached = (o: bigint): boolean => this.local(fromOrdinal(o)) >= when;
    let est = this.#g0 + (when - this.#l0) / this.#rate;
    if (!(est > now)) est = now;
    let lo = ordinal(now);
    let hi = ordinal(est);
    if (reached(hi)) {
      // Down from the estimate, doubling the step, until a double before `when`.
      for (let step = 1n; ; step *= 2n) {
        const c = hi - step;
        if (c <= lo) break;
        if (!reached(c)) {
          lo = c;
          break;
        }
        hi = c;
      }
    } else {
      lo = hi;
      for (let step = 1n; ; step *= 2n) {
        const c = lo + step < ORDINAL_INFINITY ? lo + step : ORDINAL_INFINITY;
        if (reached(c)) {
          hi = c;
          break;
        }
        lo = c;
      }
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (reached(mid)) hi = mid;
      else lo = mid;
    }
    return fromOrdinal(hi);
  }

  /**
   * Change the clock at global time `now`: `offset` steps it to `now + offset` (forward
   * only unless `initial`: time.monotonic() never goes back), `rate` sets its drift from
   * now on. Offset 0 with rate 1 is the global clock again, exactly.
   * @throws TypeError / ValueError for an offset that is not finite or a rate not finite
   * and > 0; ValueError for a step backwards.
   */
  set(options: ClockOptions, now: number, initial: boolean, name: string): void {
    checkClockOptions(options);
    const rate = options.rate ?? this.#rate;
    const current = this.local(now);
    const start = options.offset === undefined ? current : now + options.offset;
    if (!initial && start < current) {
      throw new ValueError(`the clock of host '${name}' cannot go back (loop.time() is time.monotonic()): it reads ${pyFloat(current)}, the offset would set it to ${pyFloat(start)}`);
    }
    if (start === now && rate === 1) {
      this.skewed = false;
      this.#g0 = 0;
      this.#l0 = 0;
      this.#rate = 1;
    } else {
      this.skewed = true;
      this.#g0 = now;
      this.#l0 = start;
      this.#rate = rate;
    }
    for (const watcher of this._watchers) watcher();
  }
}
