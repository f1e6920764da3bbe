// open_connection: a TCP connection as a (StreamReader, StreamWriter) pair.
// asyncio: streams.open_connection

import { getRunningLoop } from '../events/running-loop.js';
import type { EventLoop } from '../loop/event-loop.js';
import type { Coro } from '../task/coroutine.js';
import { _libraryCoroutine } from '../task/library-coroutine.js';
import type { CreateConnectionOptions } from '../transports/create-connection.js';
import { DEFAULT_LIMIT, StreamReader } from './stream-reader.js';
import { StreamReaderProtocol } from './stream-reader-protocol.js';
import { StreamWriter } from './stream-writer.js';

/** open_connection's keyword arguments: the reader's limit, and create_connection's. */
export interface OpenConnectionOptions extends CreateConnectionOptions {
  /** The StreamReader's limit (default 65536). */
  limit?: number;
}

/**
 * Connect to `host`:`port` (loop.createConnection with a StreamReaderProtocol) and return
 * the connection's reader and writer.
 *
 * @throws what createConnection raises (OSError subclasses such as ConnectionRefusedError,
 * ValueError for bad arguments); RuntimeError `no running event loop` outside a loop.
 * @example
 * const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
 * writer.write(bytes('ping\n'));
 * const reply = yield* reader.readline();
 * asyncio: asyncio.open_connection
 */
export const openConnection = _libraryCoroutine('open_connection', function* openConnection(
  host?: string | null,
  port?: number | string | null,
  options?: OpenConnectionOptions,
): Coro<[StreamReader, StreamWriter]> {
  const { limit = DEFAULT_LIMIT, ...kwds } = options ?? {};
  const loop = getRunningLoop() as EventLoop;
  const reader = new StreamReader({ limit, loop });
  const protocol = new StreamReaderProtocol(reader, { loop });
  const [transport] = yield* loop.createConnection(() => protocol, host, port, kwds);
  const writer = new StreamWriter(transport, protocol, reader, loop);
  return [reader, writer];
});
