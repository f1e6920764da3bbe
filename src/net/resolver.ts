// Name resolution on the simulated network, and the socket module's functions that are not
// methods: getaddrinfo (a blocking call: asyncio runs it in the default executor),
// gethostname and socketpair.
// asyncio: socket.getaddrinfo, socket.gethostname, socket.socketpair

import { parseIPv4, parseIPv6, type SockAddr } from './address.js';
import {
  AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AI_PASSIVE, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM,
} from './constants.js';
import { EAFNOSUPPORT, errnoError, gaierror } from './errno.js';
import { network } from './network.js';
import { Socket } from './socket.js';
import { TcpState } from './socket-state.js';

/** One result of getaddrinfo: `[family, type, proto, canonname, sockaddr]`. asyncio: socket.getaddrinfo's tuples */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: SockAddr];

// Linux gives, for a type of 0, one result per socket type in this order.
const KINDS: readonly (readonly [type: number, proto: number])[] = [[SOCK_STREAM, IPPROTO_TCP], [SOCK_DGRAM, IPPROTO_UDP], [SOCK_RAW, 0]];

/**
 * Resolve `host` and `port` on the network: numeric addresses as themselves, names on the
 * network's hosts (`localhost`: 127.0.0.1); no host: the loopback addresses (`::1` first),
 * or with AI_PASSIVE the wildcard ones (`0.0.0.0` first).
 * @throws gaierror `[Errno -2] Name or service not known`, `[Errno -9] Address family for
 * hostname not supported`, `[Errno -8] Servname not supported for ai_socktype`.
 * asyncio: socket.getaddrinfo
 */
export function getaddrinfo(
  host: string | null | undefined,
  port: number | string | Uint8Array | null | undefined,
  family = AF_UNSPEC,
  type = 0,
  proto = 0,
  flags = 0,
): AddrInfo[] {
  // A bytes port (b'80') is its ASCII text, as socket.getaddrinfo reads it.
  const portText = port instanceof Uint8Array ? String.fromCharCode(...port) : port;
  const portNumber = portText === null || portText === undefined || portText === '' ? 0 : Number(portText);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) throw new gaierror(-8, 'Servname not supported for ai_socktype');
  let addrs: readonly string[];
  let literal = false;
  if (host === null || host === undefined) {
    addrs = (flags & AI_PASSIVE) !== 0 ? ['0.0.0.0', '::'] : ['::1', '127.0.0.1'];
  } else {
    const parsed = parseIPv4(host) ?? parseIPv6(host);
    literal = parsed !== undefined;
    const resolved = parsed !== undefined ? [parsed] : network.resolve(host);
    if (resolved === undefined) throw new gaierror(-2, 'Name or service not known');
    addrs = resolved;
  }
  const wanted = addrs.filter((a) => family === AF_UNSPEC || (family === AF_INET6) === (parseIPv6(a) !== undefined));
  if (wanted.length === 0) {
    throw literal ? new gaierror(-9, 'Address family for hostname not supported') : new gaierror(-5, 'No address associated with hostname');
  }
  const results: AddrInfo[] = [];
  for (const addr of wanted) {
    const v6 = parseIPv6(addr) !== undefined;
    for (const [t, p] of KINDS) {
      if (type !== 0 ? t !== type : proto !== 0 && p !== proto) continue;
      results.push([v6 ? AF_INET6 : AF_INET, t, type !== 0 && proto !== 0 ? proto : p, '', v6 ? [addr, portNumber, 0, 0] : [addr, portNumber]]);
    }
  }
  return results;
}

/** Return the current host's name (`localhost` for the default host). asyncio: socket.gethostname */
export function gethostname(): string {
  return network.current.name;
}

/**
 * Return two connected stream sockets (AF_UNIX, blocking, as Python's default).
 * @throws OSError `[Errno 97] Address family not supported by protocol` for another family.
 * asyncio: socket.socketpair
 */
export function socketpair(family = AF_UNIX, type = SOCK_STREAM, proto = 0): [Socket, Socket] {
  if (family !== AF_UNIX || type !== SOCK_STREAM) throw errnoError(EAFNOSUPPORT);
  const a = new Socket(family, type, proto);
  const b = new Socket(family, type, proto);
  for (const [s, peer] of [[a, b], [b, a]] as const) {
    s._state = TcpState.Connected;
    s._peer = peer;
    s._remoteAddr = '';
    s._capacity = s._sndbuf + peer._rcvbuf;
  }
  return [a, b];
}
