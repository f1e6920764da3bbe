// The datagram transport's own behaviour beyond CPython's tests (those are ported in
// test/cpython/test_selector_events/): the queue's size as gh-135444 fixed it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockingIOError } from '../../src/errors/exceptions.js';
import { EventLoop } from '../../src/index.js';
import { SelectorDatagramTransport } from '../../src/transports/datagram-transport.js';
import { recordingDatagramProtocol, StubSocket } from '../_support/stub-socket.js';

let loop: EventLoop;
beforeEach(() => {
  loop = new EventLoop();
});
afterEach(() => {
  loop.close();
});

describe('SelectorDatagramTransport', () => {
  it('counts 8 bytes more per queued datagram and takes them off when it is sent (gh-135444)', () => {
    const sock = new StubSocket();
    sock.getpeername.mockImplementation(() => {
      throw new BlockingIOError();
    });
    const tr = new SelectorDatagramTransport(loop, sock.asSocket, recordingDatagramProtocol([]));
    sock.sendto.mockImplementation(() => {
      throw new BlockingIOError();
    });
    tr.sendto(new Uint8Array(4), ['127.0.0.1', 9]);
    tr.sendto(new Uint8Array(6), ['127.0.0.1', 9]);
    expect(tr.getWriteBufferSize()).toBe(4 + 8 + 6 + 8);
    tr._sendtoReady();
    expect(tr.getWriteBufferSize()).toBe(4 + 8 + 6 + 8);
    sock.sendto.mockImplementation((d: Uint8Array) => d.length);
    tr._sendtoReady();
    expect(tr.getWriteBufferSize()).toBe(0);
  });
});
