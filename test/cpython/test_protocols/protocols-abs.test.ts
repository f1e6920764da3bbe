// Port of CPython 3.13's test_protocols.ProtocolsAbsTests: every callback of the protocol
// base classes does nothing and returns None, and the classes keep no per-instance state
// (CPython's `__slots__ = ()`, checked there as "no __dict__"; here as no own property).
// Table: docs/cpython-tests/test_protocols.md.

import { describe, expect, it } from 'vitest';
import { BaseProtocol, BufferedProtocol, DatagramProtocol, Protocol, type BaseTransport } from '../../../src/index.js';

// mock.Mock(): any object will do, the callbacks ignore it.
const f = {} as unknown as BaseTransport;

describe('ProtocolsAbsTests', () => {
  it('test_base_protocol — the four callbacks return undefined; no instance state', () => {
    const p = new BaseProtocol();
    expect([p.connectionMade(f), p.connectionLost(f), p.pauseWriting(), p.resumeWriting()]).toEqual([undefined, undefined, undefined, undefined]);
    expect(Object.getOwnPropertyNames(p)).toEqual([]);
  });

  it('test_protocol — data_received and eof_received return undefined too; no instance state', () => {
    const p = new Protocol();
    expect([
      p.connectionMade(f), p.connectionLost(f), p.dataReceived(f as unknown as Uint8Array), p.eofReceived(), p.pauseWriting(), p.resumeWriting(),
    ]).toEqual(Array(6).fill(undefined));
    expect(Object.getOwnPropertyNames(p)).toEqual([]);
  });

  it('test_buffered_protocol — get_buffer and buffer_updated return undefined; no instance state', () => {
    const p = new BufferedProtocol();
    expect([
      p.connectionMade(f), p.connectionLost(f), p.getBuffer(100), p.bufferUpdated(150), p.pauseWriting(), p.resumeWriting(),
    ]).toEqual(Array(6).fill(undefined));
    expect(Object.getOwnPropertyNames(p)).toEqual([]);
  });

  it('test_datagram_protocol — error_received and datagram_received return undefined; no instance state', () => {
    const dp = new DatagramProtocol();
    expect([
      dp.connectionMade(f), dp.connectionLost(f), dp.errorReceived(f), dp.datagramReceived(f as unknown as Uint8Array, f as never),
    ]).toEqual(Array(4).fill(undefined));
    expect(Object.getOwnPropertyNames(dp)).toEqual([]);
  });
});
