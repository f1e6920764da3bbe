// The model of a link's timing and reliability a test sets (docs/network.md, "Link
// models"): a latency drawn per message from a range, a bandwidth that serialises what
// is sent, and datagrams lost or duplicated at a rate. Each free value is drawn from the
// network's seeded generator, or, under exploration, chosen by aiosim/testing's explorer.
// asyncio: none (what a real network's wires and queues do)

import { mulberry32 } from '../runtime/mulberry32.js';
import { world } from '../runtime/world.js';

/** A latency range, in seconds: each message takes a latency in [min, max]. */
export interface LatencyRange {
  readonly min: number;
  readonly max: number;
}

/** The model of one direction of a link (a host to another, or to itself). */
export class LinkModel {
  /** A latency range, or undefined: the network's fixed latency for the pair. */
  latency: LatencyRange | undefined = undefined;
  /** Bytes per second the link carries (Infinity: no limit). */
  bandwidth = Infinity;
  /** The probability that a datagram is lost. */
  loss = 0;
  /** The probability that a datagram arrives twice. */
  duplicate = 0;
  // Invariant: a packet finishes going onto the wire no earlier than the one before it
  // (a link sends one thing at a time): the instant the wire is free again.
  busyUntil = 0;
  // Invariant: TCP's packets on one direction of a link arrive in the order they were
  // sent, whatever latencies are drawn (TCP delivers in order; the model keeps a link
  // FIFO for them rather than model reassembly): the latest arrival so far.
  lastOrdered = 0;
  /** Extra seconds for each of the next datagrams (delayDatagrams), in order. */
  readonly delays: number[] = [];

  /** Whether a datagram's fate (lost, duplicated) is a free choice on this link. */
  get lossy(): boolean {
    return this.loss > 0 || this.duplicate > 0;
  }
}

/**
 * The network's free choices: who makes them. The seeded generator by default
 * (`Simulation({ seed })`); aiosim/testing's explorer in checkProperty.
 */
export interface NetworkChooser {
  /** A latency in [min, max] for message `id` sent now from `from` to `to`. */
  latency(id: number, from: string, to: string, range: LatencyRange): number;
  /** What happens to datagram `id`: 0 delivered, 1 lost, 2 delivered twice. */
  datagram(id: number, from: string, to: string, model: LinkModel): 0 | 1 | 2;
}

/**
 * The seeded chooser: a latency `min + (max - min) * r`, a datagram lost when
 * `r < loss`, else duplicated when `r < loss + duplicate` (one draw per decision, in the
 * order the decisions come up).
 */
export function seededChooser(seed: number): NetworkChooser {
  const random = mulberry32(seed);
  return {
    latency: (_id, _from, _to, range) => range.min + (range.max - range.min) * random(),
    datagram: (_id, _from, _to, model) => {
      const r = random();
      if (r < model.loss) return 1;
      return r < model.loss + model.duplicate ? 2 : 0;
    },
  };
}

/**
 * @internal When a packet of `bytes` bytes sent now is all on the wire: after what the
 * link was sending, at its bandwidth (docs/network.md, "Link models", rule 1).
 */
export function departure(model: LinkModel, bytes: number): number {
  if (model.bandwidth === Infinity) return world.now;
  const done = Math.max(world.now, model.busyUntil) + bytes / model.bandwidth;
  model.busyUntil = done;
  return done;
}
