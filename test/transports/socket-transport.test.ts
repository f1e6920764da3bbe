// Ports of CPython 3.13's test_selector_events.SelectorSocketTransportTests: the stream
// transport driven through a stand-in socket (fd 7), its reads, writes, buffering and
// end, with CPython's assertions.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlockingIOError, ConnectionResetError, OSError, RuntimeError } from '../../src/errors/exceptions.js';
import { EventLoop, logging, sleep } from '../../src/index.js';
import { SHUT_WR } from '../../src/net/constants.js';
import { SelectorSocketTransport } from '../../src/transports/socket-transport.js';
import type { Protocol } from '../../src/transports/protocols.js';
import { bufferText, readerOf, recordingProtocol, runBriefly, StubSocket, writerOf, type Calls } from '../_support/stub-socket.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

let loop: EventLoop;
let sock: StubSocket;
let calls: Calls;
let protocol: Protocol & { eofReceivedResult?: unknown };

beforeEach(() => {
  loop = new EventLoop();
  sock = new StubSocket();
  calls = [];
  protocol = recordingProtocol(calls);
});

afterEach(() => {
  loop.close();
});

function socketTransport(options: { waiter?: ReturnType<EventLoop['createFuture']>; sendmsg?: boolean } = {}): SelectorSocketTransport {
  const tr = new SelectorSocketTransport(loop, sock.asSocket, protocol, options.waiter as never);
  // CPython's tests pick the writer: _write_send unless sendmsg=True.
  tr._writeReady = options.sendmsg ? tr._writeReady : (() => tr._writeSend());
  return tr;
}

describe('SelectorSocketTransport (test_selector_events.SelectorSocketTransportTests)', () => {
  it('registers the reader and calls connection_made once the waiter is done (test_ctor)', () => {
    const waiter = loop.createFuture<void>();
    const tr = socketTransport({ waiter });
    loop.runUntilComplete(waiter);
    expect(readerOf(loop)?._callback).toBe(tr._readReadyBound);
    runBriefly(loop);
    expect(calls).toEqual([['connectionMade', tr]]);
  });

  it('completes the waiter with None (test_ctor_with_waiter)', () => {
    const waiter = loop.createFuture<void>();
    socketTransport({ waiter });
    loop.runUntilComplete(waiter);
    expect(waiter.result()).toBeUndefined();
  });

  it('pauses and resumes reading, idempotently (test_pause_resume_reading)', () => {
    const tr = socketTransport();
    runBriefly(loop);
    expect(tr._paused).toBe(false);
    expect(tr.isReading()).toBe(true);
    expect(readerOf(loop)?._callback).toBe(tr._readReadyBound);
    tr.pauseReading();
    tr.pauseReading();
    expect(tr._paused).toBe(true);
    expect(tr.isReading()).toBe(false);
    expect(readerOf(loop)).toBeUndefined();
    tr.resumeReading();
    tr.resumeReading();
    expect(tr._paused).toBe(false);
    expect(tr.isReading()).toBe(true);
    expect(readerOf(loop)?._callback).toBe(tr._readReadyBound);
    tr.close();
    expect(tr.isReading()).toBe(false);
    expect(readerOf(loop)).toBeUndefined();
  });

  it('does not register the reader when connection_made paused reading (test_pause_reading_connection_made)', () => {
    // CPython sets the mock's side effect after making the transport; the bound method
    // call_soon holds is the same mock. Here the method is replaced before.
    let tr: SelectorSocketTransport | undefined;
    protocol.connectionMade = () => tr!.pauseReading();
    tr = socketTransport();
    runBriefly(loop);
    expect(tr.isReading()).toBe(false);
    expect(readerOf(loop)).toBeUndefined();
    tr.resumeReading();
    expect(tr.isReading()).toBe(true);
    expect(readerOf(loop)?._callback).toBe(tr._readReadyBound);
    tr.close();
    expect(tr.isReading()).toBe(false);
    expect(readerOf(loop)).toBeUndefined();
  });

  it('makes a failing eof_received a fatal error (test_read_eof_received_error)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    protocol.eofReceived = () => {
      throw new Error('lookup');
    };
    sock.recv.mockReturnValue(b(''));
    tr._readReady();
    expect(fatal).toHaveBeenCalledOnce();
    expect(fatal.mock.calls[0]![1]).toBe('Fatal error: protocol.eof_received() call failed.');
  });

  it('makes a failing data_received a fatal error (test_data_received_error)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    protocol.dataReceived = () => {
      throw new Error('lookup');
    };
    sock.recv.mockReturnValue(b('data'));
    tr._readReady();
    expect(fatal.mock.calls[0]![1]).toBe('Fatal error: protocol.data_received() call failed.');
  });

  it('gives what recv() returned to data_received (test_read_ready)', () => {
    const tr = socketTransport();
    sock.recv.mockReturnValue(b('data'));
    tr._readReady();
    expect(sock.recv).toHaveBeenCalledWith(256 * 1024);
    expect(calls).toEqual([['dataReceived', b('data')]]);
  });

  it('calls eof_received then closes at the end of the stream (test_read_ready_eof)', () => {
    const tr = socketTransport();
    const close = vi.spyOn(tr, 'close');
    sock.recv.mockReturnValue(b(''));
    tr._readReady();
    expect(calls).toEqual([['eofReceived']]);
    expect(close).toHaveBeenCalledOnce();
  });

  it('stays open when eof_received returns true (test_read_ready_eof_keep_open)', () => {
    const tr = socketTransport();
    const close = vi.spyOn(tr, 'close');
    sock.recv.mockReturnValue(b(''));
    protocol.eofReceivedResult = true;
    tr._readReady();
    expect(calls).toEqual([['eofReceived']]);
    expect(close).not.toHaveBeenCalled();
  });

  it('ignores a recv() that would block (test_read_ready_tryagain)', () => {
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError');
    tr._readReady();
    expect(fatal).not.toHaveBeenCalled();
  });

  it('closes at once on a reset (test_read_ready_conn_reset)', () => {
    const err = new ConnectionResetError();
    sock.recv.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport();
    const force = vi.spyOn(tr, '_forceClose').mockImplementation(() => {});
    tr._readReady();
    expect(force).toHaveBeenCalledWith(err);
  });

  it('makes a read error fatal (test_read_ready_err)', () => {
    const err = new OSError();
    sock.recv.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    tr._readReady();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal read error on socket transport');
  });

  it('sends at once (test_write, test_write_bytearray, test_write_memoryview)', () => {
    const data = b('data');
    const tr = socketTransport();
    tr.write(data);
    expect(sock.send).toHaveBeenCalledWith(data);
    expect(bufferText(data.subarray(0, 4) ? [data] : [])).toEqual(['data']);
  });

  it('ignores empty data (test_write_no_data, test_write_sendmsg_no_data)', () => {
    for (const sendmsg of [false, true]) {
      const tr = socketTransport({ sendmsg });
      tr._buffer.push(b('data'));
      tr.write(b(''));
      expect(sock.send).not.toHaveBeenCalled();
      expect(sock.sendmsg).not.toHaveBeenCalled();
      expect(bufferText(tr._buffer)).toEqual(['data']);
      tr._buffer.clear();
    }
  });

  it('appends to a non-empty buffer without sending (test_write_buffer)', () => {
    const tr = socketTransport();
    tr._buffer.push(b('data1'));
    tr.write(b('data2'));
    expect(sock.send).not.toHaveBeenCalled();
    expect(bufferText(tr._buffer)).toEqual(['data1', 'data2']);
  });

  it('buffers the rest of a partial send and registers the writer (test_write_partial*)', () => {
    sock.send.mockReturnValue(2);
    const data = b('data');
    const tr = socketTransport();
    tr.write(data);
    expect(writerOf(loop)?._callback).toBe(tr._writeReady);
    expect(bufferText(tr._buffer)).toEqual(['ta']);
    expect(data).toEqual(b('data'));
  });

  it('buffers everything when nothing was sent (test_write_partial_none, test_write_tryagain)', () => {
    for (const send of [() => 0, () => { throw new BlockingIOError(); }]) {
      sock.send.mockImplementation(send);
      const tr = socketTransport();
      tr.write(b('data'));
      expect(writerOf(loop)?._callback).toBe(tr._writeReady);
      expect(bufferText(tr._buffer)).toEqual(['data']);
      tr.abort();
    }
  });

  it('sends writelines at once with sendmsg, registering the writer only for a rest (test_writelines_sendmsg_full/_partial)', () => {
    let tr = socketTransport({ sendmsg: true });
    tr.writelines([b('data')]);
    expect(sock.sendmsg).toHaveBeenCalledOnce();
    expect(writerOf(loop)).toBeUndefined();
    sock.sendmsg.mockReturnValue(2);
    tr = socketTransport({ sendmsg: true });
    tr.writelines([b('data')]);
    expect(writerOf(loop)).toBeDefined();
  });

  it('sends writelines at once with send, registering the writer only for a rest (test_writelines_send_full/_partial)', () => {
    let tr = socketTransport();
    tr.writelines([b('data')]);
    expect(sock.send).toHaveBeenCalledOnce();
    expect(writerOf(loop)).toBeUndefined();
    sock.send.mockReturnValue(2);
    tr = socketTransport();
    tr.writelines([b('data')]);
    expect(writerOf(loop)).toBeDefined();
  });

  it('empties the buffer with sendmsg and removes the writer (test_write_sendmsg_full)', () => {
    const tr = socketTransport({ sendmsg: true });
    tr._buffer.push(b('data'));
    loop._addWriter(7, tr._writeReady!);
    tr._writeReady!();
    expect(sock.sendmsg).toHaveBeenCalledWith([b('data')]);
    expect(writerOf(loop)).toBeUndefined();
  });

  it('keeps the unsent part of the first chunk (test_write_sendmsg_partial, test_write_sendmsg_half_buffer)', () => {
    sock.sendmsg.mockReturnValue(2);
    const tr = socketTransport({ sendmsg: true });
    tr._buffer.push(b('data1'));
    tr._buffer.push(b('data2'));
    loop._addWriter(7, tr._writeReady!);
    tr._writeReady!();
    expect(writerOf(loop)).toBeDefined();
    expect(bufferText(tr._buffer)).toEqual(['ta1', 'data2']);
  });

  it('clears the buffer and fails fatally on a sendmsg error (test_write_sendmsg_OSError)', () => {
    const err = new OSError();
    sock.sendmsg.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport({ sendmsg: true });
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    tr._buffer.push(b('data'));
    tr._writeReady!();
    expect(writerOf(loop)).toBeUndefined();
    expect(tr._buffer.length).toBe(0);
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on socket transport');
  });

  it('counts writes after the connection is lost and warns from the fifth (test_write_exception)', () => {
    const err = new OSError();
    sock.send.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    tr.write(b('data'));
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on socket transport');
    tr._connLost = 1;
    sock.send.mockClear();
    const records: string[] = [];
    const handler = { handle: (r: { levelname: string; getMessage(): string }) => records.push(`${r.levelname} ${r.getMessage()}`) };
    logging.getLogger('asyncio').addHandler(handler);
    try {
      tr.write(b('data'));
      expect(sock.send).not.toHaveBeenCalled();
      expect(tr._connLost).toBe(2);
      for (let i = 0; i < 4; i++) tr.write(b('data'));
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    expect(records).toEqual(['WARNING socket.send() raised exception.']);
  });

  it('refuses a str (test_write_str)', () => {
    const tr = socketTransport();
    expect(() => tr.write('str' as unknown as Uint8Array)).toThrow(new TypeError("data argument must be a bytes-like object, not 'str'"));
  });

  it('counts a write after close (test_write_closing)', () => {
    const tr = socketTransport();
    tr.close();
    expect(tr._connLost).toBe(1);
    tr.write(b('data'));
    expect(tr._connLost).toBe(2);
  });

  it('sends the buffer when writable and removes the writer (test_write_ready)', () => {
    const tr = socketTransport();
    tr._buffer.push(b('data'));
    loop._addWriter(7, tr._writeReady!);
    tr._writeReady!();
    expect(sock.send).toHaveBeenCalled();
    expect(writerOf(loop)).toBeUndefined();
  });

  it('finishes a close once the buffer is sent (test_write_ready_closing)', () => {
    const tr = socketTransport();
    tr._closing = true;
    tr._buffer.push(b('data'));
    loop._addWriter(7, tr._writeReady!);
    tr._writeReady!();
    expect(writerOf(loop)).toBeUndefined();
    expect(sock.close).toHaveBeenCalledOnce();
    expect(calls).toEqual([['connectionLost', undefined]]);
  });

  it('refuses to run with an empty buffer (test_write_ready_no_data)', () => {
    const tr = socketTransport();
    expect(() => tr._writeReady!()).toThrow('AssertionError: Data should not be empty');
  });

  it('keeps what was not sent (test_write_ready_partial, _partial_none, _tryagain)', () => {
    // CPython's _write_send pops the first chunk before send(): when send() would block,
    // that chunk is gone (its test compares the buffer with itself and cannot see it).
    for (const [send, rest] of [[() => 2, ['ta', 'data2']], [() => 0, ['data', 'data2']], [() => { throw new BlockingIOError(); }, ['data2']]] as const) {
      sock.send.mockImplementation(send);
      const tr = socketTransport();
      tr._buffer.push(b('data'));
      tr._buffer.push(b('data2'));
      loop._addWriter(7, tr._writeReady!);
      tr._writeReady!();
      expect(writerOf(loop)?._callback).toBe(tr._writeReady);
      expect(bufferText(tr._buffer)).toEqual(rest);
      tr.abort();
      loop._removeWriter(7);
    }
  });

  it('makes a write error when writable fatal (test_write_ready_exception)', () => {
    const err = new OSError();
    sock.send.mockImplementation(() => {
      throw err;
    });
    const tr = socketTransport();
    const fatal = vi.spyOn(tr, '_fatalError').mockImplementation(() => {});
    tr._buffer.push(b('data'));
    tr._writeReady!();
    expect(fatal).toHaveBeenCalledWith(err, 'Fatal write error on socket transport');
  });

  it('shuts the write side down once (test_write_eof)', () => {
    const tr = socketTransport();
    expect(tr.canWriteEof()).toBe(true);
    tr.writeEof();
    expect(sock.shutdown).toHaveBeenCalledWith(SHUT_WR);
    tr.writeEof();
    expect(sock.shutdown).toHaveBeenCalledOnce();
    tr.close();
  });

  it('shuts down after the buffer is sent (test_write_eof_buffer)', () => {
    const tr = socketTransport();
    sock.send.mockImplementation(() => {
      throw new BlockingIOError();
    });
    tr.write(b('data'));
    tr.writeEof();
    expect(bufferText(tr._buffer)).toEqual(['data']);
    expect(tr._eof).toBe(true);
    expect(sock.shutdown).not.toHaveBeenCalled();
    sock.send.mockImplementation(() => 4);
    tr._writeReady!();
    expect(sock.shutdown).toHaveBeenCalledWith(SHUT_WR);
    tr.close();
  });

  it('ignores write_eof after close (test_write_eof_after_close)', () => {
    const tr = socketTransport();
    tr.close();
    loop.runUntilComplete(sleep(0));
    tr.writeEof();
    expect(sock.shutdown).not.toHaveBeenCalled();
  });

  it('removes the writer when closing with an empty buffer (test_transport_close_remove_writer)', () => {
    const removeWriter = vi.spyOn(loop, '_removeWriter');
    const tr = socketTransport();
    tr.close();
    expect(removeWriter).toHaveBeenCalledWith(7);
  });

  it('refuses writes after write_eof and during sendfile (aiosim: the messages)', () => {
    const tr = socketTransport();
    tr._emptyWaiter = loop.createFuture<void>();
    expect(() => tr.write(b('x'))).toThrow(new RuntimeError('unable to write; sendfile is in progress'));
    expect(() => tr.writelines([b('x')])).toThrow(new RuntimeError('unable to writelines; sendfile is in progress'));
    tr._emptyWaiter = undefined;
    tr.writeEof();
    expect(() => tr.write(b('x'))).toThrow(new RuntimeError('Cannot call write() after write_eof()'));
  });
});
