// The simulated network: its hosts, the latency of its links, its names, and deliveries,
// which are events of the world (runtime/world.ts) at virtual times, owned by the network
// so that deliveries due at the same instant keep the order they were scheduled in.
// docs/network.md is the model's specification.
// asyncio: none (what the kernels and the wires between them do)

import { ValueError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import { _threadProcessId } from '../runtime/thread-ident.js';
import { world } from '../runtime/world.js';
import { isLoopback, parseIPv4, parseIPv6 } from './address.js';
import { Host } from './host.js';
import { flushLink, Link, linkKey } from './link-faults.js';
import { departure, LinkModel, seededChooser, type LatencyRange, type NetworkChooser } from './link-model.js';
import { _netTracer, traceLinkFault } from './net-trace.js';
import { _deliveryOwner, _networkExplorer, NETWORK_OWNER } from './exploration.js';

/** The default one-way latency between two different hosts, in seconds. */
export const DEFAULT_LATENCY = 0.001;

/** The network of the world: see docs/network.md. */
export class Network {
  /** One-way latency between two different hosts, unless set for the pair. */
  latency = DEFAULT_LATENCY;
  /** One-way latency from a host to itself (loopback). */
  loopbackLatency = 0;
  /**
   * How many segments and datagrams were sent since the network was made: message N (in
   * traces, and in what names a message) is the Nth. Counted whether traced or not.
   */
  messages = 0;
  readonly #pairs = new Map<string, number>();
  readonly #hosts = new Map<string, Host>();
  readonly #byAddress = new Map<string, Host>();
  // The links with a fault set (once set, a link stays here), by linkKey.
  readonly #links = new Map<string, Link>();
  // The links with a model set (latency range, bandwidth, loss), by linkKey.
  readonly #models = new Map<string, LinkModel>();
  #seed = 0;
  #seeded: NetworkChooser | undefined;
  /** The host a program that creates none runs on: `localhost`, 127.0.0.1 and ::1. */
  readonly defaultHost: Host;
  // The host of each process started on one (pid → host); the others are on the default host.
  readonly #processHosts = new Map<number, Host>();

  constructor() {
    this.defaultHost = new Host('localhost', [], []);
    this.#hosts.set('localhost', this.defaultHost);
  }

  /**
   * The host the running code is on: the host of the current thread's process (a host's
   * main thread, the threads it starts, a process pool job one of them runs), else the
   * default host.
   */
  get current(): Host {
    if (this.#processHosts.size === 0) return this.defaultHost;
    return this.#processHosts.get(_threadProcessId()) ?? this.defaultHost;
  }

  /** @internal The process `pid` runs on `host` (undefined: it ended). */
  _placeProcess(pid: number, host: Host | undefined): void {
    if (host === undefined) this.#processHosts.delete(pid);
    else this.#processHosts.set(pid, host);
  }

  /**
   * Add a host named `name` with its addresses.
   * @throws ValueError for a name or an address already taken, or an address that is no IP literal.
   */
  addHost(name: string, ipv4: readonly string[], ipv6: readonly string[] = []): Host {
    if (this.#hosts.has(name)) throw new ValueError(`a host named ${repr(name)} already exists`);
    const host = new Host(name, [], []);
    this.addAddresses(host, ipv4, ipv6);
    this.#hosts.set(name, host);
    return host;
  }

  /**
   * Give `host` more addresses (the default host has none but the loopback ones until
   * given some: it cannot reach another host before).
   * @throws ValueError for an address already taken or that is no IP literal.
   */
  addAddresses(host: Host, ipv4: readonly string[], ipv6: readonly string[] = []): void {
    const v4 = ipv4.map((a) => checkAddress(parseIPv4(a), a));
    const v6 = ipv6.map((a) => checkAddress(parseIPv6(a), a));
    const all = [...v4, ...v6];
    for (const [i, a] of all.entries()) {
      if (this.#byAddress.has(a) || isLoopback(a) || all.indexOf(a) !== i) throw new ValueError(`the address ${repr(a)} is taken`);
    }
    host.ipv4 = [...host.ipv4, ...v4];
    host.ipv6 = [...host.ipv6, ...v6];
    for (const a of all) this.#byAddress.set(a, host);
  }

  /** The host named `name`, if any. */
  getHost(name: string): Host | undefined {
    return this.#hosts.get(name);
  }

  /** The hosts, the default one first, then in the order they were added. */
  hosts(): Host[] {
    return [...this.#hosts.values()];
  }

  /** @internal Whether the network is as a new one: only the default host, idle, and every parameter at its default. */
  _pristine(): boolean {
    return this.#hosts.size === 1 && this.#byAddress.size === 0 && this.#pairs.size === 0 && this.#links.size === 0
      && this.#models.size === 0 && this.#processHosts.size === 0 && this.latency === DEFAULT_LATENCY
      && this.loopbackLatency === 0 && this.messages === 0 && this.#seed === 0 && this.#seeded === undefined && this.defaultHost._idle();
  }

  /** Whether `addr` (canonical) is some host's address. */
  isTaken(addr: string): boolean {
    return this.#byAddress.has(addr);
  }

  /** The host `addr` (canonical) leads to from `from`: loopback addresses lead back to it. */
  route(from: Host, addr: string): Host | undefined {
    return isLoopback(addr) ? from : this.#byAddress.get(addr);
  }

  /** The addresses of the host named `name` (IPv4 first); `localhost` is 127.0.0.1. */
  resolve(name: string): readonly string[] | undefined {
    if (name === 'localhost') return ['127.0.0.1'];
    const host = this.#hosts.get(name);
    return host === undefined ? undefined : [...host.ipv4, ...host.ipv6];
  }

  /** Set the one-way latency between hosts `a` and `b`, both ways. */
  setLatency(a: Host, b: Host, seconds: number): void {
    this.#pairs.set(pairKey(a, b), seconds);
  }

  /** The current virtual time (the world's). */
  get now(): number {
    return world.now;
  }

  /** The one-way latency from `a` to `b`: `loopbackLatency` for a host to itself. */
  latencyBetween(a: Host, b: Host): number {
    if (a === b) return this.loopbackLatency;
    return this.#pairs.get(pairKey(a, b)) ?? this.latency;
  }

  /**
   * Run `arrive` when a reliable packet (TCP's, of `bytes` bytes of data; `id` is a
   * segment's message number, 0 for a control packet) sent now from `from` reaches `to`:
   * across a partition it waits, and arrives after the repair (docs/network.md, "Faults").
   */
  deliver(from: Host, to: Host, arrive: () => void, bytes = 0, id = 0): void {
    world.schedule(this.#ordered(id, from, to, bytes), () => this.#arrive(from, to, arrive, false), _deliveryOwner(from, to));
  }

  /**
   * Run `arrive` when a lossy packet (a SYN, an ICMP error) sent now from `from` reaches
   * `to`; if a partition cuts the link when it would arrive, it is lost: `lost` runs then.
   */
  deliverLossy(from: Host, to: Host, arrive: () => void, lost?: () => void): void {
    world.schedule(this.#ordered(0, from, to, 0), () => this.#arrive(from, to, arrive, true, lost), _deliveryOwner(from, to));
  }

  /**
   * Send datagram `id` (its number, 0 for none) of `bytes` bytes from `from` to `to`:
   * `arrive` runs when it arrives (twice when the link duplicates it; never when the link
   * drops it, or a partition cuts the link: `lost` runs then, with the reason). Datagrams
   * keep no order: one drawn a shorter latency overtakes.
   */
  deliverDatagram(from: Host, to: Host, arrive: () => void, bytes = 0, id = 0, lost?: (reason: 'dropped' | 'partition') => void): void {
    // A link's key is made only when some link has a model or a fault (not on the plain path).
    const key = this.#models.size === 0 && this.#links.size === 0 ? '' : linkKey(from, to);
    const model = this.#models.size === 0 ? undefined : this.#models.get(key);
    // A datagram lost on the way still took its time on the wire.
    const sent = model === undefined ? world.now : departure(model, bytes);
    const link = this.#links.size === 0 ? undefined : this.#links.get(key);
    if (link !== undefined && link.drop > 0) {
      link.drop--;
      lost?.('dropped');
      return;
    }
    let twice = link !== undefined && link.duplicate > 0;
    if (twice) link!.duplicate--;
    let time = sent + this.latencyBetween(from, to);
    if (model !== undefined) {
      const fate = !twice && model.lossy ? this.#chooser().datagram(id, from.name, to.name, model) : 0;
      if (fate === 1) {
        lost?.('dropped');
        return;
      }
      twice ||= fate === 2;
      time = sent + this.#latency(id, from, to, model) + (model.delays.shift() ?? 0);
    }
    const owner = _deliveryOwner(from, to);
    const cut = lost && ((): void => lost('partition'));
    world.schedule(time, () => this.#arrive(from, to, arrive, true, cut), owner);
    if (twice) world.schedule(time, () => this.#arrive(from, to, arrive, true), owner);
  }

  // The arrival time of TCP's packet `id`: after the wire is free and its latency, and
  // never before the packet sent before it on the link (with no model: the latency).
  #ordered(id: number, from: Host, to: Host, bytes: number): number {
    const model = this.#models.size === 0 ? undefined : this.#models.get(linkKey(from, to));
    if (model === undefined) return world.now + this.latencyBetween(from, to);
    const time = Math.max(departure(model, bytes) + this.#latency(id, from, to, model), model.lastOrdered);
    model.lastOrdered = time;
    return time;
  }

  #latency(id: number, from: Host, to: Host, model: LinkModel): number {
    const range = model.latency;
    if (range === undefined) return this.latencyBetween(from, to);
    return range.min === range.max ? range.min : this.#chooser().latency(id, from.name, to.name, range);
  }

  #chooser(): NetworkChooser {
    return _networkExplorer() ?? (this.#seeded ??= seededChooser(this.#seed));
  }

  /** The seed of the network's generator of latencies and losses (default 0). */
  get seed(): number {
    return this.#seed;
  }

  set seed(seed: number) {
    this.#seed = seed;
    this.#seeded = undefined;
  }

  /** The model of the link from `from` to `to` (made on first use: a model with nothing set changes nothing). */
  model(from: Host, to: Host): LinkModel {
    const key = linkKey(from, to);
    let model = this.#models.get(key);
    if (model === undefined) {
      model = new LinkModel();
      this.#models.set(key, model);
    }
    return model;
  }

  /** Draw each latency of the link from `from` to `to` in `range` (undefined: the fixed latency again). */
  setLatencyRange(from: Host, to: Host, range: LatencyRange | undefined): void {
    this.model(from, to).latency = range;
  }

  #arrive(from: Host, to: Host, arrive: () => void, lossy: boolean, lost?: () => void): void {
    const link = this.#links.size === 0 ? undefined : this.#links.get(linkKey(from, to));
    if (link === undefined) {
      if (to._down) this.#reachDown(from, to, arrive, lossy, lost);
      else arrive();
    } else if (link.partitioned && lossy) {
      lost?.();
    } else if (link.partitioned || link.held || link.queue.length > 0) {
      // The host's state is checked when the packet gets through.
      link.queue.push(() => (to._down ? this.#reachDown(from, to, arrive, lossy, lost) : arrive()));
    } else if (to._down) {
      this.#reachDown(from, to, arrive, lossy, lost);
    } else {
      arrive();
    }
  }

  // A packet reaches a crashed host (docs/network.md, "Crashes and restarts"): as across
  // a partition, TCP's waits (its sender retransmits it until the host is back), a SYN,
  // a datagram or an ICMP error is lost.
  #reachDown(from: Host, to: Host, arrive: () => void, lossy: boolean, lost: (() => void) | undefined): void {
    if (lossy) lost?.();
    else to._waiting.push([from, arrive]);
  }

  /**
   * @internal `host` crashed: it is down, and the TCP packets it sent that wait behind a
   * partition, or for a crashed host, are lost (its kernel, which would have
   * retransmitted them, is gone).
   */
  _crashed(host: Host): void {
    host._down = true;
    const prefix = `${host.name}\n`;
    for (const [key, link] of this.#links) if (link.partitioned && key.startsWith(prefix)) link.queue = [];
    // So are those waiting for another crashed host to come back.
    for (const other of this.#hosts.values()) {
      if (other._waiting.length > 0) other._waiting = other._waiting.filter(([from]) => from !== host);
    }
  }

  /** @internal `host` restarted: what waited for it is sent again, and arrives the link's latency from now. */
  _booted(host: Host): void {
    host._down = false;
    const waiting = host._waiting;
    host._waiting = [];
    for (const [from, arrive] of waiting) this.deliver(from, host, arrive);
  }

  #link(from: Host, to: Host): Link {
    const key = linkKey(from, to);
    let link = this.#links.get(key);
    if (link === undefined) {
      link = new Link();
      this.#links.set(key, link);
    }
    return link;
  }

  /** Cut the link from `from` to `to` (one direction): see docs/network.md, "Faults". */
  partition(from: Host, to: Host): void {
    this.#link(from, to).partitioned = true;
    if (_netTracer !== undefined) traceLinkFault('partition', from, to);
  }

  /** Repair the link from `from` to `to`: what waited on it arrives `latency` from now, in order. */
  repair(from: Host, to: Host): void {
    const link = this.#links.get(linkKey(from, to));
    if (link === undefined || !link.partitioned) return;
    link.partitioned = false;
    if (_netTracer !== undefined) traceLinkFault('repair', from, to);
    this.at(world.now + this.#nominal(from, to), () => flushLink(link));
  }

  /** Hold every packet arriving on the link from `from` to `to` until `release`. */
  hold(from: Host, to: Host): void {
    this.#link(from, to).held = true;
    if (_netTracer !== undefined) traceLinkFault('hold', from, to);
  }

  /** Release the link from `from` to `to`: what it held arrives now (at the next wait), in order. */
  release(from: Host, to: Host): void {
    const link = this.#links.get(linkKey(from, to));
    if (link === undefined || !link.held) return;
    link.held = false;
    if (_netTracer !== undefined) traceLinkFault('release', from, to);
    this.at(world.now, () => flushLink(link));
  }

  /** Lose the next `count` datagrams sent from `from` to `to`. */
  dropDatagrams(from: Host, to: Host, count: number): void {
    this.#link(from, to).drop += count;
    if (_netTracer !== undefined) traceLinkFault(`drop ${count} datagram${count === 1 ? '' : 's'}`, from, to);
  }

  /** Deliver twice each of the next `count` datagrams sent from `from` to `to`. */
  duplicateDatagrams(from: Host, to: Host, count: number): void {
    this.#link(from, to).duplicate += count;
    if (_netTracer !== undefined) traceLinkFault(`duplicate ${count} datagram${count === 1 ? '' : 's'}`, from, to);
  }

  /** Whether the link from `from` to `to` is cut by a partition. */
  isPartitioned(from: Host, to: Host): boolean {
    return this.#links.get(linkKey(from, to))?.partitioned ?? false;
  }

  /** Whether the link from `from` to `to` is held. */
  isHeld(from: Host, to: Host): boolean {
    return this.#links.get(linkKey(from, to))?.held ?? false;
  }

  /** Delay each of the next datagrams from `from` to `to` by `seconds` more (a later one may overtake it). */
  delayDatagrams(from: Host, to: Host, seconds: number, count: number): void {
    const delays = this.model(from, to).delays;
    for (let i = 0; i < count; i++) delays.push(seconds);
  }

  // The latency of a link without drawing: its range's minimum, or its fixed latency.
  #nominal(from: Host, to: Host): number {
    return this.#models.get(linkKey(from, to))?.latency?.min ?? this.latencyBetween(from, to);
  }

  /** Run `run` at virtual time `time` (a timer of the network's, as a SYN's retransmission). */
  at(time: number, run: () => void): void {
    world.schedule(time, run, NETWORK_OWNER);
  }
}

function pairKey(a: Host, b: Host): string {
  return a.name < b.name ? `${a.name}\n${b.name}` : `${b.name}\n${a.name}`;
}

function checkAddress(parsed: string | undefined, given: string): string {
  if (parsed === undefined) throw new ValueError(`${repr(given)} is not an IP address`);
  return parsed;
}

/** The world's network. */
export let network = new Network();

/** @internal Forget every host, socket and parameter (a fresh process's network). */
export function _resetNetwork(): void {
  // A network nothing was done with is left as it is (a fixture resets it before and
  // after every test: property runs make thousands).
  if (!network._pristine()) network = new Network();
}
