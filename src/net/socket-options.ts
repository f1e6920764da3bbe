// Socket options: what getsockopt and setsockopt know (SO_ERROR returns the pending error
// and clears it; the others are stored and read back).
// asyncio: socket.socket.getsockopt / setsockopt

import { OSError } from '../errors/exceptions.js';
import { AF_INET6, IPPROTO_IPV6, IPPROTO_TCP, IPV6_V6ONLY, SO_ERROR, SO_KEEPALIVE, SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT, SO_SNDBUF, SOCK_STREAM, SOL_SOCKET, TCP_NODELAY } from './constants.js';
import type { Socket } from './socket.js';

// The option a model does not know: Linux's ENOPROTOOPT.
const unknown = (): OSError => new OSError(92, 'Protocol not available');

/** The value of `option` at `level`. @throws OSError `[Errno 92] Protocol not available`. */
export function getOption(sock: Socket, level: number, option: number): number {
  if (level === SOL_SOCKET) {
    switch (option) {
      case SO_ERROR: {
        const err = sock._err;
        sock._err = 0;
        return err;
      }
      case SO_REUSEADDR: return sock._reuseAddr ? 1 : 0;
      case SO_REUSEPORT: return sock._reusePort;
      case SO_KEEPALIVE: return sock._keepalive;
      case SO_SNDBUF: return sock._sndbuf;
      case SO_RCVBUF: return sock._rcvbuf;
      default: throw unknown();
    }
  }
  if (level === IPPROTO_TCP && option === TCP_NODELAY && sock.type === SOCK_STREAM) return sock._nodelay;
  if (level === IPPROTO_IPV6 && option === IPV6_V6ONLY && sock.family === AF_INET6) return sock._v6only;
  throw unknown();
}

/** Set `option` at `level` to `value`. @throws OSError `[Errno 92] Protocol not available`. */
export function setOption(sock: Socket, level: number, option: number, value: number): void {
  if (level === SOL_SOCKET) {
    switch (option) {
      case SO_REUSEADDR: sock._reuseAddr = value !== 0; return;
      case SO_REUSEPORT: sock._reusePort = value; return;
      case SO_KEEPALIVE: sock._keepalive = value; return;
      case SO_SNDBUF: sock._sndbuf = value; return;
      case SO_RCVBUF: sock._rcvbuf = value; return;
      default: throw unknown();
    }
  }
  if (level === IPPROTO_TCP && option === TCP_NODELAY && sock.type === SOCK_STREAM) {
    sock._nodelay = value;
    return;
  }
  if (level === IPPROTO_IPV6 && option === IPV6_V6ONLY && sock.family === AF_INET6) {
    sock._v6only = value;
    return;
  }
  throw unknown();
}
