// CPython 3.13's test_asyncio/test_events.py: EventLoopTestsMixin's create_server methods
// and TestServer, one `it` per method, titled after it. The clients are non-blocking
// sockets driven by sock_connect/sock_sendall (the model has no blocking connect); the
// values each test prints were checked on the oracle with the same clients.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectionRefusedError, EventLoop, OSError, Protocol, setEventLoop, socket, ValueError, type Future, type Transport,
} from '../../../src/index.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { runBriefly } from '../_support.js';
import { resetAfterEach, runUntil } from './_support.js';

let loop: EventLoop;

resetAfterEach();

// test_events' MyBaseProto / MyProto (the state checks are the tests' own).
class MyBaseProto extends Protocol {
  transport: Transport | undefined;
  state = 'INITIAL';
  nbytes = 0;
  readonly connected: Future<void> | undefined;
  readonly done: Future<void> | undefined;
  constructor(l?: EventLoop) {
    super();
    this.connected = l?.createFuture();
    this.done = l?.createFuture();
  }
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    expect(this.state).toBe('INITIAL');
    this.state = 'CONNECTED';
    this.connected?.setResult(undefined);
  }
  override dataReceived(data: Uint8Array): void {
    expect(this.state).toBe('CONNECTED');
    this.nbytes += data.length;
  }
  override eofReceived(): undefined {
    expect(this.state).toBe('CONNECTED');
    this.state = 'EOF';
    return undefined;
  }
  override connectionLost(): void {
    expect(['CONNECTED', 'EOF']).toContain(this.state);
    this.state = 'CLOSED';
    this.done?.setResult(undefined);
  }
}
class MyProto extends MyBaseProto {
  override connectionMade(transport: Transport): void {
    super.connectionMade(transport);
    transport.write(new TextEncoder().encode('GET / HTTP/1.0\r\nHost: example.com\r\n\r\n'));
  }
}

const xxx = new TextEncoder().encode('xxx');

// `client = socket.socket(); client.connect(addr)`, non-blocking through the loop.
function client(addr: [string, number], family = socket.AF_INET): socket.socket {
  const c = new socket.socket(family);
  c.setblocking(false);
  loop.runUntilComplete(loop.sockConnect(c, addr));
  return c;
}

// `socket.create_server(('0.0.0.0', 0))`.
function createServerSocket(): socket.socket {
  const s = new socket.socket();
  s.bind(['0.0.0.0', 0]);
  s.listen();
  return s;
}

describe('EventLoopTestsMixin (servers)', () => {
  beforeEach(() => {
    _resetNetwork();
    loop = new EventLoop();
    setEventLoop(undefined);
  });

  afterEach(() => {
    if (!loop.isClosed() && !loop.isRunning()) {
      runBriefly(loop);
      loop.close();
    }
  });

  it('test_create_server_multiple_hosts_ipv4 / _ipv6 — a host given twice is bound once', () => {
    const server = loop.runUntilComplete(loop.createServer(() => new MyProto(loop), ['127.0.0.1', '::1', '127.0.0.1'], 80));
    expect(server.sockets.map((s) => (s.getsockname() as unknown as [string])[0]).sort()).toEqual(['127.0.0.1', '::1']);
    server.close();
  });

  it('test_create_server — a connection gets CONNECTED, its bytes, its extra info, then CLOSED', () => {
    const proto = new MyProto(loop);
    const server = loop.runUntilComplete(loop.createServer(() => proto, '0.0.0.0', 0));
    expect(server.sockets.length).toBe(1);
    const [host, port] = server.sockets[0]!.getsockname() as [string, number];
    expect(host).toBe('0.0.0.0');
    const c = client(['127.0.0.1', port]);
    loop.runUntilComplete(loop.sockSendall(c, xxx));
    loop.runUntilComplete(proto.connected!);
    expect(proto.state).toBe('CONNECTED');
    runUntil(loop, () => proto.nbytes > 0);
    expect(proto.nbytes).toBe(3);
    expect(proto.transport!.getExtraInfo('sockname')).toEqual(['127.0.0.1', 32768]);
    expect((proto.transport!.getExtraInfo('peername') as [string])[0]).toBe('127.0.0.1');
    proto.transport!.close();
    loop.runUntilComplete(proto.done!);
    expect(proto.state).toBe('CLOSED');
    c.close();
    server.close();
  });

  it('test_create_server_trsock — sockets are TransportSockets that stay non-blocking', () => {
    const server = loop.runUntilComplete(loop.createServer(() => new MyProto(loop), '0.0.0.0', 0));
    const sock = server.sockets[0]!;
    expect(sock.constructor.name).toBe('TransportSocket');
    expect((sock.getsockname() as unknown as [string])[0]).toBe('0.0.0.0');
    expect(() => sock.settimeout(1)).toThrow(new ValueError('settimeout(): only 0 timeout is allowed on transport sockets'));
    sock.settimeout(0);
    expect(sock.gettimeout()).toBe(0);
    expect(() => sock.setblocking(true)).toThrow(new ValueError('setblocking(): transport sockets cannot be blocking'));
    sock.setblocking(false);
    server.close();
  });

  it('test_create_server_reuse_port — SO_REUSEPORT only with reuse_port=True', () => {
    let server = loop.runUntilComplete(loop.createServer(() => new MyProto(loop), '0.0.0.0', 0));
    expect(server.sockets[0]!.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)).toBe(0);
    server.close();
    runBriefly(loop);
    server = loop.runUntilComplete(loop.createServer(() => new MyProto(loop), '0.0.0.0', 0, { reusePort: true }));
    expect(server.sockets[0]!.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)).toBe(1);
    server.close();
  });

  it('test_create_server_sock — a listening socket given as sock= serves', () => {
    const proto: Future<MyProto> = loop.createFuture();
    class TestMyProto extends MyProto {
      override connectionMade(transport: Transport): void {
        super.connectionMade(transport);
        proto.setResult(this);
      }
    }
    const sockOb = createServerSocket();
    const server = loop.runUntilComplete(loop.createServer(() => new TestMyProto(), null, null, { sock: sockOb }));
    const sock = server.sockets[0]!;
    expect(sock.fileno()).toBe(sockOb.fileno());
    const [host, port] = sock.getsockname() as [string, number];
    expect(host).toBe('0.0.0.0');
    const c = client(['127.0.0.1', port]);
    loop.runUntilComplete(loop.sockSendall(c, xxx));
    c.close();
    server.close();
  });

  it('test_create_server_addr_in_use — binding a served address fails with EADDRINUSE', () => {
    const sockOb = createServerSocket();
    const server = loop.runUntilComplete(loop.createServer(() => new MyProto(), null, null, { sock: sockOb }));
    const [host, port] = server.sockets[0]!.getsockname() as [string, number];
    let err: unknown;
    try {
      loop.runUntilComplete(loop.createServer(() => new MyProto(), host, port));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).errno).toBe(98);
    expect((err as OSError).message).toBe(
      "[Errno 98] error while attempting to bind on address ('0.0.0.0', 32768): [errno 98] address already in use",
    );
    server.close();
  });

  it('test_create_server_dual_stack — host=None serves IPv4 and IPv6 clients', () => {
    let fProto: Future<MyProto> = loop.createFuture();
    class TestMyProto extends MyProto {
      override connectionMade(transport: Transport): void {
        super.connectionMade(transport);
        fProto.setResult(this);
      }
    }
    const server = loop.runUntilComplete(loop.createServer(() => new TestMyProto(), null, 9999));
    let c = client(['127.0.0.1', 9999]);
    loop.runUntilComplete(loop.sockSendall(c, xxx));
    let p = loop.runUntilComplete(fProto);
    expect(p.transport!.getExtraInfo('peername')).toEqual(['127.0.0.1', 32768]);
    p.transport!.close();
    c.close();
    fProto = loop.createFuture();
    c = client(['::1', 9999], socket.AF_INET6);
    loop.runUntilComplete(loop.sockSendall(c, xxx));
    p = loop.runUntilComplete(fProto);
    expect(p.transport!.getExtraInfo('peername')).toEqual(['::1', 32769, 0, 0]);
    p.transport!.close();
    c.close();
    server.close();
  });

  it('test_server_close — after close() a connection is refused', () => {
    const server = loop.runUntilComplete(loop.createServer(() => new MyProto(), '0.0.0.0', 0));
    const [, port] = server.sockets[0]!.getsockname() as [string, number];
    let c = client(['127.0.0.1', port]);
    loop.runUntilComplete(loop.sockSendall(c, xxx));
    c.close();
    server.close();
    c = new socket.socket();
    c.setblocking(false);
    expect(() => loop.runUntilComplete(loop.sockConnect(c, ['127.0.0.1', port]))).toThrow(
      new ConnectionRefusedError(111, `Connect call failed ('127.0.0.1', ${port})`),
    );
    c.close();
  });
});

describe('TestServer', () => {
  beforeEach(() => _resetNetwork());

  it('test_get_loop — get_loop() is the loop the server was made on', () => {
    const l = new EventLoop();
    const server = l.runUntilComplete(l.createServer(() => new MyProto(l), '0.0.0.0', 0));
    expect(server.getLoop()).toBe(l);
    server.close();
    l.runUntilComplete(server.waitClosed());
    l.close();
  });
});
