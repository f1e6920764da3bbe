// The network's events in a trace (src/net/net-trace.ts): connections opened and closed,
// segments and datagrams sent, delivered and lost, faults set on links, for small
// programs on two hosts of a Simulation; and that a trace never changes the run.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  getRunningLoop, openConnection, Simulation, sleep, socket, startServer, type Coro, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { traceFault } from '../../src/net/net-trace.js';
import { network } from '../../src/net/network.js';
import { Trace, type TraceOptions } from '../../src/testing/index.js';
import { bytes, hostLog, upper } from '../_support/host-programs.js';

const out: string[] = [];
const log = hostLog(out);

beforeEach(() => {
  _resetSimulation();
  out.length = 0;
});

function* echoServer(): Coro<void> {
  function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
    for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) {
      writer.write(upper(data));
      yield* writer.drain();
    }
    writer.close();
  }
  yield* startServer(handle, '0.0.0.0', 8888);
  yield* getRunningLoop().createFuture();
}

// Two hosts: a client sends two words to an echo server, the second across a partition.
function streamProgram(): void {
  const sim = new Simulation({ latency: 0.01 });
  sim.addHost('server');
  sim.addHost('client');
  sim.host('server', echoServer);
  sim.client('client', function* client(): Coro<void> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 8888);
    writer.write(bytes('one'));
    log('reply', yield* reader.read(100));
    sim.partition('client', 'server');
    writer.write(bytes('two'));
    yield* sleep(0.5);
    sim.repair('client', 'server');
    log('reply', yield* reader.read(100));
    writer.close();
    yield* writer.waitClosed();
  });
  sim.run();
}

// A datagram program: one dropped, one duplicated, one to a port nobody listens on.
function datagramProgram(): void {
  const sim = new Simulation({ latency: 0.01 });
  sim.addHost('a');
  sim.addHost('b');
  sim.host('b', function* receiver(): Coro<void> {
    const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    s.bind(['0.0.0.0', 9999]);
    s.setblocking(false);
    for (;;) {
      const [data, from] = yield* getRunningLoop().sockRecvfrom(s, 100);
      log('got', data, from);
    }
  });
  sim.client('a', function* sender(): Coro<void> {
    const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    sim.dropDatagrams('a', 'b', 1);
    sim.duplicateDatagrams('a', 'b', 1);
    s.sendto(bytes('lost'), ['10.0.0.2', 9999]);
    s.sendto(bytes('twice'), ['10.0.0.2', 9999]);
    s.sendto(bytes('nobody'), ['10.0.0.2', 7777]);
    yield* sleep(0.1);
    s.close();
  });
  sim.run();
}

function traced(program: () => void, options?: TraceOptions): Trace {
  const trace = new Trace(options).attachNetwork();
  try {
    program();
  } finally {
    trace.detach();
  }
  return trace;
}

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
