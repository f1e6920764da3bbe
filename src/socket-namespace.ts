// The names of the `socket` namespace exported from the package root: Python's socket
// module on the simulated network (src/net/, docs/network.md).

export {
  AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AI_PASSIVE, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, IPV6_V6ONLY, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_DGRAM, SOCK_RAW,
  SOCK_STREAM, SOL_SOCKET, SOMAXCONN, SO_ERROR, SO_KEEPALIVE, SO_RCVBUF, SO_REUSEADDR, SO_REUSEPORT, SO_SNDBUF, TCP_NODELAY,
} from './net/constants.js';
export { gaierror } from './net/errno.js';
export { getaddrinfo, gethostname, socketpair, type AddrInfo } from './net/resolver.js';
export { Socket as socket } from './net/socket.js';
export type { SockAddr } from './net/address.js';
