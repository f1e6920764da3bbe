// CPython 3.13's test_asyncio/test_base_events.py: BaseEventTests (_ipaddr_info, through
// the loop's _ensure_resolved: an IP literal is resolved without getaddrinfo) and the
// create_connection methods of BaseEventLoopWithSelectorTests, one `it` per test method.
// Mocked sockets become sockets of the simulated network: connects fail for real
// (refused ports) or through `loop.sockConnect` replaced, as the tests replace
// `loop.sock_connect`; a bind the mock made fail fails for real (an address the host does
// not have). Every value was printed by the same steps on the oracle (CPython 3.13.2 over
// the network's twin). Table: docs/cpython-tests/network-in-events.md.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  EventLoop, ExceptionGroup, OSError, Protocol, socket, TimeoutError, type Coro, type Task,
} from '../../../src/index.js';
import type { SockAddr } from '../../../src/net/address.js';
import type { AddrInfo } from '../../../src/net/resolver.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
beforeEach(() => _resetNetwork());
loopPerTest((l) => (loop = l));

class MyProto extends Protocol {}
const myProto = (): MyProto => new MyProto();

// What the coroutine raised when run to completion: [class name, str()] (and, for a
// group, its members'), as the Python probe printed them.
function raised(coro: Coro<unknown>): unknown[] {
  try {
    loop.runUntilComplete(coro);
  } catch (e) {
    const shown = [(e as Error).constructor.name, String((e as Error).message)];
    if (e instanceof ExceptionGroup) return [...shown, e.exceptions.map((x) => [(x as Error).constructor.name, (x as Error).message])];
    return shown;
  }
  return expect.fail('nothing raised');
}

// `self.loop.getaddrinfo = getaddrinfo_task`: a task of a coroutine answering `answer`.
function patchGetaddrinfo(answer: AddrInfo[] | ((host: unknown) => AddrInfo[])): void {
  function* getaddrinfo(host: unknown): Coro<AddrInfo[]> {
    return typeof answer === 'function' ? answer(host) : answer;
  }
  (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = (host: unknown): Task<AddrInfo[]> => loop.createTask(getaddrinfo(host));
}

// `self.loop.sock_connect = mock.Mock(side_effect=exc)`, recording the sockets it was given.
function patchSockConnect(exc: () => unknown): socket.socket[] {
  const socks: socket.socket[] = [];
  (loop as unknown as { sockConnect: unknown }).sockConnect = (sock: socket.socket): never => {
    socks.push(sock);
    throw exc();
  };
  return socks;
}

const nextFd = (): number => {
  const s = new socket.socket();
  const fd = s.fileno();
  s.close();
  return fd;
};

describe('BaseEventTests', () => {
  // _ipaddr_info's answer, or 'getaddrinfo' when it has none and the loop asks getaddrinfo.
  function resolved(host: unknown, port: unknown, family: number, type: number, proto: number): unknown {
    (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = function* (): Coro<AddrInfo[]> {
      return 'getaddrinfo' as unknown as AddrInfo[];
    };
    const infos = loop.runUntilComplete(loop._ensureResolved([host, port] as unknown as SockAddr, { family, type, proto }));
    return infos === ('getaddrinfo' as unknown) ? 'getaddrinfo' : infos[0];
  }
  const [UNSPEC, INET, INET6, STREAM, DGRAM, TCP, UDP] = [0, 2, 10, 1, 2, 6, 17];

  it('test_ipaddr_info — IP literals resolve to one addrinfo; other types, families and zone indexes do not', () => {
    expect(resolved('1.2.3.4', 1, INET, STREAM, TCP)).toEqual([INET, STREAM, TCP, '', ['1.2.3.4', 1]]);
    expect(resolved(new TextEncoder().encode('1.2.3.4'), 1, INET, STREAM, TCP)).toEqual([INET, STREAM, TCP, '', ['1.2.3.4', 1]]);
    expect(resolved('1.2.3.4', 1, UNSPEC, STREAM, TCP)).toEqual([INET, STREAM, TCP, '', ['1.2.3.4', 1]]);
    expect(resolved('1.2.3.4', 1, UNSPEC, DGRAM, UDP)).toEqual([INET, DGRAM, UDP, '', ['1.2.3.4', 1]]);
    expect(resolved('1.2.3.4', 1, UNSPEC, STREAM, 0)).toEqual([INET, STREAM, TCP, '', ['1.2.3.4', 1]]);
    expect(resolved('1.2.3.4', 1, UNSPEC, DGRAM, 0)).toEqual([INET, DGRAM, UDP, '', ['1.2.3.4', 1]]);
    expect(resolved('1.2.3.4', 1, UNSPEC, 0, 0)).toBe('getaddrinfo');
    expect(resolved('1.2.3.4', 1, INET6, STREAM, TCP)).toBe('getaddrinfo');
    expect(resolved('::3', 1, INET6, STREAM, TCP)).toEqual([INET6, STREAM, TCP, '', ['::3', 1, 0, 0]]);
    expect(resolved('::3', 1, UNSPEC, STREAM, TCP)).toEqual([INET6, STREAM, TCP, '', ['::3', 1, 0, 0]]);
    expect(resolved('::3', 1, INET, STREAM, TCP)).toBe('getaddrinfo');
    expect(resolved('::3%lo0', 1, INET6, STREAM, TCP)).toBe('getaddrinfo');
  });

  it('test_port_parameter_types — None and empty ports are 0, numeric strings are numbers, others need getaddrinfo', () => {
    const b = (s: string): Uint8Array => new TextEncoder().encode(s);
    const ports = [null, b(''), '', '1', b('1'), ' 1 ', '1.0', '0x10', 'http'];
    expect(ports.map((p) => resolved('1.2.3.4', p, INET, STREAM, TCP))).toEqual([
      [INET, STREAM, TCP, '', ['1.2.3.4', 0]], [INET, STREAM, TCP, '', ['1.2.3.4', 0]], [INET, STREAM, TCP, '', ['1.2.3.4', 0]],
      [INET, STREAM, TCP, '', ['1.2.3.4', 1]], [INET, STREAM, TCP, '', ['1.2.3.4', 1]], [INET, STREAM, TCP, '', ['1.2.3.4', 1]],
      'getaddrinfo', 'getaddrinfo', 'getaddrinfo',
    ]);
  });
});

describe('BaseEventLoopWithSelectorTests (connections)', () => {
  it('test_create_connection_multiple_errors — two different failures make "Multiple exceptions"; all_errors a group', () => {
    patchGetaddrinfo([[2, 1, 6, '', ['127.0.0.1', 1]], [2, 1, 6, '', ['127.0.0.1', 2]]]);
    expect(raised(loop.createConnection(myProto, 'example.com', 80))).toEqual([
      'OSError', "Multiple exceptions: [Errno 111] Connect call failed ('127.0.0.1', 1), [Errno 111] Connect call failed ('127.0.0.1', 2)",
    ]);
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { allErrors: true }))).toEqual([
      'ExceptionGroup', 'create_connection failed', [
        ['ConnectionRefusedError', "[Errno 111] Connect call failed ('127.0.0.1', 1)"],
        ['ConnectionRefusedError', "[Errno 111] Connect call failed ('127.0.0.1', 2)"],
      ],
    ]);
    expect([nextFd(), loop.time()]).toEqual([6, 0]);
  });

  it('test_create_connection_timeout — a TimeoutError from sock_connect closes the socket', () => {
    const socks = patchSockConnect(() => new TimeoutError());
    expect(raised(loop.createConnection(myProto, '127.0.0.1', 80))).toEqual(['TimeoutError', '']);
    expect([socks[0]!.fileno(), socks[0]!._closed]).toEqual([-1, true]);
  });

  it('test_create_connection_host_port_sock — host/port and sock together are refused', () => {
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { sock: {} as socket.socket }))).toEqual([
      'ValueError', 'host/port and sock can not be specified at the same time',
    ]);
  });

  it('test_create_connection_wrong_sock — a datagram socket is refused', () => {
    const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    expect(raised(loop.createConnection(myProto, undefined, undefined, { sock }))).toEqual([
      'ValueError', "A Stream Socket was expected, got <socket.socket fd=6, family=2, type=2, proto=0, laddr=('0.0.0.0', 0)>",
    ]);
    sock.close();
  });

  it('test_create_connection_no_host_port_sock — neither host/port nor sock is refused', () => {
    expect(raised(loop.createConnection(myProto))).toEqual(['ValueError', 'host and port was not specified and no sock specified']);
  });

  it('test_create_connection_no_getaddrinfo — an empty getaddrinfo answer is an OSError', () => {
    patchGetaddrinfo([]);
    expect(raised(loop.createConnection(myProto, 'example.com', 80))).toEqual(['OSError', 'getaddrinfo() returned empty list']);
  });

  it('test_create_connection_connect_err — the connect error is raised; all_errors a group of one', () => {
    patchGetaddrinfo([[2, 1, 6, '', ['107.6.106.82', 80]]]);
    patchSockConnect(() => new OSError());
    expect(raised(loop.createConnection(myProto, 'example.com', 80))).toEqual(['OSError', '']);
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { allErrors: true }))).toEqual([
      'ExceptionGroup', 'create_connection failed', [['OSError', '']],
    ]);
  });

  it('test_create_connection_multiple — equal errors from two addresses make one; all_errors a group of two', () => {
    patchGetaddrinfo([[2, 1, 6, '', ['0.0.0.1', 80]], [2, 1, 6, '', ['0.0.0.2', 80]]]);
    patchSockConnect(() => new OSError());
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { family: socket.AF_INET }))).toEqual(['OSError', '']);
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { family: socket.AF_INET, allErrors: true }))).toEqual([
      'ExceptionGroup', 'create_connection failed', [['OSError', ''], ['OSError', '']],
    ]);
  });

  it('test_create_connection_multiple_errors_local_addr — bind and connect errors are all reported; the sockets are closed', () => {
    // The mock's bind failed on 0.0.0.1; here that address is not the host's (EADDRNOTAVAIL).
    patchGetaddrinfo([[2, 1, 6, '', ['0.0.0.1', 80]], [2, 1, 6, '', ['127.0.0.1', 0]]]);
    const socks = patchSockConnect(() => new OSError('Err2'));
    const bindError = "[Errno 99] error while attempting to bind on address ('0.0.0.1', 80): [errno 99] cannot assign requested address";
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { family: socket.AF_INET, localAddr: [null, 8080] as unknown as SockAddr }))).toEqual([
      'OSError', `Multiple exceptions: ${bindError}, Err2, ${bindError}, Err2`,
    ]);
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { family: socket.AF_INET, localAddr: [null, 8080] as unknown as SockAddr, allErrors: true }))).toEqual([
      'ExceptionGroup', 'create_connection failed', [['OSError', bindError], ['OSError', 'Err2'], ['OSError', bindError], ['OSError', 'Err2']],
    ]);
    expect(socks.every((s) => s._closed)).toBe(true);
    expect(nextFd()).toBe(6);
  });

  it('test_create_connection_ip_addr — an IP literal is connected to as it is, with a socket of its family', () => {
    const l4 = new socket.socket();
    l4.bind(['127.0.0.1', 80]);
    l4.listen();
    const l6 = new socket.socket(socket.AF_INET6);
    l6.bind(['::1', 80]);
    l6.listen();
    const connects: unknown[] = [];
    const original = loop.sockConnect.bind(loop);
    (loop as unknown as { sockConnect: unknown }).sockConnect = (sock: socket.socket, addr: SockAddr): Coro<void> => {
      connects.push([sock.family, sock.type, sock.proto, addr]);
      // The model's host does not own 1.2.3.4: the connect goes to a listener of the family.
      return original(sock, sock.family === socket.AF_INET6 ? ['::1', 80] : ['127.0.0.1', 80]);
    };
    const peers: unknown[] = [];
    for (const host of ['1.2.3.4', '::1']) {
      const [t] = loop.runUntilComplete(loop.createConnection(() => new Protocol(), host, 80));
      peers.push(t.getExtraInfo('peername'));
      t.close();
      loop.runUntilComplete(loop.createTask((function* (): Coro<void> {})()));
    }
    expect(connects).toEqual([[2, 1, 6, ['1.2.3.4', 80]], [10, 1, 6, ['::1', 80, 0, 0]]]);
    expect(peers).toEqual([['127.0.0.1', 80], ['::1', 80, 0, 0]]);
    l4.close();
    l6.close();
  });

  it('test_create_connection_no_local_addr — a local address that resolves to nothing is an OSError', () => {
    patchGetaddrinfo((host) => (host === 'example.com' ? [[2, 1, 6, '', ['107.6.106.82', 80]], [2, 1, 6, '', ['107.6.106.82', 80]]] : []));
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { family: socket.AF_INET, localAddr: [null, 8080] as unknown as SockAddr }))).toEqual([
      'OSError', 'getaddrinfo() returned empty list',
    ]);
  });

  it('test_create_connection_no_ssl_server_hostname_errors — server_hostname without ssl is refused', () => {
    for (const serverHostname of ['', 'python.org']) {
      expect(raised(loop.createConnection(myProto, 'python.org', 80, { serverHostname }))).toEqual([
        'ValueError', 'server_hostname is only meaningful with ssl',
      ]);
    }
  });

  it('test_create_connection_ssl_server_hostname_errors — ssl without a host needs server_hostname', () => {
    const sock = new socket.socket();
    for (const [host, port, options] of [['', 80, {}], [null, 80, {}], [null, null, { sock }]] as const) {
      expect(raised(loop.createConnection(myProto, host, port, { ssl: true, ...options }))).toEqual([
        'ValueError', 'You must set server_hostname when using ssl without a host',
      ]);
    }
    sock.close();
  });

  it('test_create_connection_ssl_timeout_for_plain_socket — ssl_handshake_timeout without ssl is refused', () => {
    expect(raised(loop.createConnection(myProto, 'example.com', 80, { sslHandshakeTimeout: 1 }))).toEqual([
      'ValueError', 'ssl_handshake_timeout is only meaningful with ssl',
    ]);
  });
});

describe('TestSelectorUtils', () => {
  it('test_set_nodelay — a TCP socket gets TCP_NODELAY when its transport is made', () => {
    // base_events._set_nodelay is internal: it is observed where asyncio calls it, on the
    // socket of a new transport (created with proto=IPPROTO_TCP, as the test's sockets).
    // CPython checks a blocking and a non-blocking socket; the model has no blocking
    // connect, so both are connected non-blocking: the second check is the first's twin.
    const listener = new socket.socket();
    listener.bind(['127.0.0.1', 0]);
    listener.listen();
    const seen: number[] = [];
    for (let i = 0; i < 2; i++) {
      const sock = new socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP);
      seen.push(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) as number);
      sock.setblocking(false);
      loop.runUntilComplete(loop.sockConnect(sock, listener.getsockname() as SockAddr));
      const [t] = loop.runUntilComplete(loop.createConnection(() => new Protocol(), undefined, undefined, { sock }));
      seen.push(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) as number);
      t.close();
    }
    expect(seen).toEqual([0, 1, 0, 1]);
    listener.close();
  });
});
