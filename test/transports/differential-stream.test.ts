// The selector's stream transport and createConnection against CPython 3.13.2 over the
// network's twin: connection_made/data_received/eof_received/connection_lost order
// interleaved with callSoon and tasks, reprs at each stage, at loopback latencies 0 and 0.01.

import { createTask, Future, getRunningLoop, Protocol, sleep, type Coro, type Transport } from '../../src/index.js';
import { bytes, describePrograms, listener, log, type NetProgram } from '../_support/net-programs.js';
import type { socket } from '../../src/index.js';

const upper = (d: Uint8Array): Uint8Array => bytes(new TextDecoder().decode(d).toUpperCase());

// Python: class Client(asyncio.Protocol) logging each callback.
class Client extends Protocol {
  t!: Transport;
  readonly lost: Future<void> = getRunningLoop().createFuture();
  override connectionMade(t: Transport): void {
    this.t = t;
    log('made', t);
    getRunningLoop().callSoon(log, 'soon after made', t);
  }
  override dataReceived(d: Uint8Array): void {
    log('data', d, this.t);
  }
  override eofReceived(): undefined {
    log('eof', this.t);
    return undefined;
  }
  override connectionLost(exc: unknown): void {
    log('lost', exc, this.t);
    this.lost.setResult(undefined);
  }
}

const PY_CLIENT = `
class Client(asyncio.Protocol):
    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
        log('made', t)
        asyncio.get_running_loop().call_soon(log, 'soon after made', t)
    def data_received(self, d):
        log('data', d, self.t)
    def eof_received(self):
        log('eof', self.t)
    def connection_lost(self, exc):
        log('lost', exc, self.t)
        self.lost.set_result(None)
`;

const programs: NetProgram[] = [
  {
    name: 'a client connection: made, data, eof, lost, with reprs at each stage',
    python: `${PY_CLIENT}
async def serve(srv):
    loop = asyncio.get_running_loop()
    conn, _ = await loop.sock_accept(srv)
    data = await loop.sock_recv(conn, 100)
    log('server got', data)
    await loop.sock_sendall(conn, data.upper())
    conn.close()
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    task = asyncio.create_task(serve(srv))
    t, p = await loop.create_connection(Client, '127.0.0.1', 8888)
    log('created', t, type(p).__name__)
    log(t.get_extra_info('socket'), t.get_extra_info('sockname'), t.get_extra_info('peername'))
    t.write(b'hello')
    log('wrote', t, t.get_write_buffer_size())
    await task
    await p.lost
    log('end', t, t.is_closing())
    srv.close()
`,
    *main() {
      function* serve(srv: socket.socket): Coro<void> {
        const loop = getRunningLoop();
        const [conn] = yield* loop.sockAccept(srv);
        const data = yield* loop.sockRecv(conn, 100);
        log('server got', data);
        yield* loop.sockSendall(conn, upper(data));
        conn.close();
      }
      const loop = getRunningLoop();
      const srv = listener();
      const task = createTask(serve(srv));
      const [t, p] = yield* loop.createConnection(() => new Client(), '127.0.0.1', 8888);
      log('created', t, p.constructor.name);
      log(t.getExtraInfo('socket'), t.getExtraInfo('sockname'), t.getExtraInfo('peername'));
      t.write(bytes('hello'));
      log('wrote', t, t.getWriteBufferSize());
      yield* task;
      yield* p.lost;
      log('end', t, t.isClosing());
      srv.close();
    },
  },
];

void sleep;
describePrograms('the stream transport against CPython over the twin', programs);
