// Datagram sockets on the simulated network: datagrams delivered whole to the socket bound
// at their destination, dropped when its queue is full, and ICMP port unreachable for a
// connected sender (docs/network.md, "Datagram sockets").
// asyncio: none (Linux's UDP as CPython's socket module shows it)

import { Deque } from '../runtime/deque.js';
import { isWildcard, type SockAddr } from './address.js';
import { AF_INET6, SOCK_DGRAM } from './constants.js';
import { ECONNREFUSED, EDESTADDRREQ, EMSGSIZE, ENETUNREACH, errnoError } from './errno.js';
import type { Host } from './host.js';
import { network } from './network.js';
import { _netTracer, endpoint, traceDatagram } from './net-trace.js';
import type { Socket } from './socket.js';
import { findBound } from './tcp.js';

/** The largest datagram of IPv4 and of IPv6 (the packet's 65535 bytes less the headers). */
const MAX_DATAGRAM_V4 = 65507;
const MAX_DATAGRAM_V6 = 65527;

/** Whether a datagram socket is readable: a datagram or a pending error. */
export function udpReadable(s: Socket): boolean {
  return s._err !== 0 || (s._dgrams !== undefined && s._dgrams.length > 0);
}

function raisePending(s: Socket): void {
  const err = s._err;
  if (err === 0) return;
  s._err = 0;
  throw errnoError(err);
}

/** Record the peer (and bind, choosing the source address): nothing is sent. */
export function udpConnect(s: Socket, addr: string, port: number): void {
  const v6 = s.family === AF_INET6;
  if (isWildcard(addr)) addr = v6 ? '::1' : '127.0.0.1';
  const source = s._host.sourceFor(addr, v6);
  if (source === undefined) throw errnoError(ENETUNREACH);
  if (s._localPort === 0) s._bindTo(source, 0);
  else if (isWildcard(s._localAddr)) s._localAddr = source;
  s._remoteAddr = addr;
  s._remotePort = port;
}

/** Send a datagram to the connected peer. */
export function udpSend(s: Socket, data: Uint8Array): number {
  if (s._remoteAddr === undefined) {
    raisePending(s);
    throw errnoError(EDESTADDRREQ);
  }
  return udpSendto(s, data, s._remoteAddr, s._remotePort);
}

/** Send a datagram to `addr`:`port`: it is always accepted whole. */
export function udpSendto(s: Socket, data: Uint8Array, addr: string, port: number): number {
  raisePending(s);
  const v6 = s.family === AF_INET6;
  if (data.length > (v6 ? MAX_DATAGRAM_V6 : MAX_DATAGRAM_V4)) throw errnoError(EMSGSIZE);
  if (isWildcard(addr)) addr = v6 ? '::1' : '127.0.0.1';
  s._autobind();
  const source = isWildcard(s._localAddr) ? s._host.sourceFor(addr, v6) : s._localAddr;
  const dest = network.route(s._host, addr);
  // Counted traced or not: the numbers are the network's, the same in every run.
  const id = ++network.messages;
  // No host has that address: the datagram is lost.
  if (dest === undefined || source === undefined) {
    if (_netTracer !== undefined) traceSent(id, s, source, dest, addr, port, data.length, 'no route');
    return data.length;
  }
  const from: SockAddr = v6 ? [source, s._localPort, 0, 0] : [source, s._localPort];
  const copy = data.slice();
  const lost = _netTracer === undefined ? undefined : traceSent(id, s, source, dest, addr, port, data.length);
  network.deliverDatagram(s._host, dest, () => datagramArrives(dest, addr, port, { data: copy, from }, s, id), copy.length, id, lost);
  return data.length;
}

// Report a datagram sent (and lost at once, with `lostNow`); return what reports its loss later.
function traceSent(id: number, s: Socket, source: string | undefined, dest: Host | undefined, addr: string, port: number, bytes: number, lostNow?: string): (reason: string) => void {
  const fromAddress = endpoint(source ?? s._localAddr, s._localPort);
  const toAddress = endpoint(addr, port);
  traceDatagram('sent', id, s._host, fromAddress, dest, toAddress, bytes);
  const lost = (reason: string): void => traceDatagram('lost', id, s._host, fromAddress, dest, toAddress, bytes, reason);
  if (lostNow !== undefined) lost(lostNow);
  return lost;
}

// Report what became of a datagram that reached its destination host.
function traceArrival(id: number, host: Host, addr: string, port: number, datagram: { data: Uint8Array; from: SockAddr }, sender: Socket, reason?: string): void {
  const action = reason === undefined ? 'delivered' : 'lost';
  traceDatagram(action, id, sender._host, endpoint(datagram.from[0], datagram.from[1]), host, endpoint(addr, port), datagram.data.length, reason);
}

function datagramArrives(host: Host, addr: string, port: number, datagram: { data: Uint8Array; from: SockAddr }, sender: Socket, id: number): void {
  const r = findBound(host, SOCK_DGRAM, sender.family, addr, port);
  if (r === undefined) {
    if (_netTracer !== undefined) traceArrival(id, host, addr, port, datagram, sender, 'no socket');
    network.deliverLossy(host, sender._host, () => unreachableArrives(sender));
    return;
  }
  // A connected socket takes datagrams from its peer only.
  if (r._remoteAddr !== undefined && (r._remoteAddr !== datagram.from[0] || r._remotePort !== datagram.from[1])) {
    if (_netTracer !== undefined) traceArrival(id, host, addr, port, datagram, sender, 'not from the connected peer');
    return;
  }
  if (r._dgramBytes + datagram.data.length > r._rcvbuf) {
    if (_netTracer !== undefined) traceArrival(id, host, addr, port, datagram, sender, 'receive buffer full');
    return;
  }
  if (_netTracer !== undefined) traceArrival(id, host, addr, port, datagram, sender);
  (r._dgrams ??= new Deque()).push(datagram);
  r._dgramBytes += datagram.data.length;
  r._changed();
}

// ICMP port unreachable: only a connected socket hears of it (Linux without IP_RECVERR).
function unreachableArrives(s: Socket): void {
  if (s._closed || s._remoteAddr === undefined) return;
  s._err = ECONNREFUSED;
  s._changed();
}

/** Take the first queued datagram, truncated to `n` bytes, and its sender. */
export function udpRecvfrom(s: Socket, n: number): [Uint8Array, SockAddr] {
  raisePending(s);
  const d = s._dgrams?.shift();
  if (d === undefined) return s._wouldBlock('recvfrom');
  s._dgramBytes -= d.data.length;
  return [n >= d.data.length ? d.data : d.data.slice(0, n), d.from];
}

/** What close() does to a datagram socket: its queue goes. */
export function udpRelease(s: Socket): void {
  s._dgrams?.clear();
  s._dgramBytes = 0;
}
