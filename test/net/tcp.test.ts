import { beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingIOError, BrokenPipeError, ConnectionRefusedError, ConnectionResetError, OSError, TimeoutError, repr, socket,
} from '../../src/index.js';
import type { Host } from '../../src/net/host.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function listener(port = 8888, backlog?: number): socket.socket {
  const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.setblocking(false);
  s.bind(['127.0.0.1', port]);
  s.listen(backlog);
  return s;
}

function client(): socket.socket {
  const c = new socket.socket();
  c.setblocking(false);
  return c;
}

// Connect `c` to the listener `l` and return the accepted socket (loopback: everything at t=0).
function connectPair(l: socket.socket, c: socket.socket): socket.socket {
  expect(() => c.connect(l.getsockname() as [string, number])).toThrow(BlockingIOError);
  world.runUntil(world.now);
  const [conn] = l.accept();
  conn.setblocking(false);
  return conn;
}

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('socket.socket (stream)', () => {
  it('takes descriptors from 3 and shows them as CPython does', () => {
    const l = listener();
    expect(l.fileno()).toBe(3);
    expect(repr(l)).toBe("<socket.socket fd=3, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888)>");
    const c = client();
    expect(repr(c)).toBe('<socket.socket fd=4, family=2, type=1, proto=0>'.replace('>', ", laddr=('0.0.0.0', 0)>"));
    c.close();
    expect(repr(c)).toBe('<socket.socket [closed] fd=-1, family=2, type=1, proto=0>');
    expect(new socket.socket().fileno()).toBe(4);
  });

  it('connects through the handshake: EINPROGRESS, then connected, then queued at the listener', () => {
    const l = listener();
    const c = client();
    expect(() => c.connect(['127.0.0.1', 8888])).toThrow(/^\[Errno 115\] Operation now in progress$/);
    expect(() => c.connect(['127.0.0.1', 8888])).toThrow(/^\[Errno 114\] Operation already in progress$/);
    expect(() => l.accept()).toThrow(/^\[Errno 11\] Resource temporarily unavailable$/);
    expect(c._writable()).toBe(false);
    world.runUntil(0);
    expect(c._writable()).toBe(true);
    expect(l._readable()).toBe(true);
    expect(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)).toBe(0);
    const [conn, addr] = l.accept();
    expect(addr).toEqual(['127.0.0.1', 32768]);
    expect(conn.getblocking()).toBe(true);
    expect(repr(conn)).toBe("<socket.socket fd=5, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888), raddr=('127.0.0.1', 32768)>");
    expect(repr(c)).toBe("<socket.socket fd=4, family=2, type=1, proto=0, laddr=('127.0.0.1', 32768), raddr=('127.0.0.1', 8888)>");
    expect(() => c.connect(['127.0.0.1', 8888])).toThrow(/^\[Errno 106\] Transport endpoint is already connected$/);
  });

  it('takes L, 2L and 3L between two hosts', () => {
    const server = network.addHost('server', ['10.0.0.2']);
    const box = network.addHost('client', ['10.0.0.1']);
    network.setLatency(box, server, 0.5);
    // Sockets made on given hosts directly: the multi-host API comes later.
    const on = (host: Host): socket.socket => {
      const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, host);
      s._fd = host.allocFd(s);
      s.setblocking(false);
      return s;
    };
    const l = on(server);
    l.bind(['10.0.0.2', 80]);
    l.listen();
    const c = on(box);
    const seen: string[] = [];
    c._watcher = (s) => seen.push(`${world.now} client writable=${s._writable()}`);
    l._watcher = (s) => seen.push(`${world.now} listener readable=${s._readable()}`);
    expect(() => c.connect(['10.0.0.2', 80])).toThrow(BlockingIOError);
    world.runUntil(10);
    expect(seen).toEqual(['1 client writable=true', '1.5 listener readable=true']);
    expect(c.getsockname()).toEqual(['10.0.0.1', 32768]);
    const [conn, addr] = l.accept();
    expect(conn.fileno()).toBe(4);
    expect(addr).toEqual(['10.0.0.1', 32768]);
    c.send(bytes('ping'));
    world.runUntil(10);
    expect(world.now).toBe(2);
    expect(text(conn.recv(10))).toBe('ping');
  });

  it('is refused when nothing listens: SO_ERROR 111 once, then 0', () => {
    const c = client();
    expect(() => c.connect(['127.0.0.1', 1])).toThrow(BlockingIOError);
    world.runUntil(0);
    expect(c._writable() && c._readable()).toBe(true);
    expect(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)).toBe(111);
    expect(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)).toBe(0);
    expect(text(c.recv(10))).toBe('');
  });

  it('raises the refusal from recv once', () => {
    const c = client();
    expect(() => c.connect(['127.0.0.1', 1])).toThrow(BlockingIOError);
    world.runUntil(0);
    expect(() => c.recv(10)).toThrow(ConnectionRefusedError);
    expect(() => c.recv(10)).not.toThrow();
  });

  it('delivers data as segments and joins them in recv', () => {
    const l = listener();
    const c = client();
    const conn = connectPair(l, c);
    expect(c.send(bytes('hello '))).toBe(6);
    expect(c.send(bytes('world\n'))).toBe(6);
    expect(() => conn.recv(100)).toThrow(BlockingIOError);
    world.runUntil(0);
    expect(text(conn.recv(3))).toBe('hel');
    expect(text(conn.recv(100))).toBe('lo world\n');
    expect(() => conn.recv(100)).toThrow(BlockingIOError);
  });

  it('accepts a large send only in part: the pipe holds SO_SNDBUF + SO_RCVBUF', () => {
    const l = listener();
    const c = client();
    const conn = connectPair(l, c);
    expect(c.send(new Uint8Array(200_000))).toBe(131_072);
    expect(c._writable()).toBe(false);
    expect(() => c.send(new Uint8Array(1))).toThrow(/^\[Errno 11\] Resource temporarily unavailable$/);
    world.runUntil(0);
    expect(conn.recv(1000).length).toBe(1000);
    // The window update travels as a delivery.
    expect(c._writable()).toBe(false);
    world.runUntil(0);
    expect(c._writable()).toBe(true);
    expect(c.send(new Uint8Array(5000))).toBe(1000);
  });

  it('ends the stream with a FIN after the data', () => {
    const l = listener();
    const c = client();
    const conn = connectPair(l, c);
    c.send(bytes('bye'));
    c.shutdown(socket.SHUT_WR);
    expect(() => c.send(bytes('x'))).toThrow(BrokenPipeError);
    world.runUntil(0);
    expect(text(conn.recv(100))).toBe('bye');
    expect(conn.recv(100).length).toBe(0);
    expect(conn.recv(100).length).toBe(0);
    // The other direction still works.
    conn.send(bytes('ok'));
    world.runUntil(0);
    expect(text(c.recv(10))).toBe('ok');
  });

  it('resets the peer when closed with unread data: ECONNRESET once, then EPIPE', () => {
    const l = listener();
    const c = client();
    const conn = connectPair(l, c);
    c.send(bytes('unread'));
    world.runUntil(0);
    conn.close();
    world.runUntil(0);
    expect(c._readable() && c._writable()).toBe(true);
    expect(() => c.send(bytes('x'))).toThrow(/^\[Errno 104\] Connection reset by peer$/);
    expect(() => c.send(bytes('x'))).toThrow(/^\[Errno 32\] Broken pipe$/);
    expect(c.recv(10).length).toBe(0);
  });

  it('answers data sent to a closed socket with a RST: EPIPE after the FIN', () => {
    const l = listener();
    const c = client();
    const conn = connectPair(l, c);
    conn.close();
    world.runUntil(0);
    expect(c.recv(10).length).toBe(0);
    expect(c.send(bytes('late'))).toBe(4);
    world.runUntil(0);
    expect(() => c.send(bytes('x'))).toThrow(BrokenPipeError);
    expect(() => c.send(bytes('x'))).toThrow(BrokenPipeError);
  });

  it('raises ECONNRESET from recv after a reset without FIN, data first', () => {
    const l = listener();
    const c = client();
    const conn = connectPair(l, c);
    conn.send(bytes('first'));
    c.send(bytes('unread'));
    world.runUntil(0);
    conn.close();
    world.runUntil(0);
    expect(text(c.recv(100))).toBe('first');
    expect(() => c.recv(100)).toThrow(ConnectionResetError);
    expect(c.recv(100).length).toBe(0);
  });

  it('refuses an address in use, with SO_REUSEADDR rules', () => {
    const l = listener();
    const other = new socket.socket();
    expect(() => other.bind(['127.0.0.1', 8888])).toThrow(/^\[Errno 98\] Address already in use$/);
    expect(() => other.bind(['0.0.0.0', 8888])).toThrow(OSError);
    expect(() => other.bind(['10.1.1.1', 8888])).toThrow(/^\[Errno 99\] Cannot assign requested address$/);
    l.close();
    other.bind(['127.0.0.1', 8888]);
    expect(other.getsockname()).toEqual(['127.0.0.1', 8888]);
  });

  it('drops SYNs past the backlog and times out after 127 s', () => {
    const l = listener(8888, 0);
    const first = client();
    expect(() => first.connect(['127.0.0.1', 8888])).toThrow(BlockingIOError);
    const second = client();
    expect(() => second.connect(['127.0.0.1', 8888])).toThrow(BlockingIOError);
    const third = client();
    expect(() => third.connect(['127.0.0.1', 8888])).toThrow(BlockingIOError);
    world.runUntil(0);
    // Linux admits backlog + 1.
    expect(first._writable()).toBe(true);
    expect(second._writable()).toBe(false);
    l.accept();
    // The second's SYN is sent again at t=1 and gets through.
    world.runUntil(1);
    expect(second._writable()).toBe(true);
    expect(second.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)).toBe(0);
    world.runUntil(200);
    expect(third.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)).toBe(110);
    expect(world.now).toBe(127);
  });

  it('raises EBADF once closed', () => {
    const c = client();
    c.close();
    c.close();
    expect(() => c.recv(1)).toThrow(/^\[Errno 9\] Bad file descriptor$/);
  });

  it('makes socketpair connected AF_UNIX sockets', () => {
    const [a, b] = socket.socketpair();
    expect(repr(a)).toBe('<socket.socket fd=3, family=1, type=1, proto=0>');
    a.send(bytes('x'));
    world.runUntil(0);
    expect(text(b.recv(1))).toBe('x');
  });

  it('raises the timeout error class for ETIMEDOUT', () => {
    expect(new TimeoutError(110, 'Connection timed out')).toBeInstanceOf(OSError);
  });
});
