// loop.createServer against CPython 3.13.2 over the network's twin: its argument errors and
// bind errors (texts, errnos, no socket left open), the socket options it sets, hosts
// (None, '', a name, a list, IPv6), `sock=`, and a backlog that fills (SYN retransmission).

import { gather, getRunningLoop, OSError, sleep, socket, type CreateServerOptions, type Coro, type Server } from '../../src/index.js';
import { pyFloat, reprTuple } from '../../src/format/py-repr.js';
import { bytes, describePrograms, errorText, log, type NetProgram } from '../_support/net-programs.js';
import { connect, Echo, PY_SERVER } from '../_support/server-programs.js';

const echo = (): Echo => new Echo();

// Python: (SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE) of a server's socket.
const opts = (s: { getsockopt(level: number, option: number): number }): number[] => [
  s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT),
  s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
];

// Python: sorted((int(s.family), s.getsockname()) for s in srv.sockets): CPython binds the
// addresses in the order of a set (random per process), so fds are not compared.
function families(srv: Server): string {
  const sorted = srv.sockets.map((s) => [s.family, s.getsockname()] as const).sort((a, b) => a[0] - b[0]);
  return `[${sorted.map((pair) => reprTuple(pair)).join(', ')}]`;
}

const programs: NetProgram[] = [
  {
    name: 'argument and bind errors, word for word, leaving no socket open',
    latencies: [0],
    python: `${PY_SERVER}
async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Echo, '127.0.0.1', 8888)
    async def attempt(*args, **kwargs):
        try:
            s = await loop.create_server(*args, **kwargs)
            log('made', s)
            return s
        except (OSError, ValueError, TypeError) as e:
            log(type(e).__name__, e.errno if isinstance(e, OSError) else '', e)
    await attempt(Echo, '127.0.0.1', 8888)
    await attempt(Echo, '127.0.0.1', 8888, reuse_address=False)
    await attempt(Echo, '10.0.0.1', 8888)
    await attempt(Echo)
    s = socket.socket()
    await attempt(Echo, '127.0.0.1', 1, sock=s)
    await attempt(Echo, port=1, sock=s)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    await attempt(Echo, sock=u)
    await attempt(Echo, '127.0.0.1', 8889, ssl=True)
    await attempt(Echo, '127.0.0.1', 8889, ssl_handshake_timeout=1)
    await attempt(Echo, '127.0.0.1', 8889, ssl_shutdown_timeout=1)
    await attempt(Echo, [], 8889)
    n = socket.socket()
    log('next fd', n.fileno())
    for x in (s, u, n):
        x.close()
    srv.close()
`,
    *main() {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(echo, '127.0.0.1', 8888);
      function* attempt(host?: string | string[] | null, port?: number | null, options?: CreateServerOptions): Coro<void> {
        try {
          log('made', yield* loop.createServer(echo, host, port, options));
        } catch (e) {
          log((e as Error).constructor.name, e instanceof OSError ? e.errno : '', e);
        }
      }
      yield* attempt('127.0.0.1', 8888);
      yield* attempt('127.0.0.1', 8888, { reuseAddress: false });
      yield* attempt('10.0.0.1', 8888);
      yield* attempt();
      const s = new socket.socket();
      yield* attempt('127.0.0.1', 1, { sock: s });
      yield* attempt(undefined, 1, { sock: s });
      const u = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      yield* attempt(undefined, undefined, { sock: u });
      yield* attempt('127.0.0.1', 8889, { ssl: true });
      yield* attempt('127.0.0.1', 8889, { sslHandshakeTimeout: 1 });
      yield* attempt('127.0.0.1', 8889, { sslShutdownTimeout: 1 });
      yield* attempt([], 8889);
      const n = new socket.socket();
      log('next fd', n.fileno());
      for (const x of [s, u, n]) x.close();
      srv.close();
    },
  },
  {
    name: 'socket options, IPv6, a list of hosts, port 0 and sock=',
    latencies: [0],
    python: `${PY_SERVER}
def opts(s):
    return (s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT),
            s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))

async def main():
    loop = asyncio.get_running_loop()
    a = await loop.create_server(Echo, '127.0.0.1', 8888)
    log(a, opts(a.sockets[0]))
    b = await loop.create_server(Echo, '127.0.0.1', 8889, reuse_address=False, reuse_port=True, keep_alive=True)
    log(b, opts(b.sockets[0]))
    c = await loop.create_server(Echo, '::1', 8890)
    s6 = c.sockets[0]
    log(c, opts(s6), s6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY))
    d = await loop.create_server(Echo, ['127.0.0.1', '127.0.0.1'], 8891)
    log(d)
    e = await loop.create_server(Echo, ['127.0.0.1', '::1'], 8892)
    log(sorted((int(s.family), s.getsockname()) for s in e.sockets))
    f = await loop.create_server(Echo, '127.0.0.1', 0)
    log(f)
    raw = socket.socket()
    raw.bind(('127.0.0.1', 8893))
    g = await loop.create_server(Echo, sock=raw, backlog=5)
    log(g, raw.gettimeout(), opts(g.sockets[0]))
    c6 = socket.socket(socket.AF_INET6)
    c6.setblocking(False)
    await loop.sock_connect(c6, ('::1', 8890))
    await loop.sock_sendall(c6, b'six')
    log('reply', await loop.sock_recv(c6, 10))
    c6.close()
    for srv in (a, b, c, d, e, f, g):
        srv.close()
        await srv.wait_closed()
    log('closed')
`,
    *main() {
      const loop = getRunningLoop();
      const a = yield* loop.createServer(echo, '127.0.0.1', 8888);
      log(a, opts(a.sockets[0]!));
      const b = yield* loop.createServer(echo, '127.0.0.1', 8889, { reuseAddress: false, reusePort: true, keepAlive: true });
      log(b, opts(b.sockets[0]!));
      const c = yield* loop.createServer(echo, '::1', 8890);
      const s6 = c.sockets[0]!;
      log(c, opts(s6), s6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY));
      const d = yield* loop.createServer(echo, ['127.0.0.1', '127.0.0.1'], 8891);
      log(d);
      const e = yield* loop.createServer(echo, ['127.0.0.1', '::1'], 8892);
      log(families(e));
      const f = yield* loop.createServer(echo, '127.0.0.1', 0);
      log(f);
      const raw = new socket.socket();
      raw.bind(['127.0.0.1', 8893]);
      const g = yield* loop.createServer(echo, null, null, { sock: raw, backlog: 5 });
      log(g, pyFloat(raw.gettimeout()!), opts(g.sockets[0]!));
      const c6 = new socket.socket(socket.AF_INET6);
      c6.setblocking(false);
      yield* loop.sockConnect(c6, ['::1', 8890]);
      yield* loop.sockSendall(c6, bytes('six'));
      log('reply', yield* loop.sockRecv(c6, 10));
      c6.close();
      for (const srv of [a, b, c, d, e, f, g]) {
        srv.close();
        yield* srv.waitClosed();
      }
      log('closed');
    },
  },
  {
    name: "hosts resolved by getaddrinfo: None (every interface), '', a name, an unknown name",
    python: `${PY_SERVER}
async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Echo, None, 8888)
    log(sorted((int(s.family), s.getsockname()) for s in srv.sockets))
    srv2 = await loop.create_server(Echo, '', 8889, family=socket.AF_INET)
    log(srv2)
    srv3 = await loop.create_server(Echo, 'localhost', 8890)
    log(srv3)
    srv4 = await loop.create_server(Echo, port=8891, family=socket.AF_INET6)
    log(srv4)
    try:
        await loop.create_server(Echo, 'nowhere.invalid', 8892)
    except OSError as e:
        log(type(e).__name__, e)
    c = await connect(8888)
    await loop.sock_sendall(c, b'hi')
    log('reply', await loop.sock_recv(c, 10))
    c.close()
    for s in (srv, srv2, srv3, srv4):
        s.close()
        await s.wait_closed()
    log('closed')
`,
    *main() {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(echo, null, 8888);
      log(families(srv));
      const srv2 = yield* loop.createServer(echo, '', 8889, { family: socket.AF_INET });
      log(srv2);
      const srv3 = yield* loop.createServer(echo, 'localhost', 8890);
      log(srv3);
      const srv4 = yield* loop.createServer(echo, undefined, 8891, { family: socket.AF_INET6 });
      log(srv4);
      try {
        yield* loop.createServer(echo, 'nowhere.invalid', 8892);
      } catch (e) {
        log(errorText(e));
      }
      const c = yield* connect(8888);
      yield* loop.sockSendall(c, bytes('hi'));
      log('reply', yield* loop.sockRecv(c, 10));
      c.close();
      for (const s of [srv, srv2, srv3, srv4]) {
        s.close();
        yield* s.waitClosed();
      }
      log('closed');
    },
  },
  {
    name: 'a full backlog drops SYNs: the third and fourth clients connect after the 1 s retransmission',
    python: `${PY_SERVER}
async def client(name):
    c = await connect()
    log(name, 'connected', c.getsockname())
    return c

async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Echo, '127.0.0.1', 8888, backlog=1)
    cs = await asyncio.gather(*(client(n) for n in 'abcd'))
    await asyncio.sleep(0.1)
    for c in cs:
        c.close()
    srv.close()
    await srv.wait_closed()
    log('closed')
`,
    *main() {
      function* client(name: string): Coro<socket.socket> {
        const c = yield* connect();
        log(name, 'connected', c.getsockname());
        return c;
      }
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(echo, '127.0.0.1', 8888, { backlog: 1 });
      const cs = yield* gather(...[...'abcd'].map((n) => client(n)));
      yield* sleep(0.1);
      for (const c of cs) c.close();
      srv.close();
      yield* srv.waitClosed();
      log('closed');
    },
  },
];

describePrograms('loop.createServer against CPython over the twin', programs);
