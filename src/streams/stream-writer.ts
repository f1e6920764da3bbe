// StreamWriter: a transport's writing half with drain() (write flow control) and
// wait_closed() for coroutines.
// asyncio: streams.StreamWriter

import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { AssertionError } from '../errors/exceptions.js';
import { repr, reprSymbol } from '../format/py-repr.js';
import { _warnAt, ResourceWarning, warningSite } from '../log/warnings.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { sleep } from '../task/sleep.js';
import { sslOutOfScope } from '../transports/create-connection.js';
import type { Transport } from '../transports/transports.js';
import type { FlowControlMixin } from './flow-control.js';
import { StreamReader } from './stream-reader.js';

/** start_tls()'s keyword arguments (TLS is out of aiosim's scope). */
export interface StartTlsOptions {
  serverHostname?: string | null;
  sslHandshakeTimeout?: number | null;
  sslShutdownTimeout?: number | null;
}

/**
 * A transport's writing side for coroutines: write(), writelines(), writeEof(), close(),
 * getExtraInfo() go to the transport; drain() waits while the transport's buffer is over
 * its high water mark, and raises once the connection is lost (ConnectionResetError
 * `Connection lost`, or the reader's exception); waitClosed() waits for the connection
 * to be lost.
 *
 * Python's `__del__` (a ResourceWarning `unclosed <StreamWriter …>` and a close when a
 * writer is freed while its transport is open) is not reproduced yet.
 *
 * @throws AssertionError when `reader` is neither undefined nor a StreamReader.
 * @example
 * writer.write(bytes('hello\n'));
 * yield* writer.drain();
 * writer.close();
 * yield* writer.waitClosed();
 * asyncio: asyncio.StreamWriter
 */
export class StreamWriter {
  /** @internal */ _transport: Transport;
  /** @internal */ _protocol: FlowControlMixin;
  /** @internal */ _reader: StreamReader | undefined;
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal Creation order: collection points report writers in it. */
  readonly _seq = _nextCreationSeq();

  constructor(transport: Transport, protocol: FlowControlMixin, reader: StreamReader | undefined | null, loop: AbstractEventLoop) {
    this._transport = transport;
    this._protocol = protocol;
    // drain() asks the reader for its exception().
    if (reader != null && !(reader instanceof StreamReader)) throw new AssertionError();
    this._reader = reader ?? undefined;
    this._loop = loop;
    // A collection point finds the writer through its transport (the loop's transports).
    (transport as { _streamWriter?: StreamWriter })._streamWriter = this;
  }

  /**
   * @internal What CPython does when it frees the writer while its transport is open:
   * with the loop closed it warns `loop is closed`, otherwise it closes the transport and
   * warns `unclosed <StreamWriter …>` (ResourceWarning, hidden by default).
   * asyncio: StreamWriter.__del__
   */
  _collect(): void {
    if (this._transport.isClosing()) return;
    const { filename, lineno } = warningSite([]);
    if (this._loop.isClosed()) {
      _warnAt('loop is closed', ResourceWarning, filename, lineno, { registry: true, program: false });
    } else {
      this.close();
      _warnAt(`unclosed ${repr(this)}`, ResourceWarning, filename, lineno, { registry: true, program: false });
    }
  }

  toString(): string {
    const info = ['StreamWriter', `transport=${repr(this._transport)}`];
    if (this._reader !== undefined) info.push(`reader=${repr(this._reader)}`);
    return `<${info.join(' ')}>`;
  }

  /** asyncio's repr: `<StreamWriter transport=… reader=…>`. */
  [reprSymbol](): string {
    return this.toString();
  }

  /** The transport written to. asyncio: StreamWriter.transport */
  get transport(): Transport {
    return this._transport;
  }

  /** Write `data` to the transport (buffered if it cannot be sent now). asyncio: StreamWriter.write */
  write(data: Uint8Array): void {
    this._transport.write(data);
  }

  /** Write each of `data`, concatenated. asyncio: StreamWriter.writelines */
  writelines(data: Iterable<Uint8Array>): void {
    this._transport.writelines(data);
  }

  /** Close the write end once the buffered data is sent. asyncio: StreamWriter.write_eof */
  writeEof(): void {
    return this._transport.writeEof();
  }

  /** Whether the transport supports writeEof(). asyncio: StreamWriter.can_write_eof */
  canWriteEof(): boolean {
    return this._transport.canWriteEof();
  }

  /** Close the transport (waitClosed() waits for it). asyncio: StreamWriter.close */
  close(): void {
    return this._transport.close();
  }

  /** Whether the transport is closing or closed. asyncio: StreamWriter.is_closing */
  isClosing(): boolean {
    return this._transport.isClosing();
  }

  /**
   * Wait until the connection is lost (raising its exception, if any).
   * @example writer.close(); yield* writer.waitClosed();
   * asyncio: StreamWriter.wait_closed
   */
  *waitClosed(): Coro<void> {
    yield* this._protocol._getCloseWaiter(this);
  }

  /** The transport's extra information `name`, or `dflt`. asyncio: StreamWriter.get_extra_info */
  getExtraInfo(name: string, dflt?: unknown): unknown {
    return this._transport.getExtraInfo(name, dflt);
  }

  /**
   * Wait until the transport's buffer is below its high water mark.
   *
   * Raises the reader's exception if it has one. When the transport is closing it first
   * yields to the loop once, so that connection_lost() can run and the drain raise
   * (a `write(); drain()` loop would otherwise never see the connection close).
   * @throws ConnectionResetError `Connection lost` after the connection is lost.
   * @example writer.write(data); yield* writer.drain();
   * asyncio: StreamWriter.drain
   */
  *drain(): Coro<void> {
    if (this._reader !== undefined) {
      const exc = this._reader.exception();
      if (exc != null) throw exc;
    }
    if (this._transport.isClosing()) yield* sleep(0);
    yield* this._protocol._drainHelper();
  }

  /**
   * Upgrade the connection to TLS: aiosim has no TLS, so after the drain Python does
   * first, this raises.
   * @throws ValueError always: TLS is out of aiosim's scope.
   * asyncio: StreamWriter.start_tls
   */
  *startTls(_sslcontext: unknown, _options?: StartTlsOptions): Coro<void> {
    yield* this.drain();
    sslOutOfScope();
  }
}

_libraryCoroutineMethods(StreamWriter.prototype, {
  waitClosed: 'StreamWriter.wait_closed',
  drain: 'StreamWriter.drain',
  startTls: 'StreamWriter.start_tls',
});
