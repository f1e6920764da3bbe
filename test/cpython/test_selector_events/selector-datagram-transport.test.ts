// Ports of CPython 3.13's test_selector_events.SelectorDatagramTransportTests: the datagram
// transport driven through a stand-in socket (fd 7).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlockingIOError, ConnectionRefusedError, OSError, RuntimeError, ValueError } from '../../../src/errors/exceptions.js';
import { DatagramTransport, EventLoop, logging } from '../../../src/index.js';
import type { SockAddr } from '../../../src/net/address.js';
import { SelectorDatagramTransport } from '../../../src/transports/datagram-transport.js';
import type { DatagramProtocol } from '../../../src/transports/protocols.js';
import { recordingDatagramProtocol, StubSocket, writerOf, type Calls } from '../../_support/stub-socket.js';

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
function captureLog(body: () => void): string[] {
  const records: string[] = [];
  const handler = { handle: (r: { getMessage(): string }) => records.push(r.getMessage()) };
  logging.getLogger('asyncio').addHandler(handler);
  try {
    body();
  } finally {
    logging.getLogger('asyncio').removeHandler(handler);
  }
  return records;
}

const raising = (e: unknown) => () => {
  throw e;
};

describe('SelectorDatagramTransportTests', () => {
  it('test_read_ready: gives each datagram to datagram_received', () => {
    const tr = datagramTransport();
    sock.recvfrom.mockReturnValue([b('data'), ['0.0.0.0', 1234]]);
    tr._readReady();
    expect(calls).toEqual([['datagramReceived', b('data'), ['0.0.0.0', 1234]]]);
  });

  it('test_transport_inheritance: is a DatagramTransport', () => {
    expect(datagramTransport()).toBeInstanceOf(DatagramTransport);
  });

  it('test_read_ready_tryagain: ignores a recvfrom that would block', () => {
    const tr = datagramTransport();
    const fatal = fatalSpy(tr);
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
  });

  it('test_read_ready_err: makes a non-OSError read error fatal', () => {
    const tr = datagramTransport();
    const err = new RuntimeError();
    sock.recvfrom.mockImplementation(raising(err));
    const fatal = fatalSpy(tr);
    tr._readReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal read error on datagram transport');
  });

  it('test_read_ready_oserr: gives an OSError to error_received', () => {
    const tr = datagramTransport();
    const err = new OSError();
    sock.recvfrom.mockImplementation(raising(err));
    const fatal = fatalSpy(tr);
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
    expect(calls).toEqual([['errorReceived', err]]);
  });

  it('test_sendto: sends at once', () => {
    const tr = datagramTransport();
    tr.sendto(b('data'), ['0.0.0.0', 1234]);
    expect(sock.sendto).toHaveBeenLastCalledWith(b('data'), ['0.0.0.0', 1234]);
  });

  it('test_sendto_no_data: sends an empty datagram', () => {
    const tr = datagramTransport();
    tr.sendto(b(''), ['0.0.0.0', 1234]);
    expect(sock.sendto).toHaveBeenLastCalledWith(b(''), ['0.0.0.0', 1234]);
  });

  it('test_sendto_buffer: queues behind a non-empty buffer, copying the data', () => {
    const tr = datagramTransport();
    tr._buffer.push([b('data1'), ['0.0.0.0', 12345]]);
    const data2 = b('data2');
    tr.sendto(data2, ['0.0.0.0', 12345]);
    expect(sock.sendto).not.toHaveBeenCalled();
    expect(text(tr._buffer)).toEqual([['data1', ['0.0.0.0', 12345]], ['data2', ['0.0.0.0', 12345]]]);
    expect(tr._buffer.at(1)![0]).not.toBe(data2);
  });

  it('test_sendto_buffer_nodata: queues an empty datagram behind a non-empty buffer', () => {
    const tr = datagramTransport();
    tr._buffer.push([b('data1'), ['0.0.0.0', 12345]]);
    tr.sendto(b(''), ['0.0.0.0', 12345]);
    expect(sock.sendto).not.toHaveBeenCalled();
    expect(text(tr._buffer)).toEqual([['data1', ['0.0.0.0', 12345]], ['', ['0.0.0.0', 12345]]]);
  });

  it('test_sendto_tryagain: queues and registers the writer when the socket would block', () => {
    sock.sendto.mockImplementation(raising(new BlockingIOError()));
    const tr = datagramTransport();
    tr.sendto(b('data'), ['0.0.0.0', 12345]);
    expect(writerOf(loop)?._callback).toBe(tr._sendtoReadyBound);
    expect(text(tr._buffer)).toEqual([['data', ['0.0.0.0', 12345]]]);
    expect(tr.getWriteBufferSize()).toBe(4 + 8);
  });

  it('test_sendto_exception: makes a non-OSError send error fatal; counts sends once lost and warns', () => {
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

  it('test_sendto_error_received: gives a refused send to error_received, not a fatal error', () => {
    sock.sendto.mockImplementation(raising(new ConnectionRefusedError()));
    const tr = datagramTransport();
    const fatal = fatalSpy(tr);
    tr.sendto(b('data'), [] as unknown as SockAddr);
    expect(tr._connLost).toBe(0);
    expect(fatal).not.toHaveBeenCalled();
    expect(calls.map((c) => c[0])).toEqual(['errorReceived']);
  });

  it('test_sendto_error_received_connected: the same on a connected transport', () => {
    sock.send.mockImplementation(raising(new ConnectionRefusedError()));
    const tr = datagramTransport(['0.0.0.0', 1]);
    const fatal = fatalSpy(tr);
    tr.sendto(b('data'));
    expect(fatal).not.toHaveBeenCalled();
    expect(calls.map((c) => c[0])).toEqual(['errorReceived']);
  });

  it('test_sendto_str: refuses a str', () => {
    expect(() => datagramTransport().sendto('str' as unknown as Uint8Array, [] as unknown as SockAddr)).toThrow(
      new TypeError("data argument must be a bytes-like object, not 'str'"),
    );
  });

  it('test_sendto_connected_addr: refuses another address than the connected one', () => {
    expect(() => datagramTransport(['0.0.0.0', 1]).sendto(b('str'), ['0.0.0.0', 2])).toThrow(
      new ValueError("Invalid address: must be None or ('0.0.0.0', 1)"),
    );
  });

  it('test_sendto_closing: counts a send after close on a connected transport', () => {
    const tr = datagramTransport([1] as unknown as SockAddr);
    tr.close();
    expect(tr._connLost).toBe(1);
    tr.sendto(b('data'), [1] as unknown as SockAddr);
    expect(tr._connLost).toBe(2);
  });

  it('test_sendto_ready: sends the queue when writable and removes the writer', () => {
    const tr = datagramTransport();
    tr._buffer.push([b('data'), ['0.0.0.0', 12345]]);
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(sock.sendto).toHaveBeenCalledWith(b('data'), ['0.0.0.0', 12345]);
    expect(writerOf(loop)).toBeUndefined();
  });

  it('test_sendto_ready_closing: finishes a close once the queue is sent', () => {
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

  it('test_sendto_ready_no_data: removes the writer when the queue is empty', () => {
    const tr = datagramTransport();
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(sock.sendto).not.toHaveBeenCalled();
    expect(writerOf(loop)).toBeUndefined();
  });

  it('test_sendto_ready_tryagain: keeps the queue when the socket would block', () => {
    sock.sendto.mockImplementation(raising(new BlockingIOError()));
    const tr = datagramTransport();
    tr._buffer.push([b('data1'), [] as unknown as SockAddr]);
    tr._buffer.push([b('data2'), [] as unknown as SockAddr]);
    loop._addWriter(7, tr._sendtoReadyBound);
    tr._sendtoReady();
    expect(writerOf(loop)?._callback).toBe(tr._sendtoReadyBound);
    expect(text(tr._buffer)).toEqual([['data1', []], ['data2', []]]);
  });

  it('test_sendto_ready_exception: makes a non-OSError error when writable fatal', () => {
    const err = new RuntimeError();
    sock.sendto.mockImplementation(raising(err));
    const tr = datagramTransport();
    const fatal = fatalSpy(tr);
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    tr._sendtoReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on datagram transport');
  });

  it('test_sendto_ready_error_received: gives a refusal when writable to error_received', () => {
    sock.sendto.mockImplementation(raising(new ConnectionRefusedError()));
    const tr = datagramTransport();
    const fatal = fatalSpy(tr);
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    tr._sendtoReady();
    expect(fatal).not.toHaveBeenCalled();
  });

  it('test_sendto_ready_error_received_connection: the same on a connected transport', () => {
    sock.send.mockImplementation(raising(new ConnectionRefusedError()));
    const tr = datagramTransport(['0.0.0.0', 1]);
    const fatal = fatalSpy(tr);
    tr._buffer.push([b('data'), [] as unknown as SockAddr]);
    tr._sendtoReady();
    expect(fatal).not.toHaveBeenCalled();
    expect(calls.map((c) => c[0])).toEqual(['errorReceived']);
  });

  it('test_fatal_error_connected: logs nothing for an OSError and calls no error_received', () => {
    const records = captureLog(() => datagramTransport(['0.0.0.0', 1])._fatalError(new ConnectionRefusedError()));
    expect(records).toEqual([]);
    expect(calls.filter((c) => c[0] === 'errorReceived')).toEqual([]);
  });

  it('test_fatal_error_connected_custom_error: reports another error through the exception handler', () => {
    class MyException extends Error {}
    const records = captureLog(() => datagramTransport(['0.0.0.0', 1])._fatalError(new MyException()));
    expect(calls.filter((c) => c[0] === 'errorReceived')).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatch(/^Fatal error on transport\nprotocol: .*\ntransport: .*/);
  });
});
