// The protocol base classes: the callbacks a transport calls. Each does nothing here; a
// program subclasses the one it needs and overrides what it uses.
// asyncio: protocols.BaseProtocol, Protocol, BufferedProtocol, DatagramProtocol

import type { SockAddr } from '../net/address.js';
import type { BaseTransport } from './transports.js';

/**
 * The callbacks every protocol has.
 *
 * connection_made() is called once, when the connection is made; connection_lost() once,
 * when it is lost or closed (with the exception, or undefined for a regular EOF or close).
 * pause_writing() and resume_writing() alternate, starting with pause_writing(), when the
 * transport's buffer crosses its high and then its low water mark.
 * asyncio: asyncio.BaseProtocol
 */
export class BaseProtocol {
  /** The connection is made: `transport` is its transport. asyncio: BaseProtocol.connection_made */
  connectionMade(_transport: BaseTransport): void {}

  /** The connection is lost or closed: `exc` is undefined for a regular EOF or close. asyncio: BaseProtocol.connection_lost */
  connectionLost(_exc: unknown): void {}

  /** The transport's buffer went over its high water mark. asyncio: BaseProtocol.pause_writing */
  pauseWriting(): void {}

  /** The transport's buffer drained to its low water mark. asyncio: BaseProtocol.resume_writing */
  resumeWriting(): void {}
}

/**
 * A stream protocol: data_received() with the bytes as they arrive, eof_received() at the
 * peer's EOF (returning a true value keeps the transport open for writing).
 * @example
 * class Echo extends Protocol {
 *   transport!: Transport;
 *   connectionMade(t: Transport) { this.transport = t; }
 *   dataReceived(data: Uint8Array) { this.transport.write(data); }
 * }
 * asyncio: asyncio.Protocol
 */
export class Protocol extends BaseProtocol {
  /** Some bytes arrived. asyncio: Protocol.data_received */
  dataReceived(_data: Uint8Array): void {}

  /** The peer sent EOF; a true result keeps the write end open. asyncio: Protocol.eof_received */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/**
 * A stream protocol that lends the transport its own buffer: get_buffer(sizehint) returns
 * a writable Uint8Array, buffer_updated(nbytes) says how many bytes were written into it.
 * asyncio: asyncio.BufferedProtocol
 */
export class BufferedProtocol extends BaseProtocol {
  /** A non-empty buffer for the next bytes (`sizehint` is a hint; -1: any size). asyncio: BufferedProtocol.get_buffer */
  getBuffer(_sizehint: number): Uint8Array {
    // asyncio's base returns None: a transport using it fails as CPython's does.
    return undefined as unknown as Uint8Array;
  }

  /** `nbytes` bytes were written into the buffer get_buffer() returned. asyncio: BufferedProtocol.buffer_updated */
  bufferUpdated(_nbytes: number): void {}

  /** The peer sent EOF; a true result keeps the write end open. asyncio: BufferedProtocol.eof_received */
  eofReceived(): boolean | undefined | void {
    return undefined;
  }
}

/** A datagram protocol. asyncio: asyncio.DatagramProtocol */
export class DatagramProtocol extends BaseProtocol {
  /** A datagram `data` arrived from `addr`. asyncio: DatagramProtocol.datagram_received */
  datagramReceived(_data: Uint8Array, _addr: SockAddr): void {}

  /** A send or receive failed with `exc` (an OSError). asyncio: DatagramProtocol.error_received */
  errorReceived(_exc: unknown): void {}
}
