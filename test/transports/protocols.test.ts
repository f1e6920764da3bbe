import { describe, expect, it } from 'vitest';
import { BaseProtocol, BufferedProtocol, DatagramProtocol, Protocol, Transport } from '../../src/index.js';

describe('protocol base classes', () => {
  it('do nothing in every callback, and eofReceived returns a false value', () => {
    const t = new Transport();
    const p = new Protocol();
    expect(p.connectionMade(t)).toBeUndefined();
    expect(p.dataReceived(new Uint8Array(1))).toBeUndefined();
    expect(p.eofReceived()).toBeFalsy();
    expect(p.pauseWriting()).toBeUndefined();
    expect(p.resumeWriting()).toBeUndefined();
    expect(p.connectionLost(undefined)).toBeUndefined();
    expect(new BufferedProtocol().eofReceived()).toBeFalsy();
    expect(new BufferedProtocol().getBuffer(10)).toBeUndefined();
    expect(new DatagramProtocol().datagramReceived(new Uint8Array(1), ['127.0.0.1', 1])).toBeUndefined();
    expect(new DatagramProtocol().errorReceived(new Error('x'))).toBeUndefined();
  });

  it('share BaseProtocol', () => {
    for (const p of [new Protocol(), new BufferedProtocol(), new DatagramProtocol()]) expect(p).toBeInstanceOf(BaseProtocol);
  });
});
