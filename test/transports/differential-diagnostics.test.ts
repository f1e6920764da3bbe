// asyncio's I/O diagnostics end to end, against CPython 3.13.2 over the network's twin:
// a peer's reset (a fatal read error, then `socket.send() raised exception.` from the
// fifth write to the lost connection), a fatal write error, data_received(),
// eof_received() and get_buffer() raising (through the exception handler, with its context
// keys; in debug mode the default handler adds the reader handle's creation traceback) and
// debug mode's slow-callback log naming the selector's reader and the protocol's callbacks. An OSError's fatal
// error is logged at DEBUG level in debug mode only (_SelectorTransport._fatal_error).

import {
  blockingSleep, BufferedProtocol, Future, getRunningLoop, logging, Protocol, sleep, socket, ValueError, type EventLoop,
  type ExceptionContext, type Transport,
} from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { bytes, describePrograms, listener, log, type NetProgram } from '../_support/net-programs.js';

interface LogRecordLike {
  levelname: string;
  getMessage(): string;
  excInfo?: unknown;
}

// Python: a logging.Handler printing each record with its message's addresses (0x…) and
// source sites (` at file:line`) made comparable, a protocol method in a handle's repr
// spelt as in TypeScript (CONTRACT.md: user names keep their spelling), and the record's
// exception.
const PY_HANDLER = `
import logging, re, time
def same(text):
    text = re.sub(r' at [^ >]+:\\d+', ' at F:L', text)
    text = re.sub(r'0x[0-9a-f]+', '0x?', text).replace('__main__.', '')
    return text.replace('.connection_made(', '.connectionMade(')
class H(logging.Handler):
    def emit(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        log(record.levelname, same(record.getMessage()), repr(exc))
def listen(level):
    logging.getLogger('asyncio').addHandler(H())
    logging.getLogger('asyncio').setLevel(level)
    logging.getLogger('asyncio').propagate = False
def unlisten():
    logger = logging.getLogger('asyncio')
    for h in list(logger.handlers):
        logger.removeHandler(h)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
`;

const same = (text: string): string => text.replace(/ at [^ >]+:\d+(:\d+)?/g, ' at F:L').replace(/0x[0-9a-f]+/g, '0x?');

const handler = {
  handle(r: LogRecordLike): void {
    log(r.levelname, same(r.getMessage()), repr(r.excInfo));
  },
};

function listen(level: number): void {
  const logger = logging.getLogger('asyncio');
  logger.addHandler(handler);
  logger.setLevel(level);
  logger.propagate = false;
}

function unlisten(): void {
  const logger = logging.getLogger('asyncio');
  logger.removeHandler(handler);
  logger.setLevel(logging.NOTSET);
  logger.propagate = true;
}

// Python: a client protocol logging connection_lost with its transport.
class Client extends Protocol {
  t!: Transport;
  readonly lost: Future<void> = getRunningLoop().createFuture();
  override connectionMade(t: Transport): void {
    this.t = t;
  }
  override dataReceived(d: Uint8Array): void {
    log('data', d);
  }
  override connectionLost(exc: unknown): void {
    log('lost', repr(exc), this.t);
    this.lost.setResult(undefined);
  }
}

const PY_CLIENT = `
class Client(asyncio.Protocol):
    def connection_made(self, t):
        self.t = t
        self.lost = asyncio.get_running_loop().create_future()
    def data_received(self, d):
        log('data', d)
    def connection_lost(self, exc):
        log('lost', repr(exc), self.t)
        self.lost.set_result(None)
`;

const programs: NetProgram[] = [
  {
    name: 'a reset is a fatal read error (logged in debug mode only); the fifth write after it warns',
    python: `${PY_HANDLER}${PY_CLIENT}
async def main():
    loop = asyncio.get_running_loop()
    listen(logging.DEBUG)
    srv = listener()
    for debug in (False, True):
        t, p = await loop.create_connection(Client, '127.0.0.1', 8888)
        conn, _ = await loop.sock_accept(srv)
        loop.set_debug(debug)
        t.write(b'unread')
        await asyncio.sleep(0.1)
        conn.close()
        await p.lost
        for i in range(7):
            t.write(b'more')
            log('wrote', i, t)
        loop.set_debug(False)
    srv.close()
    unlisten()
`,
    *main() {
      const loop = getRunningLoop();
      listen(logging.DEBUG);
      const srv = listener();
      for (const debug of [false, true]) {
        const [t, p] = yield* loop.createConnection(() => new Client(), '127.0.0.1', 8888);
        const [conn] = yield* loop.sockAccept(srv);
        loop.setDebug(debug);
        t.write(bytes('unread'));
        yield* sleep(0.1);
        conn.close();
        yield* p.lost;
        for (let i = 0; i < 7; i++) {
          t.write(bytes('more'));
          log('wrote', i, t);
        }
        loop.setDebug(false);
      }
      srv.close();
      unlisten();
    },
  },
  {
    name: 'a reset met by a write while reading is paused is a fatal write error',
    python: `${PY_HANDLER}${PY_CLIENT}
async def main():
    loop = asyncio.get_running_loop()
    listen(logging.DEBUG)
    srv = listener()
    for debug in (False, True):
        t, p = await loop.create_connection(Client, '127.0.0.1', 8888)
        conn, _ = await loop.sock_accept(srv)
        loop.set_debug(debug)
        t.pause_reading()
        t.write(b'unread')
        await asyncio.sleep(0.1)
        conn.close()
        await asyncio.sleep(0.1)
        log('paused', t)
        t.write(b'after the reset')
        log('wrote', t)
        await p.lost
        loop.set_debug(False)
    srv.close()
    unlisten()
`,
    *main() {
      const loop = getRunningLoop();
      listen(logging.DEBUG);
      const srv = listener();
      for (const debug of [false, true]) {
        const [t, p] = yield* loop.createConnection(() => new Client(), '127.0.0.1', 8888);
        const [conn] = yield* loop.sockAccept(srv);
        loop.setDebug(debug);
        t.pauseReading();
        t.write(bytes('unread'));
        yield* sleep(0.1);
        conn.close();
        yield* sleep(0.1);
        log('paused', t);
        t.write(bytes('after the reset'));
        log('wrote', t);
        yield* p.lost;
        loop.setDebug(false);
      }
      srv.close();
      unlisten();
    },
  },
  {
    name: 'data_received() raising goes to the exception handler with its four keys, then closes',
    python: `${PY_HANDLER}
class Bad(asyncio.Protocol):
    def connection_made(self, t):
        self.t = t
        self.lost = asyncio.get_running_loop().create_future()
    def data_received(self, d):
        log('data', d)
        raise ZeroDivisionError('bad data')
    def connection_lost(self, exc):
        log('lost', repr(exc), self.t)
        self.lost.set_result(None)
def handler(loop, context):
    log('handler', context['message'], sorted(context), repr(context['exception']), context['transport'], type(context['protocol']).__name__)
    loop.default_exception_handler(context)
async def main():
    loop = asyncio.get_running_loop()
    listen(logging.DEBUG)
    srv = listener()
    for custom in (False, True):
        loop.set_exception_handler(handler if custom else None)
        t, p = await loop.create_connection(Bad, '127.0.0.1', 8888)
        conn, _ = await loop.sock_accept(srv)
        await loop.sock_sendall(conn, b'hello')
        await p.lost
        log('peer reads', await loop.sock_recv(conn, 10))
        conn.close()
    srv.close()
    unlisten()
`,
    *main() {
      class ZeroDivisionError extends Error {}
      class Bad extends Protocol {
        t!: Transport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        override connectionMade(t: Transport): void {
          this.t = t;
        }
        override dataReceived(d: Uint8Array): void {
          log('data', d);
          throw new ZeroDivisionError('bad data');
        }
        override connectionLost(exc: unknown): void {
          log('lost', repr(exc), this.t);
          this.lost.setResult(undefined);
        }
      }
      const customHandler = (l: EventLoop, context: ExceptionContext): void => {
        const keys = `[${Object.keys(context).sort().map((k) => repr(k)).join(', ')}]`;
        log('handler', context.message, keys, repr(context.exception), context.transport, (context.protocol as object).constructor.name);
        l.defaultExceptionHandler(context);
      };
      const loop = getRunningLoop();
      listen(logging.DEBUG);
      const srv = listener();
      for (const custom of [false, true]) {
        loop.setExceptionHandler(custom ? customHandler : null);
        const [, p] = yield* loop.createConnection(() => new Bad(), '127.0.0.1', 8888);
        const [conn] = yield* loop.sockAccept(srv);
        yield* loop.sockSendall(conn, bytes('hello'));
        yield* p.lost;
        log('peer reads', yield* loop.sockRecv(conn, 10));
        conn.close();
      }
      srv.close();
      unlisten();
    },
  },
  {
    // The default handler's message, one line per key: in debug mode with the handle's
    // creation traceback (its frames, aiosim's own, are left out).
    name: "eof_received() and get_buffer() raising too; debug mode adds the reader's handle_traceback",
    python: `
import logging, re
class Heads(logging.Handler):
    def emit(self, record):
        for line in record.getMessage().split('\\n'):
            if not line.startswith(' '):
                log(record.levelname, re.sub(r'0x[0-9a-f]+', '0x?', line).replace('__main__.', ''))
        log('exc', repr(record.exc_info[1] if record.exc_info else None))
class Bad(asyncio.Protocol):
    def connection_made(self, t):
        self.lost = asyncio.get_running_loop().create_future()
    def data_received(self, d):
        raise ZeroDivisionError('bad data')
    def eof_received(self):
        raise ValueError('bad eof')
    def connection_lost(self, exc):
        log('lost', repr(exc))
        self.lost.set_result(None)
class BadEof(Bad):
    def data_received(self, d):
        log('data', d)
class BadBuffer(asyncio.BufferedProtocol):
    def connection_made(self, t):
        self.lost = asyncio.get_running_loop().create_future()
    def get_buffer(self, n):
        raise KeyError('no buffer')
    def buffer_updated(self, n):
        pass
    def connection_lost(self, exc):
        log('lost', repr(exc))
        self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    h = Heads()
    logging.getLogger('asyncio').addHandler(h)
    logging.getLogger('asyncio').propagate = False
    srv = listener()
    for factory in (Bad, BadEof, BadBuffer):
        loop.set_debug(factory is Bad)
        t, p = await loop.create_connection(factory, '127.0.0.1', 8888)
        conn, _ = await loop.sock_accept(srv)
        await loop.sock_sendall(conn, b'hello')
        conn.shutdown(socket.SHUT_WR)
        await p.lost
        conn.close()
        loop.set_debug(False)
    srv.close()
    logging.getLogger('asyncio').removeHandler(h)
    logging.getLogger('asyncio').propagate = True
`,
    *main() {
      class ZeroDivisionError extends Error {}
      class KeyError extends Error {}
      const heads = {
        handle(r: LogRecordLike): void {
          for (const line of r.getMessage().split('\n')) if (!line.startsWith(' ')) log(r.levelname, line.replace(/0x[0-9a-f]+/g, '0x?'));
          log('exc', repr(r.excInfo));
        },
      };
      class Bad extends Protocol {
        readonly lost: Future<void> = getRunningLoop().createFuture();
        override dataReceived(_d: Uint8Array): void {
          throw new ZeroDivisionError('bad data');
        }
        override eofReceived(): undefined {
          throw new ValueError('bad eof');
        }
        override connectionLost(exc: unknown): void {
          log('lost', repr(exc));
          this.lost.setResult(undefined);
        }
      }
      class BadEof extends Bad {
        override dataReceived(d: Uint8Array): void {
          log('data', d);
        }
      }
      class BadBuffer extends BufferedProtocol {
        readonly lost: Future<void> = getRunningLoop().createFuture();
        override getBuffer(_n: number): Uint8Array {
          throw new KeyError('no buffer');
        }
        override connectionLost(exc: unknown): void {
          log('lost', repr(exc));
          this.lost.setResult(undefined);
        }
      }
      const loop = getRunningLoop();
      const logger = logging.getLogger('asyncio');
      logger.addHandler(heads);
      logger.propagate = false;
      const srv = listener();
      for (const Factory of [Bad, BadEof, BadBuffer]) {
        loop.setDebug(Factory === Bad);
        const [, p] = yield* loop.createConnection(() => new Factory(), '127.0.0.1', 8888);
        const [conn] = yield* loop.sockAccept(srv);
        yield* loop.sockSendall(conn, bytes('hello'));
        conn.shutdown(socket.SHUT_WR);
        yield* p.lost;
        conn.close();
        loop.setDebug(false);
      }
      srv.close();
      logger.removeHandler(heads);
      logger.propagate = true;
    },
  },
  {
    name: "debug mode's slow-callback log names the reader and the protocol's callbacks",
    python: `${PY_HANDLER}
class Slow(asyncio.Protocol):
    def connection_made(self, t):
        self.lost = asyncio.get_running_loop().create_future()
        time.sleep(0.15)
        log('made')
    def data_received(self, d):
        time.sleep(0.25)
        log('data', d)
    def eof_received(self):
        time.sleep(0.05)
        log('eof')
    def connection_lost(self, exc):
        time.sleep(0.1)
        log('lost', repr(exc))
        self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    listen(logging.WARNING)
    srv = listener()
    loop.set_debug(True)
    t, p = await loop.create_connection(Slow, '127.0.0.1', 8888)
    conn, _ = await loop.sock_accept(srv)
    await loop.sock_sendall(conn, b'hello')
    conn.close()
    await p.lost
    loop.set_debug(False)
    srv.close()
    unlisten()
`,
    *main() {
      class Slow extends Protocol {
        readonly lost: Future<void> = getRunningLoop().createFuture();
        override connectionMade(): void {
          blockingSleep(0.15);
          log('made');
        }
        override dataReceived(d: Uint8Array): void {
          blockingSleep(0.25);
          log('data', d);
        }
        override eofReceived(): undefined {
          blockingSleep(0.05);
          log('eof');
          return undefined;
        }
        override connectionLost(exc: unknown): void {
          blockingSleep(0.1);
          log('lost', repr(exc));
          this.lost.setResult(undefined);
        }
      }
      const loop = getRunningLoop();
      listen(logging.WARNING);
      const srv = listener();
      loop.setDebug(true);
      const [, p] = yield* loop.createConnection(() => new Slow(), '127.0.0.1', 8888);
      const [conn] = yield* loop.sockAccept(srv);
      yield* loop.sockSendall(conn, bytes('hello'));
      conn.close();
      yield* p.lost;
      loop.setDebug(false);
      srv.close();
      unlisten();
    },
  },
];

describePrograms('I/O diagnostics against CPython over the twin', programs);
