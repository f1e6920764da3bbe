// The loop's UDP endpoints: check the arguments, resolve the local and remote addresses,
// pair them by (family, proto), make and bind (and connect) a socket for the first pair
// that works, and wrap it in a datagram transport.
// asyncio: base_events.BaseEventLoop.create_datagram_endpoint

import { OSError, ValueError } from '../errors/exceptions.js';
import { pyStr, repr, reprTuple } from '../format/py-repr.js';
import { logger } from '../log/asyncio-logger.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { SockAddr } from '../net/address.js';
import { AF_UNIX, SO_REUSEPORT, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET } from '../net/constants.js';
import { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import type { DatagramProtocol } from './protocols.js';
import type { DatagramTransport, WriteTransport } from './transports.js';

/** The transport createDatagramEndpoint returns: a DatagramTransport with write flow control (as asyncio's). */
export type DatagramEndpointTransport = DatagramTransport & Pick<WriteTransport, 'getWriteBufferSize' | 'getWriteBufferLimits' | 'setWriteBufferLimits'>;

/** Linux's SO_BROADCAST (the simulated network does not implement the option). */
const SO_BROADCAST = 6;

/** The keyword arguments of `loop.create_datagram_endpoint`. asyncio: create_datagram_endpoint's arguments */
export interface CreateDatagramEndpointOptions {
  localAddr?: SockAddr | string | null;
  remoteAddr?: SockAddr | string | null;
  family?: number;
  proto?: number;
  flags?: number;
  reusePort?: boolean | null;
  allowBroadcast?: boolean | null;
  sock?: Socket | null;
}

// Python's truth value of an argument (an empty tuple or string, 0, None are false).
function truthy(x: unknown): boolean {
  if (Array.isArray(x)) return x.length > 0;
  return Boolean(x);
}

// Python's str() of an argument in the "socket modifier" message.
function strOf(x: unknown): string {
  return Array.isArray(x) ? reprTuple(x) : pyStr(x);
}

// asyncio: base_events._set_reuseport
function setReuseport(sock: Socket): void {
  try {
    sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
  } catch (e) {
    if (e instanceof OSError) throw new ValueError('reuse_port not supported by socket module, SO_REUSEPORT defined but not implemented.');
    throw e;
  }
}

type AddrPair = [local: SockAddr | undefined, remote: SockAddr | undefined];

// asyncio: the (family, proto) pairs with an address for each address given.
function* addressPairs(loop: EventLoop, o: CreateDatagramEndpointOptions, family: number, proto: number, flags: number): Coro<[number, number, AddrPair][]> {
  const { localAddr, remoteAddr } = o;
  if (!(truthy(localAddr) || truthy(remoteAddr))) {
    if (family === 0) throw new ValueError('unexpected address family');
    return [[family, proto, [undefined, undefined]]];
  }
  if (family === AF_UNIX) {
    for (const addr of [localAddr, remoteAddr]) if (addr !== undefined && addr !== null && typeof addr !== 'string') throw new TypeError('string is expected');
    return [[family, proto, [localAddr as unknown as SockAddr, remoteAddr as unknown as SockAddr]]];
  }
  // Insertion-ordered, as asyncio's dict.
  const byKey = new Map<string, [number, number, AddrPair]>();
  for (const [idx, addr] of [[0, localAddr], [1, remoteAddr]] as const) {
    if (addr === undefined || addr === null) continue;
    if (!(Array.isArray(addr) && addr.length === 2)) throw new TypeError('2-tuple is expected');
    const infos = yield* loop._ensureResolved(addr as SockAddr, { family, type: SOCK_DGRAM, proto, flags });
    if (infos.length === 0) throw new OSError('getaddrinfo() returned empty list');
    for (const [fam, , pro, , address] of infos) {
      const key = `${fam},${pro}`;
      let entry = byKey.get(key);
      if (entry === undefined) byKey.set(key, (entry = [fam, pro, [undefined, undefined]]));
      entry[2][idx] = address;
    }
  }
  // asyncio: each address given needs an address of the pair's (family, proto).
  const pairs = [...byKey.values()].filter(([, , [l, r]]) => !((truthy(localAddr) && l === undefined) || (truthy(remoteAddr) && r === undefined)));
  if (pairs.length === 0) throw new ValueError('can not get address information');
  return pairs;
}

/** asyncio: BaseEventLoop.create_datagram_endpoint */
export function* createDatagramEndpoint<P extends DatagramProtocol>(loop: EventLoop, protocolFactory: () => P, options?: CreateDatagramEndpointOptions): Coro<[DatagramEndpointTransport, P]> {
  const o = options ?? {};
  if (Object.prototype.hasOwnProperty.call(o, 'reuseAddress')) {
    throw new TypeError("BaseEventLoop.create_datagram_endpoint() got an unexpected keyword argument 'reuse_address'");
  }
  const { localAddr, remoteAddr, family = 0, proto = 0, flags = 0, reusePort, allowBroadcast } = o;
  let sock = o.sock ?? undefined;
  let rAddr: SockAddr | undefined;
  if (sock !== undefined) {
    if (sock.type === SOCK_STREAM) throw new ValueError(`A datagram socket was expected, got ${repr(sock)}`);
    const opts: [string, unknown][] = [
      ['local_addr', localAddr], ['remote_addr', remoteAddr], ['family', family], ['proto', proto], ['flags', flags],
      ['reuse_port', reusePort], ['allow_broadcast', allowBroadcast],
    ];
    if (opts.some(([, v]) => truthy(v))) {
      // asyncio: the message shows the problematic keyword arguments.
      const problems = opts.filter(([, v]) => truthy(v)).map(([k, v]) => `${k}=${strOf(v)}`).join(', ');
      throw new ValueError(`socket modifier keyword arguments can not be used when sock is specified. (${problems})`);
    }
    sock.setblocking(false);
  } else {
    const pairs = yield* addressPairs(loop, o, family, proto, flags);
    const exceptions: unknown[] = [];
    for (const [fam, pro, [localAddress, remoteAddress]] of pairs) {
      sock = undefined;
      rAddr = undefined;
      try {
        sock = new Socket(fam, SOCK_DGRAM, pro);
        if (reusePort) setReuseport(sock);
        if (allowBroadcast) sock.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
        sock.setblocking(false);
        if (truthy(localAddr)) sock.bind(localAddress!);
        if (truthy(remoteAddr)) {
          if (!allowBroadcast) yield* loop.sockConnect(sock, remoteAddress!);
          rAddr = remoteAddress;
        }
      } catch (exc) {
        sock?.close();
        if (!(exc instanceof OSError)) throw exc;
        exceptions.push(exc);
        sock = undefined;
        continue;
      }
      break;
    }
    if (sock === undefined) throw exceptions[0];
  }
  const protocol = protocolFactory();
  const waiter = loop.createFuture<void>();
  const transport = loop._makeDatagramTransport(sock, protocol, rAddr, waiter);
  if (loop._debug) {
    if (truthy(localAddr)) {
      logger.info('Datagram endpoint local_addr=%s remote_addr=%s created: (%r, %r)', addrRepr(localAddr), addrRepr(remoteAddr), transport, protocol);
    } else {
      logger.debug('Datagram endpoint remote_addr=%s created: (%r, %r)', addrRepr(remoteAddr), transport, protocol);
    }
  }
  // asyncio's bare `except:`: a failed wait closes the transport.
  let done = false;
  try {
    yield* waiter;
    done = true;
  } finally {
    if (!done) transport.close();
  }
  return [transport, protocol];
}

function addrRepr(addr: unknown): string {
  return Array.isArray(addr) ? reprTuple(addr) : repr(addr);
}
