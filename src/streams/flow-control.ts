// The write flow control StreamWriter.drain() waits on: pause_writing() makes drains wait,
// resume_writing() and connection_lost() wake them.
// asyncio: streams.FlowControlMixin

import type { AbstractEventLoop } from '../events/abstract-loop.js';
import { getEventLoop } from '../events/running-loop.js';
import { AssertionError, ConnectionResetError, NotImplementedError } from '../errors/exceptions.js';
import { objectId, reprSymbol } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import { logger } from '../log/asyncio-logger.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { Protocol } from '../transports/protocols.js';

/** The classes streams.py defines, which repr with its module name. */
const ASYNCIO_CLASSES = new Set(['FlowControlMixin', 'StreamReaderProtocol']);

/**
 * A protocol with the flow control StreamWriter.drain() needs: `_drainHelper()` returns
 * at once unless writing is paused, then waits for resumeWriting() or connectionLost().
 * A subclass overriding pauseWriting, resumeWriting or connectionLost must call the
 * base method.
 *
 * @example
 * const p = new FlowControlMixin(loop);
 * p.pauseWriting();
 * loop.callLater(0.1, () => p.resumeWriting());
 * yield* p._drainHelper();
 * asyncio: asyncio.streams.FlowControlMixin
 */
export class FlowControlMixin extends Protocol {
  /** @internal */ _loop: AbstractEventLoop;
  /** @internal Whether the transport asked to pause writing. */ _paused = false;
  /** @internal The futures of the drains waiting for writing to resume. */ _drainWaiters: Future<undefined>[] = [];
  /** @internal */ _connectionLost = false;

  constructor(loop?: AbstractEventLoop | null | { loop?: AbstractEventLoop | null }) {
    super();
    if (isLoopOptions(loop)) loop = loop.loop;
    this._loop = loop ?? getEventLoop();
  }

  /** Python's default repr, with the module streams.py's classes live in. */
  [reprSymbol](): string {
    const name = this.constructor.name;
    const module = ASYNCIO_CLASSES.has(name) ? 'asyncio.streams' : '__main__';
    return `<${module}.${name} object at ${objectId(this)}>`;
  }

  /**
   * The transport's buffer went over its high water mark: drains wait from now on.
   * @throws AssertionError when writing is already paused.
   * asyncio: FlowControlMixin.pause_writing
   */
  override pauseWriting(): void {
    if (this._paused) throw new AssertionError();
    this._paused = true;
    if (this._loop.getDebug()) logger.debug('%r pauses writing', this);
  }

  /**
   * The transport's buffer drained: wake every waiting drain.
   * @throws AssertionError when writing is not paused.
   * asyncio: FlowControlMixin.resume_writing
   */
  override resumeWriting(): void {
    if (!this._paused) throw new AssertionError();
    this._paused = false;
    if (this._loop.getDebug()) logger.debug('%r resumes writing', this);
    for (const waiter of this._drainWaiters) {
      if (!waiter.done()) waiter.setResult(undefined);
    }
  }

  /**
   * The connection is lost: later drains raise ConnectionResetError; drains waiting
   * while writing is paused are woken, with `exc` if there is one.
   * asyncio: FlowControlMixin.connection_lost
   */
  override connectionLost(exc: unknown): void {
    this._connectionLost = true;
    if (!this._paused) return;
    for (const waiter of this._drainWaiters) {
      if (waiter.done()) continue;
      if (exc == null) waiter.setResult(undefined);
      else waiter.setException(exc);
    }
  }

  /**
   * @internal Return at once unless writing is paused; then wait until it resumes or the
   * connection is lost.
   * @throws ConnectionResetError `Connection lost` once the connection is lost.
   * asyncio: FlowControlMixin._drain_helper
   */
  *_drainHelper(): Coro<void> {
    if (this._connectionLost) throw new ConnectionResetError('Connection lost');
    if (!this._paused) return;
    const waiter = this._loop.createFuture<undefined>();
    this._drainWaiters.push(waiter);
    try {
      yield* waiter;
    } finally {
      this._drainWaiters.splice(this._drainWaiters.indexOf(waiter), 1);
    }
  }

  /**
   * @internal The future StreamWriter.wait_closed() awaits.
   * @throws NotImplementedError here; StreamReaderProtocol has one.
   * asyncio: FlowControlMixin._get_close_waiter
   */
  _getCloseWaiter(_stream: unknown): Future<undefined> {
    throw new NotImplementedError();
  }
}

_libraryCoroutineMethods(FlowControlMixin.prototype, { _drainHelper: 'FlowControlMixin._drain_helper' });

function isLoopOptions(x: unknown): x is { loop?: AbstractEventLoop | null } {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}
