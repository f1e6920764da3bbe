// How a listening socket serves: a reader that accepts up to `backlog` connections each
// time the socket is readable, and for each one a task that makes the protocol and the
// transport; stopping removes the reader and closes the socket.
// asyncio: selector_events.BaseSelectorEventLoop._start_serving, _accept_connection, _accept_connection2, _stop_serving

import {
  BlockingIOError, ConnectionAbortedError, KeyboardInterrupt, OSError, SystemExit,
} from '../errors/exceptions.js';
import type { ExceptionContext } from '../events/abstract-loop.js';
import { boundMethod } from '../format/named.js';
import { reprTuple } from '../format/py-repr.js';
import { logger } from '../log/asyncio-logger.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { SockAddr } from '../net/address.js';
import { EMFILE, ENFILE, ENOBUFS, ENOMEM } from '../net/errno.js';
import type { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';
import type { BaseProtocol } from './protocols.js';
import type { ProtocolFactory, Server } from './server.js';
import { TransportSocket } from './transport-socket.js';
import type { BaseTransport } from './transports.js';

// asyncio: constants.ACCEPT_RETRY_DELAY (seconds before accepting again after EMFILE & co).
const ACCEPT_RETRY_DELAY = 1;

// accept()'s errors that say the system is out of something: Linux keeps reporting the
// listener readable, so the reader goes for a while.
const OUT_OF_RESOURCES: ReadonlySet<number | undefined> = new Set([EMFILE, ENFILE, ENOBUFS, ENOMEM]);

/** The arguments `_start_serving` and `_accept_connection` pass along (asyncio's, in order). */
type ServingArgs = [
  protocolFactory: ProtocolFactory, sock: Socket, sslContext: unknown, server: Server | undefined, backlog: number,
  sslHandshakeTimeout: number | undefined, sslShutdownTimeout: number | undefined,
];

// The loop's bound methods a reader or timer runs, made once per loop, named as CPython
// names them in handle reprs.
interface Callbacks {
  readonly startServing: (...args: ServingArgs) => void;
  readonly acceptConnection: (...args: ServingArgs) => void;
}
const callbacksOf = new WeakMap<EventLoop, Callbacks>();

function callbacks(loop: EventLoop): Callbacks {
  let cbs = callbacksOf.get(loop);
  if (cbs === undefined) {
    cbs = {
      startServing: boundMethod('BaseSelectorEventLoop._start_serving', (...args: ServingArgs) => startServing(loop, ...args)),
      acceptConnection: boundMethod('BaseSelectorEventLoop._accept_connection', (...args: ServingArgs) => acceptConnection(loop, ...args)),
    };
    callbacksOf.set(loop, cbs);
  }
  return cbs;
}

/** Accept connections on `sock` whenever it is readable. asyncio: BaseSelectorEventLoop._start_serving */
export function startServing(loop: EventLoop, ...args: ServingArgs): void {
  loop._addReader(args[1].fileno(), callbacks(loop).acceptConnection, ...args);
}

/** Stop accepting on `sock` and close it. asyncio: BaseSelectorEventLoop._stop_serving */
export function stopServing(loop: EventLoop, sock: Socket): void {
  loop._removeReader(sock.fileno());
  sock.close();
}

// asyncio: BaseSelectorEventLoop._accept_connection. Called once per iteration in which
// the listener was readable; several connections may wait, hence up to `backlog` accepts.
function acceptConnection(loop: EventLoop, ...args: ServingArgs): void {
  const [protocolFactory, sock, sslContext, server, backlog, sslHandshakeTimeout, sslShutdownTimeout] = args;
  for (let i = 0; i < backlog; i++) {
    let conn: Socket;
    let addr: SockAddr;
    try {
      [conn, addr] = sock.accept();
      if (loop._debug) logger.debug('%r got a new connection from %s: %r', server, reprTuple(addr), conn);
      conn.setblocking(false);
    } catch (e) {
      // The accept queue is empty (or the connection went away before it was accepted).
      if (e instanceof BlockingIOError || e instanceof ConnectionAbortedError) return;
      if (!(e instanceof OSError) || !OUT_OF_RESOURCES.has(e.errno)) throw e;
      // asyncio: nowhere to send the error but the handler; the loop goes on trying.
      loop.callExceptionHandler({ message: 'socket.accept() out of system resource', exception: e, socket: new TransportSocket(sock) });
      loop._removeReader(sock.fileno());
      loop.callLater(ACCEPT_RETRY_DELAY, callbacks(loop).startServing, ...args);
      continue;
    }
    const extra = { peername: addr };
    loop.createTask(acceptConnection2(loop, protocolFactory, conn, extra, sslContext, server, sslHandshakeTimeout, sslShutdownTimeout));
  }
}

// asyncio: BaseSelectorEventLoop._accept_connection2: the protocol, then the transport,
// which schedules connection_made() and then the waiter's result. A failure is reported
// only in debug mode.
const acceptConnection2 = _libraryCoroutine('BaseSelectorEventLoop._accept_connection2', function* acceptConnection2(
  loop: EventLoop, protocolFactory: ProtocolFactory, conn: Socket, extra: { peername: SockAddr }, _sslContext: unknown,
  server: Server | undefined, _sslHandshakeTimeout: number | undefined, _sslShutdownTimeout: number | undefined,
): Coro<void> {
  let protocol: BaseProtocol | undefined;
  let transport: BaseTransport | undefined;
  try {
    protocol = protocolFactory();
    const waiter = loop.createFuture<void>();
    transport = loop._makeSocketTransport(conn, protocol, waiter, { extra, server });
    try {
      yield* waiter;
    } catch (e) {
      transport.close();
      throw e;
    }
  } catch (e) {
    if (e instanceof SystemExit || e instanceof KeyboardInterrupt) throw e;
    if (loop._debug) {
      const context: ExceptionContext = { message: 'Error on transport creation for incoming connection', exception: e };
      if (protocol !== undefined) context.protocol = protocol;
      if (transport !== undefined) context.transport = transport;
      loop.callExceptionHandler(context);
    } else if (protocol === undefined) {
      // asyncio: the coroutine ends and nothing holds the accepted socket: CPython frees it
      // at once (its finalizer warns and closes it, so the client reads EOF). In debug mode
      // the reported exception's traceback keeps it until a later collection.
      loop._socketFreed(conn);
    }
  }
});
