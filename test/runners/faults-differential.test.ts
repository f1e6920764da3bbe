// Network faults between hosts against CPython: partitions and their repair, held and
// released links, datagrams dropped and duplicated (docs/network.md, "Faults"), set from
// the hosts' own code, in programs written in Python (CPython 3.13's loops over the
// network's twin, test/scenario/oracle/hosts_twin.py) and in TypeScript (aiosim's
// Simulation). The traces must be the same line for line, times included.

import { beforeEach, describe } from 'vitest';
import {
  ConnectionResetError, getRunningLoop, openConnection, sleep, socket, startServer, TimeoutError, waitFor,
  type Coro, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { bytes, upper } from '../_support/host-programs.js';
import { err, itIsDeterministic, itMatchesCPython, log, newSimulation, runTs, type ServerClientCase } from '../_support/server-client.js';

// ---- a stream across a partition -------------------------------------------------------

const STREAM = `
async def server():
    loop = asyncio.get_running_loop()
    async def handle(reader, writer):
        while data := await reader.read(100):
            log('got', data)
            writer.write(data.upper())
            await writer.drain()
        log('eof')
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await loop.create_future()

async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected')
    writer.write(b'one')
    log('reply', await reader.read(100))
    sim.partition('client', 'server')
    log('partitioned')
    writer.write(b'two')
    try:
        await asyncio.wait_for(reader.read(100), 0.5)
    except TimeoutError:
        log('read timed out')
    writer.write(b'three')
    await asyncio.sleep(0.1)
    sim.repair('client', 'server')
    log('repaired')
    log('reply', await reader.read(100))
    sim.partition('server', 'client', one_way=True)
    log('partitioned one way')
    writer.write(b'four')
    try:
        await asyncio.wait_for(reader.read(100), 0.2)
    except TimeoutError:
        log('read timed out')
    sim.repair('server', 'client', one_way=True)
    log('reply', await reader.read(100))
    writer.close()
    await writer.wait_closed()
    log('closed')
`;

function* streamServer(): Coro<void> {
  const loop = getRunningLoop();
  function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
    for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) {
      log('got', data);
      writer.write(upper(data));
      yield* writer.drain();
    }
    log('eof');
    writer.close();
  }
  yield* startServer(handle, '0.0.0.0', 8888);
  yield* loop.createFuture();
}

function* readOrTimeout(reader: StreamReader, timeout: number): Coro<void> {
  try {
    yield* waitFor(reader.read(100), timeout);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('read timed out');
  }
}

function streamTs(): string[] {
  const sim = newSimulation();
  function* client(): Coro<void> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    log('connected');
    writer.write(bytes('one'));
    log('reply', yield* reader.read(100));
    sim.partition('client', 'server');
    log('partitioned');
    writer.write(bytes('two'));
    yield* readOrTimeout(reader, 0.5);
    writer.write(bytes('three'));
    yield* sleep(0.1);
    sim.repair('client', 'server');
    log('repaired');
    log('reply', yield* reader.read(100));
    sim.partition('server', 'client', { oneWay: true });
    log('partitioned one way');
    writer.write(bytes('four'));
    yield* readOrTimeout(reader, 0.2);
    sim.repair('server', 'client', { oneWay: true });
    log('reply', yield* reader.read(100));
    writer.close();
    yield* writer.waitClosed();
    log('closed');
  }
  return runTs(sim, streamServer, client);
}

// ---- connecting across a partition -----------------------------------------------------

const CONNECT = `
async def server():
    loop = asyncio.get_running_loop()
    async def handle(reader, writer):
        log('accepted')
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await loop.create_future()

async def client():
    loop = asyncio.get_running_loop()
    sim.partition('client', ['server'])
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
    loop.call_later(2, sim.repair, 'client', 'server')
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected')
    log('read', await reader.read(100))
    writer.close()
    await writer.wait_closed()
`;

function connectTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    function* handle(_reader: StreamReader, writer: StreamWriter): Coro<void> {
      log('accepted');
      writer.close();
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    yield* loop.createFuture();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    sim.partition('client', ['server']);
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
      log('sock_connect failed', err(e));
    }
    sock.close();
    loop.callLater(2, () => sim.repair('client', 'server'));
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    log('connected');
    log('read', yield* reader.read(100));
    writer.close();
    yield* writer.waitClosed();
  }
  return runTs(sim, server, client);
}

// ---- datagrams dropped, duplicated, lost in a partition --------------------------------

const DATAGRAMS = `
async def server():
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('0.0.0.0', 9999))
    sock.setblocking(False)
    while True:
        data, addr = await loop.sock_recvfrom(sock, 100)
        log('got', data, 'from', addr)
        await loop.sock_sendto(sock, data.upper(), addr)

async def client():
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    async def replies():
        while True:
            try:
                data, _ = await asyncio.wait_for(loop.sock_recvfrom(sock, 100), 0.1)
            except TimeoutError:
                log('no more replies')
                return
            log('reply', data)
    sim.drop_datagrams('client', 'server')
    sim.duplicate_datagrams('client', 'server', 1)
    sim.duplicate_datagrams('server', 'client', 2)
    for word in (b'a', b'b', b'c'):
        await loop.sock_sendto(sock, word, ('10.0.0.1', 9999))
    await replies()
    sim.partition(['server'], ['client'])
    await loop.sock_sendto(sock, b'd', ('10.0.0.1', 9999))
    await replies()
    sim.repair()
    await loop.sock_sendto(sock, b'e', ('10.0.0.1', 9999))
    await replies()
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
      log('got', data, 'from', addr);
      yield* loop.sockSendto(sock, upper(data), addr);
    }
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    sock.setblocking(false);
    function* replies(): Coro<void> {
      for (;;) {
        let data: Uint8Array;
        try {
          [data] = yield* waitFor(loop.sockRecvfrom(sock, 100), 0.1);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          log('no more replies');
          return;
        }
        log('reply', data);
      }
    }
    sim.dropDatagrams('client', 'server');
    sim.duplicateDatagrams('client', 'server', 1);
    sim.duplicateDatagrams('server', 'client', 2);
    for (const word of ['a', 'b', 'c']) yield* loop.sockSendto(sock, bytes(word), ['10.0.0.1', 9999]);
    yield* replies();
    sim.partition(['server'], ['client']);
    yield* loop.sockSendto(sock, bytes('d'), ['10.0.0.1', 9999]);
    yield* replies();
    sim.repair();
    yield* loop.sockSendto(sock, bytes('e'), ['10.0.0.1', 9999]);
    yield* replies();
    sock.close();
  }
  return runTs(sim, server, client);
}

// ---- a held link, released -------------------------------------------------------------

const HOLD = `
async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 7))
    srv.listen()
    srv.setblocking(False)
    conn, _ = await loop.sock_accept(srv)
    log('accepted')
    while True:
        try:
            data = await asyncio.wait_for(loop.sock_recv(conn, 100), 0.015)
        except TimeoutError:
            log('nothing yet')
            continue
        log('got', data)
        if not data:
            break
        await loop.sock_sendall(conn, data.upper())
    conn.close()
    srv.close()

async def client():
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, ('10.0.0.1', 7))
    log('connected')
    await asyncio.sleep(0.02)
    await loop.sock_sendall(sock, b'one')
    await asyncio.sleep(0.005)
    sim.hold('client', 'server')
    log('held')
    await asyncio.sleep(0.02)
    await loop.sock_sendall(sock, b'two')
    await asyncio.sleep(0.03)
    await loop.sock_sendall(sock, b'three')
    sim.release('client', 'server')
    log('released')
    log('reply', await loop.sock_recv(sock, 100))
    sock.close()
`;

function holdTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 7]);
    srv.listen();
    srv.setblocking(false);
    const [conn] = yield* loop.sockAccept(srv);
    log('accepted');
    for (;;) {
      let data: Uint8Array;
      try {
        data = yield* waitFor(loop.sockRecv(conn, 100), 0.015);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log('nothing yet');
        continue;
      }
      log('got', data);
      if (data.length === 0) break;
      yield* loop.sockSendall(conn, upper(data));
    }
    conn.close();
    srv.close();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const sock = new socket.socket();
    sock.setblocking(false);
    yield* loop.sockConnect(sock, ['10.0.0.1', 7]);
    log('connected');
    yield* sleep(0.02);
    yield* loop.sockSendall(sock, bytes('one'));
    yield* sleep(0.005);
    sim.hold('client', 'server');
    log('held');
    yield* sleep(0.02);
    yield* loop.sockSendall(sock, bytes('two'));
    yield* sleep(0.03);
    yield* loop.sockSendall(sock, bytes('three'));
    sim.release('client', 'server');
    log('released');
    log('reply', yield* loop.sockRecv(sock, 100));
    sock.close();
  }
  return runTs(sim, server, client);
}

// ---- flow control and a reset across a partition ---------------------------------------

const FLOW = `
async def server():
    loop = asyncio.get_running_loop()
    srv = socket.socket()
    srv.bind(('0.0.0.0', 7))
    srv.listen()
    srv.setblocking(False)
    conn, _ = await loop.sock_accept(srv)
    log('accepted')
    total = 0
    while total < 200000:
        total += len(await loop.sock_recv(conn, min(65536, 200000 - total)))
    log('read', total)
    await asyncio.sleep(0.5)
    conn.close()
    log('closed with unread data')
    srv.close()

async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 7)
    await asyncio.sleep(0.05)
    sim.partition('client', 'server')
    log('partitioned')
    writer.write(b'x' * 200000)
    try:
        await asyncio.wait_for(writer.drain(), 1)
    except TimeoutError:
        log('drain timed out', writer.transport.get_write_buffer_size())
    sim.repair('client', 'server')
    await writer.drain()
    log('drained', writer.transport.get_write_buffer_size())
    writer.write(b'tail')
    await asyncio.sleep(0.1)
    sim.partition('server', 'client')
    log('partitioned')
    try:
        await asyncio.wait_for(reader.read(100), 1)
    except TimeoutError:
        log('read timed out')
    sim.repair()
    try:
        log('read', await reader.read(100))
    except ConnectionResetError as e:
        log('read failed', err(e))
    writer.close()
`;

function flowTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', 7]);
    srv.listen();
    srv.setblocking(false);
    const [conn] = yield* loop.sockAccept(srv);
    log('accepted');
    let total = 0;
    while (total < 200000) total += (yield* loop.sockRecv(conn, Math.min(65536, 200000 - total))).length;
    log('read', String(total));
    yield* sleep(0.5);
    conn.close();
    log('closed with unread data');
    srv.close();
  }
  function* client(): Coro<void> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 7);
    yield* sleep(0.05);
    sim.partition('client', 'server');
    log('partitioned');
    writer.write(new Uint8Array(200000).fill(0x78));
    try {
      yield* waitFor(writer.drain(), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      log('drain timed out', String(writer.transport.getWriteBufferSize()));
    }
    sim.repair('client', 'server');
    yield* writer.drain();
    log('drained', String(writer.transport.getWriteBufferSize()));
    writer.write(bytes('tail'));
    yield* sleep(0.1);
    sim.partition('server', 'client');
    log('partitioned');
    yield* readOrTimeout(reader, 1);
    sim.repair();
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

beforeEach(() => {
  _resetSimulation();
});

describe('network faults between hosts against CPython over the twin', () => {
  const cases: ServerClientCase[] = [
    ['a stream whose bytes wait out a partition (both ways, then one way) and arrive after the repair', STREAM, streamTs],
    ['a connect across a partition times out (wait_for at 5 s, ETIMEDOUT at 127 s) and succeeds on a SYN retry after the repair', CONNECT, connectTs],
    ['datagrams dropped, duplicated and lost in a partition', DATAGRAMS, datagramsTs],
    ['a full pipe waits out a partition (drain times out), and a reset sent across one arrives after the repair', FLOW, flowTs],
    ['a held link delivers what was in flight and what was sent later, in order, on release', HOLD, holdTs],
  ];
  itMatchesCPython(cases);

  itIsDeterministic([streamTs, datagramsTs]);
});
