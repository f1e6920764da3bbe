// The simulated network against CPython: each program is written once in Python and once
// in TypeScript; CPython 3.13.2's own BaseSelectorEventLoop runs the Python one over the
// network's twin (test/scenario/oracle/net_twin.py) and aiosim runs the TypeScript one;
// both print the same lines, virtual times included.

import { beforeEach, describe, expect, it } from 'vitest';
import { createTask, gather, getRunningLoop, run, sleep, socket, type Coro } from '../../src/index.js';
import { pyFloat, pyNumber, repr, reprTuple } from '../../src/format/py-repr.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { runNetPython } from '../scenario/oracle/cpython.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

// Python's str() of what the programs print.
function str(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return pyNumber(x);
  if (Array.isArray(x)) return reprTuple(x);
  return repr(x);
}

let out: string[] = [];
function log(...parts: unknown[]): void {
  out.push([pyFloat(getRunningLoop().time()), ...parts.map(str)].join(' '));
}

const PY_PRELUDE = `
import asyncio, socket
def log(*a):
    print(asyncio.get_running_loop().time(), *a)
def listener(port=8888):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    s.bind(('127.0.0.1', port))
    s.setblocking(False)
    s.listen(100)
    return s
def client():
    c = socket.socket()
    c.setblocking(False)
    return c
`;

function listener(port = 8888): socket.socket {
  const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, true);
  s.bind(['127.0.0.1', port]);
  s.setblocking(false);
  s.listen(100);
  return s;
}

function client(): socket.socket {
  const c = new socket.socket();
  c.setblocking(false);
  return c;
}

function errorText(e: unknown): string {
  return `${(e as Error).constructor.name} ${(e as Error).message}`;
}

interface Program {
  readonly name: string;
  readonly loopbackLatency: number;
  readonly python: string;
  readonly main: () => Coro<void>;
}

const programs: Program[] = [
  {
    name: 'an echo round trip with latency',
    loopbackLatency: 0.01,
    python: `
async def serve(srv):
    loop = asyncio.get_running_loop()
    conn, addr = await loop.sock_accept(srv)
    log('accepted', conn, 'from', addr)
    data = await loop.sock_recv(conn, 100)
    log('server got', data)
    await loop.sock_sendall(conn, data.upper())
    conn.close()
    log('server closed')

async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    log(srv)
    accepting = asyncio.create_task(serve(srv))
    c = client()
    await loop.sock_connect(c, ('127.0.0.1', 8888))
    log('connected', c)
    await loop.sock_sendall(c, b'hello\\n')
    log('reply', await loop.sock_recv(c, 100))
    log('eof', await loop.sock_recv(c, 100))
    await accepting
    c.close()
    srv.close()
    log(srv)
`,
    *main() {
      function* serve(srv: socket.socket): Coro<void> {
        const loop = getRunningLoop();
        const [conn, addr] = yield* loop.sockAccept(srv);
        log('accepted', conn, 'from', addr);
        const data = yield* loop.sockRecv(conn, 100);
        log('server got', data);
        yield* loop.sockSendall(conn, bytes(new TextDecoder().decode(data).toUpperCase()));
        conn.close();
        log('server closed');
      }
      const loop = getRunningLoop();
      const srv = listener();
      log(srv);
      const accepting = createTask(serve(srv));
      const c = client();
      yield* loop.sockConnect(c, ['127.0.0.1', 8888]);
      log('connected', c);
      yield* loop.sockSendall(c, bytes('hello\n'));
      log('reply', yield* loop.sockRecv(c, 100));
      log('eof', yield* loop.sockRecv(c, 100));
      yield* accepting;
      c.close();
      srv.close();
      log(srv);
    },
  },
  {
    name: 'a refused connection',
    loopbackLatency: 0.25,
    python: `
async def main():
    c = client()
    try:
        await asyncio.get_running_loop().sock_connect(c, ('127.0.0.1', 1))
    except OSError as e:
        log(type(e).__name__, e)
    log(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    c.close()
`,
    *main() {
      const c = client();
      try {
        yield* getRunningLoop().sockConnect(c, ['127.0.0.1', 1]);
      } catch (e) {
        log(errorText(e));
      }
      log(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR));
      c.close();
    },
  },
  {
    name: 'a reset: closed with unread data, then a broken pipe',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    c = client()
    connecting = asyncio.create_task(loop.sock_connect(c, ('127.0.0.1', 8888)))
    conn, _ = await loop.sock_accept(srv)
    await connecting
    await loop.sock_sendall(c, b'unread')
    await asyncio.sleep(1)
    conn.close()
    log('server closed')
    try:
        await loop.sock_recv(c, 10)
    except OSError as e:
        log(type(e).__name__, e)
    try:
        await loop.sock_sendall(c, b'more')
    except OSError as e:
        log(type(e).__name__, e)
    log('recv after', await loop.sock_recv(c, 10))
    c.close()
    srv.close()
`,
    *main() {
      const loop = getRunningLoop();
      const srv = listener();
      const c = client();
      const connecting = createTask(loop.sockConnect(c, ['127.0.0.1', 8888]));
      const [conn] = yield* loop.sockAccept(srv);
      yield* connecting;
      yield* loop.sockSendall(c, bytes('unread'));
      yield* sleep(1);
      conn.close();
      log('server closed');
      try {
        yield* loop.sockRecv(c, 10);
      } catch (e) {
        log(errorText(e));
      }
      try {
        yield* loop.sockSendall(c, bytes('more'));
      } catch (e) {
        log(errorText(e));
      }
      log('recv after', yield* loop.sockRecv(c, 10));
      c.close();
      srv.close();
    },
  },
  {
    name: 'sendall past the buffers waits for the reader',
    loopbackLatency: 0.005,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    c = client()
    connecting = asyncio.create_task(loop.sock_connect(c, ('127.0.0.1', 8888)))
    conn, _ = await loop.sock_accept(srv)
    await connecting
    sending = asyncio.create_task(loop.sock_sendall(c, bytes(300000)))
    sending.add_done_callback(lambda t: log('sendall done'))
    total = 0
    while total < 300000:
        await asyncio.sleep(1)
        got = await loop.sock_recv(conn, 70000)
        total += len(got)
        log('got', len(got), 'total', total)
    await sending
    for s in (c, conn, srv):
        s.close()
`,
    *main() {
      const loop = getRunningLoop();
      const srv = listener();
      const c = client();
      const connecting = createTask(loop.sockConnect(c, ['127.0.0.1', 8888]));
      const [conn] = yield* loop.sockAccept(srv);
      yield* connecting;
      const sending = createTask(loop.sockSendall(c, new Uint8Array(300000)));
      sending.addDoneCallback(() => log('sendall done'));
      let total = 0;
      while (total < 300000) {
        yield* sleep(1);
        const got = yield* loop.sockRecv(conn, 70000);
        total += got.length;
        log('got', got.length, 'total', total);
      }
      yield* sending;
      for (const s of [c, conn, srv]) s.close();
    },
  },
  {
    name: 'datagrams, and a connected datagram socket refused',
    loopbackLatency: 0.02,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.setblocking(False)
    server.bind(('127.0.0.1', 9999))
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.setblocking(False)
    log('sent', await loop.sock_sendto(c, b'ping', ('127.0.0.1', 9999)))
    data, addr = await loop.sock_recvfrom(server, 100)
    log('server got', data, 'from', addr)
    await loop.sock_sendto(server, b'pong', addr)
    log('client got', await loop.sock_recvfrom(c, 2))
    lonely = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    lonely.setblocking(False)
    lonely.connect(('127.0.0.1', 7))
    lonely.send(b'anyone?')
    try:
        await loop.sock_recv(lonely, 10)
    except OSError as e:
        log(type(e).__name__, e)
    for s in (server, c, lonely):
        s.close()
`,
    *main() {
      const loop = getRunningLoop();
      const server = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      server.setblocking(false);
      server.bind(['127.0.0.1', 9999]);
      const c = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      c.setblocking(false);
      log('sent', yield* loop.sockSendto(c, bytes('ping'), ['127.0.0.1', 9999]));
      const [data, addr] = yield* loop.sockRecvfrom(server, 100);
      log('server got', data, 'from', addr);
      yield* loop.sockSendto(server, bytes('pong'), addr);
      log('client got', yield* loop.sockRecvfrom(c, 2));
      const lonely = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      lonely.setblocking(false);
      lonely.connect(['127.0.0.1', 7]);
      lonely.send(bytes('anyone?'));
      try {
        yield* loop.sockRecv(lonely, 10);
      } catch (e) {
        log(errorText(e));
      }
      for (const s of [server, c, lonely]) s.close();
    },
  },
  {
    name: 'a cancelled sock_recv removes its reader; readers are level-triggered',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    reading = asyncio.create_task(loop.sock_recv(a, 10))
    await asyncio.sleep(0.5)
    log('registered', a.fileno() in loop._selector.get_map())
    reading.cancel()
    await asyncio.sleep(0)
    log('registered', a.fileno() in loop._selector.get_map(), reading.cancelled())
    b.send(b'xy')
    calls = []
    loop.add_reader(a.fileno(), lambda: calls.append((loop.time(), a.recv(1))))
    await asyncio.sleep(0.1)
    log('calls', calls)
    log('removed', loop.remove_reader(a.fileno()), loop.remove_reader(a.fileno()))
    a.close()
    b.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [a, b] = socket.socketpair();
      a.setblocking(false);
      b.setblocking(false);
      const reading = createTask(loop.sockRecv(a, 10));
      yield* sleep(0.5);
      log('registered', loop._selector.lookup(a.fileno()) !== undefined ? 'True' : 'False');
      reading.cancel();
      yield* sleep(0);
      log('registered', loop._selector.lookup(a.fileno()) !== undefined ? 'True' : 'False', reading.cancelled() ? 'True' : 'False');
      b.send(bytes('xy'));
      const calls: unknown[] = [];
      loop.addReader(a.fileno(), () => calls.push([loop.time(), a.recv(1)]));
      yield* sleep(0.1);
      log('calls', `[${calls.map((c) => str(c)).join(', ')}]`);
      log('removed', loop.removeReader(a.fileno()) ? 'True' : 'False', loop.removeReader(a.fileno()) ? 'True' : 'False');
      a.close();
      b.close();
    },
  },
  {
    name: 'three clients at the same instant: accepts, reads and writes in fd order',
    loopbackLatency: 0.01,
    python: `
async def handle(loop, conn, i):
    data = await loop.sock_recv(conn, 100)
    log('server', i, 'got', data, 'on', conn.fileno())
    await loop.sock_sendall(conn, data * 2)
    conn.close()

async def serve(loop, srv):
    handlers = []
    for i in range(3):
        conn, addr = await loop.sock_accept(srv)
        conn.setblocking(False)
        log('accepted', conn.fileno(), addr)
        handlers.append(asyncio.create_task(handle(loop, conn, i)))
    await asyncio.gather(*handlers)

async def talk(loop, i):
    c = client()
    await loop.sock_connect(c, ('127.0.0.1', 8888))
    log('client', i, 'connected on', c.fileno())
    await loop.sock_sendall(c, str(i).encode())
    reply = await loop.sock_recv(c, 100)
    log('client', i, 'got', reply)
    c.close()

async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    serving = asyncio.create_task(serve(loop, srv))
    await asyncio.gather(*(talk(loop, i) for i in range(3)))
    await serving
    srv.close()
`,
    *main() {
      const loop = getRunningLoop();
      function* handle(conn: socket.socket, i: number): Coro<void> {
        const data = yield* loop.sockRecv(conn, 100);
        log('server', i, 'got', data, 'on', conn.fileno());
        const twice = new Uint8Array(data.length * 2);
        twice.set(data);
        twice.set(data, data.length);
        yield* loop.sockSendall(conn, twice);
        conn.close();
      }
      function* serve(srv: socket.socket): Coro<void> {
        const handlers = [];
        for (let i = 0; i < 3; i++) {
          const [conn, addr] = yield* loop.sockAccept(srv);
          conn.setblocking(false);
          log('accepted', conn.fileno(), addr);
          handlers.push(createTask(handle(conn, i)));
        }
        yield* gather(...handlers);
      }
      function* talk(i: number): Coro<void> {
        const c = client();
        yield* loop.sockConnect(c, ['127.0.0.1', 8888]);
        log('client', i, 'connected on', c.fileno());
        yield* loop.sockSendall(c, bytes(String(i)));
        const reply = yield* loop.sockRecv(c, 100);
        log('client', i, 'got', reply);
        c.close();
      }
      const srv = listener();
      const serving = createTask(serve(srv));
      yield* gather(talk(0), talk(1), talk(2));
      yield* serving;
      srv.close();
    },
  },
  {
    name: 'a full backlog: the SYN is sent again after 1 s, and a connect times out after 127 s',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('127.0.0.1', 8888))
    srv.setblocking(False)
    srv.listen(0)
    first, second, third = client(), client(), client()
    await loop.sock_connect(first, ('127.0.0.1', 8888))
    log('first connected')
    second_connecting = asyncio.create_task(loop.sock_connect(second, ('127.0.0.1', 8888)))
    second_connecting.add_done_callback(lambda t: log('second connected'))
    await asyncio.sleep(0.5)
    conn, _ = await loop.sock_accept(srv)
    await second_connecting
    conn2, _ = await loop.sock_accept(srv)
    blocker = client()
    await loop.sock_connect(blocker, ('127.0.0.1', 8888))
    try:
        await loop.sock_connect(third, ('127.0.0.1', 8888))
    except OSError as e:
        log(type(e).__name__, e)
    for s in (first, second, third, blocker, conn, conn2, srv):
        s.close()
`,
    *main() {
      const loop = getRunningLoop();
      const srv = new socket.socket();
      srv.bind(['127.0.0.1', 8888]);
      srv.setblocking(false);
      srv.listen(0);
      const [first, second, third] = [client(), client(), client()];
      yield* loop.sockConnect(first, ['127.0.0.1', 8888]);
      log('first connected');
      const secondConnecting = createTask(loop.sockConnect(second, ['127.0.0.1', 8888]));
      secondConnecting.addDoneCallback(() => log('second connected'));
      yield* sleep(0.5);
      const [conn] = yield* loop.sockAccept(srv);
      yield* secondConnecting;
      const [conn2] = yield* loop.sockAccept(srv);
      const blocker = client();
      yield* loop.sockConnect(blocker, ['127.0.0.1', 8888]);
      try {
        yield* loop.sockConnect(third, ['127.0.0.1', 8888]);
      } catch (e) {
        log(errorText(e));
      }
      for (const s of [first, second, third, blocker, conn, conn2, srv]) s.close();
    },
  },
  {
    name: 'sock_recv_into and an EOF after shutdown(SHUT_WR)',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    await loop.sock_sendall(b, b'abcdef')
    b.shutdown(socket.SHUT_WR)
    buf = bytearray(4)
    n = await loop.sock_recv_into(a, buf)
    log('into', n, bytes(buf))
    log('rest', await loop.sock_recv(a, 100))
    log('eof', await loop.sock_recv(a, 100))
    try:
        b.send(b'x')
    except OSError as e:
        log(type(e).__name__, e)
    a.close()
    b.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [a, b] = socket.socketpair();
      a.setblocking(false);
      b.setblocking(false);
      yield* loop.sockSendall(b, bytes('abcdef'));
      b.shutdown(socket.SHUT_WR);
      const buf = new Uint8Array(4);
      const n = yield* loop.sockRecvInto(a, buf);
      log('into', n, buf);
      log('rest', yield* loop.sockRecv(a, 100));
      log('eof', yield* loop.sockRecv(a, 100));
      try {
        b.send(bytes('x'));
      } catch (e) {
        log(errorText(e));
      }
      a.close();
      b.close();
    },
  },
];

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('the simulated network against CPython over its twin', () => {
  for (const program of programs) {
    it(program.name, async () => {
      const expected = await runNetPython(`${PY_PRELUDE}\n${program.python}\nasyncio.run(main())\n`, program.loopbackLatency);
      network.loopbackLatency = program.loopbackLatency;
      out = [];
      run(program.main());
      expect(out.length).toBeGreaterThan(0);
      expect(out.join('\n')).toBe(expected.trimEnd());
      if (process.env.SHOW_NET_TRACES) console.log(expected);
    });
  }
});
