// CPython 3.13's test_asyncio/test_base_events.py, BaseEventLoopWithSelectorTests: the
// create_datagram_endpoint methods, one `it` per test method. Mocked sockets become
// sockets of the simulated network (a bind the mock made fail fails on an address in
// use); `loop.getaddrinfo` and `loop.sock_connect` are replaced as the tests replace them.
// Every value was printed by the same steps on the oracle (CPython 3.13.2 over the
// network's twin). Table: docs/cpython-tests/network-in-events.md.

import { beforeEach, describe, expect, it } from 'vitest';
import { DatagramProtocol, EventLoop, OSError, socket, type BaseTransport, type Coro, type Future, type Task } from '../../../src/index.js';
import type { AddrInfo } from '../../../src/net/resolver.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
beforeEach(() => _resetNetwork());
loopPerTest((l) => (loop = l));

// The test module's MyDatagramProto: INITIAL, INITIALIZED, CLOSED.
class MyDatagramProto extends DatagramProtocol {
  state = 'INITIAL';
  done: Future<void> | undefined;
  constructor(createFuture = false) {
    super();
    if (createFuture) this.done = loop.createFuture();
  }
  override connectionMade(_transport: BaseTransport): void {
    expect(this.state).toBe('INITIAL');
    this.state = 'INITIALIZED';
  }
  override connectionLost(_exc: unknown): void {
    expect(this.state).toBe('INITIALIZED');
    this.state = 'CLOSED';
    this.done?.setResult(undefined);
  }
}

// [class name, str()] of what the coroutine raised.
function raised(coro: Coro<unknown>): [string, string] {
  try {
    loop.runUntilComplete(coro);
  } catch (e) {
    return [(e as Error).constructor.name, (e as Error).message];
  }
  return expect.fail('nothing raised');
}

const nextFd = (): number => {
  const s = new socket.socket();
  const fd = s.fileno();
  s.close();
  return fd;
};

describe('BaseEventLoopWithSelectorTests (datagrams)', () => {
  it('test_create_datagram_endpoint_wrong_sock — a stream socket is refused', () => {
    const sock = new socket.socket(socket.AF_INET);
    expect(raised(loop.createDatagramEndpoint(() => new MyDatagramProto(), { sock }))).toEqual([
      'ValueError', "A datagram socket was expected, got <socket.socket fd=6, family=2, type=1, proto=0, laddr=('0.0.0.0', 0)>",
    ]);
    sock.close();
  });

  it('test_create_datagram_endpoint_no_addrinfo — an empty getaddrinfo answer is an OSError', () => {
    function* getaddrinfo(): Coro<AddrInfo[]> {
      return [];
    }
    (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = (): Task<AddrInfo[]> => loop.createTask(getaddrinfo());
    expect(raised(loop.createDatagramEndpoint(() => new MyDatagramProto(), { localAddr: ['localhost', 0] }))).toEqual([
      'OSError', 'getaddrinfo() returned empty list',
    ]);
  });

  it('test_create_datagram_endpoint_addr_error — a local address that is not a 2-tuple is a TypeError', () => {
    for (const localAddr of ['localhost', ['localhost', 1, 2, 3]] as const) {
      expect(raised(loop.createDatagramEndpoint(() => new MyDatagramProto(), { localAddr: localAddr as never }))).toEqual([
        'TypeError', '2-tuple is expected',
      ]);
    }
  });

  it('test_create_datagram_endpoint_connect_err — the connect error is raised and the socket closed', () => {
    (loop as unknown as { sockConnect: unknown }).sockConnect = (): never => {
      throw new OSError();
    };
    expect(raised(loop.createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['127.0.0.1', 0] }))).toEqual(['OSError', '']);
    expect(nextFd()).toBe(6);
  });

  it('test_create_datagram_endpoint_no_matching_family — local and remote addresses of different families are refused', () => {
    expect(raised(loop.createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['127.0.0.1', 0], localAddr: ['::1', 0] }))).toEqual([
      'ValueError', 'can not get address information',
    ]);
  });

  it('test_create_datagram_endpoint_noaddr_nofamily — no address and no family is refused', () => {
    expect(raised(loop.createDatagramEndpoint(() => new DatagramProtocol()))).toEqual(['ValueError', 'unexpected address family']);
  });

  it('test_create_datagram_endpoint_cant_bind — the bind error is raised and the socket closed', () => {
    const u = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    u.bind(['127.0.0.1', 9999]);
    expect(raised(loop.createDatagramEndpoint(() => new MyDatagramProto(), { localAddr: ['127.0.0.1', 9999], family: socket.AF_INET }))).toEqual([
      'OSError', '[Errno 98] Address already in use',
    ]);
    expect(nextFd()).toBe(7);
    u.close();
  });

  it('test_create_datagram_endpoint_sock — a bound datagram socket given as sock= is used', () => {
    const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    sock.bind(['127.0.0.1', 0]);
    const [transport, protocol] = loop.runUntilComplete(loop.createDatagramEndpoint(() => new MyDatagramProto(true), { sock }));
    expect([transport.getExtraInfo('sockname'), protocol.state]).toEqual([['127.0.0.1', 32768], 'INITIALIZED']);
    transport.close();
    loop.runUntilComplete(protocol.done!);
    expect(protocol.state).toBe('CLOSED');
  });

  it('test_create_datagram_endpoint_sock_sockopts — socket modifiers with sock= are refused', () => {
    // FakeSock: only a type.
    const fake = { type: socket.SOCK_DGRAM } as unknown as socket.socket;
    const cases = [
      [{ localAddr: ['127.0.0.1', 0] }, "local_addr=('127.0.0.1', 0)"], [{ remoteAddr: ['127.0.0.1', 0] }, "remote_addr=('127.0.0.1', 0)"],
      [{ family: 1 }, 'family=1'], [{ proto: 1 }, 'proto=1'], [{ flags: 1 }, 'flags=1'],
      [{ reusePort: true }, 'reuse_port=True'], [{ allowBroadcast: true }, 'allow_broadcast=True'],
    ] as const;
    for (const [options, shown] of cases) {
      expect(raised(loop.createDatagramEndpoint(() => new MyDatagramProto(), { ...options, sock: fake } as never))).toEqual([
        'ValueError', `socket modifier keyword arguments can not be used when sock is specified. (${shown})`,
      ]);
    }
  });

  it('test_create_datagram_endpoint_sockopts — SO_REUSEPORT only when asked for, SO_REUSEADDR never', () => {
    let [transport, protocol] = loop.runUntilComplete(loop.createDatagramEndpoint(() => new MyDatagramProto(true), { localAddr: ['127.0.0.1', 0] }));
    let sock = transport.getExtraInfo('socket') as socket.socket;
    expect(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)).toBe(0);
    transport.close();
    loop.runUntilComplete(protocol.done!);
    expect(protocol.state).toBe('CLOSED');

    [transport, protocol] = loop.runUntilComplete(loop.createDatagramEndpoint(() => new MyDatagramProto(true), { localAddr: ['127.0.0.1', 0], reusePort: true }));
    sock = transport.getExtraInfo('socket') as socket.socket;
    expect([sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)]).toEqual([0, 1]);
    transport.close();
    loop.runUntilComplete(protocol.done!);
    expect(protocol.state).toBe('CLOSED');
  });

  it('test_create_datagram_endpoint_ip_addr — an IP literal is bound without getaddrinfo, on an AF_INET UDP socket', () => {
    (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = (): never => expect.fail('should not have called getaddrinfo');
    // The mock's bind accepted 1.2.3.4; the model's host owns 127.0.0.1.
    const [t] = loop.runUntilComplete(loop.createDatagramEndpoint(() => new MyDatagramProto(), { localAddr: ['127.0.0.1', 0], reusePort: true }));
    const sock = t.getExtraInfo('socket') as socket.socket;
    expect([sock.family, sock.type, sock.proto, sock.getsockname()]).toEqual([2, 2, 17, ['127.0.0.1', 32768]]);
    t.close();
    loop.runUntilComplete(loop.createTask((function* (): Coro<void> {})()));
  });
});
