import { beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, openConnection, Protocol, run, startServer, type Coro, type StreamReader, type StreamWriter } from '../../src/index.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { hostPortArgs } from '../../src/transports/host-port.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('hostPortArgs', () => {
  it('binds positional host and port, and the options object in any later place', () => {
    expect(hostPortArgs<unknown, Record<string, unknown>>('f', 'h', 1, { limit: 2 })).toEqual(['h', 1, { limit: 2 }]);
    expect(hostPortArgs<unknown, Record<string, unknown>>('f', { host: 'h', port: 1, limit: 2 }, undefined, undefined)).toEqual(['h', 1, { limit: 2 }]);
    expect(hostPortArgs<unknown, Record<string, unknown>>('f', 'h', { port: 1, limit: 2 }, undefined)).toEqual(['h', 1, { limit: 2 }]);
    expect(hostPortArgs<unknown, Record<string, unknown>>('f', undefined, undefined, { sock: 's' })).toEqual([undefined, undefined, { sock: 's' }]);
    expect(hostPortArgs<unknown, Record<string, unknown>>('f', ['a', 'b'], 1, undefined)).toEqual([['a', 'b'], 1, {}]);
    expect(hostPortArgs<unknown, Record<string, unknown>>('f', undefined, null, { host: 'h' })).toEqual(['h', null, {}]);
  });

  it('refuses a keyword given twice, as Python does', () => {
    expect(() => hostPortArgs('create_connection', 'h', 1, { host: 'x' })).toThrow(
      new TypeError("create_connection() got multiple values for argument 'host'"),
    );
    expect(() => hostPortArgs('open_connection', 'h', { host: 'x' }, undefined)).toThrow(
      new TypeError("open_connection() got multiple values for argument 'host'"),
    );
    expect(() => hostPortArgs('start_server', 'h', 1, { port: 2 })).toThrow(
      new TypeError("start_server() got multiple values for argument 'port'"),
    );
  });
});

describe('createConnection with a bytes port', () => {
  // Regression: a Uint8Array port was taken for the options object (and the connect went
  // to port 0). Python's create_connection(P, '127.0.0.1', b'8888') connects to 8888, and
  // b'http' fails in getaddrinfo as 'http' does on a host without a services database.
  it('connect to the port the bytes spell, or fail as the text port does', () => {
    function* main(): Coro<unknown[]> {
      const loop = getRunningLoop();
      const server = yield* loop.createServer(() => new Protocol(), '127.0.0.1', 8888);
      const [t] = yield* loop.createConnection(() => new Protocol(), '127.0.0.1', new TextEncoder().encode('8888') as never);
      const out: unknown[] = [t.getExtraInfo('peername')];
      t.close();
      try {
        yield* loop.createConnection(() => new Protocol(), '127.0.0.1', new TextEncoder().encode('http') as never);
      } catch (e) {
        out.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
      }
      server.close();
      return out;
    }
    expect(run(main())).toEqual([['127.0.0.1', 8888], 'gaierror: [Errno -8] Servname not supported for ai_socktype']);
  });
});

describe('openConnection and startServer with keywords', () => {
  it('connect with host and port given as keywords', () => {
    const got: string[] = [];
    run((function* main(): Coro<void> {
      function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
        got.push(new TextDecoder().decode(yield* reader.readline()));
        writer.close();
      }
      const server = yield* startServer(handle, { host: '127.0.0.1', port: 8888 });
      const [, writer] = yield* openConnection({ host: '127.0.0.1', port: 8888 });
      writer.write(new TextEncoder().encode('hi\n'));
      yield* writer.drain();
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
    })());
    expect(got).toEqual(['hi\n']);
  });
});
