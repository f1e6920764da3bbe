// The stream transport's reading side and error paths against CPython 3.13.2 over the
// network's twin: pause_reading/resume_reading, BufferedProtocol and set_protocol
// switching, fatal errors through the exception handler, TransportSocket, the descriptor
// check, write buffer limits.

import { BufferedProtocol, EventLoop, Future, getRunningLoop, Protocol, RuntimeError, sleep, socket, ValueError, type Transport } from '../../src/index.js';
import { KeyError } from '../../src/errors/exceptions.js';
import type { ExceptionContext } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { TransportSocket } from '../../src/transports/transport-socket.js';
import { bytes, describePrograms, errorText, listener, log, type NetProgram } from '../_support/net-programs.js';

class ZeroDivisionError extends Error {}

const programs: NetProgram[] = [
  {
    name: 'pause_reading and resume_reading, then a switch to a BufferedProtocol and back',
    python: `class Reader(asyncio.Protocol):
    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
    def data_received(self, d):
        log('data', d, self.t.is_reading())
    def eof_received(self):
        log('eof')
    def connection_lost(self, exc):
        log('lost', exc)
        self.lost.set_result(None)
class Buffered(asyncio.BufferedProtocol):
    def __init__(self):
        self.buf = bytearray(4)
        self.lost = None
    def get_buffer(self, sizehint):
        log('get_buffer', sizehint)
        return self.buf
    def buffer_updated(self, n):
        log('buffer_updated', n, bytes(self.buf[:n]))
    def eof_received(self):
        log('buffered eof')
        return True
    def connection_lost(self, exc):
        log('buffered lost', exc)
async def main():
    loop = asyncio.get_running_loop()
    srv = listener()
    acc = asyncio.create_task(loop.sock_accept(srv))
    t, p = await loop.create_connection(Reader, '127.0.0.1', 8888)
    conn, _ = await acc
    await loop.sock_sendall(conn, b'one')
    await asyncio.sleep(0.1)
    t.pause_reading()
    log('paused', t, t.is_reading())
    t.pause_reading()
    await loop.sock_sendall(conn, b'two')
    await asyncio.sleep(0.1)
    log('still paused', t)
    t.resume_reading()
    log('resumed', t, t.is_reading())
    t.resume_reading()
    await asyncio.sleep(0.1)
    b = Buffered()
    t.set_protocol(b)
    log('switched', type(t.get_protocol()).__name__)
    await loop.sock_sendall(conn, b'0123456789')
    await asyncio.sleep(0.1)
    conn.shutdown(socket.SHUT_WR)
    await asyncio.sleep(0.1)
    log('after eof', t)
    t.set_protocol(p)
    t.write(b'back')
    log('reply', await loop.sock_recv(conn, 100))
    t.close()
    await p.lost
    log('end', t, t.is_reading())
    conn.close()
    srv.close()
`,
    *main() {
      class Reader extends Protocol {
        t!: Transport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        override connectionMade(t: Transport): void {
          this.t = t;
        }
        override dataReceived(d: Uint8Array): void {
          log('data', d, this.t.isReading());
        }
        override eofReceived(): undefined {
          log('eof');
          return undefined;
        }
        override connectionLost(exc: unknown): void {
          log('lost', exc);
          this.lost.setResult(undefined);
        }
      }
      class Buffered extends BufferedProtocol {
        readonly buf = new Uint8Array(4);
        override getBuffer(sizehint: number): Uint8Array {
          log('get_buffer', sizehint);
          return this.buf;
        }
        override bufferUpdated(n: number): void {
          log('buffer_updated', n, this.buf.slice(0, n));
        }
        override eofReceived(): boolean {
          log('buffered eof');
          return true;
        }
        override connectionLost(exc: unknown): void {
          log('buffered lost', exc);
        }
      }
      const loop = getRunningLoop();
      const srv = listener();
      const acc = loop.createTask(loop.sockAccept(srv));
      const [t, p] = yield* loop.createConnection(() => new Reader(), '127.0.0.1', 8888);
      const [conn] = yield* acc;
      yield* loop.sockSendall(conn, bytes('one'));
      yield* sleep(0.1);
      t.pauseReading();
      log('paused', t, t.isReading());
      t.pauseReading();
      yield* loop.sockSendall(conn, bytes('two'));
      yield* sleep(0.1);
      log('still paused', t);
      t.resumeReading();
      log('resumed', t, t.isReading());
      t.resumeReading();
      yield* sleep(0.1);
      const b = new Buffered();
      t.setProtocol(b);
      log('switched', t.getProtocol().constructor.name);
      yield* loop.sockSendall(conn, bytes('0123456789'));
      yield* sleep(0.1);
      conn.shutdown(socket.SHUT_WR);
      yield* sleep(0.1);
      log('after eof', t);
      t.setProtocol(p);
      t.write(bytes('back'));
      log('reply', yield* loop.sockRecv(conn, 100));
      t.close();
      yield* p.lost;
      log('end', t, t.isReading());
      conn.close();
      srv.close();
    },
  },
  {
    name: 'fatal errors through the exception handler; TransportSocket; the descriptor check; write buffer limits',
    latencies: [0],
    python: `class Bad(asyncio.Protocol):
    def __init__(self, where):
        self.where = where
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
    def data_received(self, d):
        if self.where == 'data':
            raise ValueError('bad data')
    def eof_received(self):
        if self.where == 'eof':
            raise KeyError('eof')
    def pause_writing(self):
        if self.where == 'pause':
            raise RuntimeError('no pause')
    def connection_lost(self, exc):
        log(self.where, 'lost', repr(exc), self.t)
        self.lost.set_result(None)
class BadBuffer(asyncio.BufferedProtocol):
    def __init__(self, kind):
        self.kind = kind
        self.lost = asyncio.get_running_loop().create_future()
    def get_buffer(self, n):
        if self.kind == 'empty':
            return bytearray()
        if self.kind == 'none':
            return None
        return bytearray(10)
    def buffer_updated(self, n):
        raise ZeroDivisionError('updated')
    def connection_lost(self, exc):
        log(self.kind, 'lost', repr(exc))
        self.lost.set_result(None)
def handler(loop, context):
    log('handler:', context['message'], repr(context.get('exception')), sorted(context), context['transport'])
async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    srv = listener()
    for where in ('data', 'eof', 'pause'):
        acc = asyncio.create_task(loop.sock_accept(srv))
        t, p = await loop.create_connection(lambda: Bad(where), '127.0.0.1', 8888)
        conn, _ = await acc
        if where == 'pause':
            t.set_write_buffer_limits(high=10)
            log('limits', t.get_write_buffer_limits())
            t.write(b'x' * 200000)
            t.abort()
        else:
            await loop.sock_sendall(conn, b'abc')
            conn.shutdown(socket.SHUT_WR)
        await p.lost
        conn.close()
    for kind in ('empty', 'none', 'updated'):
        acc = asyncio.create_task(loop.sock_accept(srv))
        t, p = await loop.create_connection(lambda: BadBuffer(kind), '127.0.0.1', 8888)
        conn, _ = await acc
        await loop.sock_sendall(conn, b'abc')
        await p.lost
        conn.close()
    acc = asyncio.create_task(loop.sock_accept(srv))
    t, p = await loop.create_connection(asyncio.Protocol, '127.0.0.1', 8888)
    conn, _ = await acc
    ts = t.get_extra_info('socket')
    log(ts, ts.family, ts.type, ts.proto, ts.fileno(), ts.gettimeout(), ts.getsockname(), ts.getpeername())
    log(ts.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    ts.setblocking(False)
    ts.settimeout(0)
    for call in (lambda: ts.setblocking(True), lambda: ts.settimeout(1), lambda: loop.add_reader(ts.fileno(), print),
                 lambda: loop.remove_writer(ts), lambda: t.set_write_buffer_limits(1, 2),
                 lambda: t.set_write_buffer_limits(low=-1), lambda: t.write('s'), lambda: loop.add_reader('x', print)):
        try:
            call()
        except (ValueError, RuntimeError, TypeError) as e:
            log(err(e))
    t.set_write_buffer_limits(low=100)
    log(t.get_write_buffer_limits())
    t.set_write_buffer_limits(high=100)
    log(t.get_write_buffer_limits())
    t.close()
    log(t, t.get_extra_info('missing', 'dflt'))
    try:
        loop.add_reader(ts.fileno(), print)
        log('add_reader on a closing transport is fine')
        loop.remove_reader(ts.fileno())
    except RuntimeError as e:
        log(err(e))
    await asyncio.sleep(0)
    log(ts)
    conn.close()
    srv.close()
`,
    *main() {
      class Bad extends Protocol {
        t!: Transport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        constructor(readonly where: string) {
          super();
        }
        override connectionMade(t: Transport): void {
          this.t = t;
        }
        override dataReceived(): void {
          if (this.where === 'data') throw new ValueError('bad data');
        }
        override eofReceived(): undefined {
          if (this.where === 'eof') throw new KeyError('eof');
          return undefined;
        }
        override pauseWriting(): void {
          if (this.where === 'pause') throw new RuntimeError('no pause');
        }
        override connectionLost(exc: unknown): void {
          log(this.where, 'lost', repr(exc), this.t);
          this.lost.setResult(undefined);
        }
      }
      class BadBuffer extends BufferedProtocol {
        readonly lost: Future<void> = getRunningLoop().createFuture();
        constructor(readonly kind: string) {
          super();
        }
        override getBuffer(): Uint8Array {
          if (this.kind === 'empty') return new Uint8Array(0);
          if (this.kind === 'none') return undefined as unknown as Uint8Array;
          return new Uint8Array(10);
        }
        override bufferUpdated(): void {
          throw new ZeroDivisionError('updated');
        }
        override connectionLost(exc: unknown): void {
          log(this.kind, 'lost', repr(exc));
          this.lost.setResult(undefined);
        }
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop: EventLoop, context: ExceptionContext) => {
        log('handler:', context.message, repr(context.exception), repr(Object.keys(context).sort()), context.transport);
      });
      const srv = listener();
      for (const where of ['data', 'eof', 'pause']) {
        const acc = loop.createTask(loop.sockAccept(srv));
        const [t, p] = yield* loop.createConnection(() => new Bad(where), '127.0.0.1', 8888);
        const [conn] = yield* acc;
        if (where === 'pause') {
          t.setWriteBufferLimits({ high: 10 });
          log('limits', t.getWriteBufferLimits());
          t.write(new Uint8Array(200000).fill(0x78));
          t.abort();
        } else {
          yield* loop.sockSendall(conn, bytes('abc'));
          conn.shutdown(socket.SHUT_WR);
        }
        yield* p.lost;
        conn.close();
      }
      for (const kind of ['empty', 'none', 'updated']) {
        const acc = loop.createTask(loop.sockAccept(srv));
        const [, p] = yield* loop.createConnection(() => new BadBuffer(kind), '127.0.0.1', 8888);
        const [conn] = yield* acc;
        yield* loop.sockSendall(conn, bytes('abc'));
        yield* p.lost;
        conn.close();
      }
      const acc = loop.createTask(loop.sockAccept(srv));
      const [t] = yield* loop.createConnection(() => new Protocol(), '127.0.0.1', 8888);
      const [conn] = yield* acc;
      const ts = t.getExtraInfo('socket') as TransportSocket;
      log(ts, ts.family, ts.type, ts.proto, ts.fileno(), ts.gettimeout(), ts.getsockname(), ts.getpeername());
      log(ts.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY));
      ts.setblocking(false);
      ts.settimeout(0);
      const calls: (() => unknown)[] = [
        () => ts.setblocking(true), () => ts.settimeout(1), () => loop.addReader(ts.fileno(), () => {}),
        () => loop.removeWriter(ts), () => t.setWriteBufferLimits(1, 2),
        () => t.setWriteBufferLimits({ low: -1 }), () => t.write('s' as unknown as Uint8Array), () => loop.addReader('x' as unknown as number, () => {}),
      ];
      for (const call of calls) {
        try {
          call();
        } catch (e) {
          log(errorText(e));
        }
      }
      t.setWriteBufferLimits({ low: 100 });
      log(t.getWriteBufferLimits());
      t.setWriteBufferLimits({ high: 100 });
      log(t.getWriteBufferLimits());
      t.close();
      log(t, t.getExtraInfo('missing', 'dflt'));
      loop.addReader(ts.fileno(), () => {});
      log('add_reader on a closing transport is fine');
      loop.removeReader(ts.fileno());
      yield* sleep(0);
      log(ts);
      conn.close();
      srv.close();
    },
  },
];

describePrograms('the stream transport reading and errors against CPython over the twin', programs);
