// Simulation.crash / restart / reset: what the crashed process says (exit code -9,
// HostCrashed), that nothing of its code runs again (finally clauses, threads), bad input,
// and what the peers see of a host down (docs/network.md, "Crashes and restarts"). The
// traces against CPython are in crash-differential.test.ts.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, getRunningLoop, HostCrashed, ProcessKilled, RuntimeError, sleep, socket, StalledError, Thread, ValueError, type Coro,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { Simulation } from '../../src/runners/simulation.js';

beforeEach(() => {
  _resetSimulation();
});

function* forever(): Coro<void> {
  yield* getRunningLoop().createFuture();
}

function* sleeper(): Coro<void> {
  for (;;) yield* sleep(10);
}

// A client connecting to server:8888 with sock_connect: what it raised, and when.
function* connectOutcome(): Coro<string> {
  const loop = getRunningLoop();
  const sock = new socket.socket();
  sock.setblocking(false);
  try {
    yield* loop.sockConnect(sock, ['10.0.0.1', 8888]);
    return `connected at ${loop.time()}`;
  } catch (e) {
    return `${(e as Error).constructor.name} at ${loop.time()}`;
  } finally {
    sock.close();
  }
}

describe('Simulation.crash', () => {
  it('ends the processes on the host where they stand: exit code -9, HostCrashed, no finally, threads gone', () => {
    const sim = new Simulation({ latency: 0.01 });
    const lines: string[] = [];
    let thread: Thread | undefined;
    const server = sim.host('server', function* (): Coro<void> {
      thread = new Thread({
        target: function* tick() {
          for (;;) {
            lines.push('tick');
            yield* blockingSleep(0.2);
          }
        },
      });
      thread.start();
      try {
        yield* forever();
      } finally {
        lines.push('server finally');
      }
    });
    sim.network.at(0.5, () => sim.crash('server'));
    sim.client('client', function* (): Coro<void> {
      yield* sleep(2);
    });
    sim.run();
    expect(lines).toEqual(['tick', 'tick', 'tick']);
    expect(server.done()).toBe(true);
    expect(server.isAlive()).toBe(false);
    expect(server.crashed).toBe(true);
    expect(server.exitcode).toBe(-9);
    expect(String(server)).toBe("<HostProcess name='server' pid=2 stopped exitcode=-SIGKILL>");
    expect(() => server.result()).toThrow(HostCrashed);
    expect(() => server.result()).toThrow(/^host 'server' \(pid 2\) crashed at t=0\.5$/);
    expect(server.exception()).toBeInstanceOf(RuntimeError);
    expect(thread!.isAlive()).toBe(false);
  });

  it('is no failure for run(): a crashed client ends the run quietly', () => {
    const sim = new Simulation();
    const client = sim.client('client', forever);
    sim.network.at(3, () => sim.crash('client'));
    expect(() => sim.run()).not.toThrow();
    expect(client.exitcode).toBe(-9);
    expect(sim.network.now).toBe(3);
  });

  it('leaves a host already down as it is', () => {
    const sim = new Simulation();
    const p = sim.host('server', sleeper);
    sim.run({ timeout: 1 });
    sim.crash('server');
    expect(() => sim.crash('server')).not.toThrow();
    expect(p.exception()).toBeInstanceOf(HostCrashed);
    expect((p.exception() as HostCrashed).time).toBe(1);
  });

  it('silences a host with nothing running: a connect to it times out instead of being refused', () => {
    const sim = new Simulation({ latency: 0.25 });
    sim.addHost('server');
    const refused = sim.client('client', connectOutcome);
    sim.run();
    expect(refused.result()).toBe('ConnectionRefusedError at 0.5');
    sim.crash('server');
    const silent = sim.client('client', connectOutcome);
    sim.run();
    expect(silent.result()).toBe('TimeoutError at 127.5');
    expect(refused.result()).not.toBe(silent.result());
  });

  it('names the host down in a stall report', () => {
    const sim = new Simulation({ latency: 0.25 });
    sim.host('server', function* (): Coro<void> {
      const srv = new socket.socket();
      srv.bind(['0.0.0.0', 8888]);
      srv.listen();
      srv.setblocking(false);
      const [conn] = yield* getRunningLoop().sockAccept(srv);
      yield* getRunningLoop().sockRecv(conn, 10);
    });
    sim.client('client', function* (): Coro<void> {
      const loop = getRunningLoop();
      const sock = new socket.socket();
      sock.setblocking(false);
      yield* loop.sockConnect(sock, ['10.0.0.1', 8888]);
      yield* sleep(0.5);
      sim.crash('server');
      yield* loop.sockRecv(sock, 10);
    });
    let error: unknown;
    try {
      sim.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StalledError);
    const message = (error as Error).message;
    expect(message).toMatch(/^the simulation stalled at t=1\.0: every process waits/);
    expect(message).toContain("host 'client' (pid 3):");
    expect(message).toContain("host 'server' is down since t=1.0 (crashed)");
    expect(message).not.toContain("host 'server' (pid 2):");
  });

  it('refuses a crash from the host\'s own code', () => {
    const sim = new Simulation();
    const p = sim.client('server', function* (): Coro<void> {
      sim.crash('server');
    });
    expect(() => sim.run()).toThrow(/failed: RuntimeError\("host 'server' cannot crash from its own code \(pid 2\): crash it from another host, a network timer \(sim\.network\.at\) or the test"\)/);
    expect(p.exitcode).toBe(1);
  });

  it('refuses an unknown host and the default one', () => {
    const sim = new Simulation();
    expect(() => sim.crash('nope')).toThrow(ValueError);
    expect(() => sim.crash('nope')).toThrow(/^no host is named 'nope'$/);
    expect(() => sim.restart('nope', forever)).toThrow(/^no host is named 'nope'$/);
    expect(() => sim.reset('nope', 'localhost')).toThrow(/^no host is named 'nope'$/);
    expect(() => sim.crash('localhost')).toThrow(/^the default host 'localhost' cannot crash or restart: the program's own process runs there$/);
    expect(() => sim.restart(sim.network.defaultHost, forever)).toThrow(ValueError);
  });
});

describe('Simulation.restart', () => {
  it('needs a main when none ran on the host', () => {
    const sim = new Simulation();
    sim.addHost('b');
    expect(() => sim.restart('b')).toThrow(ValueError);
    expect(() => sim.restart('b')).toThrow(/^no main to restart host 'b' with: pass one$/);
  });

  it('refuses to start a process on a host down until its restart', () => {
    const sim = new Simulation();
    sim.addHost('b');
    sim.crash('b');
    expect(() => sim.host('b', forever)).toThrow(/^host 'b' is down: restart\('b'\) brings it back$/);
    const p = sim.restart('b', forever);
    expect(p.isAlive()).toBe(true);
    expect(sim.host('b', forever).isAlive()).toBe(true);
  });

  it('bounces a running host: the old process crashes, the last main runs again as the same role, on a fresh kernel', () => {
    const sim = new Simulation();
    const fds: number[] = [];
    let runs = 0;
    const first = sim.client('b', function* (): Coro<number> {
      runs++;
      const s = new socket.socket();
      s.bind(['0.0.0.0', 7000]);
      s.listen();
      fds.push(s.fileno());
      yield* sleep(runs === 1 ? 10 : 1);
      return runs;
    });
    sim.network.at(2, () => {
      const second = sim.restart('b');
      expect(second.client).toBe(true);
      expect(second.pid).toBe(3);
    });
    sim.run();
    expect(first.exitcode).toBe(-9);
    const second = sim.processes[1]!;
    expect(second.result()).toBe(2);
    // The port of the listener the crash left behind is free again, and the first socket is fd 6 again.
    expect(fds).toEqual([6, 6]);
    expect(sim.network.now).toBe(3);
  });
});

describe('Simulation.kill', () => {
  it('ends the process as a crash does (exit code -9, ProcessKilled, no finally, threads gone), its host alive', () => {
    const sim = new Simulation();
    const lines: string[] = [];
    let thread: Thread | undefined;
    const p = sim.host('b', function* (): Coro<void> {
      thread = new Thread({ target: function* () { for (;;) { lines.push('tick'); yield* blockingSleep(1); } } });
      thread.start();
      try {
        yield* forever();
      } finally {
        lines.push('finally');
      }
    });
    sim.network.at(1.5, () => sim.kill(p));
    sim.client('c', function* (): Coro<void> {
      yield* sleep(5);
    });
    sim.run();
    expect(lines).toEqual(['tick', 'tick']);
    expect(thread!.isAlive()).toBe(false);
    expect(p.exitcode).toBe(-9);
    expect(p.crashed).toBe(false);
    expect(String(p)).toBe("<HostProcess name='b' pid=2 stopped exitcode=-SIGKILL>");
    expect(() => p.result()).toThrow(/^the process on host 'b' \(pid 2\) was killed at t=1\.5$/);
    expect(p.exception()).toBeInstanceOf(ProcessKilled);
    expect(p.exception()).not.toBeInstanceOf(HostCrashed);
    expect(sim.network.getHost('b')!._down).toBe(false);
    // Killing it again, or a process that has ended, does nothing.
    expect(() => sim.kill(p)).not.toThrow();
  });

  it('refuses a kill from the process\'s own code', () => {
    const sim = new Simulation();
    const p = sim.client('b', function* (): Coro<void> {
      sim.kill(sim.processes[0]!);
    });
    expect(() => sim.run()).toThrow(/failed: RuntimeError\("the process on host 'b' \(pid 2\) cannot kill itself from its own code"\)/);
    expect(p.exitcode).toBe(1);
  });

  it('makes HostCrashed a ProcessKilled', () => {
    const sim = new Simulation();
    const p = sim.host('b', forever);
    sim.crash('b');
    expect(p.exception()).toBeInstanceOf(ProcessKilled);
    expect((p.exception() as ProcessKilled).host).toBe('b');
    expect((p.exception() as ProcessKilled).pid).toBe(2);
  });
});

describe('Simulation.reset', () => {
  it('resets the connections between the two hosts only', () => {
    const sim = new Simulation({ latency: 0.01 });
    sim.addHost('server');
    sim.addHost('other');
    const accept = function* (): Coro<void> {
      const srv = new socket.socket();
      srv.bind(['0.0.0.0', 8888]);
      srv.listen();
      srv.setblocking(false);
      for (;;) yield* getRunningLoop().sockAccept(srv);
    };
    sim.host('server', accept);
    sim.host('other', accept);
    const outcome = function* (): Coro<string[]> {
      const loop = getRunningLoop();
      const a = new socket.socket();
      const b = new socket.socket();
      a.setblocking(false);
      b.setblocking(false);
      yield* loop.sockConnect(a, ['10.0.0.1', 8888]);
      yield* loop.sockConnect(b, ['10.0.0.2', 8888]);
      sim.reset('client', 'server');
      const got: string[] = [];
      try {
        yield* loop.sockRecv(a, 10);
      } catch (e) {
        got.push(`a: ${(e as Error).constructor.name} at ${loop.time()}`);
      }
      try {
        yield* sleep(1);
        b.send(new Uint8Array([1]));
        got.push('b: still connected');
      } catch (e) {
        got.push(`b: ${(e as Error).constructor.name}`);
      }
      return got;
    };
    const c = sim.client('client', outcome);
    sim.run();
    expect(c.result()).toEqual(['a: ConnectionResetError at 0.04', 'b: still connected']);
  });
});
