import { beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, repr, socket, type Coro } from '../../src/index.js';
import { _resetSimulation } from '../../src/executor/reset.js';
import { Simulation } from '../../src/runners/simulation.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeEach(() => {
  _resetSimulation();
});

describe('Simulation', () => {
  it('runs a server host and a client host exchanging data with the sock_* methods', () => {
    const lines: string[] = [];
    const log = (line: string): void => void lines.push(`${getRunningLoop().time()} ${socket.gethostname()} ${line}`);
    function* server(): Coro<void> {
      const loop = getRunningLoop();
      const srv = new socket.socket();
      srv.bind(['0.0.0.0', 8888]);
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
    }
    function* client(): Coro<string> {
      const loop = getRunningLoop();
      const c = new socket.socket();
      c.setblocking(false);
      yield* loop.sockConnect(c, ['10.0.0.1', 8888]);
      log(`connected ${repr(c)}`);
      yield* loop.sockSendall(c, bytes('hello'));
      const reply = text(yield* loop.sockRecv(c, 100));
      log(`reply ${reply}`);
      c.close();
      return reply;
    }
    const sim = new Simulation({ latency: 0.01 });
    sim.host('server', server);
    const c = sim.client('client', client);
    sim.run();
    expect(c.result()).toBe('HELLO');
    expect(lines).toEqual([]);
  });
});
