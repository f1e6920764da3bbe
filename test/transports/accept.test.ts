// How a server accepts, against CPython 3.13.2 over the network's twin: accept() out of
// resources (the handler's context, the reader removed, retried 1 s later, once per failed
// accept of a readiness), a protocol factory that raises (reported in debug mode only; the
// accepted socket freed at once otherwise, with socket.__del__'s warning),
// the server closed by its own factory (AssertionError in _attach), connection_made
// raising, and debug mode's log records.

import { getRunningLoop, logging, sleep, socket, warnings, type EventLoop, type ExceptionContext } from '../../src/index.js';
import { _saveWarnings } from '../../src/log/warnings.js';
import { repr } from '../../src/format/py-repr.js';
import { OSError } from '../../src/errors/exceptions.js';
import { bytes, describePrograms, log, type NetProgram } from '../_support/net-programs.js';
import { connect, Echo, PY_SERVER } from '../_support/server-programs.js';

const echo = (): Echo => new Echo();

// Python: sorted(context) of an exception handler's context.
const keys = (context: ExceptionContext): string => `[${Object.keys(context).sort().map((k) => repr(k)).join(', ')}]`;

const programs: NetProgram[] = [
  {
    name: 'accept() out of system resources: reported per failed accept, the reader back 1 s later',
    python: `${PY_SERVER}
class Flaky(socket.socket):
    fails = 3
    def accept(self):
        if Flaky.fails:
            Flaky.fails -= 1
            raise OSError(errno.EMFILE, 'Too many open files')
        return super().accept()

def handler(loop, context):
    log('handler', context['message'], repr(context['exception']), context['socket'])

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    lsock = Flaky()
    lsock.bind(('127.0.0.1', 8888))
    srv = await loop.create_server(Echo, sock=lsock, backlog=2)
    c = await connect()
    await loop.sock_sendall(c, b'hi')
    log('reply', await loop.sock_recv(c, 10))
    c.close()
    srv.close()
    await srv.wait_closed()
    log('closed')
`,
    *main() {
      let fails = 3;
      class Flaky extends socket.socket {
        override accept(): ReturnType<socket.socket['accept']> {
          if (fails) {
            fails -= 1;
            throw new OSError(24, 'Too many open files');
          }
          return super.accept();
        }
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop: EventLoop, context: ExceptionContext) => {
        log('handler', context.message, repr(context.exception), context.socket);
      });
      const lsock = new Flaky();
      lsock.bind(['127.0.0.1', 8888]);
      const srv = yield* loop.createServer(echo, null, null, { sock: lsock, backlog: 2 });
      const c = yield* connect();
      yield* loop.sockSendall(c, bytes('hi'));
      log('reply', yield* loop.sockRecv(c, 10));
      c.close();
      srv.close();
      yield* srv.waitClosed();
      log('closed');
    },
  },
  {
    name: 'a failing protocol factory is reported only in debug mode; a server its factory closes',
    python: `${PY_SERVER}
def handler(loop, context):
    log('handler', context['message'], repr(context.get('exception')), sorted(context))

def boom():
    raise ZeroDivisionError('no protocol')

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    srv = await loop.create_server(boom, '127.0.0.1', 8888)
    c = await connect()
    await asyncio.sleep(0.1)
    log('after', srv)
    loop.set_debug(True)
    c2 = await connect()
    await asyncio.sleep(0.1)
    def closing():
        srv2.close()
        return Echo()
    srv2 = await loop.create_server(closing, '127.0.0.1', 8889)
    c3 = await connect(8889)
    await asyncio.sleep(0.1)
    log('after close', srv2)
    await srv2.wait_closed()
    loop.set_debug(False)
    for x in (c, c2, c3):
        x.close()
    srv.close()
    log('done')
`,
    *main() {
      class ZeroDivisionError extends Error {}
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop: EventLoop, context: ExceptionContext) => {
        log('handler', context.message, repr(context.exception), keys(context));
      });
      const boom = (): Echo => {
        throw new ZeroDivisionError('no protocol');
      };
      const srv = yield* loop.createServer(boom, '127.0.0.1', 8888);
      const c = yield* connect();
      yield* sleep(0.1);
      log('after', srv);
      loop.setDebug(true);
      const c2 = yield* connect();
      yield* sleep(0.1);
      const closing = (): Echo => {
        srv2.close();
        return new Echo();
      };
      const srv2 = yield* loop.createServer(closing, '127.0.0.1', 8889);
      const c3 = yield* connect(8889);
      yield* sleep(0.1);
      log('after close', srv2);
      yield* srv2.waitClosed();
      loop.setDebug(false);
      for (const x of [c, c2, c3]) x.close();
      srv.close();
      log('done');
    },
  },
  {
    name: 'the accepted socket of a failing protocol factory is freed at once: it warns, and the client reads EOF',
    python: `${PY_SERVER}
import warnings
def boom():
    raise ZeroDivisionError('no protocol')

async def main():
    loop = asyncio.get_running_loop()
    with warnings.catch_warnings():
        warnings.simplefilter('always')
        warnings.showwarning = lambda m, c, f, l, file=None, line=None: log('warn', c.__name__, m)
        srv = await loop.create_server(boom, '127.0.0.1', 8888)
        c = await connect()
        log('connected')
        log('client reads', await loop.sock_recv(c, 10))
        c.close()
        srv.close()
        await srv.wait_closed()
    log('done')
`,
    *main() {
      class ZeroDivisionError extends Error {}
      const loop = getRunningLoop();
      const restore = _saveWarnings();
      try {
        warnings.simplefilter('always');
        warnings.showwarning = (m, c) => log('warn', c.name, String(m));
        const srv = yield* loop.createServer(() => {
          throw new ZeroDivisionError('no protocol');
        }, '127.0.0.1', 8888);
        const c = yield* connect();
        log('connected');
        log('client reads', yield* loop.sockRecv(c, 10));
        c.close();
        srv.close();
        yield* srv.waitClosed();
      } finally {
        restore();
      }
      log('done');
    },
  },
  {
    // The handle names the protocol's method as written: connectionMade in TypeScript
    // (CONTRACT.md, user names keep their spelling); the Python side prints it so.
    name: 'connection_made raising goes to the exception handler; the connection goes on',
    python: `${PY_SERVER}
def handler(loop, context):
    message = context['message'].replace('connection_made', 'connectionMade')
    log('handler', message, repr(context.get('exception')), sorted(context))

class Bad(Echo):
    def connection_made(self, transport):
        super().connection_made(transport)
        raise ZeroDivisionError('made failed')

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    srv = await loop.create_server(Bad, '127.0.0.1', 8888)
    c = await connect()
    await loop.sock_sendall(c, b'hi')
    log('reply', await loop.sock_recv(c, 10))
    c.close()
    srv.close()
    await srv.wait_closed()
    log('closed')
`,
    *main() {
      class ZeroDivisionError extends Error {}
      class Bad extends Echo {
        override connectionMade(t: Parameters<Echo['connectionMade']>[0]): void {
          super.connectionMade(t);
          throw new ZeroDivisionError('made failed');
        }
      }
      const loop = getRunningLoop();
      loop.setExceptionHandler((_loop: EventLoop, context: ExceptionContext) => {
        log('handler', context.message, repr(context.exception), keys(context));
      });
      const srv = yield* loop.createServer(() => new Bad(), '127.0.0.1', 8888);
      const c = yield* connect();
      yield* loop.sockSendall(c, bytes('hi'));
      log('reply', yield* loop.sockRecv(c, 10));
      c.close();
      srv.close();
      yield* srv.waitClosed();
      log('closed');
    },
  },
  {
    name: "debug mode logs '<Server …> is serving' and each new connection",
    python: `${PY_SERVER}
import logging
class H(logging.Handler):
    def emit(self, record):
        log(record.levelname, record.getMessage())

async def main():
    loop = asyncio.get_running_loop()
    h = H()
    logging.getLogger('asyncio').addHandler(h)
    logging.getLogger('asyncio').setLevel(logging.DEBUG)
    loop.set_debug(True)
    srv = await loop.create_server(Echo, '127.0.0.1', 8888)
    c = await connect()
    await loop.sock_sendall(c, b'hi')
    log('reply', await loop.sock_recv(c, 10))
    c.close()
    srv.close()
    await srv.wait_closed()
    loop.set_debug(False)
    logging.getLogger('asyncio').removeHandler(h)
    logging.getLogger('asyncio').setLevel(logging.NOTSET)
    log('closed')
`,
    *main() {
      const loop = getRunningLoop();
      const asyncioLogger = logging.getLogger('asyncio');
      const h = { handle: (r: { levelname: string; getMessage(): string }): void => log(r.levelname, r.getMessage()) };
      asyncioLogger.addHandler(h);
      asyncioLogger.setLevel(logging.DEBUG);
      loop.setDebug(true);
      const srv = yield* loop.createServer(echo, '127.0.0.1', 8888);
      const c = yield* connect();
      yield* loop.sockSendall(c, bytes('hi'));
      log('reply', yield* loop.sockRecv(c, 10));
      c.close();
      srv.close();
      yield* srv.waitClosed();
      loop.setDebug(false);
      asyncioLogger.removeHandler(h);
      asyncioLogger.setLevel(logging.NOTSET);
      log('closed');
    },
  },
];

describePrograms('accepting connections against CPython over the twin', programs);
