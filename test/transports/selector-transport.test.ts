// Ports of CPython 3.13's test_selector_events.SelectorTransportTests: the base of the
// selector's transports (close, abort, the fatal-error path, connection_lost) over a
// stand-in socket (fd 7).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OSError } from '../../src/errors/exceptions.js';
import { EventLoop, logging } from '../../src/index.js';
import type { Protocol } from '../../src/transports/protocols.js';
import { SelectorTransport } from '../../src/transports/selector-transport.js';
import { readerOf, recordingProtocol, runBriefly, StubSocket, writerOf, type Calls } from '../_support/stub-socket.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

let loop: EventLoop;
let sock: StubSocket;
let calls: Calls;
let protocol: Protocol;

beforeEach(() => {
  loop = new EventLoop();
  sock = new StubSocket();
  calls = [];
  protocol = recordingProtocol(calls);
});

afterEach(() => {
  loop.close();
});

const createTransport = (): SelectorTransport => new SelectorTransport(loop, sock.asSocket, protocol, null);
const noop = (): void => {};

describe('SelectorTransport (test_selector_events.SelectorTransportTests)', () => {
  it('keeps the loop, the socket and its descriptor (test_ctor)', () => {
    const tr = createTransport();
    expect(tr._loop).toBe(loop);
    expect(tr._sock).toBe(sock);
    expect(tr._sockFd).toBe(7);
    expect(loop._transports.get(7)).toBe(tr);
  });

  it('aborts through _force_close(None) (test_abort)', () => {
    const tr = createTransport();
    const force = vi.spyOn(tr, '_forceClose').mockImplementation(noop);
    tr.abort();
    expect(force).toHaveBeenCalledWith(undefined);
  });

  it('closes once: the reader goes and connection_lost is scheduled (test_close)', () => {
    const tr = createTransport();
    const removeReader = vi.spyOn(loop, '_removeReader');
    tr.close();
    expect(tr.isClosing()).toBe(true);
    expect(removeReader).toHaveBeenCalledTimes(1);
    expect(tr._connLost).toBe(1);
    tr.close();
    expect(tr._connLost).toBe(1);
    expect(removeReader).toHaveBeenCalledTimes(1);
    runBriefly(loop);
    expect(calls).toEqual([['connectionLost', undefined]]);
  });

  it('waits for a non-empty buffer before connection_lost (test_close_write_buffer)', () => {
    const tr = createTransport();
    tr._buffer.push(b('data'));
    tr.close();
    expect(readerOf(loop)).toBeUndefined();
    runBriefly(loop);
    expect(calls).toEqual([]);
  });

  it('drops the buffer, the reader and the writer at once, only once (test_force_close)', () => {
    const tr = createTransport();
    tr._buffer.push(b('1'));
    loop._addReader(7, noop);
    loop._addWriter(7, noop);
    const removeReader = vi.spyOn(loop, '_removeReader');
    tr._forceClose(undefined);
    expect(tr.isClosing()).toBe(true);
    expect(tr._buffer.length).toBe(0);
    expect(readerOf(loop)).toBeUndefined();
    expect(writerOf(loop)).toBeUndefined();
    tr._forceClose(undefined);
    expect(removeReader).toHaveBeenCalledTimes(1);
  });

  it('only closes on an OSError, logging nothing outside debug mode (test_fatal_error)', () => {
    const tr = createTransport();
    const force = vi.spyOn(tr, '_forceClose').mockImplementation(noop);
    const records: string[] = [];
    const handler = { handle: (r: { getMessage(): string }) => records.push(r.getMessage()) };
    logging.getLogger('asyncio').addHandler(handler);
    const exc = new OSError();
    try {
      tr._fatalError(exc);
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    expect(records).toEqual([]);
    expect(force).toHaveBeenCalledWith(exc);
  });

  it('reports another error to the exception handler, then closes (test_fatal_error_custom_exception)', () => {
    class MyError extends Error {}
    const tr = createTransport();
    const force = vi.spyOn(tr, '_forceClose').mockImplementation(noop);
    const records: { msg: string; exc: unknown }[] = [];
    const handler = { handle: (r: { getMessage(): string; excInfo: unknown }) => records.push({ msg: r.getMessage(), exc: r.excInfo }) };
    logging.getLogger('asyncio').addHandler(handler);
    const exc = new MyError();
    try {
      tr._fatalError(exc);
    } finally {
      logging.getLogger('asyncio').removeHandler(handler);
    }
    expect(records).toHaveLength(1);
    expect(records[0]!.msg).toMatch(/^Fatal error on transport\nprotocol: .*\ntransport: .*/);
    expect(records[0]!.exc).toBe(exc);
    expect(force).toHaveBeenCalledWith(exc);
  });

  it('calls connection_lost, closes the socket and lets go of everything (test_connection_lost)', () => {
    const exc = new OSError();
    const tr = createTransport();
    tr._callConnectionLost(exc);
    expect(calls).toEqual([['connectionLost', exc]]);
    expect(sock.close).toHaveBeenCalledOnce();
    expect(tr._sock).toBeUndefined();
    expect(tr._protocol).toBeUndefined();
    expect(tr._loop).toBeUndefined();
    expect(loop._transports.has(7)).toBe(false);
  });

  it('adds no reader once closing (test__add_reader)', () => {
    const tr = createTransport();
    tr._buffer.push(b('1'));
    tr._addReader(7, noop);
    expect(readerOf(loop)).toBeDefined();
    tr._forceClose(undefined);
    expect(tr.isClosing()).toBe(true);
    expect(readerOf(loop)).toBeUndefined();
    tr._addReader(7, noop);
    expect(readerOf(loop)).toBeUndefined();
  });
});
