// Host crashes and restarts against CPython: a client writing to a crashed server (no
// answer, then a reset once it is back), connecting to a crashed host (a wait_for timeout,
// ETIMEDOUT at 127 s, success after the restart), datagrams to a crashed host, a crash
// behind a partition, and a process killed on a live host (docs/network.md, "Crashes and
// restarts"). Programs in Python (CPython 3.13's loops over the network's twin,
// test/scenario/oracle/hosts_twin.py) and in TypeScript (aiosim's Simulation) must print
// the same lines, times included.

import { beforeEach, describe } from 'vitest';
import {
  ConnectionRefusedError, ConnectionResetError, getRunningLoop, OSError, openConnection, sleep, socket, startServer, TimeoutError,
  Protocol, wait, waitFor, type Coro, type Future, type StreamReader, type StreamWriter, type Transport,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { bytes, upper } from '../_support/host-programs.js';
import { err, itIsDeterministic, itMatchesCPython, log, newSimulation, runTs, type ServerClientCase } from '../_support/server-client.js';

// ---- a client writing to a crashed server, which comes back ------------------------------

const WRITE = `
async def server():
    async def handle(reader, writer):
        try:
            while data := await reader.read(100):
                log('got', data)
                writer.write(data.upper())
                await writer.drain()
            log('eof')
        finally:
            log('handler finally')
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    log('listening')
    try:
        await asyncio.get_running_loop().create_future()
    finally:
        log('server finally')

async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    writer.write(b'one')
    log('reply', await reader.read(100))
    sim.crash('server')
    log('crashed', sim.processes[0].exitcode)
    writer.write(b'two')
    await writer.drain()
    try:
        await asyncio.wait_for(reader.read(100), 1)
    except TimeoutError:
        log('no answer')
    sim.restart('server')
    log('restarted')
    try:
        log('read', await reader.read(100))
    except ConnectionResetError as e:
        log('read failed', err(e))
    try:
        writer.write(b'three')
        await writer.drain()
    except ConnectionResetError as e:
        log('drain failed', err(e))
    writer.close()
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected again', writer.get_extra_info('sockname'))
    writer.write(b'four')
    log('reply', await reader.read(100))
    writer.close()
    await writer.wait_closed()
`;

function writeTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
      try {
        for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) {
          log('got', data);
          writer.write(upper(data));
          yield* writer.drain();
        }
        log('eof');
      } finally {
        log('handler finally');
      }
      writer.close();
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    log('listening');
    try {
      yield* getRunningLoop().createFuture();
    } finally {
      log('server finally');
    }
  }
  function* client(): Coro<void> {
    let [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    writer.write(bytes('one'));
    log('reply', yield* reader.read(100));
    sim.crash('server');
    log('crashed', String(sim.processes[0]!.exitcode));
    writer.write(bytes('two'));
    yield* writer.drain();
    try {
      yield* waitFor(reader.read(100), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('no answer');
    }
    sim.restart('server');
    log('restarted');
    try {
      log('read', yield* reader.read(100));
    } catch (e) {
      if (!(e instanceof ConnectionResetError)) throw e;
      log('read failed', err(e));
    }
    try {
      writer.write(bytes('three'));
      yield* writer.drain();
    } catch (e) {
      if (!(e instanceof ConnectionResetError)) throw e;
      log('drain failed', err(e));
    }
    writer.close();
    [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    log('connected again', writer.getExtraInfo('sockname'));
    writer.write(bytes('four'));
    log('reply', yield* reader.read(100));
    writer.close();
    yield* writer.waitClosed();
  }
  return runTs(sim, server, client);
}

// ---- connecting to a crashed host ----------------------------------------------------------

const CONNECT = `
async def server():
    async def handle(reader, writer):
        log('accepted')
        writer.write(b'hi')
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await asyncio.get_running_loop().create_future()

async def client():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.1)
    sim.crash('server')
    log('crashed')
    try:
        await asyncio.wait_for(asyncio.open_connection('10.0.0.1', 8888), 5)
    except TimeoutError:
        log('open_connection timed out')
    sock = socket.socket()
    sock.setblocking(False)
    try:
        await loop.sock_connect(sock, ('10.0.0.1', 8888))
    except OSError as e:
        log('sock_connect failed', err(e))
    sock.close()
    loop.call_later(2, sim.restart, 'server')
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected')
    log('read', await reader.read(100))
    writer.close()
    await writer.wait_closed()
`;

function connectTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    function* handle(_reader: StreamReader, writer: StreamWriter): Coro<void> {
      log('accepted');
      writer.write(bytes('hi'));
      writer.close();
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    yield* getRunningLoop().createFuture();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    yield* sleep(0.1);
    sim.crash('server');
    log('crashed');
    try {
      yield* waitFor(openConnection('10.0.0.1', 8888), 5);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('open_connection timed out');
    }
    const sock = new socket.socket();
    sock.setblocking(false);
    try {
      yield* loop.sockConnect(sock, ['10.0.0.1', 8888]);
    } catch (e) {
      if (!(e instanceof OSError)) throw e;
      log('sock_connect failed', err(e));
    }
    sock.close();
    loop.callLater(2, () => sim.restart('server'));
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    log('connected');
    log('read', yield* reader.read(100));
    writer.close();
    yield* writer.waitClosed();
  }
  return runTs(sim, server, client);
}

// ---- datagrams to a crashed host -------------------------------------------------------------

const DATAGRAMS = `
async def server():
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('0.0.0.0', 9999))
    sock.setblocking(False)
    while True:
        data, addr = await loop.sock_recvfrom(sock, 100)
        log('got', data)
        await loop.sock_sendto(sock, data.upper(), addr)

async def quiet():
    log('restarted without the service')
    await asyncio.get_running_loop().create_future()

async def client():
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    sock.connect(('10.0.0.1', 9999))
    async def ask(word):
        await loop.sock_sendall(sock, word)
        try:
            data = await asyncio.wait_for(loop.sock_recv(sock, 100), 0.5)
            log('reply', data)
        except TimeoutError:
            log('no reply')
        except OSError as e:
            log('failed', err(e))
    await ask(b'a')
    sim.crash('server')
    await ask(b'b')
    sim.restart('server', quiet)
    await asyncio.sleep(0.01)
    await ask(b'c')
    await ask(b'd')
    sim.restart('server', server)
    await asyncio.sleep(0.01)
    await ask(b'e')
    sock.close()
`;

function datagramsTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    sock.bind(['0.0.0.0', 9999]);
    sock.setblocking(false);
    for (;;) {
      const [data, addr] = yield* loop.sockRecvfrom(sock, 100);
      log('got', data);
      yield* loop.sockSendto(sock, upper(data), addr);
    }
  }
  function* quiet(): Coro<void> {
    log('restarted without the service');
    yield* getRunningLoop().createFuture();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    sock.setblocking(false);
    sock.connect(['10.0.0.1', 9999]);
    function* ask(word: string): Coro<void> {
      yield* loop.sockSendall(sock, bytes(word));
      try {
        log('reply', yield* waitFor(loop.sockRecv(sock, 100), 0.5));
      } catch (e) {
        if (e instanceof TimeoutError) log('no reply');
        else if (e instanceof OSError) log('failed', err(e));
        else throw e;
      }
    }
    yield* ask('a');
    sim.crash('server');
    yield* ask('b');
    sim.restart('server', quiet);
    yield* sleep(0.01);
    yield* ask('c');
    yield* ask('d');
    sim.restart('server', server);
    yield* sleep(0.01);
    yield* ask('e');
    sock.close();
  }
  return runTs(sim, server, client);
}

// ---- a process killed, its machine alive --------------------------------------------------

const KILL = `
async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 8888))
    srv.listen()
    srv.setblocking(False)
    a, _ = await loop.sock_accept(srv)
    b, _ = await loop.sock_accept(srv)
    log('got', await loop.sock_recv(a, 100))
    try:
        await loop.create_future()
    finally:
        log('server finally')

async def other():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 8888))
    srv.listen()
    srv.setblocking(False)
    log('listening again', srv)
    conn, _ = await loop.sock_accept(srv)
    log('accepted', conn)
    conn.close()

async def client():
    loop = asyncio.get_running_loop()
    ra, wa = await asyncio.open_connection('10.0.0.1', 8888)
    rb, wb = await asyncio.open_connection('10.0.0.1', 8888)
    wa.write(b'read me')
    wb.write(b'unread')
    await asyncio.sleep(0.1)
    sim.kill(sim.processes[0])
    log('killed', sim.processes[0].exitcode)
    log('a', await ra.read(100))
    try:
        log('b', await rb.read(100))
    except ConnectionResetError as e:
        log('b failed', err(e))
    try:
        await asyncio.open_connection('10.0.0.1', 8888)
    except ConnectionRefusedError as e:
        log('refused', err(e))
    sim.host('server', other)
    await asyncio.sleep(0.01)
    r, w = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected', await r.read(100))
    wa.close()
    wb.close()
    w.close()
`;

function killTs(): string[] {
  const sim = newSimulation();
  function* listen(): Coro<socket.socket> {
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 8888]);
    srv.listen();
    srv.setblocking(false);
    return srv;
  }
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = yield* listen();
    const [a] = yield* loop.sockAccept(srv);
    yield* loop.sockAccept(srv);
    log('got', yield* loop.sockRecv(a, 100));
    try {
      yield* loop.createFuture();
    } finally {
      log('server finally');
    }
  }
  function* other(): Coro<void> {
    const loop = getRunningLoop();
    const srv = yield* listen();
    log('listening again', srv);
    const [conn] = yield* loop.sockAccept(srv);
    log('accepted', conn);
    conn.close();
  }
  function* client(): Coro<void> {
    const [ra, wa] = yield* openConnection('10.0.0.1', 8888);
    const [rb, wb] = yield* openConnection('10.0.0.1', 8888);
    wa.write(bytes('read me'));
    wb.write(bytes('unread'));
    yield* sleep(0.1);
    sim.kill(sim.processes[0]!);
    log('killed', String(sim.processes[0]!.exitcode));
    log('a', yield* ra.read(100));
    try {
      log('b', yield* rb.read(100));
    } catch (e) {
      if (!(e instanceof ConnectionResetError)) throw e;
      log('b failed', err(e));
    }
    try {
      yield* openConnection('10.0.0.1', 8888);
    } catch (e) {
      if (!(e instanceof ConnectionRefusedError)) throw e;
      log('refused', err(e));
    }
    sim.host('server', other);
    yield* sleep(0.01);
    const [r, w] = yield* openConnection('10.0.0.1', 8888);
    log('connected', yield* r.read(100));
    wa.close();
    wb.close();
    w.close();
  }
  return runTs(sim, server, client);
}

// ---- a crash behind a partition -------------------------------------------------------------

const PARTITIONED = `
async def server():
    async def handle(reader, writer):
        log('got', await reader.read(100))
        sim.partition('client', 'server')
        writer.write(b'lost reply')
        await writer.drain()
        log('replied behind a partition')
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await asyncio.get_running_loop().create_future()

async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    writer.write(b'one')
    await asyncio.sleep(0.1)
    writer.write(b'two')
    await asyncio.sleep(0.1)
    sim.crash('server')
    log('crashed')
    sim.repair()
    try:
        await asyncio.wait_for(reader.read(100), 1)
    except TimeoutError:
        log('nothing came')
    sim.restart('server')
    try:
        log('read', await reader.read(100))
    except ConnectionResetError as e:
        log('read failed', err(e))
    writer.close()
`;

function partitionedTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
      log('got', yield* reader.read(100));
      sim.partition('client', 'server');
      writer.write(bytes('lost reply'));
      yield* writer.drain();
      log('replied behind a partition');
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    yield* getRunningLoop().createFuture();
  }
  function* client(): Coro<void> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    writer.write(bytes('one'));
    yield* sleep(0.1);
    writer.write(bytes('two'));
    yield* sleep(0.1);
    sim.crash('server');
    log('crashed');
    sim.repair();
    try {
      yield* waitFor(reader.read(100), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('nothing came');
    }
    sim.restart('server');
    try {
      log('read', yield* reader.read(100));
    } catch (e) {
      if (!(e instanceof ConnectionResetError)) throw e;
      log('read failed', err(e));
    }
    writer.close();
  }
  return runTs(sim, server, client);
}

// ---- a crash and a restart from the network's timers, as a fault schedule sets them ------

const TIMED = `
class Pinger(asyncio.Protocol):
    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, transport):
        log('connected')
    def data_received(self, data):
        log('got', data)
    def connection_lost(self, exc):
        log('lost', err(exc) if exc else None)
        self.lost.set_result(None)

async def server():
    async def handle(reader, writer):
        while data := await reader.read(100):
            writer.write(data.upper())
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    log('listening')
    await asyncio.get_running_loop().create_future()

async def client():
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_connection(Pinger, '10.0.0.1', 8888)
    while not proto.lost.done():
        transport.write(b'ping')
        await asyncio.wait([proto.lost], timeout=0.3)
    log('done')

net_twin.NET.at(0.5, lambda: sim.crash('server'))
net_twin.NET.at(1.0, lambda: sim.restart('server'))
`;

class Pinger extends Protocol {
  readonly lost: Future<void> = getRunningLoop().createFuture();
  override connectionMade(_t: Transport): void {
    log('connected');
  }
  override dataReceived(data: Uint8Array): void {
    log('got', data);
  }
  override connectionLost(exc: unknown): void {
    log('lost', exc === undefined ? 'None' : err(exc));
    this.lost.setResult(undefined);
  }
}

function timedTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
      for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) writer.write(upper(data));
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    log('listening');
    yield* getRunningLoop().createFuture();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const [transport, proto] = yield* loop.createConnection(() => new Pinger(), '10.0.0.1', 8888);
    while (!proto.lost.done()) {
      transport.write(bytes('ping'));
      yield* wait([proto.lost], { timeout: 0.3 });
    }
    log('done');
  }
  sim.network.at(0.5, () => sim.crash('server'));
  sim.network.at(1.0, () => sim.restart('server'));
  return runTs(sim, server, client);
}

beforeEach(() => {
  _resetSimulation();
});

describe('host crashes, restarts and kills against CPython over the twin', () => {
  const cases: ServerClientCase[] = [
    ['a client writing to a crashed server gets no answer (no finally runs there), then a reset once it restarted, and connects anew', WRITE, writeTs],
    ['a connect to a crashed host times out (wait_for at 5 s, ETIMEDOUT at 127 s) and succeeds on a SYN retry after the restart', CONNECT, connectTs],
    ['datagrams to a crashed host are lost without an ICMP error; restarted without the service, it refuses them', DATAGRAMS, datagramsTs],
    ['a crash behind a partition: its reply waiting on the link is lost, the bytes sent to it wait for the restart and are reset', PARTITIONED, partitionedTs],
    ['a crash and a restart set on the network\'s timers: the pings wait, then the restarted host resets the connection (connection_lost(exc))', TIMED, timedTs],
    ['a process killed on a live host: its kernel closes its sockets (a FIN, a RST for unread data, the port free again)', KILL, killTs],
  ];
  itMatchesCPython(cases);

  itIsDeterministic([writeTs, datagramsTs]);
});
