// Small programs on two hosts of a Simulation for the tests of the network's trace events
// and their pictures (test/net/net-trace.test.ts, test/testing/timeline-network.test.ts):
// what they print goes to `out`.

import {
  EventLoop, getRunningLoop, openConnection, Simulation, sleep, socket, startServer, type Coro, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { Trace, type TraceOptions } from '../../src/testing/index.js';
import { bytes, hostLog, upper } from './host-programs.js';

/** What the programs printed, `<time> <host> <args…>` per line. */
export const out: string[] = [];
const log = hostLog(out);

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

/** Two hosts: a client sends two words to an echo server, the second across a partition. */
export function streamProgram(): void {
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

/** A datagram program: one dropped, one duplicated, one to a port nobody listens on. */
export function datagramProgram(): void {
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

/** `program` run under a network trace; the trace. */
export function traced(program: () => void, options?: TraceOptions): Trace {
  const trace = new Trace(options).attachNetwork();
  try {
    program();
  } finally {
    trace.detach();
  }
  return trace;
}


/** One process on the default host: a loop connects to itself and sends 2 bytes, traced. */
export function loopProgram(options?: TraceOptions): Trace {
  const loop = new EventLoop();
  const trace = new Trace(options).attach(loop);
  loop.runUntilComplete((function* main(): Coro<void> {
    const srv = new socket.socket();
    srv.bind(['127.0.0.1', 0]);
    srv.listen();
    srv.setblocking(false);
    const c = new socket.socket();
    c.setblocking(false);
    yield* loop.sockConnect(c, srv.getsockname() as [string, number]);
    const [conn] = yield* loop.sockAccept(srv);
    yield* loop.sockSendall(c, bytes('hi'));
    log('got', yield* loop.sockRecv(conn, 10));
    for (const s of [c, conn, srv]) s.close();
  })());
  trace.detach();
  loop.close();
  return trace;
}
