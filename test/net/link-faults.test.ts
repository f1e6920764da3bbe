// Faults on one host's loopback link against CPython 3.13.2 over the network's twin (a
// held link released, datagrams dropped and duplicated, a connect across a partition
// retried after the repair), and the fault API's own rules (docs/network.md, "Faults").

import { beforeEach, describe, expect, it } from 'vitest';
import {
  DatagramProtocol, getRunningLoop, openConnection, Simulation, sleep, startServer, TimeoutError, ValueError, waitFor,
  type Coro, type DatagramTransport, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import type { SockAddr } from '../../src/net/address.js';
import { world } from '../../src/runtime/world.js';
import { bytes, describePrograms, log, type NetProgram } from '../_support/net-programs.js';

const upper = (d: Uint8Array): Uint8Array => bytes(new TextDecoder().decode(d).toUpperCase());

const PY_ECHO_SERVER = `async def handle(reader, writer):
    while data := await reader.read(100):
        log('server got', data)
        writer.write(data.upper())
    log('server eof')
    writer.close()
`;

function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
  for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) {
    log('server got', data);
    writer.write(upper(data));
  }
  log('server eof');
  writer.close();
}

function* readOrTimeout(reader: StreamReader, timeout: number): Coro<void> {
  try {
    log('read', yield* waitFor(reader.read(100), timeout));
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    log('read timed out');
  }
}

const programs: NetProgram[] = [
  {
    name: 'a held loopback link keeps a stream\'s bytes, both ways, until released',
    python: `import net_twin
${PY_ECHO_SERVER}
async def read_or_timeout(reader, timeout):
    try:
        log('read', await asyncio.wait_for(reader.read(100), timeout))
    except TimeoutError:
        log('read timed out')
async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
    log('connected')
    await asyncio.sleep(0.05)
    net_twin.hold('localhost', 'localhost')
    writer.write(b'one')
    await asyncio.sleep(0.1)
    writer.write(b'two')
    await read_or_timeout(reader, 0.2)
    net_twin.release('localhost', 'localhost')
    log('released')
    await read_or_timeout(reader, 0.2)
    writer.close()
    await writer.wait_closed()
    server.close()
    await asyncio.sleep(0.1)
    log('end')
`,
    *main() {
      const sim = new Simulation();
      const server = yield* startServer(handle, '127.0.0.1', 8888);
      const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
      log('connected');
      yield* sleep(0.05);
      sim.hold('localhost', 'localhost');
      writer.write(bytes('one'));
      yield* sleep(0.1);
      writer.write(bytes('two'));
      yield* readOrTimeout(reader, 0.2);
      sim.release('localhost', 'localhost');
      log('released');
      yield* readOrTimeout(reader, 0.2);
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* sleep(0.1);
      log('end');
    },
  },
  {
    name: 'datagrams on the loopback link dropped, duplicated, and lost in a partition',
    python: `import net_twin
class Echo(asyncio.DatagramProtocol):
    def connection_made(self, t):
        self.t = t
    def datagram_received(self, data, addr):
        log('server got', data)
        self.t.sendto(data.upper(), addr)
class Client(asyncio.DatagramProtocol):
    def datagram_received(self, data, addr):
        log('client got', data)
async def main():
    loop = asyncio.get_running_loop()
    st, _ = await loop.create_datagram_endpoint(Echo, local_addr=('127.0.0.1', 9999))
    ct, _ = await loop.create_datagram_endpoint(Client, remote_addr=('127.0.0.1', 9999))
    net_twin.drop_datagrams('localhost', 'localhost', 2)
    net_twin.duplicate_datagrams('localhost', 'localhost', 1)
    for w in (b'a', b'b', b'c'):
        ct.sendto(w)
    await asyncio.sleep(0.1)
    net_twin.partition('localhost', 'localhost')
    ct.sendto(b'd')
    await asyncio.sleep(0.1)
    net_twin.repair()
    ct.sendto(b'e')
    await asyncio.sleep(0.1)
    ct.close()
    st.close()
    await asyncio.sleep(0)
    log('end')
`,
    *main() {
      class Echo extends DatagramProtocol {
        t!: DatagramTransport;
        override connectionMade(t: DatagramTransport): void {
          this.t = t;
        }
        override datagramReceived(data: Uint8Array, addr: SockAddr): void {
          log('server got', data);
          this.t.sendto(upper(data), addr);
        }
      }
      class Client extends DatagramProtocol {
        override datagramReceived(data: Uint8Array): void {
          log('client got', data);
        }
      }
      const sim = new Simulation();
      const loop = getRunningLoop();
      const [st] = yield* loop.createDatagramEndpoint(() => new Echo(), { localAddr: ['127.0.0.1', 9999] });
      const [ct] = yield* loop.createDatagramEndpoint(() => new Client(), { remoteAddr: ['127.0.0.1', 9999] });
      sim.dropDatagrams('localhost', 'localhost', 2);
      sim.duplicateDatagrams('localhost', 'localhost', 1);
      for (const w of ['a', 'b', 'c']) ct.sendto(bytes(w));
      yield* sleep(0.1);
      sim.partition('localhost', 'localhost');
      ct.sendto(bytes('d'));
      yield* sleep(0.1);
      sim.repair();
      ct.sendto(bytes('e'));
      yield* sleep(0.1);
      ct.close();
      st.close();
      yield* sleep(0);
      log('end');
    },
  },
  {
    name: 'a connect across a loopback partition: wait_for times out, a SYN retry after the repair connects',
    python: `import net_twin
${PY_ECHO_SERVER}
async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    net_twin.partition('localhost', 'localhost')
    loop.call_later(2, net_twin.repair)
    try:
        await asyncio.wait_for(asyncio.open_connection('127.0.0.1', 8888), 0.5)
    except TimeoutError:
        log('open_connection timed out')
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
    log('connected')
    writer.write(b'hello')
    log('read', await reader.read(100))
    writer.close()
    await writer.wait_closed()
    server.close()
    await asyncio.sleep(0.1)
    log('end')
`,
    *main() {
      const sim = new Simulation();
      const loop = getRunningLoop();
      const server = yield* startServer(handle, '127.0.0.1', 8888);
      sim.partition('localhost', 'localhost');
      loop.callLater(2, () => sim.repair());
      try {
        yield* waitFor(openConnection('127.0.0.1', 8888), 0.5);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log('open_connection timed out');
      }
      const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
      log('connected');
      writer.write(bytes('hello'));
      log('read', yield* reader.read(100));
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* sleep(0.1);
      log('end');
    },
  },
];

describePrograms('faults on the loopback link against CPython over the twin', programs);

describe('Simulation faults', () => {
  beforeEach(() => {
    world._reset();
    _resetNetwork();
  });

  it('throws ValueError for an unknown host and for a count that is no integer >= 0', () => {
    const sim = new Simulation();
    sim.addHost('a');
    expect(() => sim.partition('a', ['b'])).toThrow(ValueError);
    expect(() => sim.partition('a', ['b'])).toThrow(/^no host is named 'b'$/);
    expect(() => sim.hold('x', 'a')).toThrow(/^no host is named 'x'$/);
    expect(() => sim.dropDatagrams('a', 'a', -1)).toThrow(/^a count must be an integer >= 0, not -1$/);
    expect(() => sim.duplicateDatagrams('a', 'a', 1.5)).toThrow(/^a count must be an integer >= 0, not 1.5$/);
  });

  it('cuts both ways unless oneWay, and repairs every link with no groups', () => {
    const sim = new Simulation();
    const [a, b, c] = ['a', 'b', 'c'].map((n) => sim.addHost(n)) as [ReturnType<Simulation['addHost']>, ReturnType<Simulation['addHost']>, ReturnType<Simulation['addHost']>];
    sim.partition(a, ['b', 'c']);
    const cut = (x: typeof a, y: typeof a): boolean => network.isPartitioned(x, y);
    expect([cut(a, b), cut(b, a), cut(a, c), cut(c, a), cut(b, c)]).toEqual([true, true, true, true, false]);
    sim.repair('a', 'b', { oneWay: true });
    expect([cut(a, b), cut(b, a)]).toEqual([false, true]);
    sim.partition('b', 'c', { oneWay: true });
    expect([cut(b, c), cut(c, b)]).toEqual([true, false]);
    sim.repair();
    expect([cut(b, a), cut(a, c), cut(c, a), cut(b, c)]).toEqual([false, false, false, false]);
  });

  it('releases a held link\'s packets in order at the release, before packets sent later', () => {
    const sim = new Simulation();
    const a = sim.addHost('a');
    const b = sim.addHost('b');
    const seen: string[] = [];
    const arrive = (what: string) => (): void => void seen.push(`${world.now} ${what}`);
    sim.hold('a', 'b');
    expect(network.isHeld(a, b)).toBe(true);
    network.deliver(a, b, arrive('1'));
    network.deliverDatagram(a, b, arrive('2'));
    network.deliver(b, a, arrive('back'));
    network.at(1, () => {
      network.deliver(a, b, arrive('3'));
      sim.release('a', 'b');
      network.deliver(a, b, arrive('4'));
    });
    world.runUntil(10, () => false);
    expect(seen).toEqual(['0.001 back', '1 1', '1 2', '1.001 3', '1.001 4']);
  });

  it('delivers what waited out a partition the latency after the repair, in order, with what reached the link meanwhile', () => {
    const sim = new Simulation({ latency: 0.5 });
    const a = sim.addHost('a');
    const b = sim.addHost('b');
    const seen: string[] = [];
    const arrive = (what: string) => (): void => void seen.push(`${world.now} ${what}`);
    sim.partition('a', 'b', { oneWay: true });
    network.deliver(a, b, arrive('segment'));
    network.deliverLossy(a, b, arrive('syn'), () => seen.push(`${world.now} syn lost`));
    network.deliverDatagram(a, b, arrive('datagram'));
    network.at(1, () => network.deliver(a, b, arrive('sent at 1')));
    network.at(1.2, () => sim.repair('a', 'b', { oneWay: true }));
    world.runUntil(10, () => false);
    expect(seen).toEqual(['0.5 syn lost', '1.7 segment', '1.7 sent at 1']);
  });

  it('keeps a link both cut and held until it is both repaired and released', () => {
    const sim = new Simulation();
    const a = sim.addHost('a');
    const b = sim.addHost('b');
    const seen: string[] = [];
    sim.hold('a', 'b');
    sim.partition('a', 'b');
    network.deliver(a, b, () => void seen.push(`${world.now} segment`));
    network.at(1, () => sim.repair());
    world.runUntil(2, () => false);
    expect(seen).toEqual([]);
    network.at(3, () => sim.release('a', 'b'));
    world.runUntil(10, () => false);
    expect(seen).toEqual(['3 segment']);
  });
});
