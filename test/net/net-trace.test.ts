// The network's events in a trace (src/net/net-trace.ts): connections opened and closed,
// segments and datagrams sent, delivered and lost, faults set on links, for small
// programs on two hosts of a Simulation; and that a trace never changes the run.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  EventLoop, getRunningLoop, openConnection, Simulation, sleep, socket, startServer, type Coro, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { _netTracer, isTracing, traceFault, type NetRecord } from '../../src/net/net-trace.js';
import { network } from '../../src/net/network.js';
import { formatTrace, Trace } from '../../src/testing/index.js';
import { bytes, hostLog } from '../_support/host-programs.js';
import { datagramProgram, loopProgram, out, streamProgram, traced } from '../_support/traced-hosts.js';

const log = hostLog(out);

beforeEach(() => {
  _resetSimulation();
  out.length = 0;
});

describe('network events in a trace', () => {
  it('shows a stream: connect, accept, segments sent and delivered, a partition, FINs', () => {
    const trace = traced(streamProgram);
    expect(trace.observerErrors).toEqual([]);
    expect(trace.lines()).toMatchInlineSnapshot(`
      [
        "0.02 connection 1 client 10.0.0.2:32768 -> server 10.0.0.1:8888: connected",
        "0.02 message 1 client -> server: 3 bytes sent",
        "0.03 connection 1 server 10.0.0.1:8888 -> client 10.0.0.2:32768: accepted",
        "0.03 message 1 client -> server: 3 bytes delivered",
        "0.03 message 2 server -> client: 3 bytes sent",
        "0.04 message 2 server -> client: 3 bytes delivered",
        "0.04 fault partition client -> server",
        "0.04 fault partition server -> client",
        "0.04 message 3 client -> server: 3 bytes sent",
        "0.54 fault repair client -> server",
        "0.54 fault repair server -> client",
        "0.55 message 3 client -> server: 3 bytes delivered",
        "0.55 message 4 server -> client: 3 bytes sent",
        "0.56 message 4 server -> client: 3 bytes delivered",
        "0.56 connection 1 client 10.0.0.2:32768 -> server 10.0.0.1:8888: FIN sent",
      ]
    `);
  });

  it('shows datagrams sent, delivered twice, dropped and refused by the host', () => {
    const trace = traced(datagramProgram);
    expect(trace.lines()).toMatchInlineSnapshot(`
      [
        "0.0  fault drop 1 datagram a -> b",
        "0.0  fault duplicate 1 datagram a -> b",
        "0.0  message 1 a -> b: datagram of 4 bytes sent",
        "0.0  message 1 a -> b: datagram of 4 bytes lost (dropped)",
        "0.0  message 2 a -> b: datagram of 5 bytes sent",
        "0.0  message 3 a -> b: datagram of 6 bytes sent",
        "0.01 message 2 a -> b: datagram of 5 bytes delivered",
        "0.01 message 2 a -> b: datagram of 5 bytes delivered",
        "0.01 message 3 a -> b: datagram of 6 bytes lost (no socket)",
      ]
    `);
  });
});

// Connections that end badly: one refused, one reset (closed with unread data), one whose
// SYNs a partition eats until it times out.
function endingsProgram(): void {
  const sim = new Simulation({ latency: 0.01 });
  sim.addHost('server');
  sim.addHost('client');
  sim.host('server', function* server(): Coro<void> {
    function* handle(_reader: StreamReader, writer: StreamWriter): Coro<void> {
      writer.write(bytes('unread'));
      yield* writer.drain();
    }
    yield* startServer(handle, '0.0.0.0', 8888);
    yield* getRunningLoop().createFuture();
  });
  sim.client('client', function* client(): Coro<void> {
    try {
      yield* openConnection('10.0.0.1', 9);
    } catch (e) {
      log((e as Error).constructor.name);
    }
    const loop = getRunningLoop();
    const c = new socket.socket();
    c.setblocking(false);
    yield* loop.sockConnect(c, ['10.0.0.1', 8888]);
    yield* sleep(0.1);
    // Closed with the server's bytes unread: a RST, not a FIN.
    c.close();
    yield* sleep(0.1);
    sim.partition('client', 'server');
    try {
      yield* openConnection('10.0.0.1', 8888);
    } catch (e) {
      log((e as Error).constructor.name);
    }
  });
  sim.run();
}

describe('connections in a trace', () => {
  it('shows a refused connect, a reset and a connect timing out', () => {
    const trace = traced(endingsProgram, { kinds: ['connection', 'fault'] });
    expect(out).toEqual(['0.02 client ConnectionRefusedError', '127.24000000000001 client TimeoutError']);
    expect(trace.lines()).toMatchInlineSnapshot(`
      [
        "0.02   connection 1 client 10.0.0.2:32768 -> server 10.0.0.1:9: refused",
        "0.04   connection 2 client 10.0.0.2:32769 -> server 10.0.0.1:8888: connected",
        "0.05   connection 2 server 10.0.0.1:8888 -> client 10.0.0.2:32769: accepted",
        "0.14   connection 2 client 10.0.0.2:32769 -> server 10.0.0.1:8888: RST sent",
        "0.24   fault partition client -> server",
        "0.24   fault partition server -> client",
        "127.24 connection 3 client 10.0.0.2:32770 -> server 10.0.0.1:8888: timed out",
      ]
    `);
  });

  it('numbers a connection once for both ends', () => {
    const trace = traced(streamProgram, { kinds: ['connection'] });
    const events = trace.events.filter((e) => e.kind === 'connection');
    expect(events.map((e) => [e.connection, e.action, e.from, e.to, e.fromAddress, e.toAddress])).toEqual([
      ['connection 1', 'connected', 'client', 'server', '10.0.0.2:32768', '10.0.0.1:8888'],
      ['connection 1', 'accepted', 'server', 'client', '10.0.0.1:8888', '10.0.0.2:32768'],
      ['connection 1', 'fin', 'client', 'server', '10.0.0.2:32768', '10.0.0.1:8888'],
    ]);
  });
});

describe('message numbers', () => {
  it('are the network\'s: counted traced or not, from 1 after a reset', () => {
    streamProgram();
    const untraced = network.messages;
    _resetSimulation();
    const trace = traced(streamProgram);
    expect(network.messages).toBe(untraced);
    const sent = trace.events.filter((e) => e.kind === 'message' && e.action === 'sent').map((e) => e.kind === 'message' && e.message);
    expect(sent).toEqual([1, 2, 3, 4]);
    expect(untraced).toBe(4);
  });
});

describe('a traced run', () => {
  for (const [name, program] of [['stream', streamProgram], ['datagram', datagramProgram], ['endings', endingsProgram]] as const) {
    it(`is the run untraced (${name}): same output, same messages`, () => {
      program();
      const plain = [...out];
      const messages = network.messages;
      _resetSimulation();
      out.length = 0;
      const trace = traced(program);
      expect(trace.events.length).toBeGreaterThan(0);
      expect(out).toEqual(plain);
      expect(network.messages).toBe(messages);
    });

    it(`traces the same text twice (${name})`, () => {
      const first = traced(program);
      _resetSimulation();
      const second = traced(program);
      expect(String(second)).toBe(String(first));
      expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events));
    });
  }
});

describe('a loop\'s trace', () => {
  const loopKinds = ['iteration', 'run', 'timer', 'step', 'suspend', 'done'] as const;

  it('is the same with a trace of the network attached beside it', () => {
    const alone = String(loopProgram({ kinds: [...loopKinds] }));
    _resetSimulation();
    const beside = new Trace().attachNetwork();
    let withNetwork: string;
    try {
      withNetwork = String(loopProgram({ kinds: [...loopKinds] }));
    } finally {
      beside.detach();
    }
    expect(withNetwork).toBe(alone);
    expect(beside.events.map((e) => e.kind)).toContain('message');
  });

  it('is its loop events\' text with the network\'s events left out', () => {
    const loopOnly = loopProgram({ kinds: [...loopKinds] }).lines();
    _resetSimulation();
    const all = loopProgram().events.filter((e) => !['connection', 'message', 'fault'].includes(e.kind));
    expect(formatTrace(all)).toEqual(loopOnly);
  });
});

describe('kinds', () => {
  it('filter the network\'s events like the loop\'s', () => {
    const all = traced(streamProgram);
    _resetSimulation();
    const faults = traced(streamProgram, { kinds: ['fault'] });
    expect(faults.lines()).toEqual(all.lines().filter((l) => l.includes(' fault ')));
    expect(faults.events.map((e) => e.kind)).toEqual(['fault', 'fault', 'fault', 'fault']);
    _resetSimulation();
    const messages = traced(streamProgram, { kinds: ['message'] });
    expect(messages.events.every((e) => e.kind === 'message')).toBe(true);
    expect(messages.events).toHaveLength(8);
  });
});

describe('traceFault', () => {
  it('puts a fault in words in the trace, on its host\'s lane', () => {
    const sim = new Simulation();
    const b = sim.addHost('b');
    const trace = new Trace().attachNetwork();
    traceFault('crash b', b);
    traceFault('clocks drift');
    trace.detach();
    expect(trace.lines()).toEqual(['0.0 fault crash b', '0.0 fault clocks drift']);
    expect(trace.events.map((e) => e.kind === 'fault' && e.host)).toEqual(['b', undefined]);
  });

  it('reports crashes, restarts, kills, resets and clock changes of a Simulation', () => {
    const sim = new Simulation({ latency: 0.01 });
    sim.addHost('server');
    sim.addHost('client');
    const server = sim.host('server', function* idle(): Coro<void> {
      yield* getRunningLoop().createFuture();
    });
    const trace = new Trace().attachNetwork();
    sim.setClock('client', { rate: 1.5 });
    sim.setClock('client', { offset: 2 });
    sim.reset('client', 'server');
    sim.client('ticker', function* tick(): Coro<void> {
      yield* sleep(1);
    });
    sim.run();
    sim.kill(server);
    sim.kill(server);
    sim.restart('server');
    sim.crash('server');
    trace.detach();
    expect(trace.lines()).toEqual([
      '0.0 fault clock client rate 1.5',
      '0.0 fault clock client offset 2.0',
      '0.0 fault reset client <-> server',
      '1.0 fault kill server pid 2',
      '1.0 fault restart server',
      '1.0 fault crash server',
    ]);
    expect(trace.events.map((e) => e.kind === 'fault' && e.host)).toEqual(['client', 'client', undefined, 'server', 'server', 'server']);
  });

  it('does nothing with no trace attached', () => {
    expect(_netTracer).toBeUndefined();
    expect(isTracing()).toBe(false);
    traceFault('crash b');
    const trace = new Trace().attachNetwork();
    expect(isTracing()).toBe(true);
    trace.detach();
    expect(trace.events).toEqual([]);
  });
});

describe('Trace.attachNetwork', () => {
  it('records the network alone, not a loop\'s decisions', () => {
    const trace = traced(streamProgram);
    expect(new Set(trace.events.map((e) => e.kind))).toEqual(new Set(['connection', 'message', 'fault']));
    expect(trace.loop).toBeUndefined();
  });

  it('refuses a trace already attached', () => {
    const trace = new Trace().attachNetwork();
    const loop = new EventLoop();
    try {
      expect(() => trace.attachNetwork()).toThrow(/^this trace is already attached to the network; detach\(\) it first$/);
      expect(() => trace.attach(loop)).toThrow(/^this trace is already attached to the network; detach\(\) it first$/);
    } finally {
      trace.detach();
      loop.close();
    }
  });
});

describe('a trace attached to a loop', () => {
  it('records the network\'s events among the loop\'s, in the order they happen', () => {
    const trace = loopProgram({ kinds: ['step', 'connection', 'message'] });
    expect(trace.lines()).toMatchInlineSnapshot(`
      [
        "0.0 main: start",
        "0.0 connection 1 localhost 127.0.0.1:32769 -> localhost 127.0.0.1:32768: connected",
        "0.0 main: resume after future 1",
        "0.0 connection 1 localhost 127.0.0.1:32768 -> localhost 127.0.0.1:32769: accepted",
        "0.0 message 1 localhost -> localhost: 2 bytes sent",
        "0.0 message 1 localhost -> localhost: 2 bytes delivered",
        "0.0 main: resume after future 3",
        "0.0 connection 1 localhost 127.0.0.1:32769 -> localhost 127.0.0.1:32768: FIN sent",
        "0.0 connection 1 localhost 127.0.0.1:32768 -> localhost 127.0.0.1:32769: FIN sent",
      ]
    `);
  });
});

describe('held links in a trace', () => {
  it('shows the hold, the message waiting, the release and the delivery at the release', () => {
    const trace = traced(() => {
      const sim = new Simulation({ latency: 0.01 });
      sim.addHost('a');
      sim.addHost('b');
      sim.host('b', function* receiver(): Coro<void> {
        const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
        s.bind(['0.0.0.0', 9999]);
        s.setblocking(false);
        log('got', (yield* getRunningLoop().sockRecvfrom(s, 100))[0]);
      });
      sim.client('a', function* sender(): Coro<void> {
        const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
        sim.hold('a', 'b');
        s.sendto(bytes('held'), ['10.0.0.2', 9999]);
        yield* sleep(0.5);
        sim.release('a', 'b');
        yield* sleep(0.1);
        s.close();
      });
      sim.run();
    });
    expect(out).toEqual(["0.5 b got b'held'"]);
    expect(trace.lines()).toEqual([
      '0.0 fault hold a -> b',
      '0.0 message 1 a -> b: datagram of 4 bytes sent',
      '0.5 fault release a -> b',
      '0.5 message 1 a -> b: datagram of 4 bytes delivered',
    ]);
  });
});

describe('a trace\'s network hook', () => {
  it('contains its own failures: an observer error, and the run goes on', () => {
    const trace = new Trace().attachNetwork();
    try {
      const bad = { kind: 'fault', get text(): string {
        throw new TypeError('no words');
      } };
      expect(() => _netTracer!.network(bad as unknown as NetRecord)).not.toThrow();
    } finally {
      trace.detach();
    }
    expect(trace.lines()).toEqual(['0.0 observer error in network: TypeError: no words']);
    expect(trace.observerErrors).toHaveLength(1);
  });
});
