import { beforeEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, ConnectionRefusedError, HostError, ValueError, getRunningLoop, repr, run, sleep, socket, StalledError, wrapFuture, type Coro,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { Simulation } from '../../src/runners/simulation.js';
import { world } from '../../src/runtime/world.js';
import { TestLoop } from '../../src/testing/index.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeEach(() => {
  _resetSimulation();
});

// A trace line: the virtual time, the host the code runs on, what happened.
function tracer(lines: string[]): (line: string) => void {
  return (line) => void lines.push(`${getRunningLoop().time()} ${socket.gethostname()} ${line}`);
}

// One connection: read a line, answer it in upper case, close.
function echoServer(log: (line: string) => void, port = 8888): () => Coro<void> {
  return function* server(): Coro<void> {
    const loop = getRunningLoop();
    const srv = new socket.socket();
    srv.bind(['0.0.0.0', port]);
    srv.listen();
    srv.setblocking(false);
    log(repr(srv));
    const [conn, addr] = yield* loop.sockAccept(srv);
    log(`accepted ${repr(conn)} from ${repr(addr)}`);
    const data = yield* loop.sockRecv(conn, 100);
    log(`got ${repr(data)}`);
    yield* loop.sockSendall(conn, bytes(text(data).toUpperCase()));
    conn.close();
    srv.close();
  };
}

function echoClient(log: (line: string) => void, host = 'server', port = 8888): () => Coro<string> {
  return function* client(): Coro<string> {
    const loop = getRunningLoop();
    const [family, type, proto, , address] = (yield* loop.getaddrinfo(host, port, { type: socket.SOCK_STREAM }))[0]!;
    const c = new socket.socket(family, type, proto);
    c.setblocking(false);
    yield* loop.sockConnect(c, address);
    log(`connected ${repr(c)}`);
    yield* loop.sockSendall(c, bytes('hello'));
    const reply = text(yield* loop.sockRecv(c, 100));
    log(`reply ${reply}`);
    c.close();
    return reply;
  };
}

describe('Simulation', () => {
  it('runs a client host driving a server host: sock_* methods, getaddrinfo of the host name, latency in the times', () => {
    const lines: string[] = [];
    const log = tracer(lines);
    const sim = new Simulation({ latency: 0.01 });
    const server = sim.host('server', echoServer(log));
    const client = sim.client('client', echoClient(log));
    sim.run();
    expect(client.result()).toBe('HELLO');
    expect(server.done()).toBe(true);
    // getaddrinfo runs in the client's default executor (a thread on its host): the
    // connect starts at 0; SYN 0.01, SYN-ACK 0.02, ACK and data 0.03, reply 0.04.
    expect(lines).toEqual([
      "0 server <socket.socket fd=6, family=2, type=1, proto=0, laddr=('0.0.0.0', 8888)>",
      "0.02 client connected <socket.socket fd=6, family=2, type=1, proto=6, laddr=('10.0.0.2', 32768), raddr=('10.0.0.1', 8888)>",
      "0.03 server accepted <socket.socket fd=7, family=2, type=1, proto=0, laddr=('10.0.0.1', 8888), raddr=('10.0.0.2', 32768)> from ['10.0.0.2', 32768]",
      "0.03 server got b'hello'",
      '0.04 client reply HELLO',
    ]);
  });

  it('uses the latency set for a pair of hosts, both ways, and the default for the others', () => {
    const lines: string[] = [];
    const log = tracer(lines);
    const sim = new Simulation();
    sim.addHost('server', ['192.168.1.10'], ['fd00::10']);
    sim.addHost('near', ['192.168.1.20']);
    sim.setLatency('server', 'near', 0.25);
    sim.host('server', function* serve(): Coro<void> {
      const loop = getRunningLoop();
      const srv = new socket.socket();
      srv.bind(['0.0.0.0', 7]);
      srv.listen();
      srv.setblocking(false);
      for (let i = 0; i < 2; i++) {
        const [conn] = yield* loop.sockAccept(srv);
        yield* loop.sockSendall(conn, yield* loop.sockRecv(conn, 100));
        conn.close();
      }
    });
    const ping = (name: string) => function* pinger(): Coro<void> {
      const loop = getRunningLoop();
      const c = new socket.socket();
      c.setblocking(false);
      yield* loop.sockConnect(c, ['192.168.1.10', 7]);
      yield* loop.sockSendall(c, bytes(name));
      log(`echo ${text(yield* loop.sockRecv(c, 100))}`);
      c.close();
    };
    sim.client('near', ping('near'));
    sim.client('far', ping('far'));
    sim.run();
    // Four one-way trips each: SYN, SYN-ACK, the data (with the ACK), the echo.
    expect(lines).toEqual(['0.004 far echo far', '1 near echo near']);
  });

  it('lets the default host talk to a host once it has an address, from its own asyncio.run()', () => {
    const lines: string[] = [];
    const log = tracer(lines);
    const sim = new Simulation({ latency: 0.5 });
    sim.addAddresses('localhost', ['10.0.0.100']);
    const server = sim.host('server', echoServer(log));
    const reply = run((function* main(): Coro<string> {
      const answer = yield* echoClient(log)();
      // The server's process ends after its answer: its future says so.
      yield* wrapFuture(server.future);
      log(`server exit code ${server.exitcode}`);
      return answer;
    })());
    expect(reply).toBe('HELLO');
    expect(lines).toEqual([
      "0 server <socket.socket fd=6, family=2, type=1, proto=0, laddr=('0.0.0.0', 8888)>",
      "1 localhost connected <socket.socket fd=6, family=2, type=1, proto=6, laddr=('10.0.0.100', 32768), raddr=('10.0.0.1', 8888)>",
      "1.5 server accepted <socket.socket fd=7, family=2, type=1, proto=0, laddr=('10.0.0.1', 8888), raddr=('10.0.0.100', 32768)> from ['10.0.0.100', 32768]",
      "1.5 server got b'hello'",
      '2 localhost reply HELLO',
      '2 localhost server exit code 0',
    ]);
  });

  it('refuses a connection from the default host while it has no address: Network is unreachable', () => {
    const sim = new Simulation();
    sim.addHost('server');
    expect(() => run((function* main(): Coro<void> {
      const c = new socket.socket();
      c.setblocking(false);
      try {
        yield* getRunningLoop().sockConnect(c, ['10.0.0.1', 80]);
      } finally {
        c.close();
      }
    })())).toThrow(/^\[Errno 101\] Network is unreachable$/);
  });

  it('reports the first host whose main() raised, with the host, the pid and the exception as cause', () => {
    const sim = new Simulation();
    sim.host('server', function* server(): Coro<void> {
      yield* sleep(1);
      throw new ValueError('bad config');
    });
    const client = sim.client('client', function* client(): Coro<void> {
      yield* sleep(5);
    });
    let error: unknown;
    try {
      sim.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).toBe("host 'server' (pid 2) failed: ValueError('bad config')");
    expect((error as HostError).cause).toBeInstanceOf(ValueError);
    expect([(error as HostError).host, (error as HostError).pid]).toEqual(['server', 2]);
    expect(client.isAlive()).toBe(true);
    // Reported once: the next run() goes on until the client is done.
    sim.run();
    expect(client.exitcode).toBe(0);
  });

  it('reports a client that cannot connect with the exception its main() raised', () => {
    const sim = new Simulation();
    sim.addHost('server');
    sim.client('client', echoClient(() => undefined));
    expect(() => sim.run()).toThrow(HostError);
    expect(sim.processes[0]!.exception()).toBeInstanceOf(ConnectionRefusedError);
  });

  it('reports a stall, naming what each host waits for', () => {
    const sim = new Simulation();
    sim.host('server', echoServer(() => undefined));
    sim.client('client', function* client(): Coro<void> {
      const loop = getRunningLoop();
      const c = new socket.socket();
      c.setblocking(false);
      yield* loop.sockConnect(c, ['10.0.0.1', 8888]);
      // Neither side sends: both wait to read, forever.
      yield* loop.sockRecv(c, 100);
    });
    let message = '';
    try {
      sim.run();
    } catch (e) {
      expect(e).toBeInstanceOf(StalledError);
      message = (e as Error).message;
    }
    expect(message.replace(/ at (?!t=)[^\s>\]]+/g, ' at …')).toBe([
      'the simulation stalled at t=0.003: every process waits, and nothing can ever wake one',
      "host 'server' (pid 2):",
      '  pending tasks:',
      "    <Task pending name='Task-1' coro=<server() running at …> wait_for=<Future pending cb=[BaseSelectorEventLoop._sock_read_done()(), Task.task_wakeup()]> cb=[_run_until_complete_cb() at …]>",
      '  sockets waited on:',
      "    <socket.socket fd=7, family=2, type=1, proto=0, laddr=('10.0.0.1', 8888), raddr=('10.0.0.2', 32768)> to read",
      "host 'client' (pid 3):",
      '  pending tasks:',
      "    <Task pending name='Task-1' coro=<client() running at …> wait_for=<Future pending cb=[BaseSelectorEventLoop._sock_read_done()(), Task.task_wakeup()]> cb=[_run_until_complete_cb() at …]>",
      '  sockets waited on:',
      "    <socket.socket fd=6, family=2, type=1, proto=0, laddr=('10.0.0.2', 32768), raddr=('10.0.0.1', 8888)> to read",
      'complete or cancel what waits, or schedule what would wake it',
    ].join('\n'));
  });

  it('gives the same trace every run (determinism)', () => {
    const scenario = (): string[] => {
      _resetSimulation();
      const lines: string[] = [];
      const log = tracer(lines);
      const sim = new Simulation({ latency: 0 });
      sim.host('server', function* server(): Coro<void> {
        const loop = getRunningLoop();
        const srv = new socket.socket();
        srv.bind(['0.0.0.0', 9]);
        srv.listen(8);
        srv.setblocking(false);
        for (let i = 0; i < 3; i++) {
          const [conn, addr] = yield* loop.sockAccept(srv);
          log(`from ${repr(addr)}: ${text(yield* loop.sockRecv(conn, 10))}`);
          conn.close();
        }
      });
      for (const name of ['a', 'b', 'c']) {
        sim.client(name, function* client(): Coro<void> {
          const loop = getRunningLoop();
          const c = new socket.socket();
          c.setblocking(false);
          yield* loop.sockConnect(c, ['10.0.0.1', 9]);
          log('connected');
          yield* loop.sockSendall(c, bytes(name));
          c.close();
        });
      }
      sim.run();
      return lines;
    };
    const first = scenario();
    expect(first).toEqual([
      '0 a connected',
      '0 b connected',
      '0 c connected',
      "0 server from ['10.0.0.2', 32768]: a",
      "0 server from ['10.0.0.3', 32768]: b",
      "0 server from ['10.0.0.4', 32768]: c",
    ]);
    expect(scenario()).toEqual(first);
  });

  it('adds hosts with the first free automatic addresses, and checks latencies', () => {
    const sim = new Simulation();
    sim.addHost('a', ['10.0.0.1']);
    const b = sim.addHost('b');
    expect([b.ipv4, b.ipv6]).toEqual([['10.0.0.2'], ['fd00::2']]);
    expect(sim.network.getHost('b')).toBe(b);
    expect(() => sim.addHost('b')).toThrow(/^a host named 'b' already exists$/);
    expect(() => sim.setLatency('a', 'nowhere', 1)).toThrow(/^no host is named 'nowhere'$/);
    expect(() => { sim.latency = -1; }).toThrow(/^a latency must be a finite number of seconds >= 0, got -1$/);
    sim.loopbackLatency = 0.5;
    expect(sim.network.loopbackLatency).toBe(0.5);
  });

  it('sets link models both ways, and checks their values', () => {
    const sim = new Simulation({ seed: 9 });
    expect(sim.network.seed).toBe(9);
    const a = sim.addHost('a');
    const b = sim.addHost('b');
    sim.setLatency('a', 'b', { min: 0.01, max: 0.02 });
    sim.setBandwidth(a, 'b', 1000);
    sim.setDatagramFaults('a', b, { loss: 0.1, duplicate: 0.2 });
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const m = sim.network.model(from, to);
      expect([m.latency, m.bandwidth, m.loss, m.duplicate]).toEqual([{ min: 0.01, max: 0.02 }, 1000, 0.1, 0.2]);
    }
    sim.setBandwidth('a', 'b', null);
    expect(sim.network.model(a, b).bandwidth).toBe(Infinity);
    sim.delayDatagrams('a', 'b', 0.5, 2);
    expect(sim.network.model(a, b).delays).toEqual([0.5, 0.5]);
    expect(sim.network.model(b, a).delays).toEqual([]);
    expect(() => new Simulation({ seed: 1.5 })).toThrow(/^the seed must be an integer, got 1.5$/);
    expect(() => sim.setLatency('a', 'b', { min: 0.2, max: 0.1 })).toThrow(/^a latency range needs min <= max, got min=0.2, max=0.1$/);
    expect(() => sim.setLatency('a', 'b', { min: -1, max: 0.1 })).toThrow(/^a latency must be a finite number of seconds >= 0, got -1$/);
    expect(() => sim.setBandwidth('a', 'b', 0)).toThrow(/^a bandwidth must be a number of bytes per second > 0, got 0$/);
    expect(() => sim.setDatagramFaults('a', 'b', { loss: 1.5 })).toThrow(/^a probability must be a number in \[0, 1\], got 1.5$/);
    expect(() => sim.setDatagramFaults('a', 'b', { loss: 0.6, duplicate: 0.6 })).toThrow(/add up to more than 1/);
    expect(() => sim.delayDatagrams('a', 'b', 0.1, 1.5)).toThrow(/^a count must be an integer >= 0, not 1.5$/);
    expect(() => sim.setBandwidth('a', 'c', 10)).toThrow(/^no host is named 'c'$/);
  });

  it('refuses to run from a running loop', () => {
    const sim = new Simulation();
    expect(() => run((function* main(): Coro<void> {
      sim.run();
    })())).toThrow(/^Simulation.run\(\) cannot be called from a running event loop/);
  });

  it('lets a TestLoop test drive hosts from its loop; the fixture forgets the server left running', () => {
    const t = new TestLoop();
    const sim = new Simulation();
    sim.addAddresses('localhost', ['10.0.0.100']);
    const server = sim.host('server', function* forever(): Coro<void> {
      const loop = getRunningLoop();
      const srv = new socket.socket();
      srv.bind(['0.0.0.0', 8888]);
      srv.listen();
      srv.setblocking(false);
      for (;;) {
        const [conn] = yield* loop.sockAccept(srv);
        yield* loop.sockSendall(conn, yield* loop.sockRecv(conn, 100));
        conn.close();
      }
    });
    const reply = t.loop.runUntilComplete(echoClient(() => undefined)());
    expect(reply).toBe('hello');
    expect([server.isAlive(), t.loop.time()]).toEqual([true, 0.004]);
    t.finish();
    expect([world.hasEvents, sim.network.getHost('server')]).toEqual([false, undefined]);
  });

  it("names the hosts' waits when the default host's loop stalls, or a join does", () => {
    const sim = new Simulation();
    sim.addAddresses('localhost', ['10.0.0.100']);
    const server = sim.host('server', echoServer(() => undefined));
    const normalise = (e: unknown): string => (e as Error).message.replace(/ at (?!t=)[^\s>\]]+/g, ' at …');
    let message = '';
    try {
      run((function* main(): Coro<void> {
        const loop = getRunningLoop();
        const c = new socket.socket();
        c.setblocking(false);
        yield* loop.sockConnect(c, ['10.0.0.1', 8888]);
        yield* loop.sockRecv(c, 100);
      })());
    } catch (e) {
      expect(e).toBeInstanceOf(StalledError);
      message = normalise(e);
    }
    const serverLines = [
      "host 'server' (pid 2):",
      '  pending tasks:',
      "    <Task pending name='Task-1' coro=<server() running at …> wait_for=<Future pending cb=[BaseSelectorEventLoop._sock_read_done()(), Task.task_wakeup()]> cb=[_run_until_complete_cb() at …]>",
      '  sockets waited on:',
      "    <socket.socket fd=7, family=2, type=1, proto=0, laddr=('10.0.0.1', 8888), raddr=('10.0.0.100', 32768)> to read",
    ];
    // The main process's task counter runs on from the earlier tests.
    expect(message.split('\n').slice(0, 2).map((l) => l.replace(/Task-\d+/, 'Task-N'))).toEqual([
      'the event loop stalled at t=0.003: nothing is ready and no timer is scheduled, so nothing can ever wake it',
      "runUntilComplete() waits for <Task pending name='Task-N' coro=<main() running at …> wait_for=<Future pending cb=[BaseSelectorEventLoop._sock_read_done()(), Task.task_wakeup()]> cb=[_run_until_complete_cb() at …]>",
    ]);
    expect(message.split('\n').slice(-6)).toEqual([...serverLines, 'complete or cancel what waits, or schedule what would wake it']);
    // Nobody closed the client's socket: joining the server stalls too, naming its waits.
    let joinMessage = '';
    try {
      server.join();
    } catch (e) {
      expect(e).toBeInstanceOf(StalledError);
      joinMessage = normalise(e);
    }
    expect(joinMessage).toBe([
      "MainThread waits for the process on host 'server' (pid 2) to end, and nothing can ever make that happen",
      ...serverLines,
    ].join('\n'));
  });

  it('runs for a timeout at most, leaving the clock at its end, as a join(timeout) does', () => {
    const ticks: number[] = [];
    const sim = new Simulation();
    const p = sim.host('heartbeat', function* main(): Coro<void> {
      for (;;) {
        yield* sleep(1);
        ticks.push(getRunningLoop().time());
      }
    });
    sim.run({ timeout: 2.5 });
    expect([ticks, sim.network.now, p.isAlive()]).toEqual([[1, 2], 2.5, true]);
    sim.run({ timeout: 1 });
    expect([ticks, sim.network.now]).toEqual([[1, 2, 3], 3.5]);
    expect(() => sim.run({ timeout: -1 })).toThrow(/^the timeout must be a finite number of seconds >= 0, got -1$/);
  });

  it("runs the hosts while the default host's loop blocks in a blocking call", () => {
    const lines: string[] = [];
    const log = tracer(lines);
    const sim = new Simulation();
    sim.client('ticker', function* main(): Coro<void> {
      for (let i = 0; i < 3; i++) {
        yield* sleep(0.5);
        log('tick');
      }
    });
    run((function* main(): Coro<void> {
      log('blocks for 1 s');
      blockingSleep(1);
      log('unblocked');
      yield* sleep(1);
      log('done');
    })());
    expect(lines).toEqual([
      '0 localhost blocks for 1 s',
      '0.5 ticker tick',
      '1 ticker tick',
      '1 localhost unblocked',
      '1.5 ticker tick',
      '2 localhost done',
    ]);
  });
});
