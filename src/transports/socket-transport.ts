// The selector's stream transport: connection_made() and the reader scheduled when it is
// made, reads into data_received() or a BufferedProtocol's buffer, writes sent at once or
// buffered and flushed with sendmsg() when the socket is writable, write_eof, and the end.
// asyncio: selector_events._SelectorSocketTransport

import { ConnectionError, isExitException, RuntimeError, BlockingIOError } from '../errors/exceptions.js';
import { markBound } from '../format/named.js';
import { pyTypeName } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _setResultUnlessCancelled } from '../future/set-result-unless-cancelled.js';
import { logger } from '../log/asyncio-logger.js';
import type { EventLoop } from '../loop/event-loop.js';
import { AF_INET, AF_INET6, IPPROTO_TCP, SHUT_WR, SOCK_STREAM, TCP_NODELAY } from '../net/constants.js';
import type { Socket } from '../net/socket.js';
import { BufferedProtocol, type BaseProtocol } from './protocols.js';
import { protocolCallback, SelectorTransport, type TransportServer } from './selector-transport.js';
import { readData, readEof, readIntoBuffer } from './socket-reads.js';
import type { ExtraInfo } from './transports.js';

/** asyncio: constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES */
export const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** How many buffers one sendmsg() takes: Linux's IOV_MAX. asyncio: selector_events.SC_IOV_MAX */
export const SC_IOV_MAX = 1024;

type Cb = (...args: any[]) => unknown;

// asyncio: base_events._set_nodelay (only a TCP socket made with proto IPPROTO_TCP).
function setNodelay(sock: Socket): void {
  if ((sock.family === AF_INET || sock.family === AF_INET6) && sock.type === SOCK_STREAM && sock.proto === IPPROTO_TCP) {
    sock.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  }
}

// Python's `except (BlockingIOError, InterruptedError)`.
const wouldBlock = (e: unknown): boolean => e instanceof BlockingIOError;

/**
 * A TCP connection's transport on the selector loop (made by createConnection, a
 * server, connectAcceptedSocket).
 * @internal asyncio: selector_events._SelectorSocketTransport (private in asyncio)
 */
export class SelectorSocketTransport extends SelectorTransport<Uint8Array> {
  // Set by setProtocol(), which the base constructor calls: declared, not initialised.
  /** @internal The read path for the protocol's kind; undefined once closing. */
  declare _readReadyKind: (() => void) | undefined;
  /** @internal write_eof() was called. */
  declare _eof: boolean;
  /** @internal sendfile's waiter for the buffer to drain. */
  declare _emptyWaiter: Future<void> | undefined;
  /** @internal The writer callback (sendmsg); undefined once connection_lost ran. */
  declare _writeReady: Cb | undefined;
  declare readonly _readReadyBound: Cb;
  declare readonly _addReaderBound: Cb;

  constructor(loop: EventLoop, sock: Socket, protocol: BaseProtocol, waiter?: Future<void> | null, extra?: ExtraInfo | null, server?: TransportServer | null) {
    super(loop, sock, protocol, extra, server);
    this._eof = false;
    this._emptyWaiter = undefined;
    // Named as object literal properties: made for every connection (see markBound).
    const bound = {
      '_SelectorSocketTransport._write_sendmsg': (): void => this._writeSendmsg(),
      '_SelectorSocketTransport._read_ready': (): void => this._readReady(),
      '_SelectorTransport._add_reader': (fd: number, cb: Cb): void => this._addReader(fd, cb),
    };
    this._writeReady = markBound(bound['_SelectorSocketTransport._write_sendmsg']);
    (this as { _readReadyBound: Cb })._readReadyBound = markBound(bound['_SelectorSocketTransport._read_ready']);
    (this as { _addReaderBound: Cb })._addReaderBound = markBound(bound['_SelectorTransport._add_reader']);
    // Disable Nagle's algorithm: small writes leave without waiting for an ACK.
    setNodelay(sock);
    loop.callSoon(protocolCallback(this._protocol!, 'connectionMade'), this);
    // asyncio: only start reading when connection_made() has been called.
    loop.callSoon(this._addReaderBound, this._sockFd, this._readReadyBound);
    // asyncio: only wake up the waiter when connection_made() has been called.
    if (waiter !== undefined && waiter !== null) loop.callSoon(_setResultUnlessCancelled, waiter, undefined);
  }

  override get _className(): string {
    return '_SelectorSocketTransport';
  }

  override get _readReadyCb(): Cb {
    return this._readReadyBound;
  }

  /** Make `protocol` the one the transport calls: a BufferedProtocol is read into its buffer. asyncio: _SelectorSocketTransport.set_protocol */
  override setProtocol(protocol: BaseProtocol): void {
    this._readReadyKind = protocol instanceof BufferedProtocol ? () => this._readReadyGetBuffer() : () => this._readReadyDataReceived();
    super.setProtocol(protocol);
  }

  /** @internal The reader callback. asyncio: _SelectorSocketTransport._read_ready */
  _readReady(): void {
    this._readReadyKind!();
  }

  /** @internal Read into the BufferedProtocol's buffer. asyncio: _SelectorSocketTransport._read_ready__get_buffer */
  _readReadyGetBuffer(): void {
    readIntoBuffer(this);
  }

  /** @internal Read up to max_size bytes into data_received(). asyncio: _SelectorSocketTransport._read_ready__data_received */
  _readReadyDataReceived(): void {
    readData(this);
  }

  /** @internal The peer's EOF: eof_received() decides between closing and staying open for writing. asyncio: _SelectorSocketTransport._read_ready__on_eof */
  _readReadyOnEof(): void {
    readEof(this);
  }

  /**
   * Send `data` now as far as the socket takes it and buffer the rest (flushed when the
   * socket is writable); the protocol's pause_writing() runs above the high water mark.
   * @throws TypeError `data argument must be a bytes-like object, not 'str'`.
   * @throws RuntimeError `Cannot call write() after write_eof()`.
   * asyncio: _SelectorSocketTransport.write
   */
  override write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError(`data argument must be a bytes-like object, not '${pyTypeName(data)}'`);
    if (this._eof) throw new RuntimeError('Cannot call write() after write_eof()');
    if (this._emptyWaiter !== undefined) throw new RuntimeError('unable to write; sendfile is in progress');
    if (data.length === 0) return;
    if (this._connLost) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warning('socket.send() raised exception.');
      this._connLost += 1;
      return;
    }
    if (this._buffer.length === 0) {
      // asyncio: an optimisation, try to send now.
      let sent = true;
      try {
        const n = this._sock!.send(data);
        // All sent (the usual case): no view of nothing left to make.
        if (n === data.length) return;
        data = data.subarray(n);
      } catch (exc) {
        if (!wouldBlock(exc)) {
          if (isExitException(exc)) throw exc;
          this._fatalError(exc, 'Fatal write error on socket transport');
          return;
        }
        sent = false;
      }
      if (sent && data.length === 0) return;
      // Not all was written: register the writer.
      this._loop!._addWriter(this._sockFd, this._writeReady!);
    }
    this._buffer.push(data);
    this._maybePauseProtocol();
  }

  /** @internal Send up to SC_IOV_MAX buffered chunks in one sendmsg(). asyncio: _SelectorSocketTransport._write_sendmsg */
  _writeSendmsg(): void {
    if (this._buffer.length === 0) throw new Error('AssertionError: Data should not be empty');
    if (this._connLost) return;
    const loop = this._loop!;
    try {
      const nbytes = this._sock!.sendmsg(this._getSendmsgBuffer());
      this._adjustLeftoverBuffer(nbytes);
    } catch (exc) {
      this.#writeFailed(loop, exc);
      return;
    }
    this.#afterWrite(loop);
  }

  // What both writers do when a send fails: nothing when it would block (asyncio: a
  // buffer _write_send popped is then lost, as in CPython), else a fatal write error.
  #writeFailed(loop: EventLoop, exc: unknown): void {
    if (wouldBlock(exc)) return;
    if (isExitException(exc)) throw exc;
    loop._removeWriter(this._sockFd);
    this._buffer.clear();
    this._fatalError(exc, 'Fatal write error on socket transport');
    this._emptyWaiter?.setException(exc);
  }

  // What both writers do after a send that did not fail: resume the protocol, and once
  // the buffer is empty stop writing and finish a close or a write_eof.
  #afterWrite(loop: EventLoop): void {
    this._maybeResumeProtocol(); // asyncio: may append to the buffer.
    if (this._buffer.length === 0) {
      loop._removeWriter(this._sockFd);
      this._emptyWaiter?.setResult(undefined);
      if (this._closing) this._callConnectionLost(undefined);
      else if (this._eof) this._sock!.shutdown(SHUT_WR);
    }
  }

  /**
   * @internal Send the first buffered chunk with send(): the writer where sendmsg() is
   * missing (aiosim's sockets have it, as Linux's: _write_sendmsg is the one used).
   * asyncio: _SelectorSocketTransport._write_send
   */
  _writeSend(): void {
    if (this._buffer.length === 0) throw new Error('AssertionError: Data should not be empty');
    if (this._connLost) return;
    const loop = this._loop!;
    try {
      const buffer = this._buffer.shift()!;
      const n = this._sock!.send(buffer);
      // Not all data was written.
      if (n !== buffer.length) this._buffer.unshift(buffer.subarray(n));
    } catch (exc) {
      this.#writeFailed(loop, exc);
      return;
    }
    this.#afterWrite(loop);
  }

  /** @internal The first SC_IOV_MAX buffered chunks. asyncio: _SelectorSocketTransport._get_sendmsg_buffer */
  _getSendmsgBuffer(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const b of this._buffer) {
      if (out.length === SC_IOV_MAX) break;
      out.push(b);
    }
    return out;
  }

  /** @internal Drop the `nbytes` sent from the front of the buffer. asyncio: _SelectorSocketTransport._adjust_leftover_buffer */
  _adjustLeftoverBuffer(nbytes: number): void {
    const buffer = this._buffer;
    while (nbytes) {
      const b = buffer.shift()!;
      if (b.length <= nbytes) {
        nbytes -= b.length;
      } else {
        buffer.unshift(b.subarray(nbytes));
        break;
      }
    }
  }

  /** Send EOF once the buffered data is sent (shutdown(SHUT_WR)). asyncio: _SelectorSocketTransport.write_eof */
  override writeEof(): void {
    if (this._closing || this._eof) return;
    this._eof = true;
    if (this._buffer.length === 0) this._sock!.shutdown(SHUT_WR);
  }

  /**
   * Buffer every chunk of `listOfData`, then try to send at once (one sendmsg()).
   * @throws RuntimeError `Cannot call writelines() after write_eof()`.
   * asyncio: _SelectorSocketTransport.writelines
   */
  override writelines(listOfData: Iterable<Uint8Array>): void {
    if (this._eof) throw new RuntimeError('Cannot call writelines() after write_eof()');
    if (this._emptyWaiter !== undefined) throw new RuntimeError('unable to writelines; sendfile is in progress');
    const list = [...listOfData];
    if (list.length === 0) return;
    for (const data of list) {
      if (!(data instanceof Uint8Array)) throw new TypeError(`memoryview: a bytes-like object is required, not '${pyTypeName(data)}'`);
    }
    for (const data of list) this._buffer.push(data);
    if (this._writeReady === undefined) throw new TypeError("'NoneType' object is not callable");
    this._writeReady();
    // asyncio: if the entire buffer could not be written, register the writer.
    if (this._buffer.length > 0) {
      this._loop!._addWriter(this._sockFd, this._writeReady);
      this._maybePauseProtocol();
    }
  }

  /** Always true: a TCP stream can be half-closed. asyncio: _SelectorSocketTransport.can_write_eof */
  override canWriteEof(): boolean {
    return true;
  }

  /** @internal asyncio: _SelectorSocketTransport._call_connection_lost */
  override _callConnectionLost(exc: unknown): void {
    try {
      super._callConnectionLost(exc);
    } finally {
      this._writeReady = undefined;
      this._emptyWaiter?.setException(new ConnectionError('Connection is closed by peer'));
    }
  }

  /** @internal A future done when the buffer is empty. asyncio: _SelectorSocketTransport._make_empty_waiter */
  _makeEmptyWaiter(): Future<void> {
    if (this._emptyWaiter !== undefined) throw new RuntimeError('Empty waiter is already set');
    this._emptyWaiter = this._loop!.createFuture<void>();
    if (this._buffer.length === 0) this._emptyWaiter.setResult(undefined);
    return this._emptyWaiter;
  }

  /** @internal asyncio: _SelectorSocketTransport._reset_empty_waiter */
  _resetEmptyWaiter(): void {
    this._emptyWaiter = undefined;
  }

  /** Close: stop reading; connection_lost(None) once the buffer is sent. asyncio: _SelectorSocketTransport.close */
  override close(): void {
    this._readReadyKind = undefined;
    super.close();
  }
}
