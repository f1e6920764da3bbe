// StreamReaderProtocol: the protocol that feeds a StreamReader from its transport and, on
// a server, hands each connection's reader and writer to the client_connected_cb.
// asyncio: streams.StreamReaderProtocol

import type { AbstractEventLoop } from '../events/abstract-loop.js';
import type { StackFrame } from '../format/stack.js';
import type { Future } from '../future/future.js';
import { isCoroutine } from '../task/coroutine.js';
import type { Task } from '../task/task.js';
import type { BaseTransport, Transport } from '../transports/transports.js';
import { FlowControlMixin } from './flow-control.js';
import type { StreamReader } from './stream-reader.js';
import { StreamWriter } from './stream-writer.js';

/** What start_server calls for each connection: a function, or a coroutine function (run as a task). */
export type ClientConnectedCb = (reader: StreamReader, writer: StreamWriter) => unknown;

/** StreamReaderProtocol's keyword arguments. */
export interface StreamReaderProtocolOptions {
  clientConnectedCb?: ClientConnectedCb | null;
  loop?: AbstractEventLoop | null;
}

/**
 * The protocol between a transport and a StreamReader: data and EOF go to the reader,
 * the connection's loss to the reader (EOF, or its exception) and to waitClosed(). With a
 * `clientConnectedCb`, connectionMade() makes a StreamWriter and calls it with the
 * reader and writer; a coroutine it returns runs as a task, whose exception goes to the
 * loop's exception handler (`Unhandled exception in client_connected_cb`) and closes the
 * transport, as its cancellation does.
 *
 * CPython holds the reader through a weak reference, so a reader nobody else holds is
 * freed and stops being fed; aiosim holds it strongly (JavaScript collects without
 * telling), so such a reader goes on buffering, and may pause the transport's reading.
 *
 * @example
 * const reader = new StreamReader({ loop });
 * const protocol = new StreamReaderProtocol(reader, { loop });
 * const [transport] = yield* loop.createConnection(() => protocol, '127.0.0.1', 8888);
 * asyncio: asyncio.StreamReaderProtocol
 */
export class StreamReaderProtocol extends FlowControlMixin {
  /** @internal The reader (CPython: a weak reference), dropped when the connection is lost. */ _streamReaderRef: StreamReader | undefined;
  /** @internal The reader's creation site (debug mode). */ _sourceTraceback: StackFrame[] | undefined;
  /** @internal */ _rejectConnection = false;
  /** @internal The client_connected_cb's task. */ _task: Task<unknown> | undefined = undefined;
  /** @internal */ _transport: BaseTransport | undefined = undefined;
  /** @internal */ _clientConnectedCb: ClientConnectedCb | undefined;
  /** @internal */ _overSsl = false;
  /** @internal Done when the connection is lost: waitClosed() waits for it. */ _closed: Future<undefined>;

  constructor(
    streamReader: StreamReader | undefined | null,
    clientConnectedCb?: ClientConnectedCb | null | StreamReaderProtocolOptions,
    loop?: AbstractEventLoop | null,
  ) {
    if (typeof clientConnectedCb === 'object' && clientConnectedCb !== null) {
      loop = clientConnectedCb.loop;
      clientConnectedCb = clientConnectedCb.clientConnectedCb;
    }
    super(loop);
    this._streamReaderRef = streamReader ?? undefined;
    this._sourceTraceback = streamReader?._sourceTraceback;
    this._clientConnectedCb = clientConnectedCb ?? undefined;
    this._closed = this._loop.createFuture<undefined>();
  }

  /** @internal The reader, or undefined once the connection is lost. asyncio: StreamReaderProtocol._stream_reader */
  get _streamReader(): StreamReader | undefined {
    return this._streamReaderRef;
  }

  /** @internal asyncio: StreamReaderProtocol._replace_transport (start_tls) */
  _replaceTransport(transport: BaseTransport): void {
    this._transport = transport;
    this._overSsl = transport.getExtraInfo('sslcontext') != null;
  }

  /**
   * The connection is made: give the reader its transport; with a client_connected_cb,
   * call it with the reader and a new StreamWriter (a coroutine it returns becomes a task).
   * asyncio: StreamReaderProtocol.connection_made
   */
  override connectionMade(transport: BaseTransport): void {
    if (this._rejectConnection) {
      const context: Record<string, unknown> = {
        message: 'An open stream was garbage collected prior to establishing network connection; call "stream.close()" explicitly.',
      };
      if (this._sourceTraceback?.length) context['source_traceback'] = this._sourceTraceback;
      this._loop.callExceptionHandler(context);
      (transport as Transport).abort();
      return;
    }
    this._transport = transport;
    const reader = this._streamReader;
    reader?.setTransport(transport as Transport);
    this._overSsl = transport.getExtraInfo('sslcontext') != null;
    if (this._clientConnectedCb === undefined) return;
    const writer = new StreamWriter(transport as Transport, this, reader, this._loop);
    const res = this._clientConnectedCb(reader!, writer);
    if (isCoroutine(res)) {
      // Named as an object literal's property, which costs nothing where named()'s
      // renaming does (made for every connection: see markBound).
      const callback = {
        'StreamReaderProtocol.connection_made.<locals>.callback': (task: Task<unknown>): void => {
          if (task.cancelled()) {
            transport.close();
            return;
          }
          const exc = task.exception();
          if (exc != null) {
            this._loop.callExceptionHandler({ message: 'Unhandled exception in client_connected_cb', exception: exc, transport });
            transport.close();
          }
        },
      }['StreamReaderProtocol.connection_made.<locals>.callback'];
      this._task = this._loop.createTask!(res);
      this._task.addDoneCallback(callback);
    }
  }

  /**
   * The connection is lost: the reader gets EOF (or `exc`), waitClosed() returns (or
   * raises `exc`), waiting drains wake; the reader, task and transport are dropped.
   * asyncio: StreamReaderProtocol.connection_lost
   */
  override connectionLost(exc: unknown): void {
    const reader = this._streamReader;
    if (reader !== undefined) {
      if (exc == null) reader.feedEof();
      else reader.setException(exc);
    }
    if (!this._closed.done()) {
      if (exc == null) {
        this._closed.setResult(undefined);
      } else {
        this._closed.setException(exc);
        // CPython's __del__ retrieves this exception when the protocol is freed, so it is
        // never reported as unretrieved: aiosim retrieves it now, to the same effect.
        this._closed.exception();
      }
    }
    super.connectionLost(exc);
    this._streamReaderRef = undefined;
    this._task = undefined;
    this._transport = undefined;
  }

  /** Feed `data` to the reader. asyncio: StreamReaderProtocol.data_received */
  override dataReceived(data: Uint8Array): void {
    this._streamReader?.feedData(data);
  }

  /**
   * Feed EOF to the reader; return true (keep the transport open for writing), or false
   * over TLS.
   * asyncio: StreamReaderProtocol.eof_received
   */
  override eofReceived(): boolean {
    this._streamReader?.feedEof();
    return !this._overSsl;
  }

  /** @internal The future waitClosed() awaits. asyncio: StreamReaderProtocol._get_close_waiter */
  override _getCloseWaiter(_stream: unknown): Future<undefined> {
    return this._closed;
  }
}
