// Stream sockets on the simulated network: the handshake, segments, window updates, FIN
// and RST, as deliveries between the two ends (docs/network.md, "Stream sockets").
// asyncio: none (Linux's TCP as CPython's socket module shows it)

import { Deque } from '../runtime/deque.js';
import type { SockAddr } from './address.js';
import { isWildcard } from './address.js';
import { AF_INET6, SHUT_RD, SHUT_WR, SOCK_STREAM } from './constants.js';
import { EALREADY, ECONNREFUSED, ECONNRESET, EINPROGRESS, EINVAL, EISCONN, ENETUNREACH, ENOTCONN, EPIPE, ETIMEDOUT, errnoError } from './errno.js';
import type { Host } from './host.js';
import { network } from './network.js';
import { _netTracer, traceConnection, traceSegment } from './net-trace.js';
import type { Socket } from './socket.js';
import { TcpState } from './socket-state.js';

/** A SYN that got no answer is sent again 1, 3, 7, 15, 31 and 63 s after the first; 127 s: ETIMEDOUT. */
export const SYN_RETRIES = 6;

const EMPTY = new Uint8Array(0);

/** Whether a stream socket is readable: data, a FIN, an error, a reset, or a connection to accept. */
export function tcpReadable(s: Socket): boolean {
  if (s._state === TcpState.Listening) return s._acceptQueue!.length > 0;
  return s._rxBytes > 0 || s._fin || s._rdShut || s._err !== 0 || s._state === TcpState.Done;
}

/** Whether a stream socket is writable: connected with room in the pipe, shut for writing, or failed. */
export function tcpWritable(s: Socket): boolean {
  if (s._err !== 0 || s._state === TcpState.Done) return true;
  return s._state === TcpState.Connected && (s._wrShut || s._inPipe < s._capacity);
}

// Raise the pending error once (SO_ERROR's value), if there is one.
function raisePending(s: Socket): void {
  const err = s._err;
  if (err === 0) return;
  s._err = 0;
  throw errnoError(err);
}

/** The listener of `type` bound to `addr`:`port` on `host`, a specific address before the wildcard. */
export function findBound(host: Host, type: number, family: number, addr: string, port: number): Socket | undefined {
  const users = host.portUsers(type, port);
  if (users === undefined) return undefined;
  let wildcard: Socket | undefined;
  for (const u of users) {
    if (u.family !== family || u._closed) continue;
    if (type === SOCK_STREAM && u._state !== TcpState.Listening) continue;
    if (u._localAddr === addr) return u;
    if (wildcard === undefined && isWildcard(u._localAddr)) wildcard = u;
  }
  return wildcard;
}

// ---- connecting -------------------------------------------------------------------

/** Start connecting to `addr`:`port`: a SYN leaves now; non-blocking, EINPROGRESS. */
export function tcpConnect(s: Socket, addr: string, port: number): void {
  if (s._state === TcpState.Connecting) throw errnoError(EALREADY);
  if (s._state === TcpState.Connected || s._state === TcpState.Listening) throw errnoError(EISCONN);
  const v6 = s.family === AF_INET6;
  // Linux connects to the wildcard address as to the host itself.
  if (isWildcard(addr)) addr = v6 ? '::1' : '127.0.0.1';
  const source = s._host.sourceFor(addr, v6);
  if (source === undefined) throw errnoError(ENETUNREACH);
  if (s._localPort === 0) s._bindTo(source, 0);
  else if (isWildcard(s._localAddr)) s._localAddr = source;
  s._remoteAddr = addr;
  s._remotePort = port;
  s._state = TcpState.Connecting;
  s._err = 0;
  s._attempt++;
  s._synFirst = network.now;
  sendSyn(s, s._attempt, 0);
  s._wouldBlock('connect', EINPROGRESS);
}

function stillConnecting(c: Socket, attempt: number): boolean {
  return !c._closed && c._attempt === attempt && c._state === TcpState.Connecting;
}

function sendSyn(c: Socket, attempt: number, tries: number): void {
  const dest = network.route(c._host, c._remoteAddr!);
  // No host has that address, or a partition cuts the link: the SYN is lost, and sent
  // again on the retransmission schedule.
  if (dest === undefined) synLost(c, attempt, tries);
  else network.deliverLossy(c._host, dest, () => synArrives(c, attempt, dest, tries), () => synLost(c, attempt, tries));
}

function synArrives(c: Socket, attempt: number, dest: Host, tries: number): void {
  const listener = findBound(dest, SOCK_STREAM, c.family, c._remoteAddr!, c._remotePort);
  if (listener === undefined) {
    network.deliver(dest, c._host, () => refused(c, attempt, dest));
    return;
  }
  // Linux drops a SYN while more than `backlog` connections wait to be accepted.
  if (listener._pending > listener._backlog) {
    synLost(c, attempt, tries);
    return;
  }
  const conn = listener._spawn();
  listener._pending++;
  conn._localAddr = c._remoteAddr!;
  conn._localPort = c._remotePort;
  dest.usePort(conn, conn._localPort);
  conn._remoteAddr = c._localAddr;
  conn._remotePort = c._localPort;
  conn._state = TcpState.Connected;
  conn._peer = c;
  conn._capacity = conn._sndbuf + c._rcvbuf;
  network.deliver(dest, c._host, () => synAckArrives(c, attempt, conn));
}

function synAckArrives(c: Socket, attempt: number, conn: Socket): void {
  if (!stillConnecting(c, attempt)) {
    // The client gave up meanwhile: it answers the SYN-ACK with a RST.
    if (_netTracer !== undefined) traceConnection('reset', c, conn._host);
    network.deliver(c._host, conn._host, () => rstArrives(conn));
    return;
  }
  c._state = TcpState.Connected;
  c._peer = conn;
  c._capacity = c._sndbuf + conn._rcvbuf;
  c._inPipe = 0;
  if (_netTracer !== undefined) traceConnection('connected', c, conn._host);
  c._changed();
  network.deliver(c._host, conn._host, () => ackArrives(conn));
}

function ackArrives(conn: Socket): void {
  const listener = conn._listener;
  if (listener === undefined || conn._state !== TcpState.Connected) return;
  if (listener._closed || listener._state !== TcpState.Listening) {
    abort(conn);
    return;
  }
  conn._queued = true;
  listener._acceptQueue!.push(conn);
  listener._changed();
}

function refused(c: Socket, attempt: number, dest: Host): void {
  if (!stillConnecting(c, attempt)) return;
  if (_netTracer !== undefined) traceConnection('refused', c, dest);
  c._err = ECONNREFUSED;
  c._state = TcpState.Done;
  c._changed();
}

function synLost(c: Socket, attempt: number, tries: number): void {
  const next = tries + 1;
  network.at(c._synFirst + 2 ** next - 1, () => {
    if (!stillConnecting(c, attempt)) return;
    if (next <= SYN_RETRIES) {
      sendSyn(c, attempt, next);
      return;
    }
    if (_netTracer !== undefined) traceConnection('timed out', c, network.route(c._host, c._remoteAddr!));
    c._err = ETIMEDOUT;
    c._state = TcpState.Done;
    c._changed();
  });
}

/** Take the first connection waiting at listener `l`: `[conn, its peer's address]`. */
export function tcpAccept(l: Socket): [Socket, SockAddr] {
  if (l._state !== TcpState.Listening) throw errnoError(EINVAL);
  const conn = l._acceptQueue!.shift();
  if (conn === undefined) return l._wouldBlock('accept');
  l._pending--;
  conn._listener = undefined;
  conn._queued = false;
  conn._fd = l._host.allocFd(conn);
  if (_netTracer !== undefined) traceConnection('accepted', conn, conn._peer?._host);
  const addr: SockAddr = conn.family === AF_INET6 ? [conn._remoteAddr!, conn._remotePort, 0, 0] : [conn._remoteAddr!, conn._remotePort];
  return [conn, addr];
}

// ---- data -------------------------------------------------------------------------

/** Send what fits in the pipe as one segment; return how many bytes were accepted. */
export function tcpSend(s: Socket, data: Uint8Array): number {
  raisePending(s);
  if (s._state === TcpState.Connecting) return s._wouldBlock('send');
  if (s._state !== TcpState.Connected || s._wrShut) throw errnoError(EPIPE);
  if (data.length === 0) return 0;
  const n = Math.min(data.length, s._capacity - s._inPipe);
  if (n <= 0) return s._wouldBlock('send');
  // A copy: the caller may reuse its buffer.
  const segment = data.slice(0, n);
  s._inPipe += n;
  const peer = s._peer!;
  // Counted traced or not: the numbers are the network's, the same in every run.
  const id = ++network.messages;
  if (_netTracer !== undefined) traceSegment('sent', id, s, peer._host, n);
  network.deliver(s._host, peer._host, () => segmentArrives(peer, segment, s, id), n, id);
  return n;
}

function segmentArrives(r: Socket, segment: Uint8Array, from: Socket, id: number): void {
  if (r._closed) {
    if (_netTracer !== undefined) {
      traceSegment('lost', id, from, r._host, segment.length, 'receiver closed');
      traceConnection('reset', r, from._host);
    }
    network.deliver(r._host, from._host, () => rstArrives(from));
    return;
  }
  // After a reset, or after SHUT_RD, arriving bytes are dropped.
  if (r._state !== TcpState.Connected || r._rdShut) {
    if (_netTracer !== undefined) traceSegment('lost', id, from, r._host, segment.length, r._rdShut ? 'shut for reading' : 'connection reset');
    return;
  }
  if (_netTracer !== undefined) traceSegment('delivered', id, from, r._host, segment.length);
  (r._rx ??= new Deque()).push(segment);
  r._rxBytes += segment.length;
  r._changed();
}

/** Read up to `n` arrived bytes across segments; empty at the end of the stream. */
export function tcpRecv(s: Socket, n: number): Uint8Array {
  if (s._state === TcpState.Fresh || s._state === TcpState.Listening) throw errnoError(ENOTCONN);
  if (s._rxBytes > 0) return n === 0 ? EMPTY : take(s, n);
  if (s._fin || s._rdShut) return EMPTY;
  raisePending(s);
  if (s._state === TcpState.Done) return EMPTY;
  return s._wouldBlock('recv');
}

function take(s: Socket, n: number): Uint8Array {
  const rx = s._rx!;
  const want = Math.min(n, s._rxBytes);
  let head = rx.at(0)!;
  let out: Uint8Array;
  if (s._rxOffset === 0 && head.length === want) {
    // The whole first segment: the segment itself (the receiver's own copy; a subarray
    // view costs more than the rest of the read).
    out = head;
    rx.shift();
  } else if (head.length - s._rxOffset >= want) {
    // Within one segment: a view, no copy.
    out = head.subarray(s._rxOffset, s._rxOffset + want);
    s._rxOffset += want;
  } else {
    out = new Uint8Array(want);
    let filled = 0;
    while (filled < want) {
      head = rx.at(0)!;
      const k = Math.min(head.length - s._rxOffset, want - filled);
      out.set(head.subarray(s._rxOffset, s._rxOffset + k), filled);
      filled += k;
      s._rxOffset += k;
      if (s._rxOffset === head.length) {
        rx.shift();
        s._rxOffset = 0;
      }
    }
  }
  if (rx.length > 0 && s._rxOffset === rx.at(0)!.length) {
    rx.shift();
    s._rxOffset = 0;
  }
  s._rxBytes -= want;
  // The room this read made reaches the sender as a window update.
  const peer = s._peer;
  if (peer !== undefined) network.deliver(s._host, peer._host, () => windowArrives(peer, want));
  return out;
}

function windowArrives(s: Socket, freed: number): void {
  if (s._vanished) {
    answerVanished(s);
    return;
  }
  s._inPipe -= freed;
  if (!s._closed) s._changed();
}

// ---- the end ----------------------------------------------------------------------

/** Shut down reading (recv returns b'' once the arrived data is read), writing (a FIN) or both. */
export function tcpShutdown(s: Socket, how: number): void {
  if (s._state === TcpState.Fresh || s._state === TcpState.Connecting) throw errnoError(ENOTCONN);
  if (s._state !== TcpState.Connected) return;
  if (how !== SHUT_WR) s._rdShut = true;
  if (how !== SHUT_RD) sendFin(s);
  s._changed();
}

function sendFin(s: Socket): void {
  if (s._wrShut) return;
  s._wrShut = true;
  const peer = s._peer!;
  if (_netTracer !== undefined) traceConnection('fin', s, peer._host);
  network.deliver(s._host, peer._host, () => finArrives(peer));
}

function finArrives(r: Socket): void {
  if (r._vanished) {
    answerVanished(r);
    return;
  }
  if (r._closed || r._state !== TcpState.Connected) return;
  r._fin = true;
  r._changed();
}

// A packet reached a socket of a crashed host: once restarted, its kernel knows no such
// connection and answers with a RST (while it is down, nothing reaches it: network.ts).
function answerVanished(r: Socket): void {
  const peer = r._peer;
  if (peer !== undefined) network.deliver(r._host, peer._host, () => rstArrives(peer));
}

/** @internal A RST reaches `r` (a reset on a link: host-faults.ts). */
export function rstArrives(r: Socket): void {
  if (r._closed || r._state !== TcpState.Connected) return;
  // Linux's tcp_reset: EPIPE once the peer's FIN came, else ECONNRESET.
  r._err = r._fin ? EPIPE : ECONNRESET;
  r._state = TcpState.Done;
  const listener = r._listener;
  if (listener !== undefined && !r._queued) {
    // A half-open connection dies before it was queued.
    listener._pending--;
    r._listener = undefined;
    r._host.releasePort(r, r._localPort);
  }
  r._changed();
}

// Close a connection nobody accepted and reset its peer.
function abort(conn: Socket): void {
  conn._closed = true;
  conn._host.releasePort(conn, conn._localPort);
  const peer = conn._peer!;
  if (_netTracer !== undefined) traceConnection('reset', conn, peer._host);
  network.deliver(conn._host, peer._host, () => rstArrives(peer));
}

/** What close() does to a stream: a FIN, or a RST when received data is unread; a listener resets what waits. */
export function tcpRelease(s: Socket): void {
  if (s._state === TcpState.Listening) {
    const queue = s._acceptQueue!;
    for (let conn = queue.shift(); conn !== undefined; conn = queue.shift()) abort(conn);
    return;
  }
  if (s._state !== TcpState.Connected) return;
  if (s._rxBytes > 0) {
    const peer = s._peer!;
    if (_netTracer !== undefined) traceConnection('reset', s, peer._host);
    network.deliver(s._host, peer._host, () => rstArrives(peer));
  } else {
    sendFin(s);
  }
}
