// What the selector's socket and datagram transports share: the extra information, the
// protocol, reading paused or not, closing (after the buffer drains) and aborting, the
// fatal-error path and the one call of connection_lost(), and the repr.
// asyncio: selector_events._SelectorTransport

import { EVENT_READ, EVENT_WRITE } from '../events/selector.js';
import { markBound } from '../format/named.js';
import { reprSymbol } from '../format/py-repr.js';
import { logger } from '../log/asyncio-logger.js';
import { DEBUG } from '../log/logging.js';
import { OSError } from '../errors/exceptions.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { Socket } from '../net/socket.js';
import { _warnAt, ResourceWarning, warningSite } from '../log/warnings.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import { Deque } from '../runtime/deque.js';
import { FlowControlTransport } from './flow-control.js';
import type { BaseProtocol } from './protocols.js';
import { TransportSocket } from './transport-socket.js';
import type { ExtraInfo } from './transports.js';

/** @internal What a transport tells the server that accepted its connection. asyncio: Server._attach/_detach */
export interface TransportServer {
  _attach(transport: SelectorTransport<unknown>): void;
  _detach(transport: SelectorTransport<unknown>): void;
}

/** A callback the loop runs (a reader or writer, a callSoon). */
type Cb = (...args: any[]) => unknown;

// asyncio: selector_events._test_selector_event
function polling(loop: EventLoop, fd: number, event: number): boolean {
  const key = loop._selector.lookup(fd);
  return key !== undefined && (key.events & event) !== 0;
}

/**
 * The base of the selector's transports over one socket (`B`: what the write buffer holds).
 * @internal asyncio: selector_events._SelectorTransport (private in asyncio)
 */
export class SelectorTransport<B = Uint8Array> extends FlowControlTransport {
  /** Bytes asked of one recv(). asyncio: _SelectorTransport.max_size */
  maxSize = 256 * 1024;
  /** @internal The socket; undefined once connection_lost ran. */
  _sock: Socket | undefined;
  /** @internal The socket's descriptor, kept after the socket is closed (reprs show it). */
  readonly _sockFd: number;
  /** @internal connection_lost() will be called on this protocol. */
  _protocolConnected = false;
  /** @internal */ _server: TransportServer | undefined;
  /** @internal What write() could not send yet. */
  readonly _buffer = new Deque<B>();
  // Invariant: _connLost > 0 once connection_lost is scheduled (it then counts writes
  // that came too late); _closing is set then too, or earlier by close().
  /** @internal */ _connLost = 0;
  /** @internal close() (or a fatal error) started the end. */ _closing = false;
  /** @internal pause_reading() was called. */ _paused = false;
  /** @internal The bound method the loop calls back: connection_lost's call. */
  readonly _callConnectionLostCb: Cb;
  /** @internal Creation order: collection points report transports in it. */
  readonly _seq = _nextCreationSeq();
  /** @internal The StreamWriter over this transport, if any (collection points report it first). */
  _streamWriter: { _collect(): void; readonly _seq: number } | undefined;

  constructor(loop: EventLoop, sock: Socket, protocol: BaseProtocol, extra?: ExtraInfo | null, server?: TransportServer | null) {
    super(extra, loop);
    this._extra.socket = new TransportSocket(sock);
    this._extra.sockname = nameOrNone(() => sock.getsockname());
    if (!Object.prototype.hasOwnProperty.call(this._extra, 'peername')) this._extra.peername = nameOrNone(() => sock.getpeername());
    this._sock = sock;
    this._sockFd = sock.fileno();
    const lost = `${this._className}._call_connection_lost`;
    this._callConnectionLostCb = markBound({ [lost]: (exc: unknown): void => this._callConnectionLost(exc) }[lost]!);
    this.setProtocol(protocol);
    this._server = server ?? undefined;
    this._server?._attach(this as SelectorTransport<unknown>);
    loop._transports.set(this._sockFd, this as SelectorTransport<unknown>);
  }

  /** @internal The Python class name (reprs, callback names). */
  get _className(): string {
    return 'SelectorTransport';
  }

  /** `<_SelectorSocketTransport fd=7 read=polling write=<idle, bufsize=0>>`. */
  [reprSymbol](): string {
    const info = [this._className];
    if (this._sock === undefined) info.push('closed');
    else if (this._closing) info.push('closing');
    info.push(`fd=${this._sockFd}`);
    const loop = this._loop;
    if (loop !== undefined && !loop.isClosed()) {
      info.push(polling(loop, this._sockFd, EVENT_READ) ? 'read=polling' : 'read=idle');
      const state = polling(loop, this._sockFd, EVENT_WRITE) ? 'polling' : 'idle';
      info.push(`write=<${state}, bufsize=${this.getWriteBufferSize()}>`);
    }
    return `<${info.join(' ')}>`;
  }

  /** The repr. */
  override toString(): string {
    return this[reprSymbol]();
  }

  /** Close at once, dropping buffered data; connection_lost(None) follows. asyncio: _SelectorTransport.abort */
  override abort(): void {
    this._forceClose(undefined);
  }

  /** Make `protocol` the one the transport calls. asyncio: _SelectorTransport.set_protocol */
  override setProtocol(protocol: BaseProtocol): void {
    this._protocol = protocol;
    this._protocolConnected = true;
  }

  /** The protocol (undefined once connection_lost ran). asyncio: _SelectorTransport.get_protocol */
  override getProtocol(): BaseProtocol {
    return this._protocol as BaseProtocol;
  }

  /** Whether close() or a fatal error started the end. asyncio: _SelectorTransport.is_closing */
  override isClosing(): boolean {
    return this._closing;
  }

  /** Whether the transport is reading: neither closing nor paused. asyncio: _SelectorTransport.is_reading */
  override isReading(): boolean {
    return !this.isClosing() && !this._paused;
  }

  /** Stop reading until resume_reading(); a no-op unless reading. asyncio: _SelectorTransport.pause_reading */
  override pauseReading(): void {
    if (!this.isReading()) return;
    this._paused = true;
    this._loop!._removeReader(this._sockFd);
    if (this._loop!.getDebug()) logger.debug('%r pauses reading', this);
  }

  /** Read again after pause_reading(); a no-op unless paused. asyncio: _SelectorTransport.resume_reading */
  override resumeReading(): void {
    if (this._closing || !this._paused) return;
    this._paused = false;
    this._addReader(this._sockFd, this._readReadyCb);
    if (this._loop!.getDebug()) logger.debug('%r resumes reading', this);
  }

  /** @internal The reader callback (the subclass's _read_ready). */
  get _readReadyCb(): Cb {
    throw new Error('aiosim: a selector transport subclass defines _readReadyCb');
  }

  /**
   * Close: stop reading; connection_lost(None) is called soon, or once the buffered
   * data is sent. asyncio: _SelectorTransport.close
   */
  override close(): void {
    if (this._closing) return;
    this._closing = true;
    const loop = this._loop!;
    loop._removeReader(this._sockFd);
    if (this._buffer.length === 0) {
      this._connLost += 1;
      loop._removeWriter(this._sockFd);
      loop.callSoon(this._callConnectionLostCb, undefined);
    }
  }

  // The unclosed-transport ResourceWarning of asyncio's __del__ belongs to the
  // garbage-collection points (a later issue): not emitted yet.

  /**
   * @internal A read or write failed: an OSError is only logged (debug mode, at DEBUG),
   * anything else goes to the exception handler; then the transport closes at once.
   * asyncio: _SelectorTransport._fatal_error
   */
  _fatalError(exc: unknown, message = 'Fatal error on transport'): void {
    if (exc instanceof OSError) {
      if (this._loop!.getDebug()) logger.logWithException(DEBUG, exc, '%r: %s', this, message);
    } else {
      this._loop!.callExceptionHandler({ message, exception: exc, transport: this, protocol: this._protocol });
    }
    this._forceClose(exc);
  }

  /** @internal Drop the buffer, stop reading, and schedule connection_lost(exc) once. asyncio: _SelectorTransport._force_close */
  _forceClose(exc: unknown): void {
    if (this._connLost) return;
    const loop = this._loop!;
    if (this._buffer.length > 0) {
      this._buffer.clear();
      loop._removeWriter(this._sockFd);
    }
    if (!this._closing) {
      this._closing = true;
      loop._removeReader(this._sockFd);
    }
    this._connLost += 1;
    loop.callSoon(this._callConnectionLostCb, exc);
  }

  /**
   * @internal Call the protocol's connection_lost(exc), then close the socket and let go
   * of the protocol, the loop and the server. asyncio: _SelectorTransport._call_connection_lost
   */
  _callConnectionLost(exc: unknown): void {
    try {
      if (this._protocolConnected) this._protocol!.connectionLost(exc);
    } finally {
      const loop = this._loop;
      this._sock!.close();
      this._sock = undefined;
      this._protocol = undefined;
      this._loop = undefined;
      // asyncio keeps transports in a WeakValueDictionary: a closed one can no longer
      // block its descriptor, so forgetting it here is not observable.
      if (loop !== undefined && loop._transports.get(this._sockFd) === (this as SelectorTransport<unknown>)) loop._transports.delete(this._sockFd);
      const server = this._server;
      if (server !== undefined) {
        server._detach(this as SelectorTransport<unknown>);
        this._server = undefined;
      }
    }
  }

  /**
   * @internal What CPython does when it frees the transport: one whose socket is still
   * open (connection_lost never ran) warns `unclosed transport <…>` (ResourceWarning,
   * hidden by default), closes the socket (the peer reads EOF) and leaves its server. A
   * collection point calls it.
   * asyncio: _SelectorTransport.__del__
   */
  _collect(): void {
    const sock = this._sock;
    if (sock === undefined) return;
    const { filename, lineno } = warningSite([]);
    // asyncio: a warning turned into an error leaves the socket open (the error is
    // unraisable: the collection point prints it).
    _warnAt(`unclosed transport ${this[reprSymbol]()}`, ResourceWarning, filename, lineno, { registry: true, program: false });
    // asyncio: __del__ leaves _sock set; the program may still hold the transport (its
    // repr stays `<_SelectorSocketTransport fd=7>`), and its loop forgets it.
    sock.close();
    const loop = this._loop;
    if (loop !== undefined && loop._transports.get(this._sockFd) === (this as SelectorTransport<unknown>)) loop._transports.delete(this._sockFd);
    const server = this._server;
    if (server !== undefined) {
      server._detach(this as SelectorTransport<unknown>);
      this._server = undefined;
    }
  }

  /** The bytes buffered, not yet sent. asyncio: _SelectorTransport.get_write_buffer_size */
  override getWriteBufferSize(): number {
    let size = 0;
    for (const b of this._buffer) size += (b as unknown as Uint8Array).length;
    return size;
  }

  /** @internal Register the reader unless reading is paused or closing. asyncio: _SelectorTransport._add_reader */
  _addReader(fd: number, callback: Cb, ...args: unknown[]): void {
    if (!this.isReading()) return;
    this._loop!._addReader(fd, callback, ...args);
  }
}

/**
 * @internal `protocol[method]` as a callback the loop shows as CPython shows a bound
 * method (`Class.method()`, the class that defines it, no source location).
 */
export function protocolCallback(protocol: object, method: string): Cb {
  let owner: object | null = protocol;
  while (owner !== null && !Object.prototype.hasOwnProperty.call(owner, method)) owner = Object.getPrototypeOf(owner);
  const cls = (owner as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
  const fn = (protocol as Record<string, unknown>)[method] as Cb;
  const qualname = `${cls}.${method}`;
  return markBound({ [qualname]: (...args: unknown[]): unknown => fn.apply(protocol, args) }[qualname]!);
}

function nameOrNone<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch (e) {
    if (e instanceof OSError) return undefined;
    throw e;
  }
}
