import { beforeEach, describe, expect, it } from 'vitest';
import { repr, socket } from '../../src/index.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('getaddrinfo', () => {
  it('resolves as Linux does', () => {
    expect(socket.getaddrinfo('localhost', 80, 0, socket.SOCK_STREAM)).toEqual([[2, 1, 6, '', ['127.0.0.1', 80]]]);
    expect(socket.getaddrinfo('::1', '80', 0, socket.SOCK_STREAM)).toEqual([[10, 1, 6, '', ['::1', 80, 0, 0]]]);
    expect(socket.getaddrinfo(null, 80, 0, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)).toEqual([
      [2, 1, 6, '', ['0.0.0.0', 80]],
      [10, 1, 6, '', ['::', 80, 0, 0]],
    ]);
    expect(socket.getaddrinfo('127.0.0.1', 80).map((r) => r[1])).toEqual([1, 2, 3]);
    expect(() => socket.getaddrinfo('nohost.invalid', 80)).toThrow(/^\[Errno -2\] Name or service not known$/);
    expect(socket.gethostname()).toBe('localhost');
  });
});

describe('a host added to the network', () => {
  it('resolves by name, IPv4 first', () => {
    network.addHost('db', ['10.0.0.5'], ['fd00::5']);
    expect(socket.getaddrinfo('db', 5432, 0, socket.SOCK_STREAM)).toEqual([
      [2, 1, 6, '', ['10.0.0.5', 5432]],
      [10, 1, 6, '', ['fd00::5', 5432, 0, 0]],
    ]);
    expect(() => socket.getaddrinfo('db', 1, socket.AF_INET6, socket.SOCK_STREAM)).not.toThrow();
    expect(() => network.addHost('db', ['10.0.0.6'])).toThrow(/^a host named 'db' already exists$/);
    expect(() => network.addHost('other', ['10.0.0.5'])).toThrow(/^the address '10.0.0.5' is taken$/);
  });
});

describe('socketpair', () => {
  it('refuses another family', () => {
    expect(() => socket.socketpair(socket.AF_INET)).toThrow(/^\[Errno 97\] Address family not supported by protocol$/);
  });
});

describe('IPv6 sockets', () => {
  it('show four-part addresses and connect over ::1', () => {
    const l = new socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
    l.setblocking(false);
    l.bind(['::1', 8888]);
    l.listen();
    expect(repr(l)).toBe("<socket.socket fd=3, family=10, type=1, proto=0, laddr=('::1', 8888, 0, 0)>");
    const c = new socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
    c.setblocking(false);
    expect(() => c.connect(['::1', 8888])).toThrow(/Operation now in progress/);
    world.runUntil(0);
    const [conn, addr] = l.accept();
    expect(addr).toEqual(['::1', 32768, 0, 0]);
    expect(conn.getpeername()).toEqual(['::1', 32768, 0, 0]);
    // An IPv4 address is not an IPv6 socket's.
    expect(() => new socket.socket(socket.AF_INET6).bind(['127.0.0.1', 1])).toThrow(/^\[Errno -9\] Address family for hostname not supported$/);
  });
});
