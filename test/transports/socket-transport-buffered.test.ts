// Ports of CPython 3.13's test_selector_events.SelectorSocketTransportBufferedProtocolTests:
// the stream transport reading into a BufferedProtocol's buffer through a stand-in socket.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlockingIOError, ConnectionResetError, OSError } from '../../src/errors/exceptions.js';
import { EventLoop } from '../../src/index.js';
import type { BufferedProtocol } from '../../src/transports/protocols.js';
import { SelectorSocketTransport } from '../../src/transports/socket-transport.js';
import { readerOf, recordingBufferedProtocol, recordingProtocol, runBriefly, StubSocket, type Calls } from '../_support/stub-socket.js';

let loop: EventLoop;
let sock: StubSocket;
let calls: Calls;
let protocol: BufferedProtocol & { getBufferResult?: unknown; eofReceivedResult?: unknown };

beforeEach(() => {
  loop = new EventLoop();
  sock = new StubSocket();
  calls = [];
  protocol = recordingBufferedProtocol(calls);
});

afterEach(() => {
  loop.close();
});

const socketTransport = (waiter?: ReturnType<EventLoop['createFuture']>): SelectorSocketTransport =>
  new SelectorSocketTransport(loop, sock.asSocket, protocol, waiter as never);

const names = (): unknown[] => calls.map((c) => c[0]);

describe('SelectorSocketTransport with a BufferedProtocol (test_selector_events.SelectorSocketTransportBufferedProtocolTests)', () => {
  it('registers the reader and calls connection_made (test_ctor)', () => {
    const waiter = loop.createFuture<void>();
    const tr = socketTransport(waiter);
    loop.runUntilComplete(waiter);
    expect(readerOf(loop)?._callback).toBe(tr._readReadyBound);
    runBriefly(loop);
    expect(calls).toEqual([['connectionMade', tr]]);
  });

  it('makes a failing get_buffer fatal (test_get_buffer_error)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    protocol.getBuffer = () => {
      calls.push(['getBuffer']);
      throw new Error('lookup');
    };
    tr._readReady();
    expect(fatal.mock.calls[0]![1]).toBe('Fatal error: protocol.get_buffer() call failed.');
    expect(names()).toEqual(['getBuffer']);
  });

  it('makes an empty buffer fatal (test_get_buffer_zerosized)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    protocol.getBufferResult = new Uint8Array(0);
    tr._readReady();
    expect(String((fatal.mock.calls[0]![0] as Error).message)).toBe('get_buffer() returned an empty buffer');
    expect(names()).toEqual(['getBuffer']);
  });

  it('switches between data_received and get_buffer with set_protocol (test_proto_type_switch)', () => {
    const plainCalls: Calls = [];
    protocol = recordingProtocol(plainCalls) as never;
    const tr = socketTransport();
    sock.recv.mockReturnValue(new TextEncoder().encode('data'));
    tr._readReady();
    expect(plainCalls).toEqual([['dataReceived', new TextEncoder().encode('data')]]);
    const bufCalls: Calls = [];
    tr.setProtocol(recordingBufferedProtocol(bufCalls, new Uint8Array(4)));
    sock.recvInto.mockReturnValue(10);
    tr._readReady();
    expect(bufCalls).toEqual([['getBuffer', -1], ['bufferUpdated', 10]]);
  });

  it('makes a failing buffer_updated fatal (test_buffer_updated_error)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    protocol.bufferUpdated = (n: number) => {
      calls.push(['bufferUpdated', n]);
      throw new Error('lookup');
    };
    sock.recvInto.mockReturnValue(10);
    tr._readReady();
    expect(fatal.mock.calls[0]![1]).toBe('Fatal error: protocol.buffer_updated() call failed.');
    expect(names()).toEqual(['getBuffer', 'bufferUpdated']);
  });

  it('makes a failing eof_received fatal (test_read_eof_received_error)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    protocol.eofReceived = () => {
      calls.push(['eofReceived']);
      throw new Error('lookup');
    };
    sock.recvInto.mockReturnValue(0);
    tr._readReady();
    expect(names()).toEqual(['getBuffer', 'eofReceived']);
    expect(fatal.mock.calls[0]![1]).toBe('Fatal error: protocol.eof_received() call failed.');
  });

  it('reads into the buffer (test_read_ready)', () => {
    const tr = socketTransport();
    sock.recvInto.mockReturnValue(10);
    tr._readReady();
    expect(calls).toEqual([['getBuffer', -1], ['bufferUpdated', 10]]);
  });

  it('closes after eof_received (test_read_ready_eof)', () => {
    const tr = socketTransport();
    const close = vi.spyOn(tr, 'close');
    sock.recvInto.mockReturnValue(0);
    tr._readReady();
    expect(names()).toEqual(['getBuffer', 'eofReceived']);
    expect(close).toHaveBeenCalledOnce();
  });

  it('stays open when eof_received returns true (test_read_ready_eof_keep_open)', () => {
    const tr = socketTransport();
    const close = vi.spyOn(tr, 'close');
    sock.recvInto.mockReturnValue(0);
    protocol.eofReceivedResult = true;
    tr._readReady();
    expect(names()).toEqual(['getBuffer', 'eofReceived']);
    expect(close).not.toHaveBeenCalled();
  });

  it('ignores a recv_into that would block (test_read_ready_tryagain)', () => {
    sock.recvInto.mockImplementation(() => {
      throw new BlockingIOError();
    });
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError');
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
  });

  it('closes at once on a reset (test_read_ready_conn_reset)', () => {
    const err = new ConnectionResetError();
    sock.recvInto.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport();
    const force = vi.spyOn(tr, '_forceClose').mockImplementation(() => {});
    tr._readReady();
    expect(force).toHaveBeenCalledWith(err);
  });

  it('makes a read error fatal (test_read_ready_err)', () => {
    const err = new OSError();
    sock.recvInto.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    tr._readReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal read error on socket transport');
  });
});
