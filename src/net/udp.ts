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
  // No host has that address: the datagram is lost.
  if (dest === undefined || source === undefined) return data.length;
  const from: SockAddr = v6 ? [source, s._localPort, 0, 0] : [source, s._localPort];
  const copy = data.slice();
  network.deliverDatagram(s._host, dest, () => datagramArrives(dest, addr, port, { data: copy, from }, s), copy.length);
  return data.length;
}

function datagramArrives(host: Host, addr: string, port: number, datagram: { data: Uint8Array; from: SockAddr }, sender: Socket): void {
  const r = findBound(host, SOCK_DGRAM, sender.family, addr, port);
  if (r === undefined) {
    network.deliverLossy(host, sender._host, () => unreachableArrives(sender));
    return;
  }
  // A connected socket takes datagrams from its peer only.
  if (r._remoteAddr !== undefined && (r._remoteAddr !== datagram.from[0] || r._remotePort !== datagram.from[1])) return;
  if (r._dgramBytes + datagram.data.length > r._rcvbuf) return;
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
