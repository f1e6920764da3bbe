// The stream transport's read path: one readable event is one recv() into data_received(),
// or one recv_into() of a BufferedProtocol's buffer, and the end of the stream asks
// eof_received() whether to close. Errors are fatal, a would-block is ignored.
// asyncio: selector_events._SelectorSocketTransport._read_ready__get_buffer, _read_ready__data_received, _read_ready__on_eof

import { BlockingIOError, isExitException, RuntimeError } from '../errors/exceptions.js';
import { logger } from '../log/asyncio-logger.js';
import type { BufferedProtocol, Protocol } from './protocols.js';
import type { SelectorSocketTransport } from './socket-transport.js';

// Python's `except (BlockingIOError, InterruptedError)`.
const wouldBlock = (e: unknown): boolean => e instanceof BlockingIOError;

/** Read into the BufferedProtocol's buffer. asyncio: _SelectorSocketTransport._read_ready__get_buffer */
export function readIntoBuffer(tr: SelectorSocketTransport): void {
  if (tr._connLost) return;
  const protocol = tr._protocol as BufferedProtocol;
  let buf: Uint8Array;
  try {
    buf = protocol.getBuffer(-1);
    if (buf === undefined || buf === null) throw new TypeError("object of type 'NoneType' has no len()");
    if (buf.length === 0) throw new RuntimeError('get_buffer() returned an empty buffer');
  } catch (exc) {
    if (isExitException(exc)) throw exc;
    tr._fatalError(exc, 'Fatal error: protocol.get_buffer() call failed.');
    return;
  }
  let nbytes: number;
  try {
    nbytes = tr._sock!.recvInto(buf);
  } catch (exc) {
    if (wouldBlock(exc)) return;
    if (isExitException(exc)) throw exc;
    tr._fatalError(exc, 'Fatal read error on socket transport');
    return;
  }
  if (!nbytes) {
    tr._readReadyOnEof();
    return;
  }
  try {
    protocol.bufferUpdated(nbytes);
  } catch (exc) {
    if (isExitException(exc)) throw exc;
    tr._fatalError(exc, 'Fatal error: protocol.buffer_updated() call failed.');
  }
}

/** Read up to max_size bytes into data_received(). asyncio: _SelectorSocketTransport._read_ready__data_received */
export function readData(tr: SelectorSocketTransport): void {
  if (tr._connLost) return;
  let data: Uint8Array;
  try {
    data = tr._sock!.recv(tr.maxSize);
  } catch (exc) {
    if (wouldBlock(exc)) return;
    if (isExitException(exc)) throw exc;
    tr._fatalError(exc, 'Fatal read error on socket transport');
    return;
  }
  if (data.length === 0) {
    tr._readReadyOnEof();
    return;
  }
  try {
    (tr._protocol as Protocol).dataReceived(data);
  } catch (exc) {
    if (isExitException(exc)) throw exc;
    tr._fatalError(exc, 'Fatal error: protocol.data_received() call failed.');
  }
}

/** The peer's EOF: eof_received() decides between closing and staying open for writing. asyncio: _SelectorSocketTransport._read_ready__on_eof */
export function readEof(tr: SelectorSocketTransport): void {
  const loop = tr._loop!;
  if (loop.getDebug()) logger.debug('%r received EOF', tr);
  let keepOpen: unknown;
  try {
    keepOpen = (tr._protocol as Protocol).eofReceived();
  } catch (exc) {
    if (isExitException(exc)) throw exc;
    tr._fatalError(exc, 'Fatal error: protocol.eof_received() call failed.');
    return;
  }
  // asyncio: kept open, the protocol can still write, but nothing more can be read.
  if (keepOpen) loop._removeReader(tr._sockFd);
  else tr.close();
}
