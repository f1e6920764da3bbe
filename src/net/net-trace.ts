// What the network tells a trace: connections opened and closed, segments and datagrams
// sent, delivered and lost, faults set on links, through the network's own hook slot (the
// network sits below log/, where the loop's trace hook lives). tcp.ts, udp.ts and
// network.ts call these only while a trace is attached, behind one test of `_netTracer`,
// so untraced runs build nothing here. docs/network.md, "Traces".
// asyncio: none (what a packet capture between the hosts would show)

import type { Host } from './host.js';
import type { Socket } from './socket.js';

/** What happened to a connection: see `ConnectionRecord`. */
export type ConnectionAction = 'connected' | 'accepted' | 'refused' | 'timed out' | 'fin' | 'reset';

/**
 * A connection's event. `connected`: the client's connect completed (the SYN-ACK arrived);
 * `accepted`: the server's program took it from its listener; `refused`: a RST answered the
 * SYN; `timed out`: the SYN went unanswered (ETIMEDOUT); `fin` / `reset`: one end sent a
 * FIN or a RST. `from` is the end where it happens: the client for `connected`, `refused`
 * and `timed out`, the server's new socket for `accepted`, the sender for `fin`/`reset`.
 */
export interface ConnectionRecord {
  kind: 'connection';
  action: ConnectionAction;
  /** The host names, `to` undefined when no host has the address. */
  from: string;
  to: string | undefined;
  /** `addr:port` (`[addr]:port` for IPv6). */
  fromAddress: string;
  toAddress: string;
  /** @internal The two sockets (the trace numbers connections by them). */
  _ends: readonly [object, object | undefined];
}

/**
 * A segment's (TCP) or datagram's (UDP) event: sent, delivered to the receiving socket, or
 * lost (`reason`). A duplicated datagram is delivered twice under one number.
 */
export interface MessageRecord {
  kind: 'message';
  action: 'sent' | 'delivered' | 'lost';
  /** The network's number for it: message N is the Nth segment or datagram sent. */
  message: number;
  transport: 'tcp' | 'udp';
  bytes: number;
  from: string;
  to: string | undefined;
  fromAddress: string;
  toAddress: string;
  /** Why it was lost: `dropped`, `partition`, `no socket`, `receive buffer full`, … */
  reason?: string;
}

/** A fault set on the network: its words (`partition a -> b`), and the host it is about. */
export interface FaultRecord {
  kind: 'fault';
  text: string;
  host?: string;
}

/** What the network reports to a trace. */
export type NetRecord = ConnectionRecord | MessageRecord | FaultRecord;

/**
 * What a trace (aiosim/testing's Trace) receives from the network: one call per event,
 * synchronously, at the event.
 *
 * Invariant: `network` never throws and changes nothing the network reads: it is called
 * between two state changes of a socket or a link, and an observer never changes the run.
 */
export interface NetTraceSink {
  network(record: NetRecord): void;
}

/** @internal The attached sink, if any. Read at every hook point: keep it monomorphic. */
export let _netTracer: NetTraceSink | undefined;

/** @internal Attach a sink (or detach with undefined). */
export function _setNetTracer(sink: NetTraceSink | undefined): void {
  _netTracer = sink;
}

/** Where a socket or a destination is: `addr:port`, `[addr]:port` for IPv6. */
export function endpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/**
 * Report a connection's event at socket `s` (see `ConnectionRecord`); `to` is the other
 * end's host. Call only while `_netTracer` is set.
 */
export function traceConnection(action: ConnectionAction, s: Socket, to: Host | undefined): void {
  _netTracer?.network({
    kind: 'connection', action, from: s._host.name, to: to?.name, fromAddress: endpoint(s._localAddr, s._localPort),
    toAddress: endpoint(s._remoteAddr ?? '', s._remotePort), _ends: [s, s._peer],
  } satisfies ConnectionRecord);
}

/** Report a segment sent, delivered or lost, from `s` to its peer. Call only while `_netTracer` is set. */
export function traceSegment(action: MessageRecord['action'], id: number, s: Socket, to: Host, bytes: number, reason?: string): void {
  const record: MessageRecord = {
    kind: 'message', action, message: id, transport: 'tcp', bytes, from: s._host.name, to: to.name,
    fromAddress: endpoint(s._localAddr, s._localPort), toAddress: endpoint(s._remoteAddr ?? '', s._remotePort),
  };
  if (reason !== undefined) record.reason = reason;
  _netTracer?.network(record);
}

/** Report a datagram sent, delivered or lost. Call only while `_netTracer` is set. */
export function traceDatagram(action: MessageRecord['action'], id: number, from: Host, fromAddress: string, to: Host | undefined, toAddress: string, bytes: number, reason?: string): void {
  const record: MessageRecord = { kind: 'message', action, message: id, transport: 'udp', bytes, from: from.name, to: to?.name, fromAddress, toAddress };
  if (reason !== undefined) record.reason = reason;
  _netTracer?.network(record);
}

/** Report a fault set on the link from `from` to `to` (`partition`, `hold`, `drop 2 datagrams`, …). */
export function traceLinkFault(what: string, from: Host, to: Host): void {
  _netTracer?.network({ kind: 'fault', text: `${what} ${from.name} -> ${to.name}`, host: from.name } satisfies FaultRecord);
}

/**
 * Report a fault in words (`crash b`, `clock of b +0.5 s`): a trace shows it as the line
 * `fault <text>`, on the lane of `host` when given. Costs one test when no trace is
 * attached; build costly words only behind `isTracing()`.
 *
 * @example
 * traceFault(`crash ${host.name}`, host);
 * asyncio: none
 */
export function traceFault(text: string, host?: Host): void {
  if (_netTracer === undefined) return;
  const record: FaultRecord = { kind: 'fault', text };
  if (host !== undefined) record.host = host.name;
  _netTracer.network(record);
}

/** Whether a trace is attached (network events are then reported). */
export function isTracing(): boolean {
  return _netTracer !== undefined;
}
