// The README's networking example, run as it is written there (the last tests check that
// the README shows exactly this code, with the package's import paths, and that CPython
// 3.13.2 over the network's twin prints the same lines for the asyncio original).

import { describe, expect as expectAlso, it as itAlso } from 'vitest';
import { runNetPython } from '../scenario/oracle/cpython.js';
import { expectReadmeShows } from '../testing/_support.js';

// README:begin
import { expect, it } from 'vitest';
import {
  asyncFor, getRunningLoop, openConnection, repr, run, Simulation, startServer, type Coro, type StreamReader, type StreamWriter,
} from '../../src/index.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const upper = (b: Uint8Array): Uint8Array => bytes(new TextDecoder().decode(b).toUpperCase());
const printed: string[] = [];
const print = (...parts: unknown[]): void => {
  printed.push(parts.map(String).join(' '));
};

function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
  // async for line in reader:
  yield* asyncFor(reader, function* (line) {
    writer.write(upper(line));
    yield* writer.drain();
  });
  writer.close();
  yield* writer.waitClosed();
}

function* main(): Coro<void> {
  const loop = getRunningLoop();
  const server = yield* startServer(handle, '127.0.0.1', 8888);
  const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
  for (const line of [bytes('hello\n'), bytes('world\n')]) {
    writer.write(line);
    yield* writer.drain();
    const reply = yield* reader.readline();
    print(loop.time(), repr(reply));
  }
  writer.writeEof();
  const rest = yield* reader.read();
  print(loop.time(), repr(rest), repr(writer.transport));
  writer.close();
  yield* writer.waitClosed();
  server.close();
  yield* server.waitClosed();
  print(loop.time(), repr(server));
}

it('echoes lines over the simulated network, 5 ms each way', () => {
  new Simulation({ loopbackLatency: 0.005 });
  run(main());
  expect(printed).toEqual([
    "0.02 b'HELLO\\n'",
    "0.030000000000000002 b'WORLD\\n'",
    "0.04 b'' <_SelectorSocketTransport fd=7 read=idle write=<idle, bufsize=0>>",
    '0.04 <Server sockets=()>',
  ]);
});
// README:end

const PYTHON = `
import asyncio

async def handle(reader, writer):
    async for line in reader:
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()

async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
    for line in [b'hello\\n', b'world\\n']:
        writer.write(line)
        await writer.drain()
        reply = await reader.readline()
        print(loop.time(), reply)
    writer.write_eof()
    rest = await reader.read()
    print(loop.time(), rest, writer.transport)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    print(loop.time(), server)

asyncio.run(main())
`;

describe('README', () => {
  itAlso('shows this example, with the package import paths', () => {
    expectReadmeShows(import.meta.filename, '## Networking');
  });

  itAlso('prints what CPython 3.13 prints for the asyncio original (over the twin, 5 ms each way)', async () => {
    const expected = await runNetPython(PYTHON, 0.005);
    expectAlso(expected.trimEnd().split('\n')).toEqual([
      "0.02 b'HELLO\\n'",
      "0.030000000000000002 b'WORLD\\n'",
      "0.04 b'' <_SelectorSocketTransport fd=7 read=idle write=<idle, bufsize=0>>",
      '0.04 <Server sockets=()>',
    ]);
  });
});
