// start_server: a TCP server whose connections are handed to a callback as a
// (StreamReader, StreamWriter) pair.
// asyncio: streams.start_server

import { getRunningLoop } from '../events/running-loop.js';
import { named } from '../format/named.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';
import type { CreateServerOptions } from '../transports/create-server.js';
import type { Server } from '../transports/server.js';
import { DEFAULT_LIMIT, StreamReader } from './stream-reader.js';
import { StreamReaderProtocol, type ClientConnectedCb } from './stream-reader-protocol.js';

/** start_server's keyword arguments: the readers' limit, and create_server's. */
export interface StartServerOptions extends CreateServerOptions {
  /** Each StreamReader's limit (default 65536). */
  limit?: number;
}

/**
 * Start a TCP server (loop.createServer) calling `clientConnectedCb(reader, writer)` for
 * each connection; a coroutine it returns runs as a task.
 *
 * @throws what createServer raises (OSError `[Errno 98] …` when the address is in use,
 * ValueError for bad arguments); RuntimeError `no running event loop` outside a loop.
 * @example
 * function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
 *   writer.write(yield* reader.readline());
 *   writer.close();
 * }
 * const server = yield* startServer(handle, '127.0.0.1', 8888);
 * asyncio: asyncio.start_server
 */
export const startServer = _libraryCoroutine('start_server', function* startServer(
  clientConnectedCb: ClientConnectedCb,
  host?: string | readonly string[] | null,
  port?: number | string | null,
  options?: StartServerOptions,
): Coro<Server> {
  const { limit = DEFAULT_LIMIT, ...kwds } = options ?? {};
  const loop = getRunningLoop() as EventLoop;
  const factory = named('start_server.<locals>.factory', (): StreamReaderProtocol => {
    const reader = new StreamReader({ limit, loop });
    return new StreamReaderProtocol(reader, { clientConnectedCb, loop });
  });
  return yield* loop.createServer(factory, host, port, kwds);
});
