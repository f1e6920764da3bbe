// startServer against CPython's start_server: sock=, the readers' limit, a plain
// client_connected_cb starting its own task, the server's repr before and after close,
// create_server's checks. Each program runs on CPython 3.13.2 too (./_support.ts).

import { getRunningLoop, openConnection, socket, startServer, ValueError, type Coro, type StreamReader, type StreamWriter } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { b, differential, log } from './_support.js';

differential('startServer against CPython', [
  {
    name: 'serves a given socket with a plain callback; the readers get the limit',
    latencies: [0, 0.01],
    python: `
async def main():
    loop = asyncio.get_running_loop()
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(100)
    keep = []
    def cb(reader, writer):
        keep.append(writer)
        log('cb', repr(reader), repr(writer))
        async def echo():
            writer.write(await reader.readline())
            await writer.drain()
            writer.close()
            await writer.wait_closed()
            log('echo done')
        loop.create_task(echo())
    server = await asyncio.start_server(cb, sock=sock, limit=100)
    log(repr(server))
    r, w = await asyncio.open_connection(*sock.getsockname())
    w.write(b'ping\\n')
    log('reply', await r.readline())
    log('eof', await r.read())
    w.close()
    await w.wait_closed()
    server.close()
    await server.wait_closed()
    log(repr(server), server.is_serving())
    try:
        await asyncio.start_server(cb, '127.0.0.1', 8888, ssl_handshake_timeout=1)
    except ValueError as e:
        log('ssl', repr(e))
`,
    *main() {
      const loop = getRunningLoop();
      const sock = new socket.socket();
      sock.bind(['127.0.0.1', 0]);
      sock.listen(100);
      const keep: StreamWriter[] = [];
      function cb(reader: StreamReader, writer: StreamWriter): void {
        keep.push(writer);
        log('cb', repr(reader), repr(writer));
        function* echo(): Coro<void> {
          writer.write(yield* reader.readline());
          yield* writer.drain();
          writer.close();
          yield* writer.waitClosed();
          log('echo done');
        }
        loop.createTask!(echo());
      }
      const server = yield* startServer(cb, undefined, undefined, { sock, limit: 100 });
      log(repr(server));
      const [host, port] = sock.getsockname() as [string, number];
      const [r, w] = yield* openConnection(host, port);
      w.write(b('ping\n'));
      log('reply', yield* r.readline());
      log('eof', yield* r.read());
      w.close();
      yield* w.waitClosed();
      server.close();
      yield* server.waitClosed();
      log(repr(server), server.isServing());
      try {
        yield* startServer(cb, '127.0.0.1', 8888, { sslHandshakeTimeout: 1 });
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        log('ssl', repr(e));
      }
    },
  },
]);
