// Faults of machines rather than of wires: a host crashing (its sockets vanish without a
// word, and what reaches it while it is down waits or is lost, as across a partition),
// its restart (a fresh kernel, which answers the old connections' packets with a RST),
// the sockets of a killed process closed by its kernel, and a reset of every TCP
// connection between two hosts. docs/network.md, "Crashes and
// restarts", is the specification; the processes' side is runners/simulation.ts.
// asyncio: none (what a machine losing power, or a middlebox sending RSTs, does)

import { world } from '../runtime/world.js';
import { AF_UNIX, SOCK_STREAM } from './constants.js';
import type { Host } from './host.js';
import { network } from './network.js';
import type { Socket } from './socket.js';
import { TcpState } from './socket-state.js';
import { rstArrives } from './tcp.js';

/**
 * Crash `host` now: every socket on it vanishes without sending anything (no FIN, no RST:
 * a machine without power is silent), its descriptors and ports are free for the next
 * boot, and until `bootHost` the packets reaching it wait (TCP's) or are lost (SYNs,
 * datagrams, ICMP errors). The processes on it are the caller's to end. A host already
 * down stays as it is.
 */
export function crashHost(host: Host): void {
  if (host._down) return;
  for (const s of host._sockets()) {
    s._closed = true;
    s._vanished = true;
    s._watcher = undefined;
  }
  host._reboot();
  network._crashed(host);
}

/**
 * Boot `host` again after a crash: the TCP packets that waited for it reach it the
 * link's latency from now, and its fresh kernel answers each with a RST (tcp.ts).
 */
export function bootHost(host: Host): void {
  if (host._down) network._booted(host);
}

/**
 * Close, as the kernel does when process `pid` is killed, its sockets on `host`: in
 * ascending descriptor order, each as `close()` would (a FIN, or a RST when received
 * data is unread; a listener resets the connections waiting to be accepted).
 */
export function closeProcessSockets(host: Host, pid: number): void {
  for (const s of host._sockets()) if (s._pid === pid && s._fd >= 0) s.close();
}

// Whether `s` is an end of an established TCP connection whose other end is on `peerHost`.
function endTo(s: Socket, peerHost: Host): boolean {
  if (s.type !== SOCK_STREAM || s.family === AF_UNIX || s._state !== TcpState.Connected) return false;
  const peer = s._peer;
  return peer !== undefined && peer._peer === s && peer._host === peerHost;
}

/**
 * Reset every established TCP connection between `a` and `b` (a host with itself: its
 * loopback connections): each end gets a RST now (at the next wait), `a`'s ends first,
 * in the order of `Host._sockets()`. Connections still in their handshake are left alone.
 */
export function resetConnections(a: Host, b: Host): void {
  const ends: Socket[] = [];
  for (const [here, there] of a === b ? [[a, a]] : [[a, b], [b, a]]) {
    for (const s of here!._sockets()) if (endTo(s, there!)) ends.push(s);
  }
  for (const s of ends) network.at(world.now, () => rstArrives(s));
}
