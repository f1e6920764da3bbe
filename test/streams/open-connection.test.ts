// openConnection against CPython's open_connection: the reader's limit, create_connection's
// keywords passed on (local_addr, the ssl-only checks), a refused connection. Each program
// runs on CPython 3.13.2 too, at latencies 0 and 0.01 (./_support.ts).

import { OSError, openConnection, startServer, ValueError, type Coro, type StreamReader, type StreamWriter } from '../../src/index.js';
import { repr, reprTuple } from '../../src/format/py-repr.js';
import { b, differential, log } from './_support.js';

function* caught<E>(cls: abstract new (...a: never[]) => E, body: () => Coro<unknown>): Coro<E> {
  try {
    yield* body();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`${cls.name} not raised`);
}

differential('openConnection against CPython', [
  {
    name: 'passes limit to the reader and the other options to createConnection',
    latencies: [0, 0.01],
    python: `
async def main():
    keep = []
    async def handle(reader, writer):
        keep.append(writer)
        log('server: peer', writer.get_extra_info('peername'), repr(reader))
        writer.write(b'x' * 30 + b'\\n')
        await writer.drain()
    server = await asyncio.start_server(handle, '127.0.0.1', 8888, limit=5, reuse_address=True)
    log('server', server.is_serving(), [s.getsockname() for s in server.sockets])
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888, limit=10, local_addr=('127.0.0.1', 40000))
    log('client', writer.get_extra_info('sockname'), repr(reader))
    try:
        await reader.readline()
    except ValueError as e:
        log('readline', repr(e))
    log(repr(reader))
    writer.close()
    await writer.wait_closed()
    for w in keep:
        w.close()
    server.close()
    await server.wait_closed()
    try:
        await asyncio.open_connection('127.0.0.1', 8888, limit=0)
    except ValueError as e:
        log('limit 0', repr(e))
    try:
        await asyncio.open_connection('127.0.0.1', 8888, ssl_handshake_timeout=1)
    except ValueError as e:
        log('ssl', repr(e))
    try:
        await asyncio.open_connection('127.0.0.1', 8888)
    except OSError as e:
        log('closed server', repr(e))
`,
    *main() {
      const keep: StreamWriter[] = [];
      function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        log('server: peer', writer.getExtraInfo('peername'), repr(reader));
        writer.write(b(`${'x'.repeat(30)}\n`));
        yield* writer.drain();
      }
      const server = yield* startServer(handle, '127.0.0.1', 8888, { limit: 5, reuseAddress: true });
      log('server', server.isServing(), `[${server.sockets.map((s) => reprTuple(s.getsockname() as readonly unknown[])).join(', ')}]`);
      const [reader, writer] = yield* openConnection('127.0.0.1', 8888, { limit: 10, localAddr: ['127.0.0.1', 40000] });
      log('client', writer.getExtraInfo('sockname'), repr(reader));
      log('readline', repr(yield* caught(ValueError, () => reader.readline())));
      log(repr(reader));
      writer.close();
      yield* writer.waitClosed();
      for (const w of keep) w.close();
      server.close();
      yield* server.waitClosed();
      log('limit 0', repr(yield* caught(ValueError, () => openConnection('127.0.0.1', 8888, { limit: 0 }))));
      log('ssl', repr(yield* caught(ValueError, () => openConnection('127.0.0.1', 8888, { sslHandshakeTimeout: 1 }))));
      log('closed server', repr(yield* caught(OSError, () => openConnection('127.0.0.1', 8888))));
    },
  },
]);
