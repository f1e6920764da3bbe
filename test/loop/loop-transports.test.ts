// The loop's transport table and makers (LoopTransports): _makeSocketTransport checks the
// descriptor, and a transport's repr survives its loop's close (port of
// test_selector_events.BaseSelectorEventLoopTests.test_make_socket_transport).

import { describe, expect, it } from 'vitest';
import { EventLoop, Protocol, RuntimeError } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { SelectorSocketTransport } from '../../src/transports/socket-transport.js';
import { StubSocket } from '../_support/stub-socket.js';

describe('LoopTransports', () => {
  it('makes a socket transport after checking the descriptor (test_make_socket_transport)', () => {
    const loop = new EventLoop();
    const sock = new StubSocket();
    const transport = loop._makeSocketTransport(sock.asSocket, new Protocol());
    expect(transport).toBeInstanceOf(SelectorSocketTransport);
    expect(() => loop._makeSocketTransport(sock.asSocket, new Protocol())).toThrow(RuntimeError);
    expect(() => loop.addReader(7, () => {})).toThrow(
      new RuntimeError('File descriptor 7 is used by transport <_SelectorSocketTransport fd=7 read=idle write=<idle, bufsize=0>>'),
    );
    loop.close();
    expect(repr(transport)).toBe('<_SelectorSocketTransport fd=7>');
  });

  it('lets a descriptor go once its transport is closing', () => {
    const loop = new EventLoop();
    const transport = loop._makeSocketTransport(new StubSocket().asSocket, new Protocol());
    transport.close();
    loop.addReader(7, () => {});
    expect(loop.removeReader(7)).toBe(true);
    loop.runUntilIdle();
    expect(loop._transports.has(7)).toBe(false);
    loop.close();
  });
});
