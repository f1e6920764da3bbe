import { beforeEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, createTask, currentTask, gather, run, runCoroutineThreadsafe, getEventLoop, getRunningLoop, InvalidStateError, RuntimeError, sleep, socket, threading,
  repr, signals, Task, toThread, type Coro,
} from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { getProcessId } from '../../src/runtime/thread-ident.js';
import { HostProcess } from '../../src/runners/host-process.js';
import { network } from '../../src/net/network.js';
import { Simulation } from '../../src/runners/simulation.js';

beforeEach(() => {
  _resetSimulation();
});

describe('HostProcess', () => {
  it('runs main() in its own process: main thread, pid, host name, task names, fds, its own running loop', () => {
    const seen: unknown[][] = [];
    function* main(): Coro<string> {
      const t = threading.currentThread();
      const s = new socket.socket();
      seen.push([
        socket.gethostname(), getProcessId(), t.name, t === threading.mainThread(), t === sim.processes.find((x) => x.name === socket.gethostname())!.mainThread,
        (currentTask() as Task<unknown>).getName(), s.fileno(), getEventLoop() === getRunningLoop(), threading.enumerate().length,
      ]);
      s.close();
      return 'done';
    }
    const sim = new Simulation();
    const p = sim.client('alpha', main);
    const q = sim.client('beta', main);
    sim.run();
    expect(seen).toEqual([
      ['alpha', 2, 'MainThread', true, true, 'Task-1', 6, true, 1],
      ['beta', 3, 'MainThread', true, true, 'Task-1', 6, true, 1],
    ]);
    expect([p.pid, q.pid, p.name, q.host.name]).toEqual([2, 3, 'alpha', 'beta']);
    expect(p.mainThread === threading.mainThread()).toBe(false);
    expect([p.result(), p.exitcode, p.isAlive(), String(p)]).toEqual(['done', 0, false, "<HostProcess name='alpha' pid=2 stopped exitcode=0>"]);
    // Outside the hosts: the program's own main thread, process and host.
    const threads = threading.enumerate();
    expect([socket.gethostname(), getProcessId(), threads.length, threads[0] === threading.mainThread()]).toEqual(['localhost', 1, 1, true]);
  });

  it('puts the threads a host starts on that host, in its process, numbered as in a fresh process', () => {
    const seen: unknown[] = [];
    function* main(): Coro<void> {
      const names = yield* toThread(() => [socket.gethostname(), getProcessId(), threading.currentThread().name, threading.mainThread().name]);
      seen.push(names);
      const t = new threading.Thread({ target: function work() { seen.push(threading.currentThread().name); } });
      t.start();
      seen.push(threading.enumerate().map((x) => x.name));
      yield* toThread(() => t.join());
      // getEventLoop() in a thread other than the process's main one: no loop is set there.
      seen.push(yield* toThread(() => {
        try {
          return getEventLoop();
        } catch (e) {
          return (e as Error).message;
        }
      }));
    }
    const sim = new Simulation();
    sim.client('box', main);
    sim.run();
    expect(seen).toEqual([
      ['box', 2, 'asyncio_0', 'MainThread'],
      ['MainThread', 'asyncio_0', 'Thread-1 (work)'],
      'Thread-1 (work)',
      "There is no current event loop in thread 'asyncio_0'.",
    ]);
  });

  it('cancels the tasks main() left, as asyncio.run does, and closes its loop', () => {
    const seen: string[] = [];
    let hostLoop: unknown;
    const sim = new Simulation();
    const p = sim.client('box', function* main(): Coro<void> {
      hostLoop = getRunningLoop();
      createTask((function* left(): Coro<void> {
        try {
          yield* sleep(10);
        } finally {
          seen.push(`cancelled at ${getRunningLoop().time()}`);
        }
      })());
      yield* sleep(1);
    });
    sim.run();
    expect(seen).toEqual(['cancelled at 1']);
    expect(p.exitcode).toBe(0);
    expect((hostLoop as { isClosed(): boolean }).isClosed()).toBe(true);
  });

  it('blocks only its own host in a blocking call: the other hosts go on meanwhile', () => {
    const lines: string[] = [];
    const log = (line: string): void => void lines.push(`${getRunningLoop().time()} ${socket.gethostname()} ${line}`);
    const sim = new Simulation();
    sim.client('sleeper', function* main(): Coro<void> {
      yield* sleep(1);
      log('blocks for 2 s');
      blockingSleep(2);
      log('unblocked');
    });
    sim.client('ticker', function* main(): Coro<void> {
      for (let i = 0; i < 4; i++) {
        yield* sleep(1);
        log('tick');
      }
    });
    sim.run();
    expect(lines).toEqual([
      '1 sleeper blocks for 2 s',
      '1 ticker tick',
      '2 ticker tick',
      '3 ticker tick',
      '3 sleeper unblocked',
      '4 ticker tick',
    ]);
  });

  it('answers result(), exception() and join() as a process does', () => {
    const sim = new Simulation();
    const p = sim.host('box', function* main(): Coro<number> {
      yield* sleep(2);
      throw new RuntimeError('crash');
    });
    expect(p).toBeInstanceOf(HostProcess);
    expect(() => p.result()).toThrow(InvalidStateError);
    expect(() => p.exception()).toThrow(/^the process on host 'box' is still running$/);
    expect([p.isAlive(), p.exitcode, String(p)]).toEqual([true, undefined, "<HostProcess name='box' pid=2 started>"]);
    p.join(1);
    expect(p.isAlive()).toBe(true);
    p.join();
    expect([p.isAlive(), p.exitcode]).toEqual([false, 1]);
    expect(() => p.result()).toThrow(/^crash$/);
    expect(p.exception()).toBeInstanceOf(RuntimeError);
    expect(p.future.exception()).toBe(p.exception());
  });

  it('refuses a main that is not a function, and reports a main that returns no coroutine as asyncio.run does', () => {
    const sim = new Simulation();
    expect(() => sim.client('box', 42 as never)).toThrow(/^main must be a coroutine function, not number$/);
    const p = sim.client('other', (() => 42) as never);
    p.join();
    expect(() => p.result()).toThrow(/^a coroutine was expected, got 42$/);
  });

  it('runs a program on a host exactly as on the default host: the same trace', () => {
    // One program: a server and clients over loopback, timers, a thread calling back.
    function program(lines: string[]): () => Coro<void> {
      const log = (line: string): void => void lines.push(`${getRunningLoop().time()} ${line}`);
      return function* main(): Coro<void> {
        const loop = getRunningLoop();
        const srv = new socket.socket();
        srv.bind(['127.0.0.1', 8888]);
        srv.listen();
        srv.setblocking(false);
        function* serve(): Coro<void> {
          for (let i = 0; i < 2; i++) {
            const [conn, addr] = yield* loop.sockAccept(srv);
            log(`accepted ${repr(addr)} fd=${conn.fileno()}`);
            createTask((function* handle(): Coro<void> {
              for (let data = yield* loop.sockRecv(conn, 3); data.length > 0; data = yield* loop.sockRecv(conn, 3)) {
                log(`got ${repr(data)}`);
                yield* loop.sockSendall(conn, data);
              }
              conn.close();
            })());
          }
        }
        function* client(name: string, delay: number): Coro<void> {
          yield* sleep(delay);
          const c = new socket.socket();
          c.setblocking(false);
          yield* loop.sockConnect(c, ['127.0.0.1', 8888]);
          yield* loop.sockSendall(c, new TextEncoder().encode(`${name}-${name}`));
          log(`${name} echo ${repr(yield* loop.sockRecv(c, 100))}`);
          c.close();
        }
        const server = createTask(serve());
        const fromThread = toThread(() => {
          blockingSleep(0.0025);
          return runCoroutineThreadsafe(sleep(0.001, 'threadsafe'), loop).result();
        });
        log(repr(yield* gather(client('a', 0), client('b', 0.002), fromThread)));
        yield* server;
        srv.close();
      };
    }
    const onDefault: string[] = [];
    network.loopbackLatency = 0.001;
    run(program(onDefault)());
    _resetSimulation();
    const onHost: string[] = [];
    const sim = new Simulation({ loopbackLatency: 0.001 });
    sim.client('box', program(onHost));
    sim.run();
    expect(onHost).toEqual(onDefault);
    expect(onDefault.length).toBeGreaterThan(6);
  });

  it("binds only its own host's addresses, and takes asyncio.run's debug option", () => {
    const seen: unknown[] = [];
    const sim = new Simulation();
    sim.addHost('other', ['10.0.0.7']);
    sim.client('box', function* main(): Coro<void> {
      seen.push(getRunningLoop().getDebug());
      const s = new socket.socket();
      try {
        s.bind(['10.0.0.7', 80]);
      } catch (e) {
        seen.push((e as Error).message);
      }
      s.bind([sim.network.current.ipv4[0]!, 80]);
      seen.push(s.getsockname());
      s.close();
    }, { debug: true });
    sim.run();
    expect(seen).toEqual([true, '[Errno 99] Cannot assign requested address', ['10.0.0.1', 80]]);
  });

  it("leaves signals to the program's main thread (not modelled per process)", () => {
    const seen: string[] = [];
    const sim = new Simulation();
    sim.client('box', function* main(): Coro<void> {
      try {
        signals.signal(signals.SIGINT, () => undefined);
      } catch (e) {
        seen.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    });
    sim.run();
    expect(seen).toEqual(['ValueError: signal only works in main thread of the main interpreter']);
  });
});
