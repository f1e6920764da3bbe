// Port of CPython 3.13's test_transports.TransportTests: the abstract transports and the
// flow-control base. Table: docs/cpython-tests/test_transports.md.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BaseTransport, DatagramTransport, EventLoop, NotImplementedError, Protocol, ReadTransport, Transport, ValueError, WriteTransport,
} from '../../../src/index.js';
import { FlowControlTransport } from '../../../src/transports/flow-control.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

let loop: EventLoop;
beforeEach(() => {
  loop = new EventLoop();
});
afterEach(() => {
  loop.close();
});

describe('TransportTests', () => {
  it('test_ctor_extra_is_none: has an empty extra table', () => {
    const transport = new Transport();
    expect(transport._extra).toEqual({});
  });

  it('test_get_extra_info: answers from the extra table, else the default', () => {
    const transport = new Transport({ extra: 'info' });
    expect(transport.getExtraInfo('extra')).toBe('info');
    expect(transport.getExtraInfo('unknown')).toBeUndefined();
    const dflt = {};
    expect(transport.getExtraInfo('unknown', dflt)).toBe(dflt);
  });

  it('test_writelines: writes the concatenation in one write()', () => {
    const written: string[] = [];
    class WriterTransport extends Transport {
      override write(data: Uint8Array): void {
        written.push(new TextDecoder().decode(data));
      }
    }
    new WriterTransport().writelines([b('line1'), b('line2'), b('line3')]);
    expect(written).toEqual(['line1line2line3']);
  });

  it('test_not_implemented: raises NotImplementedError from the abstract methods', () => {
    const transport = new Transport();
    for (const call of [
      () => transport.setWriteBufferLimits(), () => transport.getWriteBufferSize(), () => transport.write(b('data')),
      () => transport.writeEof(), () => transport.canWriteEof(), () => transport.pauseReading(), () => transport.resumeReading(),
      () => transport.isReading(), () => transport.close(), () => transport.abort(),
    ]) {
      expect(call).toThrow(NotImplementedError);
    }
    expect(new ReadTransport()).toBeInstanceOf(BaseTransport);
    expect(new WriteTransport()).toBeInstanceOf(BaseTransport);
  });

  it('test_dgram_not_implemented: raises NotImplementedError from sendto and abort', () => {
    const transport = new DatagramTransport();
    expect(() => transport.sendto(b('data'))).toThrow(NotImplementedError);
    expect(() => transport.abort()).toThrow(NotImplementedError);
  });

  it('test_flowcontrol_mixin_set_write_limits: validates the limits and pauses above the new high mark', () => {
    class MyTransport extends FlowControlTransport {
      override getWriteBufferSize(): number {
        return 512;
      }
    }
    const transport = new MyTransport(undefined, loop);
    transport._protocol = new Protocol();
    expect(transport._protocolPaused).toBe(false);
    expect(() => transport.setWriteBufferLimits({ high: 0, low: 1 })).toThrow(ValueError);
    expect(() => transport.setWriteBufferLimits({ high: 0, low: 1 })).toThrow(/high.*must be >= low/);
    transport.setWriteBufferLimits({ high: 1024, low: 128 });
    expect(transport._protocolPaused).toBe(false);
    expect(transport.getWriteBufferLimits()).toEqual([128, 1024]);
    transport.setWriteBufferLimits({ high: 256, low: 128 });
    expect(transport._protocolPaused).toBe(true);
    expect(transport.getWriteBufferLimits()).toEqual([128, 256]);
  });
});
