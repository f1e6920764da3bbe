// Port of CPython 3.13's test_selector_events.BaseSelectorEventLoopTests, the methods about
// transports (the loop's readers, writers and events are tested in test/loop/).
// Table: docs/cpython-tests/test_selector_events.md.

import { describe, expect, it, vi } from 'vitest';
import { EventLoop, Protocol } from '../../../src/index.js';
import { repr } from '../../../src/format/py-repr.js';
import { SelectorSocketTransport } from '../../../src/transports/socket-transport.js';
import { StubSocket } from '../../_support/stub-socket.js';

describe('BaseSelectorEventLoopTests', () => {
  it('test_make_socket_transport: checks the descriptor once and reprs after the loop closed', () => {
    const loop = new EventLoop();
    const check = vi.spyOn(loop, '_ensureFdNoTransport');
    const transport = loop._makeSocketTransport(new StubSocket().asSocket, new Protocol());
    expect(transport).toBeInstanceOf(SelectorSocketTransport);
    expect(check).toHaveBeenCalledOnce();
    loop.close();
    expect(repr(transport)).toBe('<_SelectorSocketTransport fd=7>');
  });
});
