// createConnection and connectAcceptedSocket beyond the differential programs: the ssl
// refusal (a divergence), interleaving addresses by family, the coroutines' names.

import { beforeEach, describe, expect, it } from 'vitest';
import { createTask, getRunningLoop, Protocol, run, socket, ValueError, type Coro } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import type { AddrInfo } from '../../src/net/resolver.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { interleaveAddrinfos } from '../../src/transports/create-connection.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

const SSL_REFUSED = 'aiosim: ssl is out of scope (the simulated network has no TLS); see docs/divergences.md';

describe('createConnection', () => {
  it('refuses ssl after checking the ssl-only arguments as CPython does (divergence)', () => {
    const errors = run((function* main(): Coro<string[]> {
      const loop = getRunningLoop();
      const out: string[] = [];
      for (const options of [{ ssl: true }, { ssl: true, serverHostname: 'x' }, { serverHostname: 'x' }]) {
        try {
          yield* loop.createConnection(() => new Protocol(), '127.0.0.1', 1, options);
        } catch (e) {
          out.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
        }
      }
      try {
        yield* loop.createConnection(() => new Protocol(), undefined, undefined, { ssl: true });
      } catch (e) {
        out.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
      }
      const s = new socket.socket();
      try {
        yield* loop.connectAcceptedSocket(() => new Protocol(), s, { ssl: true });
      } catch (e) {
        out.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
      }
      s.close();
      return out;
    })());
    expect(errors).toEqual([
      `ValueError: ${SSL_REFUSED}`,
      `ValueError: ${SSL_REFUSED}`,
      'ValueError: server_hostname is only meaningful with ssl',
      'ValueError: You must set server_hostname when using ssl without a host',
      `ValueError: ${SSL_REFUSED}`,
    ]);
  });

  it('names its coroutine as asyncio does in a task repr', () => {
    const text = run((function* main(): Coro<string> {
      const loop = getRunningLoop();
      const task = createTask(loop.createConnection(() => new Protocol(), '127.0.0.1', 1));
      const r = repr(task);
      task.cancel();
      try {
        yield* task;
      } catch {
        // cancelled
      }
      return r;
    })());
    expect(text).toMatch(/^<Task pending name='Task-\d+' coro=<BaseEventLoop\.create_connection\(\) running at .+>>$/);
  });

  it('refuses a datagram socket in connectAcceptedSocket', () => {
    const message = run((function* main(): Coro<string> {
      const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      try {
        yield* getRunningLoop().connectAcceptedSocket(() => new Protocol(), s);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(ValueError);
        return (e as Error).message;
      } finally {
        s.close();
      }
    })());
    expect(message).toBe("A Stream Socket was expected, got <socket.socket fd=6, family=2, type=2, proto=0, laddr=('0.0.0.0', 0)>");
  });
});

describe('interleaveAddrinfos', () => {
  // Expected orders: CPython 3.13's base_events._interleave_addrinfos on the same list.
  const infos: AddrInfo[] = [
    [10, 1, 6, '', ['::1', 1, 0, 0]], [10, 1, 6, '', ['::2', 1, 0, 0]], [2, 1, 6, '', ['1.1.1.1', 1]],
    [10, 1, 6, '', ['::3', 1, 0, 0]], [2, 1, 6, '', ['2.2.2.2', 1]],
  ];
  const hosts = (list: AddrInfo[]): unknown[] => list.map((a) => a[4][0]);

  it('alternates families, the first family first', () => {
    expect(hosts(interleaveAddrinfos(infos))).toEqual(['::1', '1.1.1.1', '::2', '2.2.2.2', '::3']);
  });

  it("keeps the first family's first count - 1 addresses ahead", () => {
    expect(hosts(interleaveAddrinfos(infos, 2))).toEqual(['::1', '::2', '1.1.1.1', '::3', '2.2.2.2']);
    expect(hosts(interleaveAddrinfos(infos, 3))).toEqual(['::1', '::2', '::3', '1.1.1.1', '2.2.2.2']);
  });
});
