// Streams over the simulated network against CPython: openConnection and startServer with
// real (simulated) sockets, each program run by CPython 3.13.2's streams.py over the
// network's twin and by aiosim, at loopback latencies 0 and 0.01 (./_support.ts).

import {
  asyncFor, IncompleteReadError, LimitOverrunError, openConnection, sleep, startServer, ValueError, type Coro,
  type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { b, differential, log } from './_support.js';

const BOTH = [0, 0.01] as const;

const upper = (data: Uint8Array): Uint8Array => b(new TextDecoder().decode(data).toUpperCase());

function* caught<E>(cls: abstract new (...a: never[]) => E, body: () => Coro<unknown>): Coro<E> {
  try {
    yield* body();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`${cls.name} not raised`);
}

differential('streams over the network against CPython', [
  {
    name: 'an echo server: async for over lines, readline replies, write_eof, close and wait_closed in order',
    latencies: BOTH,
    python: `
async def handle(reader, writer):
    log('server: connected', writer.get_extra_info('peername'), repr(reader))
    async for line in reader:
        log('server: got', line)
        writer.write(line.upper())
        await writer.drain()
    log('server: eof', reader.at_eof())
    writer.close()
    await writer.wait_closed()
    log('server: closed')

async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    log('serving', server.sockets[0].getsockname())
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
    log('client: connected', writer.get_extra_info('sockname'), repr(writer))
    for text in (b'hello\\n', b'world\\n'):
        writer.write(text)
        await writer.drain()
        log('client: reply', await reader.readline())
    writer.write_eof()
    log('client: after write_eof', writer.can_write_eof(), writer.is_closing())
    log('client: rest', await reader.read())
    log('client: repr', repr(reader))
    writer.close()
    log('client: closing', writer.is_closing())
    await writer.wait_closed()
    log('client: closed')
    server.close()
    await server.wait_closed()
    log('server closed')
`,
    *main() {
      function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
        log('server: connected', writer.getExtraInfo('peername'), repr(reader));
        yield* asyncFor(reader, function* (line) {
          log('server: got', line);
          writer.write(upper(line));
          yield* writer.drain();
        });
        log('server: eof', reader.atEof());
        writer.close();
        yield* writer.waitClosed();
        log('server: closed');
      }
      const server = yield* startServer(handle, '127.0.0.1', 8888);
      log('serving', server.sockets[0]!.getsockname());
      const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
      log('client: connected', writer.getExtraInfo('sockname'), repr(writer));
      for (const text of [b('hello\n'), b('world\n')]) {
        writer.write(text);
        yield* writer.drain();
        log('client: reply', yield* reader.readline());
      }
      writer.writeEof();
      log('client: after write_eof', writer.canWriteEof(), writer.isClosing());
      log('client: rest', yield* reader.read());
      log('client: repr', repr(reader));
      writer.close();
      log('client: closing', writer.isClosing());
      yield* writer.waitClosed();
      log('client: closed');
      server.close();
      yield* server.waitClosed();
      log('server closed');
    },
  },
]);
