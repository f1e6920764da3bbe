// Link models between hosts against CPython: latencies drawn per message from a range,
// bandwidth, datagrams lost and duplicated at random (with the simulation's seed), and
// datagrams delayed behind later ones (docs/network.md, "Link models"), in programs
// written in Python (CPython 3.13's loops over the network's twin,
// test/scenario/oracle/hosts_twin.py, drawing from the same generator) and in TypeScript.
// The traces must be the same line for line, times included.

import { beforeEach, describe } from 'vitest';
import {
  getRunningLoop, openConnection, Simulation, sleep, startServer,
  type Coro, type DatagramTransport, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { DatagramProtocol } from '../../src/transports/protocols.js';
import { bytes } from '../_support/host-programs.js';
import { itMatchesCPython, log, newSimulation, prelude, RUN, runTs, type ServerClientCase } from '../_support/server-client.js';

// ---- a stream over a link whose latency is drawn per message ---------------------------

const STREAM_SERVER = `
async def server():
    loop = asyncio.get_running_loop()
    async def handle(reader, writer):
        while data := await reader.read(1000):
            log('got', len(data))
            writer.write(data[:3])
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await loop.create_future()
`;

const STREAM = `${STREAM_SERVER}
async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected')
    for i in range(12):
        writer.write(str(i).encode() * (i + 1))
        await asyncio.sleep(0.004)
    for i in range(6):
        log('reply', await reader.read(1000))
    writer.close()
    await writer.wait_closed()
    log('closed')
`;

function* streamServer(): Coro<void> {
  const loop = getRunningLoop();
  function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
    for (let data = yield* reader.read(1000); data.length > 0; data = yield* reader.read(1000)) {
      log('got', String(data.length));
      writer.write(data.slice(0, 3));
    }
    writer.close();
  }
  yield* startServer(handle, '0.0.0.0', 8888);
  yield* loop.createFuture();
}

function streamClient(): Coro<void> {
  return (function* client(): Coro<void> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    log('connected');
    for (let i = 0; i < 12; i++) {
      writer.write(bytes(String(i).repeat(i + 1)));
      yield* sleep(0.004);
    }
    for (let i = 0; i < 6; i++) log('reply', yield* reader.read(1000));
    writer.close();
    yield* writer.waitClosed();
    log('closed');
  })();
}

function streamRangeTs(): string[] {
  const sim = newSimulation(7);
  sim.setLatency('client', 'server', { min: 0.001, max: 0.03 });
  return runTs(sim, streamServer, streamClient);
}

// ---- bandwidth: a large write takes its size over the bandwidth ------------------------

const BANDWIDTH = `
async def server():
    loop = asyncio.get_running_loop()
    async def handle(reader, writer):
        total = 0
        while data := await reader.read(65536):
            total += len(data)
            log('got', len(data), total)
        writer.close()
    await asyncio.start_server(handle, '0.0.0.0', 8888)
    await loop.create_future()

async def client():
    reader, writer = await asyncio.open_connection('10.0.0.1', 8888)
    log('connected')
    writer.write(b'x' * 300000)
    await writer.drain()
    log('drained')
    writer.write(b'y' * 10)
    writer.close()
    await writer.wait_closed()
    log('closed')
`;

function bandwidthTs(): string[] {
  const sim = newSimulation(0);
  sim.setBandwidth('client', 'server', 100000);
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
      let total = 0;
      for (let data = yield* reader.read(65536); data.length > 0; data = yield* reader.read(65536)) {
        total += data.length;
        log('got', String(data.length), String(total));
      }
      writer.close();
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    yield* loop.createFuture();
  }
  function* client(): Coro<void> {
    const [, writer] = yield* openConnection('10.0.0.1', 8888);
    log('connected');
    writer.write(new Uint8Array(300000).fill(0x78));
    yield* writer.drain();
    log('drained');
    writer.write(new Uint8Array(10).fill(0x79));
    writer.close();
    yield* writer.waitClosed();
    log('closed');
  }
  return runTs(sim, server, client);
}

// ---- datagrams: drawn latencies reorder them; random loss and duplication; delays ------

const DATAGRAMS = `
class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        log('got', data)

async def server():
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(Echo, local_addr=('0.0.0.0', 9999))
    await loop.create_future()

async def client():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.01)
    transport, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, remote_addr=('10.0.0.1', 9999))
    for i in range(16):
        transport.sendto(b'd%d' % i)
        await asyncio.sleep(0.002)
    await asyncio.sleep(0.2)
    log('done')
    transport.close()
`;

class Echo extends DatagramProtocol {
  override datagramReceived(data: Uint8Array): void {
    log('got', data);
  }
}

function datagramsTs(seed: number, setup: (sim: Simulation) => void): string[] {
  const sim = newSimulation(seed);
  setup(sim);
  function* server(): Coro<void> {
    const loop = getRunningLoop();
    yield* loop.createDatagramEndpoint(() => new Echo(), { localAddr: ['0.0.0.0', 9999] });
    yield* loop.createFuture();
  }
  function* client(): Coro<void> {
    const loop = getRunningLoop();
    yield* sleep(0.01);
    const [transport] = yield* loop.createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['10.0.0.1', 9999] });
    for (let i = 0; i < 16; i++) {
      (transport as DatagramTransport).sendto(bytes(`d${i}`));
      yield* sleep(0.002);
    }
    yield* sleep(0.2);
    log('done');
    transport.close();
  }
  return runTs(sim, server, client);
}

beforeEach(() => {
  _resetSimulation();
});

describe('link models between hosts against CPython over the twin', () => {
  // Each case's Python program starts with the prelude at its seed and its setup.
  const setups = new Map<string, [number, string]>();
  const cases: ServerClientCase[] = [];
  const add = (name: string, seed: number, setup: string, python: string, ts: () => string[]): void => {
    setups.set(name, [seed, setup]);
    cases.push([name, python, ts]);
  };
  add('a stream over a link with drawn latencies keeps its order', 7, "sim.set_latency('client', 'server', (0.001, 0.03))", STREAM, streamRangeTs);
  add('a 300 kB write over 100 kB/s takes its time on the wire', 0, "sim.set_bandwidth('client', 'server', 100000)", BANDWIDTH, bandwidthTs);
  add('datagrams with drawn latencies overtake each other', 11, "sim.set_latency('client', 'server', (0.001, 0.01))", DATAGRAMS,
    () => datagramsTs(11, (sim) => sim.setLatency('client', 'server', { min: 0.001, max: 0.01 })));
  add('datagrams lost and duplicated at random with the seed', 3, "sim.set_datagram_faults('client', 'server', loss=0.25, duplicate=0.2)", DATAGRAMS,
    () => datagramsTs(3, (sim) => sim.setDatagramFaults('client', 'server', { loss: 0.25, duplicate: 0.2 })));
  add('datagrams delayed behind later ones, over a bandwidth', 0, "sim.delay_datagrams('client', 'server', 0.005, 3)\nsim.set_bandwidth('client', 'server', 2000)", DATAGRAMS,
    () => datagramsTs(0, (sim) => {
      sim.delayDatagrams('client', 'server', 0.005, 3);
      sim.setBandwidth('client', 'server', 2000);
    }));
  itMatchesCPython(cases, (python, name) => {
    const [seed, setup] = setups.get(name)!;
    return `${prelude(seed, setup)}\n${python}\n${RUN}`;
  });
});
