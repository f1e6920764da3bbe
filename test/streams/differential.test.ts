// Streams over the simulated network against CPython: openConnection and startServer with
// real (simulated) sockets, each program run by CPython 3.13.2's streams.py over the
// network's twin and by aiosim, at loopback latencies 0 and 0.01 (./_support.ts).

import {
  asyncFor, ConnectionResetError, currentTask, getRunningLoop, logging, IncompleteReadError, LimitOverrunError, OSError, openConnection, sleep,
  startServer, ValueError, type Coro, type StreamReader, type StreamWriter,
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
  {
    name: 'readuntil with several separators across chunks, LimitOverrunError, readline\'s ValueError, IncompleteReadError at EOF',
    latencies: BOTH,
    python: `
async def handle(reader, writer):
    for piece in (b'alpha\\r', b'\\nbeta;', b'gam', b'ma\\r\\n', b'0123456789abcdef\\n', b'tail'):
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(0.1)
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888, limit=8)
    log(repr(reader))
    seps = (b'\\r\\n', b';', b'\\r')
    for _ in range(3):
        log(await reader.readuntil(seps))
    log(await reader.readline())
    try:
        await reader.readuntil(b'\\n')
    except asyncio.LimitOverrunError as e:
        log('readuntil', repr(e), e.consumed)
    try:
        await reader.readline()
    except ValueError as e:
        log('readline', repr(e))
    log(repr(reader))
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        log('readexactly', repr(e), e.partial, e.expected)
    log(repr(reader), reader.at_eof())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
`,
    *main() {
      function* handle(_reader: StreamReader, writer: StreamWriter): Coro<void> {
        for (const piece of ['alpha\r', '\nbeta;', 'gam', 'ma\r\n', '0123456789abcdef\n', 'tail']) {
          writer.write(b(piece));
          yield* writer.drain();
          yield* sleep(0.1);
        }
        writer.close();
        yield* writer.waitClosed();
      }
      const server = yield* startServer(handle, '127.0.0.1', 8888);
      const [reader, writer] = yield* openConnection('127.0.0.1', 8888, { limit: 8 });
      log(repr(reader));
      const seps = [b('\r\n'), b(';'), b('\r')];
      for (let i = 0; i < 3; i++) log(yield* reader.readuntil(seps));
      log(yield* reader.readline());
      const e = yield* caught(LimitOverrunError, () => reader.readuntil(b('\n')));
      log('readuntil', repr(e), e.consumed);
      log('readline', repr(yield* caught(ValueError, () => reader.readline())));
      log(repr(reader));
      const i = yield* caught(IncompleteReadError, () => reader.readexactly(10));
      log('readexactly', repr(i), i.partial, i.expected);
      log(repr(reader), reader.atEof());
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
    },
  },
  {
    name: 'drain() blocks while a slow reader keeps its transport paused at 2 * limit',
    latencies: BOTH,
    python: `
async def handle(reader, writer):
    t = writer.transport
    log('server: limits', t.get_write_buffer_limits())
    for i in range(6):
        writer.write(b'x' * 100000)
        log('server: wrote', i, t.get_write_buffer_size())
        await writer.drain()
        log('server: drained', i, t.get_write_buffer_size())
    writer.close()
    await writer.wait_closed()
    log('server: closed')

async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888, limit=50000)
    total = 0
    while True:
        await asyncio.sleep(1)
        log('client: before read', repr(reader))
        data = await reader.read(200000)
        if not data:
            break
        total += len(data)
        log('client: read', len(data), total)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    log('done', total)
`,
    *main() {
      function* handle(_reader: StreamReader, writer: StreamWriter): Coro<void> {
        const t = writer.transport;
        log('server: limits', t.getWriteBufferLimits());
        for (let i = 0; i < 6; i++) {
          writer.write(new Uint8Array(100000).fill(120));
          log('server: wrote', i, t.getWriteBufferSize());
          yield* writer.drain();
          log('server: drained', i, t.getWriteBufferSize());
        }
        writer.close();
        yield* writer.waitClosed();
        log('server: closed');
      }
      const server = yield* startServer(handle, '127.0.0.1', 8888);
      const [reader, writer] = yield* openConnection('127.0.0.1', 8888, { limit: 50000 });
      let total = 0;
      for (;;) {
        yield* sleep(1);
        log('client: before read', repr(reader));
        const data = yield* reader.read(200000);
        if (data.length === 0) break;
        total += data.length;
        log('client: read', data.length, total);
      }
      writer.close();
      yield* writer.waitClosed();
      server.close();
      yield* server.waitClosed();
      log('done', total);
    },
  },
  {
    name: 'client_connected_cb failing (the exception handler) or cancelled, a refused connection, drain after close',
    latencies: BOTH,
    python: `
def handler(loop, ctx):
    log('handler', sorted(ctx), ctx['message'], repr(ctx.get('exception')))

keep = []

async def failing(reader, writer):
    keep.append(writer)
    log('failing: got', await reader.read(100))
    raise ValueError('test')

async def cancelling(reader, writer):
    keep.append(writer)
    log('cancelling: got', await reader.read(100))
    writer.close()
    asyncio.current_task().cancel()
    await asyncio.sleep(0)

async def client(port):
    rd, wr = await asyncio.open_connection('127.0.0.1', port)
    wr.write(b'test msg')
    await wr.drain()
    log('client: eof read', await rd.read())
    wr.close()
    await wr.wait_closed()
    log('client: closed', rd.at_eof())

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    for port, cb in ((8888, failing), (8889, cancelling)):
        server = await asyncio.start_server(cb, '127.0.0.1', port, start_serving=False)
        log('serving?', server.is_serving())
        await server.start_serving()
        await client(port)
        server.close()
        await server.wait_closed()
        log('server closed', port)
    try:
        await asyncio.open_connection('127.0.0.1', 9999)
    except OSError as e:
        log('refused', repr(e))
    # drain after close: ConnectionResetError (test_async_writer_api_exception_after_close)
    async def echo(reader, writer):
        keep.append(writer)
        writer.write(await reader.readline())
        await writer.drain()
        log('echo: rest', await reader.read())
        writer.close()
    server = await asyncio.start_server(echo, '127.0.0.1', 8890)
    rd, wr = await asyncio.open_connection('127.0.0.1', 8890)
    wr.write(b'line\\n')
    log('echo', await rd.readline())
    wr.close()
    try:
        wr.write(b'data')
        await wr.drain()
    except ConnectionResetError as e:
        log('drain after close', repr(e))
    await wr.wait_closed()
    log('closed', repr(rd))
    server.close()
    await server.wait_closed()
`,
    *main() {
      const keep: StreamWriter[] = [];
      function* failing(reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        log('failing: got', yield* reader.read(100));
        throw new ValueError('test');
      }
      function* cancelling(reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        log('cancelling: got', yield* reader.read(100));
        writer.close();
        currentTask()!.cancel();
        yield* sleep(0);
      }
      function* client(port: number): Coro<void> {
        const [rd, wr] = yield* openConnection('127.0.0.1', port);
        wr.write(b('test msg'));
        yield* wr.drain();
        log('client: eof read', yield* rd.read());
        wr.close();
        yield* wr.waitClosed();
        log('client: closed', rd.atEof());
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop, ctx) => log('handler', repr(Object.keys(ctx).sort()), ctx.message, repr(ctx.exception)));
      for (const [port, cb] of [[8888, failing], [8889, cancelling]] as const) {
        const server = yield* startServer(cb, '127.0.0.1', port, { startServing: false });
        log('serving?', server.isServing());
        yield* server.startServing();
        yield* client(port);
        server.close();
        yield* server.waitClosed();
        log('server closed', port);
      }
      log('refused', repr(yield* caught(OSError, () => openConnection('127.0.0.1', 9999))));
      function* echo(reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        writer.write(yield* reader.readline());
        yield* writer.drain();
        log('echo: rest', yield* reader.read());
        writer.close();
      }
      const server = yield* startServer(echo, '127.0.0.1', 8890);
      const [rd, wr] = yield* openConnection('127.0.0.1', 8890);
      wr.write(b('line\n'));
      log('echo', yield* rd.readline());
      wr.close();
      const e = yield* caught(ConnectionResetError, function* () {
        wr.write(b('data'));
        yield* wr.drain();
      });
      log('drain after close', repr(e));
      yield* wr.waitClosed();
      log('closed', repr(rd));
      server.close();
      yield* server.waitClosed();
    },
  },
  {
    name: 'debug mode: the log records of a connection whose reader pauses its transport',
    latencies: BOTH,
    python: `
import logging, re
class H(logging.Handler):
    def emit(self, record):
        log('LOG', record.levelname, re.sub(r'0x[0-9a-f]+', '0x?', record.getMessage()))

async def main():
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    lg = logging.getLogger('asyncio')
    h = H()
    lg.addHandler(h)
    lg.setLevel(logging.DEBUG)
    async def handle(reader, writer):
        data = await reader.read(1000)
        writer.write(data * 1000)
        await writer.drain()
        writer.close()
        await writer.wait_closed()
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    r, w = await asyncio.open_connection('127.0.0.1', 8888, limit=1000)
    w.write(b'0123456789' * 10)
    await asyncio.sleep(0.5)
    log(repr(r))
    log('got', len(await r.read()))
    w.close()
    await w.wait_closed()
    server.close()
    await server.wait_closed()
    lg.removeHandler(h)
    lg.setLevel(logging.NOTSET)
`,
    *main() {
      const loop = getRunningLoop();
      loop.setDebug(true);
      const lg = logging.getLogger('asyncio');
      const h: logging.Handler = { handle: (r) => log('LOG', r.levelname, r.getMessage().replace(/0x[0-9a-f]+/g, '0x?')) };
      lg.addHandler(h);
      lg.setLevel(logging.DEBUG);
      function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
        const data = yield* reader.read(1000);
        writer.write(new Uint8Array(Array.from({ length: 1000 }, () => [...data]).flat()));
        yield* writer.drain();
        writer.close();
        yield* writer.waitClosed();
      }
      const server = yield* startServer(handle, '127.0.0.1', 8888);
      const [r, w] = yield* openConnection('127.0.0.1', 8888, { limit: 1000 });
      w.write(b('0123456789'.repeat(10)));
      yield* sleep(0.5);
      log(repr(r));
      log('got', (yield* r.read()).length);
      w.close();
      yield* w.waitClosed();
      server.close();
      yield* server.waitClosed();
      lg.removeHandler(h);
      lg.setLevel(logging.NOTSET);
    },
  },
]);
