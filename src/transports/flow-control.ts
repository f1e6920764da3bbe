// Write flow control shared by the selector's transports: the high and low water marks,
// and pause_writing()/resume_writing() called on the protocol as the buffer crosses them.
// asyncio: transports._FlowControlMixin

import { isExitException, ValueError } from '../errors/exceptions.js';
import { repr } from '../format/py-repr.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { BaseProtocol } from './protocols.js';
import { Transport, type ExtraInfo, type WriteBufferLimits } from './transports.js';

/**
 * A transport with write flow control: a subclass says how many bytes it buffers
 * (getWriteBufferSize) and calls `_maybePauseProtocol()` whenever that grows and
 * `_maybeResumeProtocol()` whenever it shrinks.
 * @internal asyncio: transports._FlowControlMixin (private in asyncio too)
 */
export class FlowControlTransport extends Transport {
  /** @internal The loop the transport belongs to; undefined once connection_lost ran. */
  _loop: EventLoop | undefined;
  /** @internal The protocol (undefined once connection_lost ran). */
  _protocol: BaseProtocol | undefined;
  /** @internal pause_writing() was called and resume_writing() not yet. */
  _protocolPaused = false;
  /** @internal */ _highWater = 0;
  /** @internal */ _lowWater = 0;

  constructor(extra: ExtraInfo | null | undefined, loop: EventLoop) {
    super(extra);
    this._loop = loop;
    this._setWriteBufferLimits();
  }

  /** @internal Call the protocol's pause_writing() once the buffer is above the high water mark. */
  _maybePauseProtocol(): void {
    const size = this.getWriteBufferSize();
    if (size <= this._highWater) return;
    if (this._protocolPaused) return;
    this._protocolPaused = true;
    try {
      this._protocol!.pauseWriting();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._loop!.callExceptionHandler({
        message: 'protocol.pause_writing() failed', exception: exc, transport: this, protocol: this._protocol,
      });
    }
  }

  /** @internal Call the protocol's resume_writing() once a paused buffer is down to the low water mark. */
  _maybeResumeProtocol(): void {
    if (!this._protocolPaused || this.getWriteBufferSize() > this._lowWater) return;
    this._protocolPaused = false;
    try {
      this._protocol!.resumeWriting();
    } catch (exc) {
      if (isExitException(exc)) throw exc;
      this._loop!.callExceptionHandler({
        message: 'protocol.resume_writing() failed', exception: exc, transport: this, protocol: this._protocol,
      });
    }
  }

  /** `[low, high]`. asyncio: _FlowControlMixin.get_write_buffer_limits */
  override getWriteBufferLimits(): [number, number] {
    return [this._lowWater, this._highWater];
  }

  /** @internal Validate and set the water marks: high defaults to 64 KiB (or 4 × low), low to high // 4. */
  _setWriteBufferLimits(high?: number | null, low?: number | null): void {
    if (high === undefined || high === null) high = low === undefined || low === null ? 64 * 1024 : 4 * low;
    if (low === undefined || low === null) low = Math.floor(high / 4);
    if (!(high >= low && low >= 0)) throw new ValueError(`high (${repr(high)}) must be >= low (${repr(low)}) must be >= 0`);
    this._highWater = high;
    this._lowWater = low;
  }

  /**
   * Set the water marks (positional, or `{ high, low }`), then pause the protocol if the
   * buffer is already above the new high mark.
   * @throws ValueError `high (1) must be >= low (2) must be >= 0`.
   * asyncio: _FlowControlMixin.set_write_buffer_limits
   */
  override setWriteBufferLimits(high?: number | null | WriteBufferLimits, low?: number | null): void {
    if (typeof high === 'object' && high !== null) this._setWriteBufferLimits(high.high, high.low);
    else this._setWriteBufferLimits(high, low);
    this._maybePauseProtocol();
  }
}
