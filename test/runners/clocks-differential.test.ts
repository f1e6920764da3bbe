// Per-host clocks against CPython: the same programs, in Python on CPython 3.13's own loops
// over the twin (test/scenario/oracle/hosts_twin.py, HostClock) and in TypeScript on
// aiosim's Simulation, with hosts whose clocks are offset and drift. Each host's loop.time(),
// the global instant of each line and the order of the lines must be the same, bit for
// bit (docs/network.md, "Clocks").

import { beforeEach, describe, expect, it } from 'vitest';
import {
  asyncWith, getRunningLoop, Simulation, sleep, socket, timeout, TimeoutError, ValueError, waitFor, type Coro,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { HostClock } from '../../src/net/host-clock.js';
import { pyFloat } from '../../src/format/py-repr.js';
import { runNetPython } from '../scenario/oracle/cpython.js';
import { bytes, hostLog } from '../_support/host-programs.js';

beforeEach(() => {
  _resetSimulation();
});

const PRELUDE = `
import asyncio, socket
import net_twin, hosts_twin
net_twin.install(latency=0.01)

def log(*args):
    print(asyncio.get_running_loop().time(), socket.gethostname(), 'g=%r' % net_twin.WORLD.now, *args)
`;

// A lease granted by the server for LEASE seconds of its clock, held by the client for
// LEASE seconds of its own: the server's clock runs fast, the client's slow, so the
// client still writes after the server has let the lease expire.
const PYTHON_LEASE = `${PRELUDE}
LEASE = 2.0

async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 9000))
    srv.listen()
    srv.setblocking(False)
    conn, _ = await loop.sock_accept(srv)
    await loop.sock_recv(conn, 16)
    expiry = loop.time() + LEASE
    log('granted until', expiry)
    await loop.sock_sendall(conn, b'ok')
    await asyncio.sleep(LEASE)
    log('lease expired here', loop.time() >= expiry)
    data = await loop.sock_recv(conn, 16)
    log('then got', data, 'lease held by me:', loop.time() < expiry)
    conn.close()
    srv.close()

async def client():
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, ('10.0.0.1', 9000))
    asked = loop.time()
    await loop.sock_sendall(sock, b'lease?')
    await loop.sock_recv(sock, 16)
    until = asked + LEASE
    log('holds the lease until', until)
    await asyncio.sleep(until - loop.time() - 0.05)
    log('still holds it, writes', loop.time() < until)
    await loop.sock_sendall(sock, b'write')
    await asyncio.sleep(0.5)
    sock.close()

sim = hosts_twin.Simulation()
sim.add_host('server', rate=1.02)
sim.add_host('client', offset=5.0, rate=0.97)
sim.host('server', server)
sim.client('client', client)
sim.run()
print('end', net_twin.WORLD.now, sim.clock_time('server'), sim.clock_time('client'))
`;

function typescriptLease(): string[] {
  const out: string[] = [];
  const sim = new Simulation({ latency: 0.01 });
  const at = hostLog(out);
  const log = (...args: unknown[]): void => at(`g=${pyFloat(sim.network.now)}`, ...args);
  const LEASE = 2.0;
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 9000]);
    srv.listen();
    srv.setblocking(false);
    const [conn] = yield* loop.sockAccept(srv);
    yield* loop.sockRecv(conn, 16);
    const expiry = loop.time() + LEASE;
    log('granted until', expiry);
    yield* loop.sockSendall(conn, bytes('ok'));
    yield* sleep(LEASE);
    log('lease expired here', pyBool(loop.time() >= expiry));
    const data = yield* loop.sockRecv(conn, 16);
    log('then got', data, 'lease held by me:', pyBool(loop.time() < expiry));
    conn.close();
    srv.close();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const sock = new socket.socket();
    sock.setblocking(false);
    yield* loop.sockConnect(sock, ['10.0.0.1', 9000]);
    const asked = loop.time();
    yield* loop.sockSendall(sock, bytes('lease?'));
    yield* loop.sockRecv(sock, 16);
    const until = asked + LEASE;
    log('holds the lease until', until);
    yield* sleep(until - loop.time() - 0.05);
    log('still holds it, writes', pyBool(loop.time() < until));
    yield* loop.sockSendall(sock, bytes('write'));
    yield* sleep(0.5);
    sock.close();
  }
  sim.addHost('server', { clock: { rate: 1.02 } });
  sim.addHost('client', { clock: { offset: 5.0, rate: 0.97 } });
  sim.host('server', server);
  sim.client('client', client);
  sim.run();
  out.push(['end', sim.network.now, sim.clockTime('server'), sim.clockTime('client')].map((x) => (typeof x === 'number' ? pyFloat(x) : x)).join(' '));
  return out;
}

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

// Timers of every kind on three hosts (fast, offset and slow, global), a rate change on
// one mid-run, a forward step on another (its pending timeout fires at once) and a
// backward step refused.
const PYTHON_TIMERS = `${PRELUDE}
async def worker():
    loop = asyncio.get_running_loop()
    log('start')
    await asyncio.sleep(1)
    log('slept 1')
    fut = loop.create_future()
    loop.call_later(0.5, fut.set_result, 'later')
    log(await fut)
    when = loop.time() + 0.25
    fut = loop.create_future()
    loop.call_at(when, fut.set_result, 'at')
    log(await fut, loop.time() >= when)
    try:
        await asyncio.wait_for(loop.create_future(), 0.3)
    except TimeoutError:
        log('wait_for timed out')
    try:
        async with asyncio.timeout(0.2):
            await asyncio.sleep(10)
    except TimeoutError:
        log('timeout fired')
    for i in range(4):
        await asyncio.sleep(0.4)
        log('tick', i)

sim = hosts_twin.Simulation()
sim.add_host('a', rate=1.01)
sim.add_host('b', offset=3.0, rate=0.995)
sim.add_host('c')
for name in ('a', 'b', 'c'):
    sim.client(name, worker)

def drift():
    sim.set_clock('a', rate=1.05)
    print('a drifts faster at g=%r' % net_twin.WORLD.now, sim.clock_time('a'))

def step():
    sim.set_clock('b', offset=sim.clock_time('b') - net_twin.WORLD.now + 0.7)
    print('b steps forward at g=%r' % net_twin.WORLD.now, sim.clock_time('b'))
    try:
        sim.set_clock('b', offset=-1.0)
    except ValueError:
        print('b cannot step back', sim.clock_time('b'))

def slew():
    sim.set_clock('a', rate=0.9)
    print('a slews back at g=%r' % net_twin.WORLD.now, sim.clock_time('a'))

net_twin.NET.at(1.2, drift)
net_twin.NET.at(2.1, step)
net_twin.NET.at(3.0, slew)
sim.run()
print('end', net_twin.WORLD.now, sim.clock_time('a'), sim.clock_time('b'), sim.clock_time('c'))
`;

function typescriptTimers(): string[] {
  const out: string[] = [];
  const sim = new Simulation({ latency: 0.01 });
  const at = hostLog(out);
  const log = (...args: unknown[]): void => at(`g=${pyFloat(sim.network.now)}`, ...args);
  const say = (...args: unknown[]): void => void out.push(args.map((x) => (typeof x === 'number' ? pyFloat(x) : String(x))).join(' '));
  function* worker(): Coro<void> {
    const loop = getRunningLoop();
    log('start');
    yield* sleep(1);
    log('slept 1');
    let fut = loop.createFuture<string>();
    loop.callLater(0.5, () => fut.setResult('later'));
    log(yield* fut);
    const when = loop.time() + 0.25;
    fut = loop.createFuture<string>();
    loop.callAt(when, () => fut.setResult('at'));
    log(yield* fut, pyBool(loop.time() >= when));
    try {
      yield* waitFor(loop.createFuture(), 0.3);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('wait_for timed out');
    }
    try {
      yield* asyncWith(timeout(0.2), function* () {
        yield* sleep(10);
      });
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('timeout fired');
    }
    for (let i = 0; i < 4; i++) {
      yield* sleep(0.4);
      log('tick', String(i));
    }
  }
  sim.addHost('a', { clock: { rate: 1.01 } });
  sim.addHost('b', { clock: { offset: 3.0, rate: 0.995 } });
  sim.addHost('c');
  for (const name of ['a', 'b', 'c']) sim.client(name, worker);
  sim.network.at(1.2, () => {
    sim.setClock('a', { rate: 1.05 });
    say(`a drifts faster at g=${pyFloat(sim.network.now)}`, sim.clockTime('a'));
  });
  sim.network.at(2.1, () => {
    sim.setClock('b', { offset: sim.clockTime('b') - sim.network.now + 0.7 });
    say(`b steps forward at g=${pyFloat(sim.network.now)}`, sim.clockTime('b'));
    try {
      sim.setClock('b', { offset: -1.0 });
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      say('b cannot step back', sim.clockTime('b'));
    }
  });
  sim.network.at(3.0, () => {
    sim.setClock('a', { rate: 0.9 });
    say(`a slews back at g=${pyFloat(sim.network.now)}`, sim.clockTime('a'));
  });
  sim.run();
  say('end', sim.network.now, sim.clockTime('a'), sim.clockTime('b'), sim.clockTime('c'));
  return out;
}

// The wire does not skew: a SYN's retransmissions (1, 3, … s after the first) stay
// global while a wait_for around the connect runs on the client's clock. The fast host's
// 5 s are 2.5 global seconds (before the repair at 2): it times out; the slow host's are
// 10: the retransmission at 3 gets through.
const PYTHON_SYN = `${PRELUDE}
async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 80))
    srv.listen()
    srv.setblocking(False)
    conn, _ = await loop.sock_accept(srv)
    log('accepted')
    conn.close()
    srv.close()

async def client():
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.setblocking(False)
    try:
        await asyncio.wait_for(loop.sock_connect(sock, ('10.0.0.1', 80)), 5)
        log('connected')
    except TimeoutError:
        log('connect timed out')
    sock.close()

sim = hosts_twin.Simulation()
sim.add_host('server')
sim.add_host('fast', rate=2.0)
sim.add_host('slow', offset=100.0, rate=0.5)
sim.partition('server', 'fast')
sim.partition('server', 'slow')
sim.host('server', server)
sim.client('fast', client)
sim.client('slow', client)
net_twin.NET.at(2.0, lambda: sim.repair())
sim.run()
print('end', net_twin.WORLD.now)
`;

function typescriptSyn(): string[] {
  const out: string[] = [];
  const sim = new Simulation({ latency: 0.01 });
  const at = hostLog(out);
  const log = (...args: unknown[]): void => at(`g=${pyFloat(sim.network.now)}`, ...args);
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 80]);
    srv.listen();
    srv.setblocking(false);
    const [conn] = yield* loop.sockAccept(srv);
    log('accepted');
    conn.close();
    srv.close();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const sock = new socket.socket();
    sock.setblocking(false);
    try {
      yield* waitFor(loop.sockConnect(sock, ['10.0.0.1', 80]), 5);
      log('connected');
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('connect timed out');
    }
    sock.close();
  }
  sim.addHost('server');
  sim.addHost('fast', { clock: { rate: 2.0 } });
  sim.addHost('slow', { clock: { offset: 100.0, rate: 0.5 } });
  sim.partition('server', 'fast');
  sim.partition('server', 'slow');
  sim.host('server', server);
  sim.client('fast', client);
  sim.client('slow', client);
  sim.network.at(2.0, () => sim.repair());
  sim.run();
  out.push(`end ${pyFloat(sim.network.now)}`);
  return out;
}

// The twin's HostClock against aiosim's: the same local times and the same first global
// instants, bit for bit, over a grid of offsets, rates (set at global time 0, then a rate
// change at 7.3) and deadlines, pathological ones (1e12 s offsets, rates 1e-6 and 1e6) included.
const GRID = {
  offsets: [0, -5, 0.1, 12345.678, 1e9, 1e12],
  rates: [1 / 3, 0.999999, 1.0000001, 1.01, 3, 1e-6, 1e6],
  nows: [0, 0.3, 7.3, 100.25],
  ahead: [1e-9, 0.001, 0.7, 1, 1234.5],
};

const PYTHON_GRID = `
import hosts_twin
OFFSETS = [0, -5, 0.1, 12345.678, 1e9, 1e12]
RATES = [1 / 3, 0.999999, 1.0000001, 1.01, 3, 1e-6, 1e6]
NOWS = [0, 0.3, 7.3, 100.25]
AHEAD = [1e-9, 0.001, 0.7, 1, 1234.5]
for offset in OFFSETS:
    for rate in RATES:
        for change in (False, True):
            c = hosts_twin.HostClock()
            c.set(0.0, offset, rate, initial=True)
            if change:
                c.set(7.3, None, 1 / rate + 0.25)
            for now in NOWS:
                local = c.local(now)
                for ahead in AHEAD:
                    when = local + ahead * max(1, rate)
                    g = c.global_at(when, now) if when > local else None
                    print(repr(local), repr(when), repr(g))
`;

function typescriptGrid(): string[] {
  const out: string[] = [];
  for (const offset of GRID.offsets) {
    for (const rate of GRID.rates) {
      for (const change of [false, true]) {
        const c = new HostClock();
        c.set({ offset, rate }, 0, true, 'h');
        if (change) c.set({ rate: 1 / rate + 0.25 }, 7.3, false, 'h');
        for (const now of GRID.nows) {
          const local = c.local(now);
          for (const ahead of GRID.ahead) {
            const when = local + ahead * Math.max(1, rate);
            const g = when > local ? pyFloat(c.globalAt(when, now)) : 'None';
            out.push(`${pyFloat(local)} ${pyFloat(when)} ${g}`);
          }
        }
      }
    }
  }
  return out;
}

describe('per-host clocks against CPython over the twin', () => {
  it('the twin\'s clocks compute the same local times and first global instants, bit for bit', async () => {
    const expected = await runNetPython(PYTHON_GRID);
    const got = typescriptGrid();
    expect(got.length).toBe(6 * 7 * 2 * 4 * 5);
    expect(got.join('\n')).toBe(expected.trimEnd());
  });

  it('a lease held by one host by its clock and checked by another by its own disagrees as in CPython', async () => {
    const expected = await runNetPython(PYTHON_LEASE);
    const got = typescriptLease();
    expect(got.join('\n')).toBe(expected.trimEnd());
    // The client writes while it believes it holds the lease, after the server let it go.
    expect(got.join('\n')).toMatch(/still holds it, writes True[\s\S]*lease held by me: False/);
  });

  it('a connect across a partition: SYN retransmissions stay global, wait_for runs on each client\'s clock', async () => {
    const expected = await runNetPython(PYTHON_SYN);
    const got = typescriptSyn();
    expect(got).toHaveLength(3);
    expect(got.join('\n')).toBe(expected.trimEnd());
  });

  it('sleeps, call_later, call_at, wait_for and timeout run on the clock of each host, through drift changes and steps', async () => {
    const expected = await runNetPython(PYTHON_TIMERS);
    const got = typescriptTimers();
    expect(got.length).toBe(35);
    expect(got.join('\n')).toBe(expected.trimEnd());
  });
});
