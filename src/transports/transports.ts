// The abstract transports: what a protocol may ask of the connection it was given. Every
// method a concrete transport must provide raises NotImplementedError here, as in asyncio.
// asyncio: transports.BaseTransport, ReadTransport, WriteTransport, Transport, DatagramTransport

import { NotImplementedError } from '../errors/exceptions.js';
import type { SockAddr } from '../net/address.js';
import type { BaseProtocol } from './protocols.js';

/** A transport's extra information, by name (`peername`, `sockname`, `socket`, …). */
export type ExtraInfo = Readonly<Record<string, unknown>>;

/** The keyword arguments of `set_write_buffer_limits`. */
export interface WriteBufferLimits {
  high?: number | null;
  low?: number | null;
}

/** Concatenate byte strings (Python's `b''.join(list_of_data)`). */
export function joinBytes(chunks: Iterable<Uint8Array>): Uint8Array {
  const list = [...chunks];
  if (list.length === 1) return list[0]!.slice();
  let size = 0;
  for (const c of list) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of list) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The base of every transport.
 *
 * @example
 * const peer = transport.getExtraInfo('peername');
 * asyncio: asyncio.BaseTransport
 */
export class BaseTransport {
  /** @internal The extra information (`get_extra_info`'s table). */
  _extra: Record<string, unknown>;

  constructor(extra?: ExtraInfo | null) {
    this._extra = extra == null ? {} : { ...extra };
  }

  /** Return the extra information `name`, or `dflt` when the transport has none. asyncio: BaseTransport.get_extra_info */
  getExtraInfo(name: string, dflt?: unknown): unknown {
    return Object.prototype.hasOwnProperty.call(this._extra, name) ? this._extra[name] : dflt;
  }

  /** Whether the transport is closing or closed. asyncio: BaseTransport.is_closing */
  isClosing(): boolean {
    throw new NotImplementedError();
  }

  /** Close the transport: buffered data is flushed, then the protocol's connection_lost(None) runs. asyncio: BaseTransport.close */
  close(): void {
    throw new NotImplementedError();
  }

  /** Set a new protocol. asyncio: BaseTransport.set_protocol */
  setProtocol(_protocol: BaseProtocol): void {
    throw new NotImplementedError();
  }

  /** The current protocol. asyncio: BaseTransport.get_protocol */
  getProtocol(): BaseProtocol {
    throw new NotImplementedError();
  }
}

/** The reading half of a transport. asyncio: asyncio.ReadTransport */
export class ReadTransport extends BaseTransport {
  /** Whether the transport is receiving. asyncio: ReadTransport.is_reading */
  isReading(): boolean {
    throw new NotImplementedError();
  }

  /** Stop calling the protocol's data_received() until resume_reading(). asyncio: ReadTransport.pause_reading */
  pauseReading(): void {
    throw new NotImplementedError();
  }

  /** Call the protocol's data_received() again. asyncio: ReadTransport.resume_reading */
  resumeReading(): void {
    throw new NotImplementedError();
  }
}

/** The writing half of a transport. asyncio: asyncio.WriteTransport */
export class WriteTransport extends BaseTransport {
  /**
   * Set the high and low water marks of write flow control (positional, or `{ high, low }`).
   * asyncio: WriteTransport.set_write_buffer_limits
   */
  setWriteBufferLimits(_high?: number | null | WriteBufferLimits, _low?: number | null): void {
    throw new NotImplementedError();
  }

  /** The bytes buffered, not yet sent. asyncio: WriteTransport.get_write_buffer_size */
  getWriteBufferSize(): number {
    throw new NotImplementedError();
  }

  /** `[low, high]`: the water marks. asyncio: WriteTransport.get_write_buffer_limits */
  getWriteBufferLimits(): [number, number] {
    throw new NotImplementedError();
  }

  /** Write `data` without blocking: what cannot be sent now is buffered. asyncio: WriteTransport.write */
  write(_data: Uint8Array): void {
    throw new NotImplementedError();
  }

  /** Write the concatenation of `listOfData`. asyncio: WriteTransport.writelines */
  writelines(listOfData: Iterable<Uint8Array>): void {
    this.write(joinBytes(listOfData));
  }

  /** Close the write end after the buffered data is sent. asyncio: WriteTransport.write_eof */
  writeEof(): void {
    throw new NotImplementedError();
  }

  /** Whether write_eof() is possible. asyncio: WriteTransport.can_write_eof */
  canWriteEof(): boolean {
    throw new NotImplementedError();
  }

  /** Close at once, dropping buffered data; connection_lost(None) follows. asyncio: WriteTransport.abort */
  abort(): void {
    throw new NotImplementedError();
  }
}

/**
 * A bidirectional stream transport (a TCP connection).
 * asyncio: asyncio.Transport
 */
export class Transport extends WriteTransport {
  /** asyncio: ReadTransport.is_reading */
  isReading(): boolean {
    throw new NotImplementedError();
  }

  /** asyncio: ReadTransport.pause_reading */
  pauseReading(): void {
    throw new NotImplementedError();
  }

  /** asyncio: ReadTransport.resume_reading */
  resumeReading(): void {
    throw new NotImplementedError();
  }
}

// Python's Transport inherits ReadTransport and WriteTransport; JavaScript has one base
// class, so `instanceof ReadTransport` is answered for Transport too.
Object.defineProperty(ReadTransport, Symbol.hasInstance, {
  value: (obj: unknown): boolean =>
    typeof obj === 'object' && obj !== null && (Object.prototype.isPrototypeOf.call(ReadTransport.prototype, obj) || obj instanceof Transport),
});

/** A datagram (UDP) transport. asyncio: asyncio.DatagramTransport */
export class DatagramTransport extends BaseTransport {
  /**
   * @internal Classes that are DatagramTransports in Python but extend another base here
   * (the selector's datagram transport, a Transport through its flow-control base).
   */
  static readonly _alsoInstances: Function[] = [];

  /** Send `data` to `addr` (or the connected peer) without blocking. asyncio: DatagramTransport.sendto */
  sendto(_data: Uint8Array, _addr?: SockAddr | null): void {
    throw new NotImplementedError();
  }

  /** Close at once, dropping buffered data. asyncio: DatagramTransport.abort */
  abort(): void {
    throw new NotImplementedError();
  }
}

// The selector's datagram transport derives from Transport here (one base class), as
// Python's derives from both: `instanceof DatagramTransport` answers for it too.
Object.defineProperty(DatagramTransport, Symbol.hasInstance, {
  value: (obj: unknown): boolean =>
    typeof obj === 'object' && obj !== null &&
    (Object.prototype.isPrototypeOf.call(DatagramTransport.prototype, obj) || DatagramTransport._alsoInstances.some((c) => obj instanceof c)),
});
