// The faults a test sets on the network's links (docs/network.md, "Faults"): a partition
// and its repair, messages held and released, datagrams dropped or duplicated. A link is
// one direction between two hosts (a host to itself: its loopback).
// asyncio: none (what a cut wire, or a test's hand on it, does to packets)

import type { Host } from './host.js';

/**
 * The state of one direction of a link. Arrivals are checked against it when a packet
 * reaches the far end, so a fault set while packets are in flight applies to them.
 */
export class Link {
  /** Cut by a partition: reliable packets wait in `queue`, lossy ones are lost. */
  partitioned = false;
  /** Held (`hold`): every packet waits in `queue` until `release`. */
  held = false;
  // Invariant: the queue holds, in arrival order, the packets that reached the far end
  // while the link was cut or held, or after that while a flush was still to come; a
  // packet joins it whenever it is not empty, so the link never reorders.
  /** The arrivals waiting, in order. */
  queue: (() => void)[] = [];
  /** How many of the next datagrams sent on the link are lost. */
  drop = 0;
  /** How many of the next datagrams sent on the link arrive twice. */
  duplicate = 0;

  /** Whether the link has no fault, set or pending. */
  get clear(): boolean {
    return !this.partitioned && !this.held && this.queue.length === 0 && this.drop === 0 && this.duplicate === 0;
  }
}

/** The key of the link from `from` to `to` (one direction). */
export function linkKey(from: Host, to: Host): string {
  return `${from.name}\n${to.name}`;
}

/**
 * Deliver, in order, what waits on `link` unless it is cut or held again (then it keeps
 * waiting for the next repair or release).
 */
export function flushLink(link: Link): void {
  if (link.partitioned || link.held) return;
  const queue = link.queue;
  link.queue = [];
  for (const arrive of queue) arrive();
}
