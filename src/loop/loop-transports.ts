// The loop's transports: the table of transports by file descriptor (so that nobody else
// registers a reader or writer on theirs), the internal reader/writer methods they use,
// the transport makers, and the connection makers of base_events (bodies in src/transports/).
// asyncio: BaseSelectorEventLoop._transports, _make_socket_transport, _make_datagram_transport, _add_reader …; BaseEventLoop.create_connection, create_datagram_endpoint, connect_accepted_socket

import type { Callback } from '../events/abstract-loop.js';
import type { Handle } from '../events/handle.js';
import type { FileObject } from '../events/selector.js';
import type { Future } from '../future/future.js';
import type { SockAddr } from '../net/address.js';
import type { AddrInfo } from '../net/resolver.js';
import type { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import {
  connectAcceptedSocket, createConnection, type ConnectAcceptedSocketOptions, type CreateConnectionOptions,
} from '../transports/create-connection.js';
import { createDatagramEndpoint, type CreateDatagramEndpointOptions, type DatagramEndpointTransport } from '../transports/create-datagram-endpoint.js';
import { SelectorDatagramTransport } from '../transports/datagram-transport.js';
import type { BaseProtocol, DatagramProtocol } from '../transports/protocols.js';
import type { SelectorTransport, TransportServer } from '../transports/selector-transport.js';
import { SelectorSocketTransport } from '../transports/socket-transport.js';
import type { ExtraInfo, Transport } from '../transports/transports.js';
import { LoopServices } from './loop-services.js';
import { addReader, addWriter, ensureFdNoTransport, removeReader, removeWriter } from './readers-writers.js';
import { ensureResolved } from './sock-methods.js';

/** The keyword arguments of `_make_socket_transport`. */
export interface MakeSocketTransportOptions {
  extra?: ExtraInfo | null;
  server?: TransportServer | null;
}

/** The base of EventLoop above LoopServices: see the header. */
export abstract class LoopTransports extends LoopServices {
  /**
   * @internal The transports by descriptor. asyncio keeps them in a WeakValueDictionary; a
   * transport leaves when its connection_lost() has run (a closed one blocks nothing).
   */
  readonly _transports = new Map<number, SelectorTransport<unknown>>();

  /** @internal asyncio: BaseSelectorEventLoop._add_reader */
  _addReader(fd: FileObject, callback: Callback, ...args: unknown[]): Handle {
    return addReader(this._self, fd, callback, args);
  }

  /** @internal asyncio: BaseSelectorEventLoop._remove_reader */
  _removeReader(fd: FileObject): boolean {
    return removeReader(this._self, fd);
  }

  /** @internal asyncio: BaseSelectorEventLoop._add_writer */
  _addWriter(fd: FileObject, callback: Callback, ...args: unknown[]): Handle {
    return addWriter(this._self, fd, callback, args);
  }

  /** @internal asyncio: BaseSelectorEventLoop._remove_writer */
  _removeWriter(fd: FileObject): boolean {
    return removeWriter(this._self, fd);
  }

  /** @internal asyncio: BaseSelectorEventLoop._ensure_fd_no_transport */
  _ensureFdNoTransport(fd: FileObject): void {
    ensureFdNoTransport(this._self, fd);
  }

  /** @internal Resolve `address` unless it is already an IP address. asyncio: BaseEventLoop._ensure_resolved */
  *_ensureResolved(address: SockAddr, options?: { family?: number; type?: number; proto?: number; flags?: number }): Coro<AddrInfo[]> {
    const { family = 0, type = 1, proto = 0, flags = 0 } = options ?? {};
    return yield* ensureResolved(this._self, address, family, type, proto, flags);
  }

  /**
   * @internal The stream transport of a connected socket: connection_made() and the
   * reader are scheduled, then `waiter`'s result.
   * @throws RuntimeError when a live transport already uses the socket's descriptor.
   * asyncio: BaseSelectorEventLoop._make_socket_transport
   */
  _makeSocketTransport(sock: Socket, protocol: BaseProtocol, waiter?: Future<void> | null, options?: MakeSocketTransportOptions): SelectorSocketTransport {
    this._ensureFdNoTransport(sock as FileObject);
    return new SelectorSocketTransport(this._self, sock, protocol, waiter, options?.extra, options?.server);
  }

  /** @internal asyncio: BaseSelectorEventLoop._make_datagram_transport */
  _makeDatagramTransport(sock: Socket, protocol: BaseProtocol, address?: SockAddr | null, waiter?: Future<void> | null, extra?: ExtraInfo | null): SelectorDatagramTransport {
    this._ensureFdNoTransport(sock as FileObject);
    return new SelectorDatagramTransport(this._self, sock, protocol, address, waiter, extra);
  }

  /**
   * Connect to `host`:`port` (each address getaddrinfo gives, in order, until one
   * works) or wrap the connected `sock`; return `[transport, protocol]` once the
   * protocol's connection_made() has run.
   *
   * @throws OSError the connect error (`[Errno 111] Connect call failed ('127.0.0.1', 1)`),
   * `Multiple exceptions: …` when several addresses failed differently, or
   * ExceptionGroup `create_connection failed` with `allErrors`.
   * @throws ValueError for inconsistent arguments (CPython's messages); for `ssl` (no TLS in aiosim).
   * @example
   * const [transport, protocol] = yield* loop.createConnection(() => new Echo(), '127.0.0.1', 8888);
   * asyncio: loop.create_connection
   */
  *createConnection<P extends BaseProtocol>(protocolFactory: () => P, host?: string | null, port?: number | string | null, options?: CreateConnectionOptions): Coro<[Transport, P]> {
    return yield* createConnection(this._self, protocolFactory, host, port, options);
  }

  /**
   * Wrap an accepted connection's socket in a transport; return `[transport, protocol]`.
   * @throws ValueError `A Stream Socket was expected, got …`.
   * asyncio: loop.connect_accepted_socket
   */
  *connectAcceptedSocket<P extends BaseProtocol>(protocolFactory: () => P, sock: Socket, options?: ConnectAcceptedSocketOptions): Coro<[Transport, P]> {
    return yield* connectAcceptedSocket(this._self, protocolFactory, sock, options);
  }

  /**
   * Create a UDP endpoint bound to `localAddr` and/or connected to `remoteAddr` (or on
   * `sock`); return `[transport, protocol]` once connection_made() has run.
   * @throws ValueError / TypeError with CPython's messages for inconsistent arguments.
   * @example
   * const [transport] = yield* loop.createDatagramEndpoint(() => new Echo(), { localAddr: ['127.0.0.1', 9999] });
   * asyncio: loop.create_datagram_endpoint
   */
  *createDatagramEndpoint<P extends DatagramProtocol>(protocolFactory: () => P, options?: CreateDatagramEndpointOptions): Coro<[DatagramEndpointTransport, P]> {
    return yield* createDatagramEndpoint(this._self, protocolFactory, options);
  }
}
_libraryCoroutineMethods(LoopTransports.prototype, {
  createConnection: 'BaseEventLoop.create_connection',
  connectAcceptedSocket: 'BaseEventLoop.connect_accepted_socket',
  createDatagramEndpoint: 'BaseEventLoop.create_datagram_endpoint',
  _ensureResolved: 'BaseEventLoop._ensure_resolved',
});
