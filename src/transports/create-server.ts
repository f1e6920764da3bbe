// loop.createServer: resolve the hosts, make one listening socket per address (or take
// the one given), and return a Server that serves on them.
// asyncio: base_events.BaseEventLoop.create_server and _create_server_getaddrinfo

import { OSError, ValueError, osError } from '../errors/exceptions.js';
import { repr, reprTuple } from '../format/py-repr.js';
import { logger } from '../log/asyncio-logger.js';
import { WARNING } from '../log/logging.js';
import type { EventLoop } from '../loop/event-loop.js';
import {
  AF_INET, AF_INET6, AF_UNSPEC, AI_PASSIVE, IPPROTO_IPV6, IPV6_V6ONLY, SO_KEEPALIVE, SO_REUSEADDR, SO_REUSEPORT, SOCK_STREAM, SOL_SOCKET,
} from '../net/constants.js';
import { EADDRNOTAVAIL } from '../net/errno.js';
import type { AddrInfo } from '../net/resolver.js';
import { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import { gather } from '../task/gather.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';
import { sleep } from '../task/sleep.js';
import { sslOutOfScope } from './create-connection.js';
import type { BaseProtocol } from './protocols.js';
import { Server, type ProtocolFactory } from './server.js';

/** The keyword arguments of `loop.createServer`. asyncio: loop.create_server's keywords */
export interface CreateServerOptions {
  /** AF_UNSPEC (both), AF_INET or AF_INET6. */ family?: number;
  /** getaddrinfo's flags (default AI_PASSIVE). */ flags?: number;
  /** A listening socket made elsewhere, instead of host and port. */ sock?: Socket | null;
  /** listen()'s backlog, and how many connections one readiness accepts (default 100). */ backlog?: number;
  /** TLS: not simulated (aiosim refuses it). */ ssl?: unknown;
  /** SO_REUSEADDR (default true, as on POSIX). */ reuseAddress?: boolean | null;
  /** SO_REUSEPORT. */ reusePort?: boolean | null;
  /** SO_KEEPALIVE. */ keepAlive?: boolean | null;
  /** Only meaningful with ssl. */ sslHandshakeTimeout?: number | null;
  /** Only meaningful with ssl. */ sslShutdownTimeout?: number | null;
  /** Start accepting at once (default true; None: no, as Python reads it). */ startServing?: boolean | null;
}

/** asyncio: BaseEventLoop._create_server_getaddrinfo */
const createServerGetaddrinfo = _libraryCoroutine('BaseEventLoop._create_server_getaddrinfo', function* createServerGetaddrinfo(
  loop: EventLoop, host: string | undefined, port: number | string | null | undefined, family: number, flags: number,
): Coro<AddrInfo[]> {
  const infos = yield* loop._ensureResolved([host as string, port as number], { family, type: SOCK_STREAM, flags });
  if (!infos || infos.length === 0) throw new OSError(`getaddrinfo(${repr(host)}) returned empty list`);
  return infos;
});

// asyncio: base_events._set_reuseport
function setReuseport(sock: Socket): void {
  try {
    sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
  } catch (e) {
    if (e instanceof OSError) throw new ValueError('reuse_port not supported by socket module, SO_REUSEPORT defined but not implemented.');
    throw e;
  }
}

// `set(itertools.chain(...))`: the same address twice is bound once. CPython iterates the
// set in hash order (string hashes are randomised per process); aiosim keeps getaddrinfo's
// order (docs/divergences.md).
function distinct(lists: readonly AddrInfo[][]): AddrInfo[] {
  const seen = new Set<string>();
  const out: AddrInfo[] = [];
  for (const info of lists.flat()) {
    const key = JSON.stringify(info);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(info);
  }
  return out;
}

// One socket per address, options set and bound; every one is closed if one fails.
function bindAll(loop: EventLoop, infos: readonly AddrInfo[], reuseAddress: boolean, reusePort: boolean, keepAlive: boolean): Socket[] {
  const sockets: Socket[] = [];
  let completed = false;
  try {
    for (const [af, socktype, proto, , sa] of infos) {
      let sock: Socket;
      try {
        sock = new Socket(af, socktype, proto);
      } catch (e) {
        if (!(e instanceof OSError)) throw e;
        // asyncio: assume a bad family/type/protocol combination.
        if (loop._debug) logger.logWithException(WARNING, e, 'create_server() failed to create socket.socket(%r, %r, %r)', af, socktype, proto);
        continue;
      }
      sockets.push(sock);
      if (reuseAddress) sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, true);
      if (reusePort && (af === AF_INET || af === AF_INET6)) setReuseport(sock);
      if (keepAlive) sock.setsockopt(SOL_SOCKET, SO_KEEPALIVE, true);
      // asyncio: no dual-stack socket listening on both families.
      if (af === AF_INET6) sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, true);
      try {
        sock.bind(sa);
      } catch (e) {
        if (!(e instanceof OSError)) throw e;
        const msg = `error while attempting to bind on address ${reprTuple(sa)}: ${e.message.toLowerCase()}`;
        if (e.errno === EADDRNOTAVAIL) {
          // asyncio: assume the family is not enabled (bpo-30945).
          sockets.pop();
          sock.close();
          if (loop._debug) logger.warning(msg);
          continue;
        }
        throw osError(e.errno ?? 0, msg);
      }
    }
    if (sockets.length === 0) {
      // asyncio: `%r` of a list of address tuples.
      throw new OSError(`could not bind on any address out of [${infos.map((info) => reprTuple(info[4])).join(', ')}]`);
    }
    completed = true;
  } finally {
    if (!completed) for (const sock of sockets) sock.close();
  }
  return sockets;
}

/**
 * Make a TCP server: listening sockets on `host` (a name, an address, a list of them;
 * undefined or '' for every interface) and `port`, or on `options.sock`.
 *
 * Hosts are resolved with the loop's getaddrinfo (in the default executor, unless an
 * address is given); an address two hosts share is bound once. Each socket gets
 * SO_REUSEADDR (unless `reuseAddress: false`), IPV6_V6ONLY when it is IPv6, and listens
 * with `backlog`. Unless `startServing: false`, the server accepts at once, and one loop
 * iteration passes before it is returned.
 *
 * @throws ValueError `host/port and sock can not be specified at the same time`,
 * `Neither host/port nor sock were specified`, `A Stream Socket was expected, got …`,
 * `ssl_handshake_timeout is only meaningful with ssl`.
 * @throws OSError `[Errno 98] error while attempting to bind on address ('127.0.0.1', 8888): [errno 98] address already in use`.
 * @throws TypeError `ssl argument must be an SSLContext or None`; ValueError for any other
 * `ssl` (TLS is not simulated: docs/divergences.md).
 * @example const server = yield* loop.createServer(() => new Echo(), '127.0.0.1', 8888);
 * asyncio: loop.create_server
 */
export function* createServer(
  loop: EventLoop,
  protocolFactory: ProtocolFactory<BaseProtocol>,
  host?: string | readonly string[] | null,
  port?: number | string | null,
  options?: CreateServerOptions,
): Coro<Server> {
  const { family = AF_UNSPEC, flags = AI_PASSIVE, backlog = 100, ssl, startServing = true } = options ?? {};
  let sock = options?.sock ?? undefined;
  const sslHandshakeTimeout = options?.sslHandshakeTimeout ?? undefined;
  const sslShutdownTimeout = options?.sslShutdownTimeout ?? undefined;
  const noSsl = ssl === undefined || ssl === null;
  if (typeof ssl === 'boolean') throw new TypeError('ssl argument must be an SSLContext or None');
  if (sslHandshakeTimeout !== undefined && noSsl) throw new ValueError('ssl_handshake_timeout is only meaningful with ssl');
  if (sslShutdownTimeout !== undefined && noSsl) throw new ValueError('ssl_shutdown_timeout is only meaningful with ssl');
  if (!noSsl) sslOutOfScope();
  let sockets: Socket[];
  if ((host !== undefined && host !== null) || (port !== undefined && port !== null)) {
    if (sock !== undefined) throw new ValueError('host/port and sock can not be specified at the same time');
    const hosts: (string | undefined)[] = host === '' ? [undefined] : typeof host === 'string' || host === undefined || host === null ? [host ?? undefined] : [...host];
    const fs = hosts.map((h) => createServerGetaddrinfo(loop, h, port, family, flags));
    const infos = (yield* gather(...fs)) as AddrInfo[][];
    sockets = bindAll(loop, distinct(infos), options?.reuseAddress ?? true, options?.reusePort === true, options?.keepAlive === true);
  } else {
    if (sock === undefined) throw new ValueError('Neither host/port nor sock were specified');
    if (sock.type !== SOCK_STREAM) throw new ValueError(`A Stream Socket was expected, got ${repr(sock)}`);
    sockets = [sock];
  }
  for (sock of sockets) sock.setblocking(false);
  const server = new Server(loop, sockets, protocolFactory, ssl, backlog, sslHandshakeTimeout, sslShutdownTimeout);
  if (startServing) {
    server._startServing();
    // asyncio: one iteration passes, so that the readers are in place.
    yield* sleep(0);
  }
  if (loop._debug) logger.info('%r is serving', server);
  return server;
}
