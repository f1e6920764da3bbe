import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectionRefusedError, createTask, getRunningLoop, repr, run, runCoroutineThreadsafe, sleep, socket, StalledError, toThread, type Coro,
} from '../../src/index.js';
import { reprTuple } from '../../src/format/py-repr.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

function server(port = 8888): socket.socket {
  const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, true);
  s.bind(['127.0.0.1', port]);
  s.setblocking(false);
  s.listen(100);
  return s;
}

describe('loop.sock_* methods', () => {
  it('run an echo round trip: fds from 6, as under CPython', () => {
    const lines: string[] = [];
    const log = (line: string): void => void lines.push(`${getRunningLoop().time()} ${line}`);
    function* handle(conn: socket.socket): Coro<void> {
      const loop = getRunningLoop();
      const data = yield* loop.sockRecv(conn, 100);
      log(`server got ${repr(data)}`);
      yield* loop.sockSendall(conn, bytes(text(data).toUpperCase()));
      conn.close();
    }
    function* serve(srv: socket.socket): Coro<void> {
      const [conn, addr] = yield* getRunningLoop().sockAccept(srv);
      log(`accepted ${repr(conn)} from ${reprTuple(addr)}`);
      yield* handle(conn);
    }
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      const srv = server();
      log(repr(srv));
      const accepting = createTask(serve(srv));
      const c = new socket.socket();
      c.setblocking(false);
      yield* loop.sockConnect(c, ['127.0.0.1', 8888]);
      log(`connected ${repr(c)}`);
      yield* loop.sockSendall(c, bytes('hello\n'));
      log(`reply ${repr(yield* loop.sockRecv(c, 100))}`);
      log(`eof ${repr(yield* loop.sockRecv(c, 100))}`);
      yield* accepting;
      c.close();
      srv.close();
    }
    run(main());
    expect(lines).toEqual([
      "0 <socket.socket fd=6, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888)>",
      "0 connected <socket.socket fd=7, family=2, type=1, proto=0, laddr=('127.0.0.1', 32768), raddr=('127.0.0.1', 8888)>",
      "0 accepted <socket.socket fd=8, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888), raddr=('127.0.0.1', 32768)> from ('127.0.0.1', 32768)",
      "0 server got b'hello\\n'",
      "0 reply b'HELLO\\n'",
      "0 eof b''",
    ]);
  });

  it('refuse a connection with CPython message', () => {
    function* main(): Coro<string> {
      const c = new socket.socket();
      c.setblocking(false);
      try {
        yield* getRunningLoop().sockConnect(c, ['127.0.0.1', 1]);
        return 'connected';
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      } finally {
        c.close();
      }
    }
    expect(run(main())).toBe("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 1)");
    expect(ConnectionRefusedError).toBeDefined();
  });

  it('send past the buffers: sendall waits for the reader', () => {
    const lines: string[] = [];
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      const srv = server();
      const c = new socket.socket();
      c.setblocking(false);
      const connecting = createTask(loop.sockConnect(c, ['127.0.0.1', 8888]));
      const [conn] = yield* loop.sockAccept(srv);
      yield* connecting;
      const sending = createTask(loop.sockSendall(c, new Uint8Array(300_000)));
      let total = 0;
      while (total < 300_000) {
        yield* sleep(1);
        const got = yield* loop.sockRecv(conn, 100_000);
        total += got.length;
        lines.push(`${loop.time()} got ${got.length} done=${sending.done()}`);
      }
      yield* sending;
      for (const s of [c, conn, srv]) s.close();
    }
    run(main());
    expect(lines).toEqual([
      '1 got 100000 done=false',
      '2 got 100000 done=false',
      '3 got 100000 done=true',
    ]);
  });

  it('stall naming the sockets waited on when nothing can come', () => {
    function* main(): Coro<void> {
      const srv = server();
      yield* getRunningLoop().sockAccept(srv);
    }
    expect(() => run(main())).toThrow(StalledError);
    world._reset();
    _resetNetwork();
    try {
      run(main());
    } catch (e) {
      expect((e as Error).message).toContain("sockets waited on:\n  <socket.socket fd=6, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888)> to read");
    }
  });
});

describe('loop.sock_* methods in debug mode', () => {
  it('refuse a blocking socket', () => {
    function* main(): Coro<string> {
      const s = new socket.socket();
      try {
        yield* getRunningLoop().sockRecv(s, 1);
        return 'no error';
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      } finally {
        s.close();
      }
    }
    expect(run(main(), { debug: true })).toBe('ValueError: the socket must be non-blocking');
  });

  it('name their coroutines as CPython does', () => {
    function* main(): Coro<string> {
      const [a, b] = socket.socketpair();
      const coro = getRunningLoop().sockRecv(a, 1);
      const text = repr(coro);
      coro.return(undefined as never);
      a.close();
      b.close();
      return text;
    }
    expect(run(main())).toMatch(/^<coroutine object BaseSelectorEventLoop\.sock_recv at 0x[0-9a-f]+>$/);
  });
});

describe('loop.sock_* methods and simulated threads', () => {
  it('complete while a thread blocks on their result: a ready socket wakes the loop below the thread', () => {
    // The byte is still travelling when the task registers its reader.
    network.loopbackLatency = 0.5;
    function* main(): Coro<string> {
      const loop = getRunningLoop();
      const [a, b] = socket.socketpair();
      a.setblocking(false);
      b.setblocking(false);
      const got = yield* toThread(() => {
        b.send(bytes('x'));
        return runCoroutineThreadsafe(loop.sockRecv(a, 10), loop).result();
      });
      a.close();
      b.close();
      return `${loop.time()} ${repr(got)}`;
    }
    expect(run(main())).toBe("0.5 b'x'");
  });
});

describe('BaseEventLoop._ensure_resolved', () => {
  // Regression: bytes ports were taken as their text's code (b'1' as 49), '1.0' and '0x10'
  // as numbers and bytes hosts sent to getaddrinfo; CPython's _ipaddr_info uses int() and
  // decodes the host (values printed on the oracle).
  it("parse an IP literal's port as Python's int() and decode a bytes host", () => {
    function* main(): Coro<unknown[]> {
      const loop = getRunningLoop();
      (loop as unknown as { getaddrinfo: unknown }).getaddrinfo = function* (): Coro<unknown> {
        return ['getaddrinfo'];
      };
      const out: unknown[] = [];
      for (const [host, port] of [['1.2.3.4', bytes('1')], ['1.2.3.4', ' 1_0 '], ['1.2.3.4', '1.0'], ['1.2.3.4', '0x10'], [bytes('1.2.3.4'), 1]]) {
        out.push((yield* loop._ensureResolved([host, port] as never, { family: 2, type: 1, proto: 6 }))[0]);
      }
      return out;
    }
    expect(run(main())).toEqual([
      [2, 1, 6, '', ['1.2.3.4', 1]], [2, 1, 6, '', ['1.2.3.4', 10]], 'getaddrinfo', 'getaddrinfo', [2, 1, 6, '', ['1.2.3.4', 1]],
    ]);
  });
});
