import { beforeEach, describe, expect, it } from 'vitest';
import { BlockingIOError, ConnectionRefusedError, repr, socket } from '../../src/index.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function udp(port?: number): socket.socket {
  const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.setblocking(false);
  if (port !== undefined) s.bind(['127.0.0.1', port]);
  return s;
}

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('socket.socket (datagram)', () => {
  it('delivers whole datagrams with their sender, truncated to the size asked', () => {
    const server = udp(9999);
    const c = udp();
    expect(c.sendto(bytes('ping'), ['127.0.0.1', 9999])).toBe(4);
    expect(c.sendto(bytes('second'), 0, ['127.0.0.1', 9999])).toBe(6);
    expect(() => server.recvfrom(100)).toThrow(BlockingIOError);
    world.runUntil(0);
    expect(server.recvfrom(100)).toEqual([bytes('ping'), ['127.0.0.1', 32768]]);
    expect(server.recvfrom(3)).toEqual([bytes('sec'), ['127.0.0.1', 32768]]);
    expect(server._readable()).toBe(false);
    expect(repr(c)).toBe("<socket.socket fd=4, family=2, type=2, proto=0, laddr=('0.0.0.0', 32768)>");
  });

  it('drops a datagram that does not fit the receive buffer', () => {
    const server = udp(9999);
    server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 10);
    const c = udp();
    c.sendto(new Uint8Array(6), ['127.0.0.1', 9999]);
    c.sendto(new Uint8Array(6), ['127.0.0.1', 9999]);
    c.sendto(new Uint8Array(4), ['127.0.0.1', 9999]);
    world.runUntil(0);
    expect(server.recvfrom(100)[0].length).toBe(6);
    expect(server.recvfrom(100)[0].length).toBe(4);
    expect(() => server.recvfrom(100)).toThrow(BlockingIOError);
  });

  it('refuses a connected socket once nothing is bound there; an unconnected one hears nothing', () => {
    const connected = udp();
    connected.connect(['127.0.0.1', 7]);
    expect(connected.getpeername()).toEqual(['127.0.0.1', 7]);
    expect(connected.getsockname()).toEqual(['127.0.0.1', 32768]);
    connected.send(bytes('x'));
    const loose = udp();
    loose.sendto(bytes('x'), ['127.0.0.1', 7]);
    world.runUntil(0);
    expect(connected._readable()).toBe(true);
    expect(() => connected.recv(10)).toThrow(ConnectionRefusedError);
    expect(() => connected.recv(10)).toThrow(BlockingIOError);
    expect(loose._readable()).toBe(false);
  });

  it('rejects a datagram longer than IPv4 allows', () => {
    expect(() => udp().sendto(new Uint8Array(65508), ['127.0.0.1', 1])).toThrow(/^\[Errno 90\] Message too long$/);
  });
});
