// The socket a transport shows through get_extra_info('socket'): the harmless part of a
// socket's methods, forwarded; what would disturb the transport (close, blocking mode,
// timeouts) is not there or refused.
// asyncio: trsock.TransportSocket

import { OSError, ValueError } from '../errors/exceptions.js';
import { reprSymbol, reprTuple } from '../format/py-repr.js';
import type { SockAddr } from '../net/address.js';
import type { Socket } from '../net/socket.js';

/**
 * A transport's socket as a protocol may see it: names, options and shutdown are
 * forwarded to the socket; the socket stays non-blocking, and it cannot be closed here.
 *
 * @example
 * const sock = transport.getExtraInfo('socket') as TransportSocket;
 * sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1);
 * asyncio: asyncio.TransportSocket (trsock.TransportSocket)
 */
export class TransportSocket {
  /** @internal The wrapped socket. */
  readonly _sock: Socket;

  constructor(sock: Socket) {
    this._sock = sock;
  }

  /** The socket's address family. asyncio: TransportSocket.family */
  get family(): number {
    return this._sock.family;
  }

  /** The socket's type. asyncio: TransportSocket.type */
  get type(): number {
    return this._sock.type;
  }

  /** The socket's protocol number. asyncio: TransportSocket.proto */
  get proto(): number {
    return this._sock.proto;
  }

  /** The socket's file descriptor (-1 once closed). asyncio: TransportSocket.fileno */
  fileno(): number {
    return this._sock.fileno();
  }

  /** Shut down one or both directions of the socket. asyncio: TransportSocket.shutdown */
  shutdown(how: number): void {
    this._sock.shutdown(how);
  }

  /** Read a socket option. asyncio: TransportSocket.getsockopt */
  getsockopt(level: number, option: number): number {
    return this._sock.getsockopt(level, option);
  }

  /** Set a socket option. asyncio: TransportSocket.setsockopt */
  setsockopt(level: number, option: number, value: number | boolean): void {
    this._sock.setsockopt(level, option, value);
  }

  /** The peer's address. asyncio: TransportSocket.getpeername */
  getpeername(): SockAddr {
    return this._sock.getpeername();
  }

  /** The local address. asyncio: TransportSocket.getsockname */
  getsockname(): SockAddr | string {
    return this._sock.getsockname();
  }

  /**
   * Accept only a timeout of 0 (the socket stays non-blocking).
   * @throws ValueError `settimeout(): only 0 timeout is allowed on transport sockets`.
   * asyncio: TransportSocket.settimeout
   */
  settimeout(value: number | null): void {
    if (value === 0) return;
    throw new ValueError('settimeout(): only 0 timeout is allowed on transport sockets');
  }

  /** Always 0: a transport's socket is non-blocking. asyncio: TransportSocket.gettimeout */
  gettimeout(): number {
    return 0;
  }

  /**
   * Accept only `false` (non-blocking).
   * @throws ValueError `setblocking(): transport sockets cannot be blocking`.
   * asyncio: TransportSocket.setblocking
   */
  setblocking(flag: boolean): void {
    if (!flag) return;
    throw new ValueError('setblocking(): transport sockets cannot be blocking');
  }

  /** `<asyncio.TransportSocket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>`. */
  [reprSymbol](): string {
    let s = `<asyncio.TransportSocket fd=${this.fileno()}, family=${this.family}, type=${this.type}, proto=${this.proto}`;
    if (this.fileno() !== -1) {
      // asyncio: a name that cannot be had (an OSError) is left out.
      const laddr = names(() => this.getsockname());
      if (laddr) s += `, laddr=${reprTuple(laddr as readonly unknown[])}`;
      const raddr = names(() => this.getpeername());
      if (raddr) s += `, raddr=${reprTuple(raddr as readonly unknown[])}`;
    }
    return `${s}>`;
  }

  /** The repr. */
  toString(): string {
    return this[reprSymbol]();
  }
}

function names(get: () => SockAddr | string): SockAddr | string | undefined {
  try {
    return get();
  } catch (e) {
    if (e instanceof OSError) return undefined;
    throw e;
  }
}
