// Several hosts against CPython: the same two-host program, written in Python and in
// TypeScript, run on CPython 3.13's own loops over the network's twin (each host's loop
// stepped as aiosim steps a host's process: test/scenario/oracle/hosts_twin.py) and on
// aiosim's Simulation. Each host's loop, its sock_* methods and the network's deliveries
// must give the same trace, times included.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  createTask, gather, getRunningLoop, repr, sleep, socket, TimeoutError, type Coro, Simulation, waitFor,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { runNetPython } from '../scenario/oracle/cpython.js';
import { bytes, hostLog, upper } from '../_support/host-programs.js';

const PYTHON = `
import asyncio, socket
import net_twin, hosts_twin
net_twin.install(latency=0.005)

def log(*args):
    print(asyncio.get_running_loop().time(), socket.gethostname(), *args)

async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 8888))
    srv.listen()
    srv.setblocking(False)
    log(srv)
    async def handle(conn):
        while data := await loop.sock_recv(conn, 1024):
            log('got', data)
            await loop.sock_sendall(conn, data.upper())
        log('eof on', conn.fileno())
        conn.close()
    tasks = []
    for _ in range(2):
        conn, addr = await loop.sock_accept(srv)
        log('accepted', conn, 'from', addr)
        tasks.append(asyncio.create_task(handle(conn)))
    await asyncio.gather(*tasks)
    srv.close()
    return 'served'

def client(words, delay):
    async def main():
        loop = asyncio.get_running_loop()
        await asyncio.sleep(delay)
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ('10.0.0.1', 8888))
        log('connected', sock)
        replies = []
        for word in words:
            await loop.sock_sendall(sock, word)
            replies.append(await loop.sock_recv(sock, 1024))
            log('reply', replies[-1])
        sock.close()
        return replies
    return main

sim = hosts_twin.Simulation()
sim.add_host('server')
sim.add_host('near')
sim.add_host('far')
net_twin.NET.set_latency(net_twin.NET.hosts['server'], net_twin.NET.hosts['far'], 0.05)
s = sim.host('server', server)
a = sim.client('near', client([b'hello', b'two'], 0))
b = sim.client('far', client([b'hosts'], 0.001))
sim.run()
print(a.result, b.result)
`;


function typescript(): string[] {
  const out: string[] = [];
  const log = hostLog(out);

  function* server(): Coro<string> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 8888]);
    srv.listen();
    srv.setblocking(false);
    log(srv);
    function* handle(conn: socket.socket): Coro<void> {
      for (let data = yield* loop.sockRecv(conn, 1024); data.length > 0; data = yield* loop.sockRecv(conn, 1024)) {
        log('got', data);
        yield* loop.sockSendall(conn, upper(data));
      }
      log('eof on', String(conn.fileno()));
      conn.close();
    }
    const tasks = [];
    for (let i = 0; i < 2; i++) {
      const [conn, addr] = yield* loop.sockAccept(srv);
      log('accepted', conn, 'from', addr);
      tasks.push(createTask(handle(conn)));
    }
    yield* gather(...tasks);
    srv.close();
    return 'served';
  }

  const client = (words: string[], delay: number) => function* main(): Coro<Uint8Array[]> {
    const loop = getRunningLoop();
    yield* sleep(delay);
    const sock = new socket.socket();
    sock.setblocking(false);
    yield* loop.sockConnect(sock, ['10.0.0.1', 8888]);
    log('connected', sock);
    const replies: Uint8Array[] = [];
    for (const word of words) {
      yield* loop.sockSendall(sock, bytes(word));
      replies.push(yield* loop.sockRecv(sock, 1024));
      log('reply', replies.at(-1));
    }
    sock.close();
    return replies;
  };

  const sim = new Simulation({ latency: 0.005 });
  sim.addHost('server');
  sim.addHost('near');
  sim.addHost('far');
  sim.setLatency('server', 'far', 0.05);
  sim.host('server', server);
  const a = sim.client('near', client(['hello', 'two'], 0));
  const b = sim.client('far', client(['hosts'], 0.001));
  sim.run();
  out.push(`${repr(a.result())} ${repr(b.result())}`);
  return out;
}

beforeEach(() => {
  _resetSimulation();
});

// Timers against deliveries at the same instants: a ticker on each host, a client whose
// messages arrive when the server's timers fire, and a wait_for that times out.
const PYTHON_TIMERS = `
import asyncio, socket
import net_twin, hosts_twin
net_twin.install(latency=0.004)

def log(*args):
    print(asyncio.get_running_loop().time(), socket.gethostname(), *args)

async def ticker(n, period):
    for i in range(n):
        await asyncio.sleep(period)
        log('tick', i)

async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 7))
    srv.listen()
    srv.setblocking(False)
    t = asyncio.create_task(ticker(6, 0.004))
    conn, _ = await loop.sock_accept(srv)
    log('accepted')
    while data := await loop.sock_recv(conn, 1):
        log('got', data)
        await asyncio.sleep(0.002)
        await loop.sock_sendall(conn, data)
    conn.close()
    srv.close()
    await t

async def client():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(ticker(4, 0.006))
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, ('10.0.0.1', 7))
    log('connected')
    for b in (b'a', b'b'):
        await loop.sock_sendall(sock, b)
        log('echo', await loop.sock_recv(sock, 1))
    try:
        await asyncio.wait_for(loop.sock_recv(sock, 1), 0.003)
    except TimeoutError:
        log('timed out')
    sock.close()
    await t

sim = hosts_twin.Simulation()
sim.host('server', server)
sim.client('client', client)
sim.run()
`;

function typescriptTimers(): string[] {
  const out: string[] = [];
  const log = hostLog(out);
  function* ticker(n: number, period: number): Coro<void> {
    for (let i = 0; i < n; i++) {
      yield* sleep(period);
      log('tick', String(i));
    }
  }
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 7]);
    srv.listen();
    srv.setblocking(false);
    const t = createTask(ticker(6, 0.004));
    const [conn] = yield* loop.sockAccept(srv);
    log('accepted');
    for (let data = yield* loop.sockRecv(conn, 1); data.length > 0; data = yield* loop.sockRecv(conn, 1)) {
      log('got', data);
      yield* sleep(0.002);
      yield* loop.sockSendall(conn, data);
    }
    conn.close();
    srv.close();
    yield* t;
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const t = createTask(ticker(4, 0.006));
    const sock = new socket.socket();
    sock.setblocking(false);
    yield* loop.sockConnect(sock, ['10.0.0.1', 7]);
    log('connected');
    for (const b of ['a', 'b']) {
      yield* loop.sockSendall(sock, bytes(b));
      log('echo', yield* loop.sockRecv(sock, 1));
    }
    try {
      yield* waitFor(loop.sockRecv(sock, 1), 0.003);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('timed out');
    }
    sock.close();
    yield* t;
  }
  const sim = new Simulation({ latency: 0.004 });
  sim.host('server', server);
  sim.client('client', client);
  sim.run();
  return out;
}

describe('several hosts against CPython over the twin', () => {
  it('timers and deliveries at the same instants on two hosts give the same trace', async () => {
    const expected = await runNetPython(PYTHON_TIMERS);
    const got = typescriptTimers();
    expect(got.length).toBeGreaterThan(10);
    expect(got.join('\n')).toBe(expected.trimEnd());
  });

  it('a server host and two client hosts at different latencies give the same trace, times included', async () => {
    const expected = await runNetPython(PYTHON);
    expect(typescript().join('\n')).toBe(expected.trimEnd());
  });
});
