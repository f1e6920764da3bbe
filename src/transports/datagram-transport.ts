// The selector's datagram transport: each readable event is one recvfrom() given to
// datagram_received() (an OSError to error_received()); sendto() sends at once or queues
// the datagram until the socket is writable.
// asyncio: selector_events._SelectorDatagramTransport

import { isExitException, OSError, BlockingIOError, ValueError } from '../errors/exceptions.js';
import { boundMethod } from '../format/named.js';
import { pyTypeName, reprTuple } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { _setResultUnlessCancelled } from '../future/set-result-unless-cancelled.js';
import { logger } from '../log/asyncio-logger.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { SockAddr } from '../net/address.js';
import type { Socket } from '../net/socket.js';
import type { BaseProtocol, DatagramProtocol } from './protocols.js';
import { protocolCallback, SelectorTransport } from './selector-transport.js';
import { LOG_THRESHOLD_FOR_CONNLOST_WRITES } from './socket-transport.js';
import { DatagramTransport, type ExtraInfo } from './transports.js';

type Cb = (...args: any[]) => unknown;

// asyncio: a queued datagram counts its UDP header's 8 bytes too.
const HEADER_SIZE = 8;
type Queued = [data: Uint8Array, addr: SockAddr | undefined];

// Python's `except (BlockingIOError, InterruptedError)`.
const wouldBlock = (e: unknown): boolean => e instanceof BlockingIOError;

// Python's == between two address tuples.
function sameAddress(a: SockAddr, b: SockAddr): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * A UDP endpoint's transport on the selector loop (made by createDatagramEndpoint).
 * @internal asyncio: selector_events._SelectorDatagramTransport (private in asyncio)
 */
export class SelectorDatagramTransport extends SelectorTransport<Queued> {
  /** @internal The connected peer's address (remote_addr), if any. */
  declare _address: SockAddr | undefined;
  /** @internal The queued bytes as asyncio counts them. */
  declare _bufferSize: number;
  declare readonly _readReadyBound: Cb;
  declare readonly _sendtoReadyBound: Cb;

  constructor(loop: EventLoop, sock: Socket, protocol: BaseProtocol, address?: SockAddr | null, waiter?: Future<void> | null, extra?: ExtraInfo | null) {
    super(loop, sock, protocol, extra);
    this._address = address ?? undefined;
    this._bufferSize = 0;
    (this as { _readReadyBound: Cb })._readReadyBound = boundMethod('_SelectorDatagramTransport._read_ready', () => this._readReady());
    (this as { _sendtoReadyBound: Cb })._sendtoReadyBound = boundMethod('_SelectorDatagramTransport._sendto_ready', () => this._sendtoReady());
    loop.callSoon(protocolCallback(this._protocol!, 'connectionMade'), this);
    // asyncio: only start reading when connection_made() has been called.
    loop.callSoon(boundMethod('_SelectorTransport._add_reader', (fd: number, cb: Cb) => this._addReader(fd, cb)), this._sockFd, this._readReadyBound);
    if (waiter !== undefined && waiter !== null) loop.callSoon(_setResultUnlessCancelled, waiter, undefined);
  }

  override get _className(): string {
    return '_SelectorDatagramTransport';
  }

  override get _readReadyCb(): Cb {
    return this._readReadyBound;
  }

  /** The queued bytes, 8 more per datagram as asyncio counts them. asyncio: _SelectorDatagramTransport.get_write_buffer_size */
  override getWriteBufferSize(): number {
    return this._bufferSize;
  }

  /** @internal One datagram to datagram_received(), or the error to error_received(). asyncio: _SelectorDatagramTransport._read_ready */
  _readReady(): void {
    if (this._connLost) return;
    let received: [Uint8Array, SockAddr];
    try {
      received = this._sock!.recvfrom(this.maxSize);
    } catch (exc) {
      if (wouldBlock(exc)) return;
      if (exc instanceof OSError) {
        (this._protocol as DatagramProtocol).errorReceived(exc);
        return;
      }
      if (isExitException(exc)) throw exc;
      this._fatalError(exc, 'Fatal read error on datagram transport');
      return;
    }
    (this._protocol as DatagramProtocol).datagramReceived(received[0], received[1]);
  }

  /**
   * Send `data` to `addr` (or the connected peer) now, or queue it when the socket would
   * block; a send error goes to the protocol's error_received().
   * @throws TypeError `data argument must be a bytes-like object, not 'str'`.
   * @throws ValueError `Invalid address: must be None or ('127.0.0.1', 9999)` on a connected endpoint.
   * asyncio: _SelectorDatagramTransport.sendto
   */
  sendto(data: Uint8Array, addr?: SockAddr | null): void {
    if (!(data instanceof Uint8Array)) throw new TypeError(`data argument must be a bytes-like object, not '${pyTypeName(data)}'`);
    let to = addr ?? undefined;
    // Python's truth value of the address tuple: an empty one is no address.
    const connected = this._address !== undefined && this._address.length > 0;
    if (connected) {
      if (to !== undefined && !sameAddress(to, this._address!)) throw new ValueError(`Invalid address: must be None or ${reprTuple(this._address!)}`);
      to = this._address;
    }
    if (this._connLost && connected) {
      if (this._connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.warning('socket.send() raised exception.');
      this._connLost += 1;
      return;
    }
    if (this._buffer.length === 0) {
      // asyncio: attempt to send it right away first.
      try {
        this.#send(data, to);
        return;
      } catch (exc) {
        if (wouldBlock(exc)) {
          this._loop!._addWriter(this._sockFd, this._sendtoReadyBound);
        } else if (exc instanceof OSError) {
          (this._protocol as DatagramProtocol).errorReceived(exc);
          return;
        } else {
          if (isExitException(exc)) throw exc;
          this._fatalError(exc, 'Fatal write error on datagram transport');
          return;
        }
      }
    }
    // asyncio: what is buffered is immutable (a copy).
    this._buffer.push([data.slice(), to]);
    this._bufferSize += data.length + HEADER_SIZE;
    this._maybePauseProtocol();
  }

  #send(data: Uint8Array, to: SockAddr | undefined): void {
    if (this._extra.peername) this._sock!.send(data);
    else this._sock!.sendto(data, to as SockAddr);
  }

  /** @internal Send the queued datagrams while the socket takes them. asyncio: _SelectorDatagramTransport._sendto_ready */
  _sendtoReady(): void {
    while (this._buffer.length > 0) {
      const [data, addr] = this._buffer.shift()!;
      // CPython 3.13.2 subtracted the data's length only, leaving the 8 header bytes counted;
      // aiosim follows the fix of later 3.13 releases (gh-135444).
      this._bufferSize -= data.length + HEADER_SIZE;
      try {
        this.#send(data, addr);
      } catch (exc) {
        if (wouldBlock(exc)) {
          // asyncio: try again later.
          this._buffer.unshift([data, addr]);
          this._bufferSize += data.length + HEADER_SIZE;
          break;
        }
        if (exc instanceof OSError) {
          (this._protocol as DatagramProtocol).errorReceived(exc);
          return;
        }
        if (isExitException(exc)) throw exc;
        this._fatalError(exc, 'Fatal write error on datagram transport');
        return;
      }
    }
    this._maybeResumeProtocol(); // asyncio: may append to the buffer.
    if (this._buffer.length === 0) {
      this._loop!._removeWriter(this._sockFd);
      if (this._closing) this._callConnectionLost(undefined);
    }
  }
}

// Python's _SelectorDatagramTransport is also a transports.DatagramTransport.
DatagramTransport._alsoInstances.push(SelectorDatagramTransport);
