// aiosim against the real thing: a few programs (an echo server and clients, a line
// protocol with readuntil, a UDP ping, refused connections) run on native CPython 3.13
// with real loopback sockets, and their TypeScript translations on aiosim's simulated
// network; what they print must be equal. The programs print nothing that depends on the
// machine (no times, ports or file descriptors). What CPython printed is stored in
// real-sockets/<name>.out; a machine with a native CPython 3.13 (pyenv's, or
// $AIOSIM_PYTHON) also runs the programs again to check the stored outputs.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  asyncWith, DatagramProtocol, DatagramTransport, getRunningLoop, IncompleteReadError, LimitOverrunError, openConnection, Protocol,
  Queue, run, sleep, socket, startServer, type Coro, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import type { SockAddr } from '../../src/net/address.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { bytes, concatBytes, errorText, str as pyStr } from '../_support/net-programs.js';
import { hasNativePython, nativePython } from '../scenario/oracle/native.js';

const PROGRAMS = join(import.meta.dirname, 'real-sockets');

let out: string[] = [];
const print = (...parts: unknown[]): void => {
  out.push(parts.map(pyStr).join(' '));
};

const upper = (data: Uint8Array): Uint8Array => bytes(new TextDecoder().decode(data).toUpperCase());

// echo.py
function* echo(): Coro<void> {
  function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
    const peer = writer.getExtraInfo('peername') as SockAddr;
    print('server: connection from', peer[0]);
    for (;;) {
      const line = yield* reader.readline();
      if (line.length === 0) break;
      print('server: got', line);
      writer.write(upper(line));
      yield* writer.drain();
    }
    print('server: EOF, closing');
    writer.close();
    yield* writer.waitClosed();
  }
  function* client(name: string, port: number, lines: Uint8Array[]): Coro<void> {
    const [reader, writer] = yield* openConnection('127.0.0.1', port);
    for (const line of lines) {
      writer.write(line);
      yield* writer.drain();
      print(name, 'reply', yield* reader.readline());
    }
    writer.writeEof();
    print(name, 'at EOF:', yield* reader.read(), reader.atEof());
    writer.close();
    yield* writer.waitClosed();
    print(name, 'closed', writer.isClosing());
  }
  const server = yield* startServer(handle, '127.0.0.1', 0);
  const port = (server.sockets[0]!.getsockname() as SockAddr)[1];
  print('serving:', server.isServing(), server.sockets.length);
  yield* client('a', port, [bytes('hello\n'), bytes('world\n')]);
  yield* client('b', port, [bytes('one line\n')]);
  server.close();
  yield* server.waitClosed();
  print('server closed:', server.isServing());
}

// lines.py
function* lines(): Coro<void> {
  const strip = (record: Uint8Array): Uint8Array => {
    let end = record.length;
    while (end > 0 && [13, 10, 59].includes(record[end - 1]!)) end--;
    return record.subarray(0, end);
  };
  function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
    try {
      for (;;) {
        const record = yield* reader.readuntil([bytes('\r\n'), bytes(';')]);
        print('server: record', record);
        writer.write(concatBytes(bytes('ok '), strip(record), bytes('\n')));
      }
    } catch (e) {
      if (e instanceof LimitOverrunError) {
        print('server: LimitOverrunError', e.consumed, e.message);
        writer.write(bytes('too long\n'));
      } else if (e instanceof IncompleteReadError) {
        print('server: IncompleteReadError', e.partial, e.expected, e.message);
      } else {
        throw e;
      }
    }
    writer.close();
    yield* writer.waitClosed();
  }
  const server = yield* startServer(handle, '127.0.0.1', 0, { limit: 16 });
  const port = (server.sockets[0]!.getsockname() as SockAddr)[1];
  const [reader, writer] = yield* openConnection('127.0.0.1', port);
  writer.write(bytes('alpha;beta\r\ngam'));
  yield* writer.drain();
  print('client:', yield* reader.readline());
  print('client:', yield* reader.readline());
  writer.write(concatBytes(bytes('ma;'), bytes('x'.repeat(40)), bytes(';')));
  yield* writer.drain();
  print('client:', yield* reader.readline());
  print('client:', yield* reader.readline());
  print('client: then', yield* reader.read());
  writer.close();
  yield* writer.waitClosed();
  yield* asyncWith(server, function* () {});
  print('done');
}

// udp.py
class Pong extends DatagramProtocol {
  transport!: DatagramTransport;
  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
  }
  override datagramReceived(data: Uint8Array, addr: SockAddr): void {
    print('server: got', data, 'from', addr[0]);
    this.transport.sendto(bytes(new TextDecoder().decode(data).replace('ping', 'pong')), addr);
  }
}

class Ping extends DatagramProtocol {
  readonly replies = new Queue<Uint8Array>();
  override datagramReceived(data: Uint8Array): void {
    this.replies.putNowait(data);
  }
  override connectionLost(exc: unknown): void {
    print('client: connection lost', exc === undefined ? 'None' : exc);
  }
}

function* udp(): Coro<void> {
  const loop = getRunningLoop();
  const [server] = yield* loop.createDatagramEndpoint(() => new Pong(), { localAddr: ['127.0.0.1', 0] });
  const port = (server.getExtraInfo('sockname') as SockAddr)[1];
  const [client, ping] = yield* loop.createDatagramEndpoint(() => new Ping(), { remoteAddr: ['127.0.0.1', port] });
  for (let i = 0; i < 3; i++) {
    client.sendto(bytes(`ping ${i}`));
    print('client: reply', yield* ping.replies.get());
  }
  client.close();
  yield* sleep(0);
  server.close();
  print('done');
}

// refused.py
function* refused(): Coro<void> {
  const freePort = (): number => {
    const s = new socket.socket();
    s.bind(['127.0.0.1', 0]);
    const port = (s.getsockname() as SockAddr)[1];
    s.close();
    return port;
  };
  const port = freePort();
  const show = (what: string, e: unknown): void => {
    const err = e as Error & { errno?: number };
    print(what, errorText(e).split(' ')[0], err.errno, err.message.replace(String(port), 'PORT'));
  };
  try {
    yield* openConnection('127.0.0.1', port);
  } catch (e) {
    show('open_connection:', e);
  }
  const loop = getRunningLoop();
  try {
    yield* loop.createConnection(() => new Protocol(), '127.0.0.1', port);
  } catch (e) {
    show('create_connection:', e);
  }
  const s = new socket.socket();
  s.setblocking(false);
  try {
    yield* loop.sockConnect(s, ['127.0.0.1', port]);
  } catch (e) {
    show('sock_connect:', e);
  }
  s.close();
  try {
    yield* loop.createConnection(() => new Protocol(), 'localhost', port);
  } catch (e) {
    show('by name:', e);
  }
}

const programs: [name: string, main: () => Coro<void>][] = [
  ['echo', echo],
  ['lines', lines],
  ['udp', udp],
  ['refused', refused],
];

const native = hasNativePython();

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

// What native CPython 3.13 printed for each program with real loopback sockets, stored
// beside it (<name>.out), so that every machine compares aiosim with it; where a native
// CPython 3.13 is installed, the programs run on it again and must still print that.
const stored = (name: string): string => readFileSync(join(PROGRAMS, `${name}.out`), 'utf8');

describe('aiosim against native CPython 3.13 with real sockets', () => {
  for (const [name, main] of programs) {
    it(`${name}.py prints what its translation prints`, () => {
      out = [];
      run(main());
      expect(out.length).toBeGreaterThan(0);
      expect(out.join('\n')).toBe(stored(name).trimEnd());
    });
    if (native) {
      it(`${name}.py prints on native CPython 3.13 what is stored in ${name}.out`, () => {
        const printed = execFileSync(nativePython(), [join(PROGRAMS, `${name}.py`)], { encoding: 'utf8', timeout: 60_000 });
        expect(printed).toBe(stored(name));
      });
    }
  }
});
