// The loop's servers: createServer and the two hooks a Server calls to start and stop
// accepting on a listening socket (bodies in src/transports/create-server.ts and accept.ts).
// asyncio: BaseEventLoop.create_server; BaseSelectorEventLoop._start_serving, _stop_serving

import type { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { startServing, stopServing } from '../transports/accept.js';
import { createServer, type CreateServerOptions } from '../transports/create-server.js';
import type { BaseProtocol } from '../transports/protocols.js';
import type { ProtocolFactory, Server } from '../transports/server.js';
import { LoopTransports } from './loop-transports.js';
import { _finalizeSocket, _socketServed } from './unclosed-io.js';
import { hostPortArgs, type HostPortKeywords } from '../transports/host-port.js';

/** The base of EventLoop above LoopTransports: see the header. */
/** createServer's keywords, host and port included (Python's `host=`, `port=`). */
export type ServerKeywords = CreateServerOptions & HostPortKeywords<string | readonly string[]>;

export abstract class LoopServers extends LoopTransports {
  /**
   * Make a TCP server listening on `host` (a name or an address, a list of them, or
   * undefined / '' for every interface) and `port`, or on `options.sock`; it accepts at
   * once unless `startServing: false`. Each accepted connection gets a protocol from
   * `protocolFactory` and a transport.
   *
   * @throws ValueError, OSError, TypeError: see createServer in src/transports/create-server.ts
   * (CPython's messages, `error while attempting to bind on address …` among them).
   * @example
   * const server = yield* loop.createServer(() => new Echo(), '127.0.0.1', 8888);
   * yield* asyncWith(server, function* () { yield* server.serveForever(); });
   * asyncio: loop.create_server
   */
  *createServer(
    protocolFactory: () => BaseProtocol,
    host?: string | readonly string[] | null | ServerKeywords,
    port?: number | string | null | ServerKeywords,
    options?: ServerKeywords,
  ): Coro<Server> {
    const [h, p, opts] = hostPortArgs<string | readonly string[], CreateServerOptions>('create_server', host, port, options);
    return yield* createServer(this._self, protocolFactory, h, p, opts);
  }

  /** @internal Accept connections on the listening `sock`. asyncio: BaseSelectorEventLoop._start_serving */
  _startServing(
    protocolFactory: ProtocolFactory, sock: Socket, sslContext?: unknown, server?: Server, backlog = 100,
    sslHandshakeTimeout?: number, sslShutdownTimeout?: number,
  ): void {
    startServing(this._self, protocolFactory, sock, sslContext, server, backlog, sslHandshakeTimeout, sslShutdownTimeout);
    // Left open, it is reported when the loop closes (unclosed-io.ts).
    _socketServed(this._self, sock);
  }

  /**
   * @internal `sock`, which nothing holds any more, is freed: an open one warns
   * `unclosed <socket.socket …>` and is closed. asyncio: socket.socket.__del__
   */
  _socketFreed(sock: Socket): void {
    _finalizeSocket(sock);
  }

  /** @internal Stop accepting on `sock` and close it. asyncio: BaseSelectorEventLoop._stop_serving */
  _stopServing(sock: Socket): void {
    stopServing(this._self, sock);
  }
}
_libraryCoroutineMethods(LoopServers.prototype, { createServer: 'BaseEventLoop.create_server' });
