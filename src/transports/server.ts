// The object createServer returns: its listening sockets, serving or not, the transports
// of the connections it accepted, and waiting until it is closed and they are all gone.
// asyncio: base_events.Server (events.AbstractServer's __aenter__/__aexit__)

import { AssertionError, CancelledError, RuntimeError } from '../errors/exceptions.js';
import { repr, reprSymbol, reprTuple } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { sleep } from '../task/sleep.js';
import type { BaseProtocol } from './protocols.js';
import { TransportSocket } from './transport-socket.js';

/**
 * What a server calls to make the protocol of each connection it accepts.
 * @example const factory: ProtocolFactory<Echo> = () => new Echo();
 * asyncio: create_server's protocol_factory
 */
export type ProtocolFactory<P extends BaseProtocol = BaseProtocol> = () => P;

/** A connection's transport as its server sees it: something to close or abort. asyncio: the transports in Server._clients */
export interface ServerClient {
  close(): void;
  abort(): void;
}

/**
 * A TCP server: the listening sockets `loop.createServer` made, accepting connections
 * while it serves.
 *
 * `close()` stops listening (the sockets close) and leaves the accepted connections
 * open; `waitClosed()` returns once the server is closed *and* every connection's
 * transport is gone (connection_lost ran), in either order. `closeClients()` and
 * `abortClients()` end those connections. `serveForever()` serves until cancelled, and
 * a cancellation closes the server and waits for it. `asyncWith(server, …)` closes the
 * server and waits on the way out.
 *
 * @example
 * const server = yield* loop.createServer(() => new Echo(), '127.0.0.1', 8888);
 * yield* asyncWith(server, function* () { yield* server.serveForever(); });
 * asyncio: asyncio.Server (base_events.Server)
 */
export class Server {
  readonly #loop: EventLoop;
  // Invariant: undefined once close() ran; the server serves only while it is set.
  #sockets: Socket[] | undefined;
  // CPython keeps a WeakSet: a transport leaves it in connection_lost (_detach).
  readonly #clients = new Set<ServerClient>();
  // Invariant: undefined once _wakeup() ran, which happens exactly when the server is
  // closed and has no clients left: waitClosed() then returns at once.
  #waiters: Future<void>[] | undefined = [];
  readonly #protocolFactory: ProtocolFactory;
  readonly #backlog: number;
  readonly #sslContext: unknown;
  readonly #sslHandshakeTimeout: number | undefined;
  readonly #sslShutdownTimeout: number | undefined;
  #serving = false;
  #servingForeverFut: Future<void> | undefined;

  /** @internal Made by `loop.createServer`. asyncio: Server.__init__ */
  constructor(
    loop: EventLoop,
    sockets: Socket[],
    protocolFactory: ProtocolFactory,
    sslContext: unknown,
    backlog: number,
    sslHandshakeTimeout?: number | null,
    sslShutdownTimeout?: number | null,
  ) {
    this.#loop = loop;
    this.#sockets = sockets;
    this.#protocolFactory = protocolFactory;
    this.#backlog = backlog;
    this.#sslContext = sslContext;
    this.#sslHandshakeTimeout = sslHandshakeTimeout ?? undefined;
    this.#sslShutdownTimeout = sslShutdownTimeout ?? undefined;
  }

  /** `<Server sockets=(<asyncio.TransportSocket fd=6, …>,)>`. asyncio: Server.__repr__ */
  [reprSymbol](): string {
    return `<${this.constructor.name} sockets=${reprTuple(this.sockets)}>`;
  }

  /** The repr. */
  toString(): string {
    return this[reprSymbol]();
  }

  /** @internal A transport of a connection this server accepted starts. asyncio: Server._attach */
  _attach(transport: ServerClient): void {
    // asyncio: `assert self._sockets is not None` (a connection accepted, then the server
    // closed before its transport was made: _accept_connection2 reports it in debug mode).
    if (this.#sockets === undefined) throw new AssertionError();
    this.#clients.add(transport);
  }

  /** @internal That transport is gone (connection_lost). asyncio: Server._detach */
  _detach(transport: ServerClient): void {
    this.#clients.delete(transport);
    if (this.#clients.size === 0 && this.#sockets === undefined) this._wakeup();
  }

  /** @internal Closed with no client left: release every waitClosed(). asyncio: Server._wakeup */
  _wakeup(): void {
    const waiters = this.#waiters;
    this.#waiters = undefined;
    for (const waiter of waiters ?? []) {
      if (!waiter.done()) waiter.setResult(undefined);
    }
  }

  /** @internal Listen and watch every socket (once). asyncio: Server._start_serving */
  _startServing(): void {
    if (this.#serving) return;
    this.#serving = true;
    // asyncio: after close() this iterates None (and the server says it serves).
    if (this.#sockets === undefined) throw new TypeError("'NoneType' object is not iterable");
    for (const sock of this.#sockets) {
      sock.listen(this.#backlog);
      this.#loop._startServing(this.#protocolFactory, sock, this.#sslContext, this, this.#backlog, this.#sslHandshakeTimeout, this.#sslShutdownTimeout);
    }
  }

  /** Return the loop the server runs on. asyncio: Server.get_loop */
  getLoop(): EventLoop {
    return this.#loop;
  }

  /** Return whether the server accepts connections. asyncio: Server.is_serving */
  isServing(): boolean {
    return this.#serving;
  }

  /**
   * The listening sockets, each as a new TransportSocket; `[]` once the server is closed.
   * asyncio: Server.sockets
   */
  get sockets(): TransportSocket[] {
    return this.#sockets === undefined ? [] : this.#sockets.map((s) => new TransportSocket(s));
  }

  /**
   * Stop listening: the sockets close, `serveForever()` is cancelled; the accepted
   * connections stay open. Calling it again does nothing.
   * asyncio: Server.close
   */
  close(): void {
    const sockets = this.#sockets;
    if (sockets === undefined) return;
    this.#sockets = undefined;
    for (const sock of sockets) this.#loop._stopServing(sock);
    this.#serving = false;
    if (this.#servingForeverFut !== undefined && !this.#servingForeverFut.done()) {
      this.#servingForeverFut.cancel();
      this.#servingForeverFut = undefined;
    }
    if (this.#clients.size === 0) this._wakeup();
  }

  /** Close every accepted connection's transport (buffered data is sent first). asyncio: Server.close_clients */
  closeClients(): void {
    for (const transport of [...this.#clients]) transport.close();
  }

  /** Abort every accepted connection's transport (buffered data is dropped). asyncio: Server.abort_clients */
  abortClients(): void {
    for (const transport of [...this.#clients]) transport.abort();
  }

  /**
   * Start accepting connections (nothing more if it already does), then let one loop
   * iteration pass so that the readers are in place.
   * @example yield* server.startServing();
   * asyncio: Server.start_serving
   */
  *startServing(): Coro<void> {
    this._startServing();
    yield* sleep(0);
  }

  /**
   * Accept connections until cancelled; the cancellation closes the server, waits for
   * `waitClosed()`, and propagates.
   * @throws RuntimeError `server <Server …> is already being awaited on serve_forever()`,
   * `server <Server …> is closed`.
   * @example yield* server.serveForever();
   * asyncio: Server.serve_forever
   */
  *serveForever(): Coro<void> {
    if (this.#servingForeverFut !== undefined) {
      throw new RuntimeError(`server ${repr(this)} is already being awaited on serve_forever()`);
    }
    if (this.#sockets === undefined) throw new RuntimeError(`server ${repr(this)} is closed`);
    this._startServing();
    this.#servingForeverFut = this.#loop.createFuture<void>();
    try {
      yield* this.#servingForeverFut;
    } catch (e) {
      if (e instanceof CancelledError) {
        // asyncio's `finally: raise` re-raises what is in flight: the CancelledError, or
        // what close() or wait_closed() raised (a second cancellation, say).
        this.close();
        yield* this.waitClosed();
      }
      throw e;
    } finally {
      this.#servingForeverFut = undefined;
    }
  }

  /**
   * Wait until the server is closed and every connection it accepted is gone.
   * @example server.close(); yield* server.waitClosed();
   * asyncio: Server.wait_closed
   */
  *waitClosed(): Coro<void> {
    if (this.#waiters === undefined) return;
    const waiter = this.#loop.createFuture<void>();
    this.#waiters.push(waiter);
    yield* waiter;
  }

  /** Enter `asyncWith(server, …)`: the server itself. asyncio: AbstractServer.__aenter__ */
  *aenter(): Coro<Server> {
    return this;
  }

  /** Leave `asyncWith(server, …)`: close, then wait until closed. asyncio: AbstractServer.__aexit__ */
  *aexit(): Coro<undefined> {
    this.close();
    yield* this.waitClosed();
    return undefined;
  }
}
_libraryCoroutineMethods(Server.prototype, {
  startServing: 'Server.start_serving', serveForever: 'Server.serve_forever', waitClosed: 'Server.wait_closed',
  aenter: 'AbstractServer.__aenter__', aexit: 'AbstractServer.__aexit__',
});
