// Server on its own: the reprs of its coroutines and of the loop's reader (checked on the
// oracle), and what aiosim decides where CPython's behaviour is not deterministic or not
// simulated (docs/divergences.md): clients closed in the order they connected, no TLS.

import { beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, Protocol, ValueError, repr, run, sleep, type Coro, type Transport } from '../../src/index.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { connect } from '../_support/server-programs.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

const coroName = (c: Generator): string => {
  const text = repr(c).split(' at ')[0]!;
  c.return(undefined);
  return text;
};

describe('Server', () => {
  it("names its coroutines and the loop's accepting reader as asyncio does", () => {
    run((function* main(): Coro<void> {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 8888);
      const fd = srv.sockets[0]!.fileno();
      const [reader] = loop._selector.lookup(fd)!.data as [unknown];
      expect(repr(reader)).toBe('<Handle BaseSelectorEventLoop._accept_connection()>');
      expect([srv.serveForever(), srv.waitClosed(), srv.startServing(), srv.aenter(), srv.aexit(), loop.createServer(() => new Protocol(), '127.0.0.1', 8888)].map(coroName)).toEqual([
        '<coroutine object Server.serve_forever', '<coroutine object Server.wait_closed', '<coroutine object Server.start_serving',
        '<coroutine object AbstractServer.__aenter__', '<coroutine object AbstractServer.__aexit__', '<coroutine object BaseEventLoop.create_server',
      ]);
      srv.close();
    })());
  });

  it('closes and aborts its clients in the order they connected (CPython: a WeakSet\'s order)', () => {
    const closed: string[] = [];
    run((function* main(): Coro<void> {
      const loop = getRunningLoop();
      let n = 0;
      class Named extends Protocol {
        name = `conn${++n}`;
        override connectionMade(t: Transport): void {
          const close = t.close.bind(t);
          t.close = () => {
            closed.push(this.name);
            close();
          };
        }
      }
      const srv = yield* loop.createServer(() => new Named(), '127.0.0.1', 8888);
      const cs = [yield* connect(), yield* connect(), yield* connect()];
      yield* sleep(0.1);
      srv.closeClients();
      srv.close();
      yield* srv.waitClosed();
      for (const c of cs) c.close();
    })());
    expect(closed).toEqual(['conn1', 'conn2', 'conn3']);
  });

  it("binds host=None's addresses in getaddrinfo's order (CPython: a set's order)", () => {
    run((function* main(): Coro<void> {
      const srv = yield* getRunningLoop().createServer(() => new Protocol(), null, 8888);
      expect(srv.sockets.map((s) => [s.fileno(), s.getsockname()])).toEqual([[6, ['0.0.0.0', 8888]], [7, ['::', 8888, 0, 0]]]);
      srv.close();
    })());
  });

  it('refuses an ssl context: TLS is not simulated', () => {
    run((function* main(): Coro<void> {
      const loop = getRunningLoop();
      let err: unknown;
      try {
        yield* loop.createServer(() => new Protocol(), '127.0.0.1', 8888, { ssl: {} });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValueError);
      expect((err as Error).message).toBe('aiosim: ssl is out of scope (the simulated network has no TLS); see docs/divergences.md');
    })());
  });

  it('returns a new TransportSocket for each read of sockets, as asyncio does', () => {
    run((function* main(): Coro<void> {
      const srv = yield* getRunningLoop().createServer(() => new Protocol(), '127.0.0.1', 8888);
      expect(srv.sockets[0]).not.toBe(srv.sockets[0]);
      expect(srv.sockets[0]!.fileno()).toBe(6);
      srv.close();
      expect(srv.sockets).toEqual([]);
    })());
  });
});
