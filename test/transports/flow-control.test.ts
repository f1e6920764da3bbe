// FlowControlTransport (asyncio's _FlowControlMixin): the water marks, their validation,
// pause_writing()/resume_writing() and what a failing one reports. Includes the port of
// test_transports.TransportTests.test_flowcontrol_mixin_set_write_limits.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLoop, Protocol, ValueError, type ExceptionContext } from '../../src/index.js';
import { FlowControlTransport } from '../../src/transports/flow-control.js';

class MyTransport extends FlowControlTransport {
  size = 512;
  override getWriteBufferSize(): number {
    return this.size;
  }
}

let loop: EventLoop;
beforeEach(() => {
  loop = new EventLoop();
});
afterEach(() => {
  loop.close();
});

describe('FlowControlTransport', () => {
  it('validates the limits and pauses above the new high mark (test_flowcontrol_mixin_set_write_limits)', () => {
    const transport = new MyTransport(undefined, loop);
    transport._protocol = new Protocol();
    expect(transport._protocolPaused).toBe(false);
    expect(() => transport.setWriteBufferLimits({ high: 0, low: 1 })).toThrow(new ValueError('high (0) must be >= low (1) must be >= 0'));
    transport.setWriteBufferLimits({ high: 1024, low: 128 });
    expect(transport._protocolPaused).toBe(false);
    expect(transport.getWriteBufferLimits()).toEqual([128, 1024]);
    transport.setWriteBufferLimits(256, 128);
    expect(transport._protocolPaused).toBe(true);
    expect(transport.getWriteBufferLimits()).toEqual([128, 256]);
  });

  it('defaults to 64 KiB and a quarter of it, or four times a given low mark', () => {
    const transport = new MyTransport(null, loop);
    expect(transport.getWriteBufferLimits()).toEqual([16384, 65536]);
    transport._protocol = new Protocol();
    transport.setWriteBufferLimits({ low: 100 });
    expect(transport.getWriteBufferLimits()).toEqual([100, 400]);
    transport.setWriteBufferLimits({ high: 101 });
    expect(transport.getWriteBufferLimits()).toEqual([25, 101]);
    expect(() => transport.setWriteBufferLimits({ low: -1 })).toThrow(new ValueError('high (-4) must be >= low (-1) must be >= 0'));
  });

  it('calls pause_writing once above the high mark and resume_writing once at the low mark', () => {
    const events: string[] = [];
    const transport = new MyTransport(null, loop);
    transport._protocol = new (class extends Protocol {
      override pauseWriting(): void {
        events.push('pause');
      }
      override resumeWriting(): void {
        events.push('resume');
      }
    })();
    transport.setWriteBufferLimits({ high: 100, low: 10 });
    transport._maybePauseProtocol();
    transport._maybeResumeProtocol();
    transport.size = 10;
    transport._maybeResumeProtocol();
    transport._maybeResumeProtocol();
    transport.size = 101;
    transport._maybePauseProtocol();
    expect(events).toEqual(['pause', 'resume', 'pause']);
  });

  it("reports a failing pause_writing or resume_writing to the exception handler with asyncio's keys", () => {
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => contexts.push(c));
    const transport = new MyTransport(null, loop);
    const protocol = new (class extends Protocol {
      override pauseWriting(): void {
        throw new Error('p');
      }
      override resumeWriting(): void {
        throw new Error('r');
      }
    })();
    transport._protocol = protocol;
    transport.setWriteBufferLimits({ high: 100 });
    transport.size = 0;
    transport._maybeResumeProtocol();
    expect(contexts.map((c) => [c.message, (c.exception as Error).message, c.transport === transport, c.protocol === protocol])).toEqual([
      ['protocol.pause_writing() failed', 'p', true, true],
      ['protocol.resume_writing() failed', 'r', true, true],
    ]);
    expect(transport._protocolPaused).toBe(false);
  });
});
