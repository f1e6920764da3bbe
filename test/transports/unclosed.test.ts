// Transports and stream writers left open, at the collection point of loop.close() (and
// so of the end of run()), against CPython 3.13.2 over the network's twin: CPython's
// _SelectorTransport.__del__ and StreamWriter.__del__ warn (ResourceWarning) and close the
// socket when the objects are freed; aiosim does it when their loop closes. The Python
// programs let go of what they hold and call gc.collect() right after loop.close().

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DatagramProtocol, EventLoop, gcCollect, getRunningLoop, openConnection, Protocol, run, sleep, startServer, waitFor, warnings,
  type Coro, type StreamReader, type StreamWriter, type Transport,
} from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { _restoreDefaultFilters, _saveWarnings } from '../../src/log/warnings.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { runNetPython } from '../scenario/oracle/cpython.js';
import { bytes, listener } from '../_support/net-programs.js';

const PRELUDE = `
import asyncio, gc, socket, warnings
def listener(port=8888):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    s.bind(('127.0.0.1', port))
    s.setblocking(False)
    s.listen(100)
    return s
warnings.simplefilter('always')
warnings.showwarning = lambda m, c, f, l, file=None, line=None: print('warn', c.__name__, m)
class P(asyncio.Protocol):
    def connection_made(self, t): print('made', t)
    def eof_received(self): print('eof')
    def connection_lost(self, e): print('lost', e)
`;

let out: string[] = [];
const say = (...parts: unknown[]): void => {
  out.push(parts.map((p) => (typeof p === 'string' ? p : repr(p))).join(' '));
};

class P extends Protocol {
  override connectionMade(t: Transport): void {
    say('made', t);
  }
  override eofReceived(): undefined {
    say('eof');
    return undefined;
  }
  override connectionLost(e: unknown): void {
    say('lost', e === undefined ? 'None' : e);
  }
}

let restore: () => void;
beforeEach(() => {
  world._reset();
  _resetNetwork();
  network.loopbackLatency = 0;
  out = [];
  restore = _saveWarnings();
  warnings.simplefilter('always');
  warnings.showwarning = (m, c) => say('warn', c.name, String(m));
});
afterEach(() => restore());

async function python(body: string, latency = 0): Promise<string[]> {
  return (await runNetPython(`${PRELUDE}\n${body}`, latency)).trimEnd().split('\n');
}

describe('transports left open at a collection point', () => {
  it("warns for the writers, the servers' sockets, then each transport after its socket, in creation order, and closes them", async () => {
    const expected = await python(`
K = []
async def handle(r, w):
    K.append(w)
async def main():
    loop = asyncio.get_running_loop()
    K.append(await loop.create_server(P, '127.0.0.1', 8888))
    K.append(await asyncio.start_server(handle, '127.0.0.1', 8889))
    K.append(await loop.create_connection(P, '127.0.0.1', 8888))
    K.append(await asyncio.open_connection('127.0.0.1', 8889))
    await asyncio.sleep(0.1)
    print('main done')
loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
K.clear()
gc.collect()
print('closed')
`);
    const K: unknown[] = [];
    const loop = new EventLoop();
    loop.runUntilComplete((function* main(): Coro<void> {
      const l = getRunningLoop();
      K.push(yield* l.createServer(() => new P(), '127.0.0.1', 8888));
      K.push(yield* startServer(function* handle(_r: StreamReader, w: StreamWriter): Coro<void> {
        K.push(w);
      }, '127.0.0.1', 8889));
      K.push(yield* l.createConnection(() => new P(), '127.0.0.1', 8888));
      K.push(yield* openConnection('127.0.0.1', 8889));
      yield* sleep(0.1);
      say('main done');
    })());
    loop.close();
    say('closed');
    expect(out).toEqual(expected);
    expect(out.filter((l) => l.startsWith('warn'))).toEqual([
      'warn ResourceWarning loop is closed',
      'warn ResourceWarning loop is closed',
      "warn ResourceWarning unclosed <socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>",
      "warn ResourceWarning unclosed <socket.socket fd=7, family=2, type=1, proto=6, laddr=('127.0.0.1', 8889)>",
      ...[8, 9, 10, 11].flatMap((fd) => [
        expect.stringMatching(new RegExp(`^warn ResourceWarning unclosed <socket\\.socket fd=${fd}, family=2, type=1, proto=6, laddr=.*, raddr=.*>$`)),
        `warn ResourceWarning unclosed transport <_SelectorSocketTransport fd=${fd}>`,
      ]),
    ]);
  });

  it('warns for a datagram transport', async () => {
    const expected = await python(`
async def main():
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=('127.0.0.1', 9999))
loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
gc.collect()
print('closed')
`);
    const loop = new EventLoop();
    loop.runUntilComplete((function* main(): Coro<void> {
      yield* getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 9999] });
    })());
    loop.close();
    say('closed');
    expect(out).toEqual(expected);
  });

  it('closes the socket, so that the peer reads EOF', async () => {
    const expected = await python(`
K = []
async def main():
    loop = asyncio.get_running_loop()
    lsock = listener()
    t, p = await loop.create_connection(P, '127.0.0.1', 8888)
    conn, _ = await loop.sock_accept(lsock)
    lsock.close()
    t.write(b'hi')
    await asyncio.sleep(0.1)
    print('peer got', conn.recv(100))
    K.append(conn)
loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
gc.collect()
async def peer():
    print('peer got', await asyncio.get_running_loop().sock_recv(K[0], 100))
    K[0].close()
asyncio.run(peer())
`);
    let conn: { recv(n: number): Uint8Array; close(): void } | undefined;
    const loop = new EventLoop();
    loop.runUntilComplete((function* main(): Coro<void> {
      const l = getRunningLoop();
      const lsock = listener();
      const [t] = yield* l.createConnection(() => new P(), '127.0.0.1', 8888);
      const [c] = yield* l.sockAccept(lsock);
      lsock.close();
      conn = c;
      t.write(bytes('hi'));
      yield* sleep(0.1);
      say('peer got', c.recv(100));
    })());
    loop.close();
    run((function* peer(): Coro<void> {
      say('peer got', yield* getRunningLoop().sockRecv(conn as never, 100));
      conn!.close();
    })());
    expect(out).toEqual(expected);
    expect(out.slice(-4)).toEqual([
      "peer got b'hi'",
      "warn ResourceWarning unclosed <socket.socket fd=7, family=2, type=1, proto=6, laddr=('127.0.0.1', 32768), raddr=('127.0.0.1', 8888)>",
      'warn ResourceWarning unclosed transport <_SelectorSocketTransport fd=7>',
      "peer got b''",
    ]);
  });

  it("reports a writer the program still holds when run() ends (CPython: when it lets go of it)", async () => {
    const expected = await python(`
K = []
async def handle(r, w):
    await r.read()
async def main():
    K.append(await asyncio.start_server(handle, '127.0.0.1', 8888))
    K.append(await asyncio.open_connection('127.0.0.1', 8888))
    await asyncio.sleep(0.1)
asyncio.run(main())
K.clear()
gc.collect()
print('after run')
`);
    const K: unknown[] = [];
    run((function* main(): Coro<void> {
      K.push(yield* startServer(function* handle(r: StreamReader): Coro<void> {
        yield* r.read();
      }, '127.0.0.1', 8888));
      K.push(yield* openConnection('127.0.0.1', 8888));
      yield* sleep(0.1);
    })());
    say('after run');
    expect(out).toEqual(expected);
    expect(out).toEqual([
      'warn ResourceWarning loop is closed',
      "warn ResourceWarning unclosed <socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>",
      "warn ResourceWarning unclosed <socket.socket fd=7, family=2, type=1, proto=6, laddr=('127.0.0.1', 32768), raddr=('127.0.0.1', 8888)>",
      'warn ResourceWarning unclosed transport <_SelectorSocketTransport fd=7>',
      'after run',
    ]);
  });

  it('prints nothing under the default filters (ResourceWarning is ignored)', () => {
    _restoreDefaultFilters();
    const K: unknown[] = [];
    run((function* main(): Coro<void> {
      K.push(yield* getRunningLoop().createServer(() => new P(), '127.0.0.1', 8888));
      K.push(yield* openConnection('127.0.0.1', 8888));
      yield* sleep(0.1);
    })());
    expect(out).toEqual(['made <_SelectorSocketTransport fd=8 read=idle write=<idle, bufsize=0>>']);
    // The program still holds the writer: its repr is CPython's for a transport not
    // freed, but the socket is closed.
    const [, writer] = K[1] as [StreamReader, StreamWriter];
    expect(repr(writer)).toBe('<StreamWriter transport=<_SelectorSocketTransport fd=7> reader=<StreamReader transport=<_SelectorSocketTransport fd=7>>>');
    expect((writer.transport as unknown as { _sock: { _closed: boolean } })._sock._closed).toBe(true);
  });

  it('leaves the transports of a running loop alone at gcCollect() (divergence: CPython frees one dropped with no reader registered)', () => {
    // Python: t, p = await loop.create_connection(P, …); t.pause_reading(); del t, p;
    // gc.collect() → "unclosed transport <_SelectorSocketTransport fd=9 read=idle …>", and
    // the server's side reads EOF. aiosim cannot see the program's references: it reports
    // the transport when its loop closes.
    run((function* main(): Coro<void> {
      const l = getRunningLoop();
      const server = yield* l.createServer(() => new P(), '127.0.0.1', 8888);
      const [t] = yield* l.createConnection(() => new P(), '127.0.0.1', 8888);
      t.pauseReading();
      gcCollect();
      say('collected');
      yield* sleep(0.1);
      server.close();
    })());
    expect(out).toEqual([
      'made <_SelectorSocketTransport fd=7 read=idle write=<idle, bufsize=0>>',
      'collected',
      'made <_SelectorSocketTransport fd=8 read=idle write=<idle, bufsize=0>>',
      "warn ResourceWarning unclosed <socket.socket fd=7, family=2, type=1, proto=6, laddr=('127.0.0.1', 32768), raddr=('127.0.0.1', 8888)>",
      'warn ResourceWarning unclosed transport <_SelectorSocketTransport fd=7>',
      "warn ResourceWarning unclosed <socket.socket fd=8, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888), raddr=('127.0.0.1', 32768)>",
      'warn ResourceWarning unclosed transport <_SelectorSocketTransport fd=8>',
    ]);
  });

  it("closes a writer's transport when the writer is collected while its loop runs (the hook CPython's refcounting calls)", async () => {
    // aiosim has no point that collects a writer while its loop runs; the hook is CPython's
    // __del__ all the same: the handler's end stands for CPython freeing its writer.
    const expected = await python(`
async def handle(r, w):
    w.write(b'hi\\n')
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', 8888)
    r, w = await asyncio.open_connection('127.0.0.1', 8888)
    print(await r.readline())
    print(await asyncio.wait_for(r.read(), 1))
    w.close()
    await w.wait_closed()
asyncio.run(main())
`);
    run((function* main(): Coro<void> {
      yield* startServer(function* handle(_r: StreamReader, w: StreamWriter): Coro<void> {
        w.write(bytes('hi\n'));
        (w as unknown as { _collect(): void })._collect();
      }, '127.0.0.1', 8888);
      const [r, w] = yield* openConnection('127.0.0.1', 8888);
      say(yield* r.readline());
      say(yield* waitFor(r.read(), 1));
      w.close();
      yield* w.waitClosed();
    })());
    expect(out).toEqual(expected);
    expect(out[0]).toMatch(/^warn ResourceWarning unclosed <StreamWriter transport=<_SelectorSocketTransport closing fd=8 /);
  });

  it("prints a warning turned into an error as unraisable; the socket's own finalizer closes it all the same, as CPython", async () => {
    const expected = await python(`
import sys
warnings.simplefilter('error')
K = []
async def main():
    loop = asyncio.get_running_loop()
    K.append(await loop.create_server(P, '127.0.0.1', 8888))
    K.append(await loop.create_connection(P, '127.0.0.1', 8888))
    await asyncio.sleep(0.1)
loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
K.clear()
gc.collect()
print('end')
`);
    const K: unknown[] = [];
    const loop = new EventLoop();
    loop.runUntilComplete((function* main(): Coro<void> {
      const l = getRunningLoop();
      K.push(yield* l.createServer(() => new P(), '127.0.0.1', 8888));
      K.push(yield* l.createConnection(() => new P(), '127.0.0.1', 8888));
      yield* sleep(0.1);
    })());
    warnings.simplefilter('error');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let err: string;
    try {
      loop.close();
      err = write.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      write.mockRestore();
    }
    say('end');
    // The traceback's frames differ (aiosim's own); the first and last lines of each are CPython's.
    const heads = (lines: string[]): string[] => lines.filter((l) => /^(Exception ignored in|ResourceWarning|made|end)/.test(l)).map((l) => l.replace(/ at 0x\w+>/, ' at 0x?>'));
    expect(heads([...out.slice(0, 2), ...err.split('\n'), ...out.slice(2)])).toEqual(heads(expected));
    // The server's socket, then each transport's socket and the transport itself.
    expect(heads(expected).filter((l) => l.startsWith('Exception ignored in: <socket.socket fd='))).toHaveLength(3);
    expect(heads(expected)).toHaveLength(13);
    const [, [t]] = K as [unknown, [{ _sock: { _closed: boolean } }]];
    expect(t._sock._closed).toBe(true);
  });

  it('does not report a transport closed just before its loop (its connection_lost ran)', async () => {
    const expected = await python(`
K = []
async def main():
    loop = asyncio.get_running_loop()
    K.append(await loop.create_server(P, '127.0.0.1', 8888))
    t, p = await loop.create_connection(P, '127.0.0.1', 8888)
    await asyncio.sleep(0.1)
    t.close()
loop = asyncio.new_event_loop()
loop.run_until_complete(main())
loop.close()
K.clear()
gc.collect()
print('closed')
`);
    const K: unknown[] = [];
    const loop = new EventLoop();
    loop.runUntilComplete((function* main(): Coro<void> {
      const l = getRunningLoop();
      K.push(yield* l.createServer(() => new P(), '127.0.0.1', 8888));
      const [t] = yield* l.createConnection(() => new P(), '127.0.0.1', 8888);
      yield* sleep(0.1);
      t.close();
    })());
    loop.close();
    say('closed');
    expect(out).toEqual(expected);
    expect(out.filter((l) => l.startsWith('warn'))).toEqual([
      "warn ResourceWarning unclosed <socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>",
      "warn ResourceWarning unclosed <socket.socket fd=8, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888), raddr=('127.0.0.1', 32768)>",
      'warn ResourceWarning unclosed transport <_SelectorSocketTransport fd=8>',
    ]);
  });
});
