// CPython 3.13's test_asyncio/test_base_events.py, BaseEventLoopWithSelectorTests: the
// create_server and _accept_connection methods, one `it` per test method, titled after
// it. Mocked sockets become sockets of the simulated network (a subclass whose accept()
// raises what the mock raised); every value was checked on the oracle.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingIOError, EventLoop, OSError, Protocol, sleep, socket, ValueError, type Coro, type Task,
} from '../../../src/index.js';
import type { AddrInfo } from '../../../src/net/resolver.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { captureAsyncioLogs } from '../../_support/capture.js';
import { expectThrows } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
// A fresh network before the loop is made (the loop takes fds 3-5, as CPython's does).
beforeEach(() => _resetNetwork());
loopPerTest((l) => (loop = l));

class MyProto extends Protocol {}
const myProto = (): MyProto => new MyProto();

// What loop.createServer(...) raises when run to completion.
function raised(coro: Coro<unknown>): unknown {
  try {
    loop.runUntilComplete(coro);
  } catch (e) {
    return e;
  }
  return expect.fail('nothing raised');
}

// A listening socket whose accept() first raises the planned exceptions (the tests' mock),
// recording the time of every call.
class Scripted extends socket.socket {
  readonly plan: unknown[] = [];
  readonly calls: number[] = [];
  override accept(): ReturnType<socket.socket['accept']> {
    this.calls.push(loop.time());
    const exc = this.plan.shift();
    if (exc !== undefined) throw exc;
    return super.accept();
  }
}

function* connect(port: number, into: socket.socket[]): Coro<void> {
  const c = new socket.socket();
  c.setblocking(false);
  yield* loop.sockConnect(c, ['127.0.0.1', port]);
  into.push(c);
}

describe('BaseEventLoopWithSelectorTests (servers)', () => {
  it('test_create_server_wrong_sock — a datagram socket is refused', () => {
    const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    expect(raised(loop.createServer(myProto, null, null, { sock }))).toEqual(
      new ValueError("A Stream Socket was expected, got <socket.socket fd=6, family=2, type=2, proto=0, laddr=('0.0.0.0', 0)>"),
    );
    sock.close();
  });

  it('test_create_server_ssl_timeout_for_plain_socket — ssl_handshake_timeout without ssl is refused', () => {
    expect(raised(loop.createServer(myProto, 'example.com', 80, { sslHandshakeTimeout: 1 }))).toEqual(
      new ValueError('ssl_handshake_timeout is only meaningful with ssl'),
    );
  });

  it('test_create_server_ipv6 — a server on ::1 has a socket', () => {
    const srv = loop.runUntilComplete(loop.createServer(myProto, '::1', 0));
    expect(srv.sockets.length).toBeGreaterThan(0);
    srv.close();
    loop.runUntilComplete(srv.waitClosed());
  });

  it("test_create_server_empty_host — host '' asks getaddrinfo for None", () => {
    let host: unknown = {};
    function* getaddrinfo(...args: unknown[]): Coro<AddrInfo[]> {
      host = args[0];
      return [];
    }
    const getaddrinfoTask = (...args: unknown[]): Task<AddrInfo[]> => loop.createTask(getaddrinfo(...args));
    (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = getaddrinfoTask;
    expect(raised(loop.createServer(myProto, '', 0))).toEqual(new OSError('getaddrinfo(None) returned empty list'));
    expect(host).toBeUndefined();
  });

  it('test_create_server_host_port_sock — host/port and sock together are refused', () => {
    const sock = new socket.socket();
    expect(raised(loop.createServer(myProto, '0.0.0.0', 0, { sock }))).toEqual(
      new ValueError('host/port and sock can not be specified at the same time'),
    );
    sock.close();
  });

  it('test_create_server_no_host_port_sock — neither host/port nor sock is refused', () => {
    expect(raised(loop.createServer(myProto))).toEqual(new ValueError('Neither host/port nor sock were specified'));
  });

  it('test_create_server_no_getaddrinfo — getaddrinfo giving None is an OSError', () => {
    const f = loop.createFuture<AddrInfo[]>();
    f.setResult(undefined as unknown as AddrInfo[]);
    (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = () => f;
    expect(raised(loop.createServer(myProto, 'python.org', 0))).toEqual(new OSError("getaddrinfo('python.org') returned empty list"));
  });

  it('test_create_server_cant_bind — a socket that cannot bind is closed', () => {
    const s = new socket.socket();
    s.bind(['127.0.0.1', 8888]);
    s.listen();
    expect((raised(loop.createServer(myProto, '127.0.0.1', 8888)) as OSError).errno).toBe(98);
    // The failed socket's fd (7) is free again.
    const n = new socket.socket();
    expect([n.fileno(), s.fileno()]).toEqual([7, 6]);
    n.close();
    s.close();
  });

  it('test_accept_connection_retry — accept() raising BlockingIOError leaves the socket open; the next readiness accepts', () => {
    const lsock = new Scripted();
    lsock.bind(['127.0.0.1', 8889]);
    lsock.plan.push(new BlockingIOError(11, 'Resource temporarily unavailable'));
    const srv = loop.runUntilComplete(loop.createServer(myProto, null, null, { sock: lsock, backlog: 3 }));
    const cs: socket.socket[] = [];
    loop.runUntilComplete(connect(8889, cs));
    loop.runUntilComplete(sleep(0.1));
    expect([lsock.calls.length, lsock.fileno()]).toEqual([3, 6]);
    for (const c of cs) c.close();
    srv.close();
  });

  it('test_accept_connection_exception — EMFILE is logged, the reader removed and _start_serving called 1 s later', () => {
    const lsock = new Scripted();
    lsock.bind(['127.0.0.1', 8889]);
    const fd = lsock.fileno();
    lsock.plan.push(new OSError(24, 'Too many open files'));
    const srv = loop.runUntilComplete(loop.createServer(myProto, null, null, { sock: lsock, backlog: 3 }));
    const cs: socket.socket[] = [];
    let state: unknown[] = [];
    const records = captureAsyncioLogs(() => {
      loop.runUntilComplete((function* (): Coro<void> {
        yield* connect(8889, cs);
        yield* sleep(0);
        state = [lsock.calls, lsock.fileno(), loop._selector.lookup(fd), loop._scheduled.map((h) => [h.when(), String(h)])];
        yield* sleep(1);
      })());
    });
    expect(state).toEqual([[0, 0, 0], 6, undefined, [[1, expect.stringContaining('BaseSelectorEventLoop._start_serving(')]]]);
    expect(records.map((r) => [r.levelname, r.getMessage(), r.excInfo !== undefined])).toEqual([
      ['ERROR', "socket.accept() out of system resource\nsocket: <asyncio.TransportSocket fd=6, family=2, type=1, proto=0, laddr=('127.0.0.1', 8889)>", true],
    ]);
    expect(loop._selector.lookup(fd)).toBeDefined();
    for (const c of cs) c.close();
    srv.close();
  });
});
