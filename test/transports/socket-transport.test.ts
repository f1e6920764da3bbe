// The stream transport's own checks beyond CPython's tests (those are ported in
// test/cpython/test_selector_events/): the refusals of write() and writelines().

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors/exceptions.js';
import { EventLoop } from '../../src/index.js';
import { SelectorSocketTransport } from '../../src/transports/socket-transport.js';
import { recordingProtocol, StubSocket } from '../_support/stub-socket.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

let loop: EventLoop;
let sock: StubSocket;

beforeEach(() => {
  loop = new EventLoop();
  sock = new StubSocket();
});

afterEach(() => {
  loop.close();
});

const socketTransport = (): SelectorSocketTransport => new SelectorSocketTransport(loop, sock.asSocket, recordingProtocol([]));

describe('SelectorSocketTransport', () => {
  it('refuses writes after write_eof and while a sendfile waits for the buffer', () => {
    const tr = socketTransport();
    tr._emptyWaiter = loop.createFuture<void>();
    expect(() => tr.write(b('x'))).toThrow(new RuntimeError('unable to write; sendfile is in progress'));
    expect(() => tr.writelines([b('x')])).toThrow(new RuntimeError('unable to writelines; sendfile is in progress'));
    tr._emptyWaiter = undefined;
    tr.writeEof();
    expect(() => tr.write(b('x'))).toThrow(new RuntimeError('Cannot call write() after write_eof()'));
  });

  it('flushes writelines with one sendmsg of up to 1024 chunks', () => {
    sock.send.mockReturnValue(0);
    const tr = socketTransport();
    tr.write(b('x'));
    tr.writelines(Array.from({ length: 1100 }, () => b('y')));
    expect(sock.sendmsg).toHaveBeenCalledOnce();
    expect(sock.sendmsg.mock.calls[0]![0]).toHaveLength(1024);
    expect(tr._buffer.length).toBe(77);
    expect(tr.getWriteBufferSize()).toBe(77);
  });
});
