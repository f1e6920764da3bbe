// Resets on a link against CPython: every connection between two hosts gets a RST at
// both ends, seen by streams and by Protocols (connection_lost(exc)), ECONNRESET or EPIPE
// after the peer's FIN (docs/network.md, "Crashes and restarts"). Programs in Python
// (CPython 3.13's loops over the network's twin) and in TypeScript must print the same
// lines, times included.

import { beforeEach, describe } from 'vitest';
import {
  ConnectionResetError, getRunningLoop, openConnection, Protocol, sleep, startServer, type Coro, type StreamReader, type StreamWriter,
  type Transport,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { bytes, upper } from '../_support/host-programs.js';
import { err, itMatchesCPython, log, newSimulation, runTs, type ServerClientCase } from '../_support/server-client.js';

// ---- a reset on the link: streams and a Protocol -------------------------------------------

const RESET = `
class Proto(asyncio.Protocol):
    def connection_made(self, transport):
        log('protocol connected')
    def data_received(self, data):
        log('protocol got', data)
    def eof_received(self):
        log('protocol eof')
    def connection_lost(self, exc):
        log('protocol lost', err(exc) if exc else None)

async def server():
    async def handle(reader, writer):
        try:
            while data := await reader.read(100):
                writer.write(data.upper())
            log('server eof')
        except ConnectionResetError as e:
            log('server read failed', err(e))
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await asyncio.get_running_loop().create_future()

async def client():
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    transport, proto = await loop.create_connection(Proto, '10.0.0.1', 8888)
    writer.write(b'one')
    transport.write(b'two')
    log('reply', await reader.read(100))
    await asyncio.sleep(0.1)
    sim.reset('client', 'server')
    log('reset')
    try:
        log('read', await reader.read(100))
    except ConnectionResetError as e:
        log('read failed', err(e))
    await asyncio.sleep(0.1)
    log('transport closing', transport.is_closing())
    writer.close()
    await asyncio.sleep(0.1)
`;

class Proto extends Protocol {
  override connectionMade(_t: Transport): void {
    log('protocol connected');
  }
  override dataReceived(data: Uint8Array): void {
    log('protocol got', data);
  }
  override eofReceived(): undefined {
    log('protocol eof');
    return undefined;
  }
  override connectionLost(exc: unknown): void {
    log('protocol lost', exc === undefined ? 'None' : err(exc));
  }
}

function resetTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
      try {
        for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) writer.write(upper(data));
        log('server eof');
      } catch (e) {
        if (!(e instanceof ConnectionResetError)) throw e;
        log('server read failed', err(e));
      }
      writer.close();
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    yield* getRunningLoop().createFuture();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    const [transport] = yield* loop.createConnection(() => new Proto(), '10.0.0.1', 8888);
    writer.write(bytes('one'));
    transport.write(bytes('two'));
    log('reply', yield* reader.read(100));
    yield* sleep(0.1);
    sim.reset('client', 'server');
    log('reset');
    try {
      log('read', yield* reader.read(100));
    } catch (e) {
      if (!(e instanceof ConnectionResetError)) throw e;
      log('read failed', err(e));
    }
    yield* sleep(0.1);
    log('transport closing', transport.isClosing());
    writer.close();
    yield* sleep(0.1);
  }
  return runTs(sim, server, client);
}

// ---- a reset after the peer's FIN: EPIPE ----------------------------------------------------

const HALF_CLOSED = `
class Server(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
    def data_received(self, data):
        log('server got', data)
    def eof_received(self):
        log('server eof')
        asyncio.get_running_loop().call_later(0.2, self.write_late)
        return True
    def write_late(self):
        log('server writes')
        self.transport.write(b'late')
    def connection_lost(self, exc):
        log('server lost', err(exc) if exc else None)

async def server():
    loop = asyncio.get_running_loop()
    await loop.create_server(Server, '0.0.0.0', 8888)
    await loop.create_future()

async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    writer.write(b'one')
    writer.write_eof()
    await asyncio.sleep(0.1)
    sim.reset('server', 'client')
    log('reset')
    try:
        log('read', await reader.read(100))
    except ConnectionResetError as e:
        log('read failed', err(e))
    await asyncio.sleep(0.3)
    writer.close()
`;

class HalfClosedServer extends Protocol {
  transport!: Transport;
  override connectionMade(t: Transport): void {
    this.transport = t;
  }
  override dataReceived(data: Uint8Array): void {
    log('server got', data);
  }
  override eofReceived(): boolean {
    log('server eof');
    getRunningLoop().callLater(0.2, () => this.writeLate());
    return true;
  }
  writeLate(): void {
    log('server writes');
    this.transport.write(bytes('late'));
  }
  override connectionLost(exc: unknown): void {
    log('server lost', exc === undefined ? 'None' : err(exc));
  }
}

function halfClosedTs(): string[] {
  const sim = newSimulation();
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    yield* loop.createServer(() => new HalfClosedServer(), '0.0.0.0', 8888);
    yield* loop.createFuture();
  }
  function* client(): Coro<void> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    writer.write(bytes('one'));
    writer.writeEof();
    yield* sleep(0.1);
    sim.reset('server', 'client');
    log('reset');
    try {
      log('read', yield* reader.read(100));
    } catch (e) {
      if (!(e instanceof ConnectionResetError)) throw e;
      log('read failed', err(e));
    }
    yield* sleep(0.3);
    writer.close();
  }
  return runTs(sim, server, client);
}

beforeEach(() => {
  _resetSimulation();
});

describe('resets on a link against CPython over the twin', () => {
  const cases: ServerClientCase[] = [
    ['a reset on the link fails a stream read and a Protocol (connection_lost(exc)) at both ends', RESET, resetTs],
    ['a reset after the peer\'s FIN: the reader gets ECONNRESET, the half-closed end EPIPE at its next write (connection_lost(BrokenPipeError))', HALF_CLOSED, halfClosedTs],
  ];
  itMatchesCPython(cases);
});
