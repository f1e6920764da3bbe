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
import { _netTracer, traceLinkFault } from './net-trace.js';

/** The owner of the network's world events (a scheduling seed never reorders two of them). */
export const NETWORK_OWNER: unique symbol = Symbol('network');

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
   * Run `arrive` when a reliable packet (TCP's) sent now from `from` reaches `to`: across
   * a partition it waits, and arrives after the repair (docs/network.md, "Faults").
   */
  deliver(from: Host, to: Host, arrive: () => void): void {
    world.schedule(world.now + this.latencyBetween(from, to), () => this.#arrive(from, to, arrive, false), NETWORK_OWNER);
  }

  /**
   * Run `arrive` when a lossy packet (a SYN, an ICMP error) sent now from `from` reaches
   * `to`; if a partition cuts the link when it would arrive, it is lost: `lost` runs then.
   */
  deliverLossy(from: Host, to: Host, arrive: () => void, lost?: () => void): void {
    world.schedule(world.now + this.latencyBetween(from, to), () => this.#arrive(from, to, arrive, true, lost), NETWORK_OWNER);
  }

  /**
   * Send a datagram from `from` to `to`: `arrive` runs when it arrives (twice when the
   * link duplicates it; never when the link drops it, or a partition cuts the link: `lost`
   * runs then, with the reason).
   */
  deliverDatagram(from: Host, to: Host, arrive: () => void, lost?: (reason: 'dropped' | 'partition') => void): void {
    const link = this.#links.size === 0 ? undefined : this.#links.get(linkKey(from, to));
    if (link !== undefined && link.drop > 0) {
      link.drop--;
      lost?.('dropped');
      return;
    }
    this.deliverLossy(from, to, arrive, lost && (() => lost('partition')));
    if (link !== undefined && link.duplicate > 0) {
      link.duplicate--;
      this.deliverLossy(from, to, arrive);
    }
  }

  #arrive(from: Host, to: Host, arrive: () => void, lossy: boolean, lost?: () => void): void {
    const link = this.#links.size === 0 ? undefined : this.#links.get(linkKey(from, to));
    if (link === undefined) {
      arrive();
    } else if (link.partitioned && lossy) {
      lost?.();
    } else if (link.partitioned || link.held || link.queue.length > 0) {
      link.queue.push(arrive);
    } else {
      arrive();
    }
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
    this.at(world.now + this.latencyBetween(from, to), () => flushLink(link));
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
  network = new Network();
}
