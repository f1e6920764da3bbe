// Linux's rule for binding a port in use: the same family's sockets share a port on
// different specific addresses, or with SO_REUSEADDR on both sides (for streams, only
// while neither listens: what lets a server restart while old connections linger).
// asyncio: none (the kernel's bind conflict check, inet_csk_bind_conflict)

import { isWildcard } from './address.js';
import { SOCK_DGRAM } from './constants.js';
import type { Socket } from './socket.js';
import { TcpState } from './socket-state.js';

/** Whether binding `sock` to `addr`:`port` conflicts with a socket using the port. */
export function bindConflicts(sock: Socket, addr: string, port: number): boolean {
  const users = sock._host.portUsers(sock.type, port);
  if (users === undefined) return false;
  for (const u of users) {
    if (u.family !== sock.family) continue;
    if (u._localAddr !== addr && !isWildcard(u._localAddr) && !isWildcard(addr)) continue;
    const shared = sock._reuseAddr && u._reuseAddr && (sock.type === SOCK_DGRAM || u._state !== TcpState.Listening);
    if (!shared) return true;
  }
  return false;
}
