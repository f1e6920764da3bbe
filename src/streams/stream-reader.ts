// StreamReader: the bytes a protocol feeds in, read by coroutines (read, readline,
// readuntil, readexactly, async iteration over lines), with the transport's reading paused
// while more than twice the limit is buffered.
// asyncio: streams.StreamReader

import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { getEventLoop } from '../events/running-loop.js';
import { _setContext } from '../errors/chaining.js';
import { AssertionError, NotImplementedError, RuntimeError, StopAsyncIteration, ValueError } from '../errors/exceptions.js';
import { IncompleteReadError, LimitOverrunError } from '../errors/stream-errors.js';
import { _withoutStack } from '../errors/without-stack.js';
import { repr, reprSymbol } from '../format/py-repr.js';
import { extractStack, type StackFrame } from '../format/stack.js';
import type { Future } from '../future/future.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { joinBytes, type ReadTransport, type Transport } from '../transports/transports.js';
import { ByteBuffer } from './byte-buffer.js';
import { findSeparator, separatorList, type Separator } from './separators.js';

/** @internal asyncio's `_DEFAULT_LIMIT`: 64 KiB. */
export const DEFAULT_LIMIT = 2 ** 16;

/** StreamReader's keyword arguments. */
export interface StreamReaderOptions {
  /** The line length limit, and half the buffer size above which reading pauses (default 65536). */
  limit?: number;
  /** The loop (default: the running loop, else the current one). */
  loop?: AbstractEventLoop | null;
}

/** The transport a StreamReader pauses and resumes. */
export type ReadingTransport = ReadTransport | Transport;

const NEWLINE = new Uint8Array([10]);
const NEWLINES: readonly Uint8Array[] = [NEWLINE];

/**
 * A buffer of incoming bytes, read by coroutines.
 *
 * A protocol calls `feedData`, `feedEof` and `setException`; the read methods wait for
 * what they need. One coroutine at a time may wait for data (a second one raises
 * RuntimeError). When more than `2 * limit` bytes are buffered the transport's reading is
 * paused, and resumed once a read leaves at most `limit` bytes (or a read must wait).
 *
 * @throws ValueError `Limit cannot be <= 0`.
 * @example
 * const reader = new StreamReader();
 * reader.feedData(bytes('line1\n'));
 * const line = yield* reader.readline();
 * asyncio: asyncio.StreamReader
 */
export class StreamReader {
  /** @internal */ _limit: number;
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal */ _buffer = new ByteBuffer();
  /** @internal Whether feed_eof() was called. */ _eof = false;
  // Invariant: _waiter is set only while a read coroutine waits in _waitForData.
  /** @internal */ _waiter: Future<undefined> | undefined | null = undefined;
  /** @internal */ _exception: unknown = undefined;
  /** @internal */ _transport: ReadingTransport | undefined | null = undefined;
  // Invariant: _paused implies _transport is set and its reading was paused by feedData.
  /** @internal */ _paused = false;
  /** @internal Where it was created (debug mode). */ _sourceTraceback: StackFrame[] | undefined;

  constructor(limit: number | StreamReaderOptions = DEFAULT_LIMIT, loop?: AbstractEventLoop | null) {
    if (typeof limit === 'object' && limit !== null) {
      loop = limit.loop;
      limit = limit.limit ?? DEFAULT_LIMIT;
    }
    // The line length limit is a security feature; it is also half the buffer limit.
    if (limit <= 0) throw new ValueError('Limit cannot be <= 0');
    this._limit = limit;
    this._loop = loop ?? getEventLoop();
    this._sourceTraceback = this._loop.getDebug() ? extractStack() : undefined;
  }

  toString(): string {
    const info = ['StreamReader'];
    if (this._buffer.length > 0) info.push(`${this._buffer.length} bytes`);
    if (this._eof) info.push('eof');
    if (this._limit !== DEFAULT_LIMIT) info.push(`limit=${this._limit}`);
    if (this._waiter) info.push(`waiter=${repr(this._waiter)}`);
    if (this._exception) info.push(`exception=${repr(this._exception)}`);
    if (this._transport) info.push(`transport=${repr(this._transport)}`);
    if (this._paused) info.push('paused');
    return `<${info.join(' ')}>`;
  }

  /** asyncio's repr: `<StreamReader 5 bytes eof limit=10 waiter=… exception=… transport=… paused>`. */
  [reprSymbol](): string {
    return this.toString();
  }

  /** Return the exception set by setException(), or undefined. asyncio: StreamReader.exception */
  exception(): unknown {
    return this._exception;
  }

  /** Make every later read raise `exc`, and wake a waiting read with it. asyncio: StreamReader.set_exception */
  setException(exc: unknown): void {
    this._exception = exc;
    const waiter = this._waiter;
    if (waiter != null) {
      this._waiter = undefined;
      if (!waiter.cancelled()) waiter.setException(exc);
    }
  }

  // asyncio: StreamReader._wakeup_waiter (a read waiting for data or EOF goes on).
  #wakeupWaiter(): void {
    const waiter = this._waiter;
    if (waiter != null) {
      this._waiter = undefined;
      if (!waiter.cancelled()) waiter.setResult(undefined);
    }
  }

  /**
   * Set the transport whose reading is paused while the buffer is full.
   * @throws AssertionError `Transport already set`.
   * asyncio: StreamReader.set_transport
   */
  setTransport(transport: ReadingTransport): void {
    if (this._transport != null) throw new AssertionError('Transport already set');
    this._transport = transport;
  }

  /** @internal asyncio: StreamReader._maybe_resume_transport */
  _maybeResumeTransport(): void {
    if (this._paused && this._buffer.length <= this._limit) {
      this._paused = false;
      this._transport!.resumeReading();
    }
  }

  /** Mark the end of the stream and wake a waiting read. asyncio: StreamReader.feed_eof */
  feedEof(): void {
    this._eof = true;
    this.#wakeupWaiter();
  }

  /** Whether the buffer is empty and feedEof() was called. asyncio: StreamReader.at_eof */
  atEof(): boolean {
    return this._eof && this._buffer.length === 0;
  }

  /**
   * Append `data` to the buffer and wake a waiting read; pause the transport's reading
   * when more than twice the limit is buffered (a transport that cannot pause is forgotten).
   * @throws AssertionError `feed_data after feed_eof`.
   * asyncio: StreamReader.feed_data
   */
  feedData(data: Uint8Array): void {
    if (this._eof) throw new AssertionError('feed_data after feed_eof');
    if (data.length === 0) return;
    this._buffer.extend(data);
    this.#wakeupWaiter();
    if (this._transport != null && !this._paused && this._buffer.length > 2 * this._limit) {
      try {
        this._transport.pauseReading();
      } catch (e) {
        if (!(e instanceof NotImplementedError)) throw e;
        // The transport cannot be paused: everything is buffered from now on.
        this._transport = undefined;
        return;
      }
      this._paused = true;
    }
  }

  /**
   * @internal Wait until feedData() or feedEof() is called, resuming a paused transport
   * first (waiting while paused would never end).
   * @throws RuntimeError `<funcName>() called while another coroutine is already waiting for incoming data`.
   * asyncio: StreamReader._wait_for_data
   */
  *_waitForData(funcName: string): Coro<void> {
    // One waiter links feed_data() to one read: with two, which one gets the data?
    if (this._waiter != null) {
      throw new RuntimeError(`${funcName}() called while another coroutine is already waiting for incoming data`);
    }
    if (this._eof) throw new AssertionError('_wait_for_data after EOF');
    // Essential for readexactly(n) with n > limit.
    if (this._paused) {
      this._paused = false;
      this._transport!.resumeReading();
    }
    this._waiter = this._loop.createFuture<undefined>();
    try {
      yield* this._waiter;
    } finally {
      this._waiter = undefined;
    }
  }

  /**
   * Read up to and including the next newline; at EOF, what is left (maybe `b''`).
   *
   * @throws ValueError with LimitOverrunError's message when the line (without its
   * newline) is longer than the limit: the line is dropped if its newline is buffered,
   * else the whole buffer is.
   * @example const line = yield* reader.readline();
   * asyncio: StreamReader.readline
   */
  *readline(): Coro<Uint8Array> {
    try {
      return yield* this._readuntil(NEWLINES, true);
    } catch (e) {
      if (e instanceof IncompleteReadError) return e.partial;
      if (!(e instanceof LimitOverrunError)) throw e;
      if (this._buffer.startsWith(NEWLINE, e.consumed)) this._buffer.consume(e.consumed + NEWLINE.length);
      else this._buffer.clear();
      this._maybeResumeTransport();
      const err = new ValueError(e.args[0]);
      _setContext(err, e);
      throw err;
    }
  }

  /**
   * Read up to and including `separator` (or, for an array of separators, the shortest
   * data ending with any of them), consuming it from the buffer.
   *
   * @throws ValueError `Separator should be at least one-byte string`, `Separator should
   * contain at least one element`.
   * @throws IncompleteReadError at EOF before a separator (the buffer is emptied into `partial`).
   * @throws LimitOverrunError `Separator is not found, and chunk exceed the limit` /
   * `Separator is found, but chunk is longer than limit` (the data stays buffered).
   * @example const header = yield* reader.readuntil(bytes('\r\n\r\n'));
   * asyncio: StreamReader.readuntil
   */
  *readuntil(separator?: Separator | { separator?: Separator } | null): Coro<Uint8Array> {
    // No default values in these signatures: the tracking wrapper passes as many arguments
    // as the function's length, which a default value shortens.
    return yield* this._readuntil(separatorList(separator, NEWLINE), false);
  }

  /**
   * @internal readuntil() with its separators checked. At EOF before a separator, the
   * buffer emptied into an IncompleteReadError, made without a stack trace when `quiet`
   * (readline(), which returns its `partial`, reaches the end of every stream that way).
   */
  *_readuntil(seps: readonly Uint8Array[], quiet: boolean): Coro<Uint8Array> {
    const minSeplen = seps[0]!.length;
    const maxSeplen = seps[seps.length - 1]!.length;
    if (this._exception != null) throw this._exception;

    // `offset`: how many bytes at the front of the buffer are known to hold no separator
    // (all but the last max_seplen - 1 bytes looked at, which may start one).
    let offset = 0;
    let match: [number, number] | undefined;
    for (;;) {
      const buflen = this._buffer.length;
      if (buflen - offset >= minSeplen) {
        match = findSeparator(this._buffer, seps, offset);
        if (match !== undefined) break;
        offset = Math.max(0, buflen + 1 - maxSeplen);
        if (offset > this._limit) throw new LimitOverrunError('Separator is not found, and chunk exceed the limit', offset);
      }
      // EOF is checked after the buffer: the last chunk may have completed a separator.
      if (this._eof) {
        const chunk = this._buffer.bytes();
        this._buffer.clear();
        throw quiet ? _withoutStack(() => new IncompleteReadError(chunk, undefined)) : new IncompleteReadError(chunk, undefined);
      }
      yield* this._waitForData('readuntil');
    }
    const [matchStart, matchEnd] = match;
    if (matchStart > this._limit) throw new LimitOverrunError('Separator is found, but chunk is longer than limit', matchStart);
    const chunk = this._buffer.take(matchEnd);
    this._maybeResumeTransport();
    return chunk;
  }

  /**
   * Read up to `n` bytes: with `n` < 0 (the default) everything until EOF, with 0 nothing,
   * else at most `n` as soon as at least one byte is buffered (`b''` at EOF).
   *
   * @throws the exception set by setException().
   * @example const data = yield* reader.read(100);
   * asyncio: StreamReader.read
   */
  *read(n?: number | { n?: number } | null): Coro<Uint8Array> {
    if (n == null) n = -1;
    else if (typeof n === 'object') n = n.n ?? -1;
    if (this._exception != null) throw this._exception;
    if (n === 0) return new Uint8Array(0);
    if (n < 0) {
      // Read limit-sized blocks until EOF: waiting for everything at once would never end
      // when more than twice the limit comes (the transport pauses).
      const blocks: Uint8Array[] = [];
      for (;;) {
        const block = yield* this.read(this._limit);
        if (block.length === 0) break;
        blocks.push(block);
      }
      return joinBytes(blocks);
    }
    if (this._buffer.length === 0 && !this._eof) yield* this._waitForData('read');
    const data = this._buffer.take(n);
    this._maybeResumeTransport();
    return data;
  }

  /**
   * Read exactly `n` bytes.
   *
   * @throws ValueError `readexactly size can not be less than zero`.
   * @throws IncompleteReadError at EOF before `n` bytes (the buffer is emptied into `partial`).
   * @example const header = yield* reader.readexactly(4);
   * asyncio: StreamReader.readexactly
   */
  *readexactly(n: number): Coro<Uint8Array> {
    if (n < 0) throw new ValueError('readexactly size can not be less than zero');
    if (this._exception != null) throw this._exception;
    if (n === 0) return new Uint8Array(0);
    while (this._buffer.length < n) {
      if (this._eof) {
        const incomplete = this._buffer.bytes();
        this._buffer.clear();
        throw new IncompleteReadError(incomplete, n);
      }
      yield* this._waitForData('readexactly');
    }
    const data = this._buffer.take(n);
    this._maybeResumeTransport();
    return data;
  }

  /** Return itself: a StreamReader iterates over its lines. asyncio: StreamReader.__aiter__ */
  aiter(): this {
    return this;
  }

  /**
   * Return the next line (readline()); raise StopAsyncIteration at the end.
   * @example yield* asyncFor(reader, function* (line) { log(line); });
   * asyncio: StreamReader.__anext__
   */
  *anext(): Coro<Uint8Array> {
    const val = yield* this.readline();
    if (val.length === 0) throw new StopAsyncIteration();
    return val;
  }
}

_libraryCoroutineMethods(StreamReader.prototype, {
  _waitForData: 'StreamReader._wait_for_data',
  readline: 'StreamReader.readline',
  readuntil: 'StreamReader.readuntil',
  read: 'StreamReader.read',
  readexactly: 'StreamReader.readexactly',
  anext: 'StreamReader.__anext__',
});
