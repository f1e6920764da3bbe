// An echo server and its clients with streams: lines echoed upper-cased, two clients at
// once, a large upload whose drain() waits for the receiver (a connection holds 128 KiB
// in flight), then the server closed with asyncWith. Every connection has 5 ms of
// latency each way. The asyncio original is examples/python/17-echo-server.py.

import {
  asyncFor, asyncWith, gather, getRunningLoop, openConnection, repr, run, Simulation, sleep, startServer, type Coro,
  type StreamReader, type StreamWriter,
} from '../src/index.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export function main(): void {
  const log = (line: string): void => console.log(`${getRunningLoop().time().toFixed(3).padStart(6)} ${line}`);

  function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
    const name = text(yield* reader.readline()).trim();
    log(`server: ${name} connected`);
    if (name === 'carol') {
      const data = yield* reader.readexactly(300_000);
      log(`server: ${data.length} bytes from carol`);
      writer.write(bytes(`${data.length}\n`));
    } else {
      // async for line in reader:
      yield* asyncFor(reader, function* (line) {
        writer.write(bytes(text(line).toUpperCase()));
        yield* writer.drain();
      });
    }
    yield* writer.drain();
    log(`server: done with ${name}`);
    writer.close();
    yield* writer.waitClosed();
  }

  function* client(name: string, lines: string[], pause: number): Coro<void> {
    const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
    writer.write(bytes(`${name}\n`));
    for (const line of lines) {
      yield* sleep(pause);
      writer.write(bytes(`${line}\n`));
      yield* writer.drain();
      const reply = yield* reader.readline();
      log(`${name}: ${repr(reply)}`);
    }
    writer.writeEof();
    yield* reader.read();
    writer.close();
    yield* writer.waitClosed();
    log(`${name}: closed`);
  }

  function* upload(): Coro<void> {
    const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
    const payload = new Uint8Array(6 + 300_000).fill(120);
    payload.set(bytes('carol\n'));
    writer.write(payload);
    log(`carol: ${writer.transport.getWriteBufferSize()} bytes buffered`);
    yield* writer.drain();
    log(`carol: drained, ${writer.transport.getWriteBufferSize()} bytes buffered`);
    log(`carol: server says ${repr(yield* reader.readline())}`);
    writer.close();
    yield* writer.waitClosed();
  }

  function* mainCoro(): Coro<void> {
    const server = yield* startServer(handle, '127.0.0.1', 8888);
    const [host, port] = server.sockets[0]!.getsockname() as [string, number];
    log(`serving on (${repr(host)}, ${port})`);
    yield* asyncWith(server, function* () {
      yield* gather(client('alice', ['hello', 'bye'], 0.01), client('bob', ['hi'], 0.002), upload());
    });
    log(`closed: ${repr(server)}`);
  }

  new Simulation({ loopbackLatency: 0.005 });
  run(mainCoro());
}
