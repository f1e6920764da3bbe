// socket.socket's finalizer at the collection point of loop.close() (unclosed-io.ts), against CPython 3.13.2
// over the network's twin (whose sockets have the finalizer): a server never closed warns
// `unclosed <socket.socket …>` for its listening sockets, and a stream transport left open
// for its socket just before itself; a bare socket the program left open is not reported
// (the divergence: CPython reports it when it frees it).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, openConnection, Protocol, run, socket as socketModule, warnings, type Coro, type socket } from '../../src/index.js';
import { _saveWarnings } from '../../src/log/warnings.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { runNetPython } from '../scenario/oracle/cpython.js';
import { listener } from '../_support/net-programs.js';
import { captureStderr } from '../_support/stderr.js';

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
`;

let out: string[] = [];
let restore: () => void;
beforeEach(() => {
  world._reset();
  _resetNetwork();
  network.loopbackLatency = 0;
  out = [];
  restore = _saveWarnings();
  warnings.simplefilter('always');
  warnings.showwarning = (m, c) => out.push(`warn ${c.name} ${String(m)}`);
});
afterEach(() => restore());

async function python(body: string): Promise<string[]> {
  return (await runNetPython(`${PRELUDE}\n${body}`, 0)).trimEnd().split('\n');
}

describe('unclosed sockets at loop.close()', () => {
  it("warns for a server's listening sockets and closes them, so that a client is refused", async () => {
    const expected = await python(`
async def main():
    loop = asyncio.get_running_loop()
    await loop.create_server(asyncio.Protocol, '127.0.0.1', 8888)
    await loop.create_server(asyncio.Protocol, '::1', 8889)
    print('main done')
asyncio.run(main())
gc.collect()
async def client():
    try:
        await asyncio.open_connection('127.0.0.1', 8888)
    except OSError as e:
        print('refused', e)
asyncio.run(client())
`);
    run((function* main(): Coro<void> {
      const loop = getRunningLoop();
      yield* loop.createServer(() => new Protocol(), '127.0.0.1', 8888);
      yield* loop.createServer(() => new Protocol(), '::1', 8889);
      out.push('main done');
    })());
    run((function* client(): Coro<void> {
      try {
        yield* openConnection('127.0.0.1', 8888);
      } catch (e) {
        out.push(`refused ${(e as Error).message}`);
      }
    })());
    expect(out).toEqual(expected);
    expect(out.slice(1, 3)).toEqual([
      "warn ResourceWarning unclosed <socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>",
      "warn ResourceWarning unclosed <socket.socket fd=7, family=10, type=1, proto=6, laddr=('::1', 8889, 0, 0)>",
    ]);
  });

  it("prints a warning made an error as unraisable, 'Exception ignored in: <socket.socket …>', and closes the socket", () => {
    let sock: { fileno(): number } | undefined;
    warnings.simplefilter('error');
    const err = captureStderr(() => {
      run((function* main(): Coro<void> {
        const server = yield* getRunningLoop().createServer(() => new Protocol(), '127.0.0.1', 8888);
        sock = server.sockets[0];
      })());
    });
    const sockRepr = "<socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>";
    // Native CPython (3.11 and 3.13): "Exception ignored in: <socket.socket fd=3, …>", the
    // traceback, "ResourceWarning: unclosed <socket.socket fd=3, …>".
    expect(err.split('\n').filter((l) => /^(Exception|ResourceWarning)/.test(l))).toEqual([
      `Exception ignored in: ${sockRepr}`,
      `ResourceWarning: unclosed ${sockRepr}`,
    ]);
    expect(sock?.fileno()).toBe(-1);
  });

  it('does not report a bare socket the program left open, which stays open (CPython: reported when freed)', async () => {
    const expected = await python(`
async def main():
    lsock = listener()
    c = socket.socket()
    c.setblocking(False)
    await asyncio.get_running_loop().sock_connect(c, ('127.0.0.1', 8888))
    print('main done')
asyncio.run(main())
print('after run')
`);
    let kept: socket.socket[] = [];
    run((function* main(): Coro<void> {
      const lsock = listener();
      const c = new socketModule.socket();
      c.setblocking(false);
      yield* getRunningLoop().sockConnect(c, ['127.0.0.1', 8888]);
      kept = [lsock, c];
      out.push('main done');
    })());
    out.push('after run');
    // CPython frees main()'s locals when it returns: the listener, then the client.
    expect(expected).toEqual([
      'main done',
      "warn ResourceWarning unclosed <socket.socket fd=6, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888)>",
      "warn ResourceWarning unclosed <socket.socket fd=7, family=2, type=1, proto=0, laddr=('127.0.0.1', 32768), raddr=('127.0.0.1', 8888)>",
      'after run',
    ]);
    expect(out).toEqual(['main done', 'after run']);
    expect(kept.map((s) => s.fileno())).toEqual([6, 7]);
  });
});
