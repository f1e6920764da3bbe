// The loop's client side of TCP: resolve the address, try each address in turn (binding
// a local address first if asked), report what failed as asyncio does, and wrap the
// connected socket in a transport once its protocol's connection_made() has run.
// asyncio: base_events.BaseEventLoop.create_connection, _connect_sock, _create_connection_transport, connect_accepted_socket

import { ExceptionGroup } from '../errors/exception-group.js';
import { OSError, osError, ValueError } from '../errors/exceptions.js';
import { repr, reprTuple } from '../format/py-repr.js';
import { logger } from '../log/asyncio-logger.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { SockAddr } from '../net/address.js';
import { AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM } from '../net/constants.js';
import type { AddrInfo } from '../net/resolver.js';
import { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import type { BaseProtocol } from './protocols.js';
import type { SelectorSocketTransport } from './socket-transport.js';
import { staggeredRace } from './staggered.js';
import type { Transport } from './transports.js';

/** The keyword arguments of `loop.create_connection`. asyncio: create_connection's keywords */
export interface CreateConnectionOptions {
  ssl?: unknown;
  family?: number;
  proto?: number;
  flags?: number;
  sock?: Socket | null;
  localAddr?: SockAddr | null;
  serverHostname?: string | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
  happyEyeballsDelay?: number | null;
  interleave?: number | null;
  allErrors?: boolean;
}

/** The keyword arguments of `loop.connect_accepted_socket`. asyncio: connect_accepted_socket's keywords */
export interface ConnectAcceptedSocketOptions {
  ssl?: unknown;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
}

/** @internal aiosim has no TLS: what a call asking for it raises. */
export function sslOutOfScope(): never {
  throw new ValueError('aiosim: ssl is out of scope (the simulated network has no TLS); see docs/divergences.md');
}

// asyncio: the checks of the ssl-only keywords, shared by create_connection and connect_accepted_socket.
function checkSslTimeouts(ssl: unknown, handshake: unknown, shutdown: unknown): void {
  if (handshake !== undefined && handshake !== null && !ssl) throw new ValueError('ssl_handshake_timeout is only meaningful with ssl');
  if (shutdown !== undefined && shutdown !== null && !ssl) throw new ValueError('ssl_shutdown_timeout is only meaningful with ssl');
}

// Python's repr of an address family as getaddrinfo returns it (socket.AddressFamily).
function familyRepr(family: number): string {
  const name = family === AF_INET ? 'AF_INET' : family === AF_INET6 ? 'AF_INET6' : family === AF_UNIX ? 'AF_UNIX' : undefined;
  return name === undefined ? String(family) : `<AddressFamily.${name}: ${family}>`;
}

/** Interleave addrinfos by family, the first family's first `firstCount` kept first. asyncio: base_events._interleave_addrinfos */
export function interleaveAddrinfos(addrinfos: readonly AddrInfo[], firstCount = 1): AddrInfo[] {
  const byFamily = new Map<number, AddrInfo[]>();
  for (const a of addrinfos) {
    let list = byFamily.get(a[0]);
    if (list === undefined) byFamily.set(a[0], (list = []));
    list.push(a);
  }
  const lists = [...byFamily.values()];
  const reordered: AddrInfo[] = [];
  if (firstCount > 1) reordered.push(...lists[0]!.splice(0, firstCount - 1));
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) reordered.push(l[i]!);
  return reordered;
}

/** @internal Create, bind and connect one socket; its errors go to `exceptions`. asyncio: BaseEventLoop._connect_sock */
export function* connectSock(loop: EventLoop, exceptions: unknown[][], addrInfo: AddrInfo, localAddrInfos?: readonly AddrInfo[]): Coro<Socket> {
  const myExceptions: unknown[] = [];
  exceptions.push(myExceptions);
  const [family, type, proto, , address] = addrInfo;
  let sock: Socket | undefined;
  try {
    sock = new Socket(family, type, proto);
    sock.setblocking(false);
    if (localAddrInfos !== undefined) {
      let bound = false;
      for (const [lfamily, , , , laddr] of localAddrInfos) {
        // asyncio: skip local addresses of another family.
        if (lfamily !== family) continue;
        try {
          sock.bind(laddr);
          bound = true;
          break;
        } catch (exc) {
          if (!(exc instanceof OSError)) throw exc;
          const msg = `error while attempting to bind on address ${reprTuple(laddr)}: ${exc.message.toLowerCase()}`;
          myExceptions.push(exc.errno === undefined ? new OSError(undefined, msg) : osError(exc.errno, msg));
        }
      }
      if (!bound) {
        if (myExceptions.length > 0) throw myExceptions.pop();
        throw new OSError(`no matching local address with family=${familyRepr(family)} found`);
      }
    }
    yield* loop.sockConnect(sock, address);
    return sock;
  } catch (exc) {
    if (exc instanceof OSError) myExceptions.push(exc);
    sock?.close();
    throw exc;
  }
}

/** asyncio: BaseEventLoop.create_connection */
export function* createConnection<P extends BaseProtocol>(
  loop: EventLoop, protocolFactory: () => P, host?: string | null, port?: number | string | null, options?: CreateConnectionOptions,
): Coro<[Transport, P]> {
  const o = options ?? {};
  const { ssl, family = 0, proto = 0, flags = 0, localAddr, sslHandshakeTimeout, sslShutdownTimeout, happyEyeballsDelay, allErrors = false } = o;
  let { sock, serverHostname, interleave } = o;
  if (serverHostname !== undefined && serverHostname !== null && !ssl) throw new ValueError('server_hostname is only meaningful with ssl');
  if ((serverHostname === undefined || serverHostname === null) && ssl) {
    if (!host) throw new ValueError('You must set server_hostname when using ssl without a host');
    serverHostname = host;
  }
  checkSslTimeouts(ssl, sslHandshakeTimeout, sslShutdownTimeout);
  if (ssl) sslOutOfScope();
  // asyncio: with happy eyeballs, addresses are interleaved by family by default.
  if (happyEyeballsDelay !== undefined && happyEyeballsDelay !== null && (interleave === undefined || interleave === null)) interleave = 1;

  if ((host !== undefined && host !== null) || (port !== undefined && port !== null)) {
    if (sock !== undefined && sock !== null) throw new ValueError('host/port and sock can not be specified at the same time');
    let infos = yield* loop._ensureResolved([host, port] as unknown as SockAddr, { family, type: SOCK_STREAM, proto, flags });
    if (infos.length === 0) throw new OSError('getaddrinfo() returned empty list');
    let laddrInfos: AddrInfo[] | undefined;
    if (localAddr !== undefined && localAddr !== null) {
      laddrInfos = yield* loop._ensureResolved(localAddr, { family, type: SOCK_STREAM, proto, flags });
      if (laddrInfos.length === 0) throw new OSError('getaddrinfo() returned empty list');
    }
    if (interleave) infos = interleaveAddrinfos(infos, interleave);
    const exceptions: unknown[][] = [];
    sock = undefined;
    if (happyEyeballsDelay === undefined || happyEyeballsDelay === null) {
      for (const addrinfo of infos) {
        try {
          sock = yield* connectSock(loop, exceptions, addrinfo, laddrInfos);
          break;
        } catch (exc) {
          if (!(exc instanceof OSError)) throw exc;
        }
      }
    } else {
      const coroFns = infos.map((addrinfo) => () => connectSock(loop, exceptions, addrinfo, laddrInfos));
      sock = (yield* staggeredRace(coroFns, happyEyeballsDelay, loop))[0];
    }
    if (sock === undefined) throw connectionFailure(exceptions.flat(), allErrors);
  } else {
    if (sock === undefined || sock === null) throw new ValueError('host and port was not specified and no sock specified');
    // asyncio: AF_INET, AF_INET6 and AF_UNIX are all accepted, as long as they are SOCK_STREAM.
    if (sock.type !== SOCK_STREAM) throw new ValueError(`A Stream Socket was expected, got ${repr(sock)}`);
  }
  const [transport, protocol] = yield* createConnectionTransport(loop, sock, protocolFactory);
  if (loop._debug) {
    logger.debug('%r connected to %s:%r: (%r, %r)', transport.getExtraInfo('socket'), host, port, transport, protocol);
  }
  return [transport, protocol];
}

// asyncio: create_connection's choice of what to raise when no address worked.
function connectionFailure(exceptions: unknown[], allErrors: boolean): unknown {
  if (allErrors) return new ExceptionGroup('create_connection failed', exceptions);
  if (exceptions.length === 1) return exceptions[0];
  // asyncio: if they all have the same str(), raise one.
  const model = String((exceptions[0] as Error).message);
  if (exceptions.every((e) => (e as Error).message === model)) return exceptions[0];
  return new OSError(`Multiple exceptions: ${exceptions.map((e) => (e as Error).message).join(', ')}`);
}

/**
 * @internal Make the transport of a connected socket and wait until the protocol's
 * connection_made() ran; close the transport if the wait fails.
 * asyncio: BaseEventLoop._create_connection_transport
 */
export function* createConnectionTransport<P extends BaseProtocol>(loop: EventLoop, sock: Socket, protocolFactory: () => P): Coro<[SelectorSocketTransport, P]> {
  sock.setblocking(false);
  const protocol = protocolFactory();
  const waiter = loop.createFuture<void>();
  const transport = loop._makeSocketTransport(sock, protocol, waiter);
  // asyncio's bare `except:`: a cancelled wait or a closed coroutine closes the transport too.
  let done = false;
  try {
    yield* waiter;
    done = true;
  } finally {
    if (!done) transport.close();
  }
  return [transport, protocol];
}

/** asyncio: BaseEventLoop.connect_accepted_socket */
export function* connectAcceptedSocket<P extends BaseProtocol>(
  loop: EventLoop, protocolFactory: () => P, sock: Socket, options?: ConnectAcceptedSocketOptions,
): Coro<[Transport, P]> {
  const { ssl, sslHandshakeTimeout, sslShutdownTimeout } = options ?? {};
  if (sock.type !== SOCK_STREAM) throw new ValueError(`A Stream Socket was expected, got ${repr(sock)}`);
  checkSslTimeouts(ssl, sslHandshakeTimeout, sslShutdownTimeout);
  if (ssl) sslOutOfScope();
  const [transport, protocol] = yield* createConnectionTransport(loop, sock, protocolFactory);
  if (loop._debug) logger.debug('%r handled: (%r, %r)', transport.getExtraInfo('socket'), transport, protocol);
  return [transport, protocol];
}
