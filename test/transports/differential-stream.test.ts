// The selector's stream transport and createConnection against CPython 3.13.2 over the
// network's twin: connection_made/data_received/eof_received/connection_lost order
// interleaved with callSoon and tasks, reprs at each stage, at loopback latencies 0 and 0.01.

import { createTask, ExceptionGroup, Future, getRunningLoop, Protocol, sleep, socket as socketModule, type Coro, type Transport } from '../../src/index.js';
import type { CreateConnectionOptions } from '../../src/transports/create-connection.js';
import { repr } from '../../src/format/py-repr.js';
import { bytes, describePrograms, errorText, listener, log, type NetProgram } from '../_support/net-programs.js';
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
  {
    name: 'large writes buffer: pause_writing and resume_writing at the water marks, close after the buffer drains',
    python: `class Writer(asyncio.Protocol):
    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
    def pause_writing(self):
        log('pause_writing', self.t.get_write_buffer_size(), self.t)
    def resume_writing(self):
        log('resume_writing', self.t.get_write_buffer_size(), self.t)
    def connection_lost(self, exc):
        log('lost', exc, self.t)
        self.lost.set_result(None)
async def serve(srv):
    loop = asyncio.get_running_loop()
    conn, _ = await loop.sock_accept(srv)
    total = 0
    while True:
        await asyncio.sleep(0.1)
        data = await loop.sock_recv(conn, 65536)
        if not data:
            break
        total += len(data)
        log('server read', len(data), total)
    conn.close()
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    task = asyncio.create_task(serve(srv))
    t, p = await loop.create_connection(Writer, '127.0.0.1', 8888)
    log('limits', t.get_write_buffer_limits())
    t.write(b'x' * 100000)
    log('after first write', t)
    t.write(b'y' * 100000)
    log('after second write', t)
    t.writelines([b'a' * 10, b'b' * 20])
    log('after writelines', t)
    t.close()
    log('closing', t)
    await task
    await p.lost
    srv.close()
`,
    *main() {
      class Writer extends Protocol {
        t!: Transport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        override connectionMade(t: Transport): void {
          this.t = t;
        }
        override pauseWriting(): void {
          log('pause_writing', this.t.getWriteBufferSize(), this.t);
        }
        override resumeWriting(): void {
          log('resume_writing', this.t.getWriteBufferSize(), this.t);
        }
        override connectionLost(exc: unknown): void {
          log('lost', exc, this.t);
          this.lost.setResult(undefined);
        }
      }
      function* serve(srv: socket.socket): Coro<void> {
        const loop = getRunningLoop();
        const [conn] = yield* loop.sockAccept(srv);
        let total = 0;
        for (;;) {
          yield* sleep(0.1);
          const data = yield* loop.sockRecv(conn, 65536);
          if (data.length === 0) break;
          total += data.length;
          log('server read', data.length, total);
        }
        conn.close();
      }
      const loop = getRunningLoop();
      const srv = listener();
      const task = createTask(serve(srv));
      const [t, p] = yield* loop.createConnection(() => new Writer(), '127.0.0.1', 8888);
      log('limits', t.getWriteBufferLimits());
      t.write(new Uint8Array(100000).fill(0x78));
      log('after first write', t);
      t.write(new Uint8Array(100000).fill(0x79));
      log('after second write', t);
      t.writelines([new Uint8Array(10).fill(0x61), new Uint8Array(20).fill(0x62)]);
      log('after writelines', t);
      t.close();
      log('closing', t);
      yield* task;
      yield* p.lost;
      srv.close();
    },
  },
  {
    name: 'write_eof half-closes: the server sees EOF, keeps writing, then closes',
    python: `class Half(asyncio.Protocol):
    def __init__(self, name):
        self.name = name
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
        log(self.name, 'made', t.can_write_eof())
    def data_received(self, d):
        log(self.name, 'data', d)
        if self.name == 'server':
            self.t.write(d.upper())
    def eof_received(self):
        log(self.name, 'eof', self.t)
        if self.name == 'server':
            self.t.write(b'bye')
            return True
    def connection_lost(self, exc):
        log(self.name, 'lost', exc, self.t)
        self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    async def accept():
        conn, _ = await loop.sock_accept(srv)
        return await loop.connect_accepted_socket(lambda: Half('server'), conn)
    task = asyncio.create_task(accept())
    t, p = await loop.create_connection(lambda: Half('client'), '127.0.0.1', 8888)
    st, sp = await task
    log('server side', st, st.get_extra_info('peername'))
    t.write(b'abc')
    t.write_eof()
    log('after write_eof', t)
    try:
        t.write(b'more')
    except RuntimeError as e:
        log(err(e))
    try:
        t.writelines([b'more'])
    except RuntimeError as e:
        log(err(e))
    t.write_eof()
    await asyncio.sleep(0.5)
    log('server side now', st)
    st.close()
    await p.lost
    await sp.lost
    log('end', t, st)
    srv.close()
`,
    *main() {
      class Half extends Protocol {
        t!: Transport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        constructor(readonly name: string) {
          super();
        }
        override connectionMade(t: Transport): void {
          this.t = t;
          log(this.name, 'made', t.canWriteEof());
        }
        override dataReceived(d: Uint8Array): void {
          log(this.name, 'data', d);
          if (this.name === 'server') this.t.write(upper(d));
        }
        override eofReceived(): boolean | undefined {
          log(this.name, 'eof', this.t);
          if (this.name === 'server') {
            this.t.write(bytes('bye'));
            return true;
          }
          return undefined;
        }
        override connectionLost(exc: unknown): void {
          log(this.name, 'lost', exc, this.t);
          this.lost.setResult(undefined);
        }
      }
      const loop = getRunningLoop();
      const srv = listener();
      function* accept(): Coro<[Transport, Half]> {
        const [conn] = yield* loop.sockAccept(srv);
        return yield* loop.connectAcceptedSocket(() => new Half('server'), conn);
      }
      const task = createTask(accept());
      const [t, p] = yield* loop.createConnection(() => new Half('client'), '127.0.0.1', 8888);
      const [st, sp] = yield* task;
      log('server side', st, st.getExtraInfo('peername'));
      t.write(bytes('abc'));
      t.writeEof();
      log('after write_eof', t);
      try {
        t.write(bytes('more'));
      } catch (e) {
        log(errorText(e));
      }
      try {
        t.writelines([bytes('more')]);
      } catch (e) {
        log(errorText(e));
      }
      t.writeEof();
      yield* sleep(0.5);
      log('server side now', st);
      st.close();
      yield* p.lost;
      yield* sp.lost;
      log('end', t, st);
      srv.close();
    },
  },
  {
    name: 'close flushes the buffer, abort drops it; a peer reset reaches connection_lost',
    python: `class P(asyncio.Protocol):
    def __init__(self, name):
        self.name = name
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
    def data_received(self, d):
        log(self.name, 'data', len(d))
    def eof_received(self):
        log(self.name, 'eof')
    def connection_lost(self, exc):
        log(self.name, 'lost', err(exc) if exc else exc, self.t)
        self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    for how in ('close', 'abort'):
        acc = asyncio.create_task(loop.sock_accept(srv))
        t, p = await loop.create_connection(lambda: P('client ' + how), '127.0.0.1', 8888)
        conn, _ = await acc
        st, sp = await loop.connect_accepted_socket(lambda: P('server ' + how), conn)
        t.write(b'z' * 200000)
        log(how, 'buffered', t.get_write_buffer_size(), t)
        getattr(t, how)()
        log(how, 'called', t, t.is_closing(), t.is_reading())
        getattr(t, how)()
        await p.lost
        await sp.lost
        log(how, 'done', t, st)
    # a reset: the server closes with unread data
    acc = asyncio.create_task(loop.sock_accept(srv))
    t, p = await loop.create_connection(lambda: P('client reset'), '127.0.0.1', 8888)
    conn, _ = await acc
    t.write(b'unread')
    await asyncio.sleep(0.1)
    conn.close()
    await p.lost
    log('after reset', t)
    srv.close()
`,
    *main() {
      class P extends Protocol {
        t!: Transport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        constructor(readonly name: string) {
          super();
        }
        override connectionMade(t: Transport): void {
          this.t = t;
        }
        override dataReceived(d: Uint8Array): void {
          log(this.name, 'data', d.length);
        }
        override eofReceived(): undefined {
          log(this.name, 'eof');
          return undefined;
        }
        override connectionLost(exc: unknown): void {
          log(this.name, 'lost', exc ? errorText(exc) : exc, this.t);
          this.lost.setResult(undefined);
        }
      }
      const loop = getRunningLoop();
      const srv = listener();
      for (const how of ['close', 'abort'] as const) {
        const acc = createTask(loop.sockAccept(srv));
        const [t, p] = yield* loop.createConnection(() => new P(`client ${how}`), '127.0.0.1', 8888);
        const [conn] = yield* acc;
        const [st, sp] = yield* loop.connectAcceptedSocket(() => new P(`server ${how}`), conn);
        t.write(new Uint8Array(200000).fill(0x7a));
        log(how, 'buffered', t.getWriteBufferSize(), t);
        t[how]();
        log(how, 'called', t, t.isClosing(), t.isReading());
        t[how]();
        yield* p.lost;
        yield* sp.lost;
        log(how, 'done', t, st);
      }
      const acc = createTask(loop.sockAccept(srv));
      const [t, p] = yield* loop.createConnection(() => new P('client reset'), '127.0.0.1', 8888);
      const [conn] = yield* acc;
      t.write(bytes('unread'));
      yield* sleep(0.1);
      conn.close();
      yield* p.lost;
      log('after reset', t);
      srv.close();
    },
  },
  {
    name: 'failed connections: refused, several addresses, all_errors, local_addr, argument checks',
    python: `class P(asyncio.Protocol):
    pass
async def attempt(label, *args, **kw):
    loop = asyncio.get_running_loop()
    try:
        t, p = await loop.create_connection(P, *args, **kw)
        log(label, 'connected', t)
        t.close()
    except ExceptionGroup as eg:
        log(label, type(eg).__name__, eg, [err(e) for e in eg.exceptions])
    except (OSError, ValueError) as e:
        log(label, err(e))
async def main():
    srv = listener()
    await attempt('refused', '127.0.0.1', 8889)
    await attempt('by name', 'localhost', 8889)
    await attempt('two addresses', None, 8889)
    await attempt('all errors', None, 8889, all_errors=True)
    await attempt('all errors, one address', '127.0.0.1', 8889, all_errors=True)
    await attempt('local address in use', '127.0.0.1', 8888, local_addr=('127.0.0.1', 8888))
    await attempt('no local address of the family', '::1', 8888, local_addr=('127.0.0.1', 0))
    await attempt('local address', '127.0.0.1', 8888, local_addr=('127.0.0.1', 40000))
    await attempt('interleave', None, 8888, interleave=1)
    await attempt('unknown host', 'nowhere.invalid', 80)
    await attempt('nothing', None, None)
    await attempt('server_hostname', '127.0.0.1', 8888, server_hostname='x')
    await attempt('ssl_handshake_timeout', '127.0.0.1', 8888, ssl_handshake_timeout=1)
    await attempt('ssl_shutdown_timeout', '127.0.0.1', 8888, ssl_shutdown_timeout=1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    await attempt('datagram sock', sock=s)
    await attempt('sock and host', '127.0.0.1', 8888, sock=s)
    s.close()
    srv.close()
`,
    *main() {
      const loop = getRunningLoop();
      function* attempt(label: string, host?: string | null, port?: number | null, options?: CreateConnectionOptions): Coro<void> {
        try {
          const [t] = yield* loop.createConnection(() => new Protocol(), host, port, options);
          log(label, 'connected', t);
          t.close();
        } catch (e) {
          if (e instanceof ExceptionGroup) log(label, e.constructor.name, String(e), repr(e.exceptions.map(errorText)));
          else log(label, errorText(e));
        }
      }
      const srv = listener();
      yield* attempt('refused', '127.0.0.1', 8889);
      yield* attempt('by name', 'localhost', 8889);
      yield* attempt('two addresses', null, 8889);
      yield* attempt('all errors', null, 8889, { allErrors: true });
      yield* attempt('all errors, one address', '127.0.0.1', 8889, { allErrors: true });
      yield* attempt('local address in use', '127.0.0.1', 8888, { localAddr: ['127.0.0.1', 8888] });
      yield* attempt('no local address of the family', '::1', 8888, { localAddr: ['127.0.0.1', 0] });
      yield* attempt('local address', '127.0.0.1', 8888, { localAddr: ['127.0.0.1', 40000] });
      yield* attempt('interleave', null, 8888, { interleave: 1 });
      yield* attempt('unknown host', 'nowhere.invalid', 80);
      yield* attempt('nothing', null, null);
      yield* attempt('server_hostname', '127.0.0.1', 8888, { serverHostname: 'x' });
      yield* attempt('ssl_handshake_timeout', '127.0.0.1', 8888, { sslHandshakeTimeout: 1 });
      yield* attempt('ssl_shutdown_timeout', '127.0.0.1', 8888, { sslShutdownTimeout: 1 });
      const s = new socketModule.socket(socketModule.AF_INET, socketModule.SOCK_DGRAM);
      yield* attempt('datagram sock', undefined, undefined, { sock: s });
      yield* attempt('sock and host', '127.0.0.1', 8888, { sock: s });
      s.close();
      srv.close();
    },
  },
];

describePrograms('the stream transport against CPython over the twin', programs);
