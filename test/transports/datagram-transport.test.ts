// Ports of CPython 3.13's test_selector_events.SelectorDatagramTransportTests: the datagram
// transport driven through a stand-in socket (fd 7).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlockingIOError, ConnectionRefusedError, OSError, RuntimeError, ValueError } from '../../src/errors/exceptions.js';
import { DatagramTransport, EventLoop, logging } from '../../src/index.js';
import type { SockAddr } from '../../src/net/address.js';
import { SelectorDatagramTransport } from '../../src/transports/datagram-transport.js';
import type { DatagramProtocol } from '../../src/transports/protocols.js';
import { recordingDatagramProtocol, StubSocket, writerOf, type Calls } from '../_support/stub-socket.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (buffer: Iterable<[Uint8Array, unknown]>): [string, unknown][] => [...buffer].map(([d, a]) => [new TextDecoder().decode(d), a]);

let loop: EventLoop;
let sock: StubSocket;
let calls: Calls;
let protocol: DatagramProtocol;

beforeEach(() => {
  loop = new EventLoop();
  sock = new StubSocket();
  calls = [];
  protocol = recordingDatagramProtocol(calls);
});

afterEach(() => {
  loop.close();
});

function datagramTransport(address?: SockAddr): SelectorDatagramTransport {
  // asyncio's test: getpeername() fails unless an address is given.
  sock.getpeername.mockImplementation(() => {
    if (address === undefined) throw new OSError(107, 'Transport endpoint is not connected');
    return address;
  });
  return new SelectorDatagramTransport(loop, sock.asSocket, protocol, address);
}

const fatalSpy = (tr: SelectorDatagramTransport) => vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
const raising = (e: unknown) => () => {
  throw e;
};

describe('SelectorDatagramTransport (test_selector_events.SelectorDatagramTransportTests)', () => {
  it('gives each datagram to datagram_received (test_read_ready)', () => {
    const tr = datagramTransport();
    sock.recvfrom.mockReturnValue([b('data'), ['0.0.0.0', 1234]]);
    tr._readReady();
    expect(calls).toEqual([['datagramReceived', b('data'), ['0.0.0.0', 1234]]]);
  });

  it('is a DatagramTransport (test_transport_inheritance)', () => {
    expect(datagramTransport()).toBeInstanceOf(DatagramTransport);
  });

  it('ignores a recvfrom that would block (test_read_ready_tryagain)', () => {
    const tr = datagramTransport();
    const fatal = fatalSpy(tr);
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
  });

  it('makes a non-OSError read error fatal (test_read_ready_err)', () => {
    const tr = datagramTransport();
    const err = new RuntimeError();
    sock.recvfrom.mockImplementation(raising(err));
    const fatal = fatalSpy(tr);
    tr._readReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal read error on datagram transport');
  });

  it('gives an OSError to error_received (test_read_ready_oserr)', () => {
    const tr = datagramTransport();
    const err = new OSError();
    sock.recvfrom.mockImplementation(raising(err));
    const fatal = fatalSpy(tr);
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
    expect(calls).toEqual([['errorReceived', err]]);
  });

  it('sends at once, empty datagrams too (test_sendto, _bytearray, _memoryview, _no_data)', () => {
    const tr = datagramTransport();
    tr.sendto(b('data'), ['0.0.0.0', 1234]);
    expect(sock.sendto).toHaveBeenLastCalledWith(b('data'), ['0.0.0.0', 1234]);
    tr.sendto(b(''), ['0.0.0.0', 1234]);
    expect(sock.sendto).toHaveBeenLastCalledWith(b(''), ['0.0.0.0', 1234]);
  });

  it('queues behind a non-empty buffer, copying the data (test_sendto_buffer*, _nodata)', () => {
    const tr = datagramTransport();
    tr._buffer.push([b('data1'), ['0.0.0.0', 12345]]);
    const data2 = b('data2');
    tr.sendto(data2, ['0.0.0.0', 12345]);
    tr.sendto(b(''), ['0.0.0.0', 12345]);
    expect(sock.sendto).not.toHaveBeenCalled();
    expect(text(tr._buffer)).toEqual([['data1', ['0.0.0.0', 12345]], ['data2', ['0.0.0.0', 12345]], ['', ['0.0.0.0', 12345]]]);
    expect(tr._buffer.at(1)![0]).not.toBe(data2);
  });

  it('queues and registers the writer when the socket would block (test_sendto_tryagain)', () => {
    sock.sendto.mockImplementation(raising(new BlockingIOError()));
    const tr = datagramTransport();
    tr.sendto(b('data'), ['0.0.0.0', 12345]);
    expect(writerOf(loop)?._callback).toBe(tr._sendtoReadyBound);
    expect(text(tr._buffer)).toEqual([['data', ['0.0.0.0', 12345]]]);
    expect(tr.getWriteBufferSize()).toBe(4 + 8);
  });

  it('makes a non-OSError send error fatal; counts sends once lost and warns (test_sendto_exception)', () => {
    const err = new RuntimeError();
    sock.sendto.mockImplementation(raising(err));
    const tr = datagramTransport();
    const fatal = fatalSpy(tr);
    tr.sendto(b('data'), [] as unknown as SockAddr);
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on datagram transport');
    tr._connLost = 1;
    tr._address = ['123'] as unknown as SockAddr;
    const records: string[] = [];
    const handler = { handle: (r: { getMessage(): string }) => records.push(r.getMessage()) };
    logging.getLogger('asyncio').addHandler(handler);
    try {
      for (let i = 0; i < 5; i++) tr.sendto(b('data'));
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    expect(records).toEqual(['socket.send() raised exception.']);
  });

  it('gives a refused send to error_received, not a fatal error (test_sendto_error_received, _connected)', () => {
    sock.sendto.mockImplementation(raising(new ConnectionRefusedError()));
    let tr = datagramTransport();
    let fatal = fatalSpy(tr);
    tr.sendto(b('data'), [] as unknown as SockAddr);
    expect(tr._connLost).toBe(0);
    expect(fatal).not.toHaveBeenCalled();
    sock.send.mockImplementation(raising(new ConnectionRefusedError()));
    tr = datagramTransport(['0.0.0.0', 1]);
    fatal = fatalSpy(tr);
    tr.sendto(b('data'));
    expect(fatal).not.toHaveBeenCalled();
    expect(calls.map((c) => c[0])).toEqual(['errorReceived', 'errorReceived']);
  });

  it('refuses a str and another address than the connected one (test_sendto_str, test_sendto_connected_addr)', () => {
    expect(() => datagramTransport().sendto('str' as unknown as Uint8Array, [] as unknown as SockAddr)).toThrow(
      new TypeError("data argument must be a bytes-like object, not 'str'"),
    );
    expect(() => datagramTransport(['0.0.0.0', 1]).sendto(b('str'), ['0.0.0.0', 2])).toThrow(
      new ValueError("Invalid address: must be None or ('0.0.0.0', 1)"),
    );
  });

  it('counts a send after close on a connected transport (test_sendto_closing)', () => {
    const tr = datagramTransport([1] as unknown as SockAddr);
    tr.close();
    expect(tr._connLost).toBe(1);
    tr.sendto(b('data'), [1] as unknown as SockAddr);
    expect(tr._connLost).toBe(2);
  });

  it('sends the queue when writable and removes the writer (test_sendto_ready)', () => {
    const tr = datagramTransport();
    tr._buffer.push([b('data'), ['0.0.0.0', 12345]]);
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(sock.sendto).toHaveBeenCalledWith(b('data'), ['0.0.0.0', 12345]);
    expect(writerOf(loop)).toBeUndefined();
  });

  it('finishes a close once the queue is sent (test_sendto_ready_closing)', () => {
    const tr = datagramTransport();
    tr._closing = true;
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(sock.sendto).toHaveBeenCalledWith(b('data'), []);
    expect(writerOf(loop)).toBeUndefined();
    expect(sock.close).toHaveBeenCalledOnce();
    expect(calls).toEqual([['connectionLost', undefined]]);
  });

  it('removes the writer when the queue is empty (test_sendto_ready_no_data)', () => {
    const tr = datagramTransport();
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(sock.sendto).not.toHaveBeenCalled();
    expect(writerOf(loop)).toBeUndefined();
  });

  it('keeps the queue when the socket would block (test_sendto_ready_tryagain)', () => {
    sock.sendto.mockImplementation(raising(new BlockingIOError()));
    const tr = datagramTransport();
    tr._buffer.push([b('data1'), [] as unknown as SockAddr]);
    tr._buffer.push([b('data2'), [] as unknown as SockAddr]);
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(writerOf(loop)?._callback).toBe(tr._sendtoReadyBound);
    expect(text(tr._buffer)).toEqual([['data1', []], ['data2', []]]);
  });

  it('makes a non-OSError error when writable fatal; a refusal goes to error_received (test_sendto_ready_exception, _error_received*)', () => {
    const err = new RuntimeError();
    sock.sendto.mockImplementation(raising(err));
    let tr = datagramTransport();
    let fatal = fatalSpy(tr);
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    tr._sendtoReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on datagram transport');
    sock.sendto.mockImplementation(raising(new ConnectionRefusedError()));
    tr = datagramTransport();
    fatal = fatalSpy(tr);
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    tr._sendtoReady();
    expect(fatal).not.toHaveBeenCalled();
    sock.send.mockImplementation(raising(new ConnectionRefusedError()));
    tr = datagramTransport(['0.0.0.0', 1]);
    fatal = fatalSpy(tr);
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    tr._sendtoReady();
    expect(fatal).not.toHaveBeenCalled();
    expect(calls.filter((c) => c[0] === 'errorReceived')).toHaveLength(2);
  });

  it('logs nothing for an OSError and reports another error (test_fatal_error_connected, _custom_error)', () => {
    const records: string[] = [];
    const handler = { handle: (r: { getMessage(): string }) => records.push(r.getMessage()) };
    logging.getLogger('asyncio').addHandler(handler);
    try {
      datagramTransport(['0.0.0.0', 1])._fatalError(new ConnectionRefusedError());
      expect(records).toEqual([]);
      class MyException extends Error {}
      datagramTransport(['0.0.0.0', 1])._fatalError(new MyException());
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    expect(calls.filter((c) => c[0] === 'errorReceived')).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatch(/^Fatal error on transport\nprotocol: .*\ntransport: .*/);
  });
});
