// What a test sets on a simulation's network: latencies and link models, faults on links
// (partitions, held links, datagrams dropped or duplicated, resets) and the hosts' clocks.
// Simulation (simulation.ts) adds the hosts' processes. docs/network.md, "Faults", "Link
// models" and "Clocks", is the specification.
// asyncio: none (what the wires and the machines' clocks do to asyncio programs)

import { checkNumber, finiteNonNegative } from '../errors/check-number.js';
import { ValueError } from '../errors/exceptions.js';
import { pyFloat, repr } from '../format/py-repr.js';
import type { ClockOptions } from '../net/host-clock.js';
import { resetConnections } from '../net/host-faults.js';
import type { Host } from '../net/host.js';
import { isTracing, traceFault } from '../net/net-trace.js';
import { network, type Network } from '../net/network.js';
import { world } from '../runtime/world.js';

/** A latency drawn per message, uniformly in [min, max] seconds. */
export interface LatencyRange {
  min: number;
  max: number;
}

/** Options of `Simulation.setDatagramFaults()`: probabilities, each in [0, 1]. */
export interface DatagramFaults {
  /** The probability that a datagram is lost (default 0). */
  loss?: number;
  /** The probability that a datagram arrives twice (default 0). */
  duplicate?: number;
}

/** Hosts a fault applies to: one (a host or its name) or several. */
export type HostGroup = Host | string | readonly (Host | string)[];

/** Options of `Simulation.partition()` and `repair()`. */
export interface PartitionOptions {
  /** Cut (or repair) only the links from the first group to the second (default: both ways). */
  oneWay?: boolean;
}

/** @internal The rule of every latency a test sets. */
export const latencyRule = 'a latency must be a finite number of seconds >= 0';

/**
 * The network's controls of a `Simulation` (its base class): the world's network, its
 * latencies and link models, the faults a test sets on links, and the hosts' clocks.
 * asyncio: none
 */
export class NetworkControls {
  /** The world's network (its hosts, latencies and names). */
  get network(): Network {
    return network;
  }

  /** One-way latency between two hosts whose pair has none set (seconds). */
  get latency(): number {
    return network.latency;
  }

  set latency(seconds: number) {
    network.latency = checkNumber(seconds, latencyRule, finiteNonNegative);
  }

  /** One-way latency from a host to itself (seconds). */
  get loopbackLatency(): number {
    return network.loopbackLatency;
  }

  set loopbackLatency(seconds: number) {
    network.loopbackLatency = checkNumber(seconds, latencyRule, finiteNonNegative);
  }

  /**
   * Give a host (the default one, `localhost`, included) more addresses: the default host
   * has only loopback ones until given one, so it cannot reach another host before.
   * @throws ValueError for an unknown host, or an address taken or that is no IP literal.
   */
  addAddresses(host: Host | string, ipv4: readonly string[], ipv6: readonly string[] = []): void {
    network.addAddresses(this._host(host), ipv4, ipv6);
  }

  /**
   * Set the one-way latency between two hosts, both ways: a number of seconds, or a
   * range `{ min, max }` each message draws its latency from (TCP's packets still arrive
   * in order; datagrams may overtake each other). docs/network.md, "Link models".
   * @throws ValueError for an unknown host or a bad latency.
   */
  setLatency(a: Host | string, b: Host | string, latency: number | LatencyRange): void {
    const ha = this._host(a);
    const hb = this._host(b);
    if (typeof latency === 'number') {
      network.setLatency(ha, hb, checkNumber(latency, latencyRule, finiteNonNegative));
      return;
    }
    const min = checkNumber(latency?.min, latencyRule, finiteNonNegative);
    const max = checkNumber(latency.max, latencyRule, finiteNonNegative);
    if (max < min) throw new ValueError(`a latency range needs min <= max, got min=${pyFloat(min)}, max=${pyFloat(max)}`);
    for (const [from, to] of bothWays(ha, hb)) network.setLatencyRange(from, to, { min, max });
  }

  /**
   * Limit the bandwidth between two hosts, both ways, to `bytesPerSecond` (null: no
   * limit): a link sends one packet at a time, each taking its size over the bandwidth
   * before its latency starts. docs/network.md, "Link models".
   * @throws ValueError for an unknown host or a bandwidth that is no number > 0.
   */
  setBandwidth(a: Host | string, b: Host | string, bytesPerSecond: number | null): void {
    const bw = bytesPerSecond === null ? Infinity : checkNumber(bytesPerSecond, 'a bandwidth must be a number of bytes per second > 0', (n) => n > 0);
    for (const [from, to] of bothWays(this._host(a), this._host(b))) network.model(from, to).bandwidth = bw;
  }

  /**
   * Lose or duplicate datagrams between two hosts, both ways, at random (drawn with the
   * simulation's seed; under checkProperty, chosen by the explorer).
   * @throws ValueError for an unknown host or a probability outside [0, 1].
   */
  setDatagramFaults(a: Host | string, b: Host | string, faults: DatagramFaults): void {
    const rule = 'a probability must be a number in [0, 1]';
    const inUnit = (n: number): boolean => n >= 0 && n <= 1;
    const loss = checkNumber(faults?.loss ?? 0, rule, inUnit);
    const duplicate = checkNumber(faults.duplicate ?? 0, rule, inUnit);
    if (loss + duplicate > 1) throw new ValueError('the probabilities of loss and duplication add up to more than 1');
    for (const [from, to] of bothWays(this._host(a), this._host(b))) {
      const model = network.model(from, to);
      model.loss = loss;
      model.duplicate = duplicate;
    }
  }

  /**
   * Delay each of the next `count` datagrams sent from `a` to `b` by `seconds` more than
   * their latency: datagrams sent after them arrive first (reordering).
   * @throws ValueError for an unknown host, a bad delay or a count that is no integer >= 0.
   */
  delayDatagrams(a: Host | string, b: Host | string, seconds: number, count = 1): void {
    network.delayDatagrams(this._host(a), this._host(b), checkNumber(seconds, 'a delay must be a finite number of seconds >= 0', finiteNonNegative), checkCount(count));
  }

  /**
   * Partition the network between two groups of hosts, from now on: every link from a
   * host of `a` to a host of `b` (and back, unless `oneWay`) delivers nothing. TCP's
   * packets wait and arrive after the repair; SYNs, datagrams and ICMP errors are lost
   * (a SYN is sent again on its retransmission schedule, and a connect still cut after
   * 127 s fails with ETIMEDOUT). docs/network.md, "Faults", is the model.
   * @throws ValueError for an unknown host.
   */
  partition(a: HostGroup, b: HostGroup, options?: PartitionOptions): void {
    for (const [from, to] of this._links(a, b, options)) network.partition(from, to);
  }

  /**
   * Repair the links `partition(a, b, options)` cut (with no groups: every link cut):
   * what waited on a link arrives, in order, the link's latency from now, as TCP's
   * retransmission brings it.
   * @throws ValueError for an unknown host.
   */
  repair(a?: HostGroup, b?: HostGroup, options?: PartitionOptions): void {
    if (a === undefined || b === undefined) {
      const all = network.hosts();
      for (const from of all) for (const to of all) network.repair(from, to);
      return;
    }
    for (const [from, to] of this._links(a, b, options)) network.repair(from, to);
  }

  /**
   * Hold the messages on the link from `a` to `b` (one direction; `a` to itself: its
   * loopback): those in flight and those sent later wait until `release(a, b)`.
   * @throws ValueError for an unknown host.
   */
  hold(a: Host | string, b: Host | string): void {
    network.hold(this._host(a), this._host(b));
  }

  /**
   * Release the link from `a` to `b`: the messages it held arrive at once (at the next
   * wait), in the order they were sent, before those sent later.
   * @throws ValueError for an unknown host.
   */
  release(a: Host | string, b: Host | string): void {
    network.release(this._host(a), this._host(b));
  }

  /**
   * Lose the next `count` datagrams sent from `a` to `b` (UDP; one direction).
   * @throws ValueError for an unknown host or a count that is no integer >= 0.
   */
  dropDatagrams(a: Host | string, b: Host | string, count = 1): void {
    network.dropDatagrams(this._host(a), this._host(b), checkCount(count));
  }

  /**
   * Deliver twice each of the next `count` datagrams sent from `a` to `b` (the copy right
   * after the original, at the same instant).
   * @throws ValueError for an unknown host or a count that is no integer >= 0.
   */
  duplicateDatagrams(a: Host | string, b: Host | string, count = 1): void {
    network.duplicateDatagrams(this._host(a), this._host(b), checkCount(count));
  }

  /**
   * Set the clock of `host` from now on: `loop.time()` of a loop on it reads the global
   * virtual time through it, and its timers (sleeps, call_later, wait_for, timeouts) run
   * on it; the wire's latencies stay global. `offset`: the clock reads the global time
   * plus `offset` from now (a step, forward only: loop.time() is time.monotonic(), which
   * never goes back); `rate`: local seconds per global second from now on (drift or
   * slewing, continuous). Callable at any virtual time (from a timer, `network.at(t, …)`).
   * docs/network.md, "Clocks", is the model.
   * @example sim.setClock('b', { rate: 1.01 }); // a 1 s sleep on b takes 0.990099… s
   * @throws ValueError for an unknown host, the default host (its clock is the global
   * one), or a step backwards; TypeError / ValueError for an offset that is not finite
   * or a rate not finite and > 0.
   */
  setClock(host: Host | string, options: ClockOptions): void {
    const h = this._host(host);
    if (h === network.defaultHost) throw new ValueError(`the clock of the default host ${repr(h.name)} is the global virtual time: it cannot be set`);
    h.clock.set(options, world.now, false, h.name);
    if (isTracing()) traceFault(`clock ${h.name}${options.offset === undefined ? '' : ` offset ${pyFloat(options.offset)}`}${options.rate === undefined ? '' : ` rate ${pyFloat(options.rate)}`}`, h);
  }

  /** The time `host`'s clock reads now (its `loop.time()` outside a thread's step). */
  clockTime(host: Host | string): number {
    return this._host(host).clock.local(world.now);
  }

  /**
   * Reset every established TCP connection between hosts `a` and `b` now (a RST on the
   * link, as a middlebox sends one): each end gets a RST at the next wait, and asyncio
   * surfaces it as `ConnectionResetError` (a stream's read, a protocol's
   * `connection_lost(exc)`). Connections still in their handshake are left alone.
   * docs/network.md, "Crashes and restarts".
   * @throws ValueError for an unknown host.
   */
  reset(a: Host | string, b: Host | string): void {
    const [ha, hb] = [this._host(a), this._host(b)];
    traceFault(`reset ${ha.name} <-> ${hb.name}`);
    resetConnections(ha, hb);
  }

  /** @internal The links from group `a` to group `b` (and back, unless `oneWay`). */
  protected _links(a: HostGroup, b: HostGroup, options: PartitionOptions | undefined): [Host, Host][] {
    const as = this._group(a);
    const bs = this._group(b);
    const links: [Host, Host][] = [];
    for (const from of as) for (const to of bs) links.push([from, to]);
    if (options?.oneWay !== true) for (const from of bs) for (const to of as) links.push([from, to]);
    return links;
  }

  /** @internal The hosts of a group. */
  protected _group(g: HostGroup): Host[] {
    return isHostList(g) ? g.map((h) => this._host(h)) : [this._host(g)];
  }

  /**
   * @internal The host `h` names.
   * @throws ValueError for an unknown name.
   */
  protected _host(h: Host | string): Host {
    if (typeof h !== 'string') return h;
    const host = network.getHost(h);
    if (host === undefined) throw new ValueError(`no host is named ${repr(h)}`);
    return host;
  }

}

/** @internal A count of datagrams or steps: an integer >= 0. */
export function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 0) throw new ValueError(`a count must be an integer >= 0, not ${repr(count)}`);
  return count;
}

function bothWays(a: Host, b: Host): [Host, Host][] {
  return a === b ? [[a, a]] : [[a, b], [b, a]];
}

function isHostList(g: HostGroup): g is readonly (Host | string)[] {
  return Array.isArray(g);
}
