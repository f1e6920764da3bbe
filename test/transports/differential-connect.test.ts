// createConnection's happy eyeballs (staggered attempts, interleaved families) against
// CPython 3.13.2 over the network's twin: a refused or silent IPv6 address, both refused,
// all_errors, an IPv6 winner.

import { DatagramProtocol, ExceptionGroup, getRunningLoop, logging, Protocol, sleep, socket, waitFor, type Coro, type Transport } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import type { CreateConnectionOptions } from '../../src/transports/create-connection.js';
import { bytes, describePrograms, errorText, listener, log, type NetProgram } from '../_support/net-programs.js';

class P extends Protocol {
  override connectionMade(t: Transport): void {
    log('made', t);
  }
}

function* attempt(label: string, host: string | null, port: number, options?: CreateConnectionOptions): Coro<void> {
  const loop = getRunningLoop();
  try {
    const [t] = yield* loop.createConnection(() => new P(), host, port, options);
    log(label, 'connected', t, t.getExtraInfo('peername'));
    t.close();
    yield;
  } catch (e) {
    if (e instanceof ExceptionGroup) log(label, e.constructor.name, String(e), repr(e.exceptions.map(errorText)));
    else log(label, errorText(e));
  }
}

const programs: NetProgram[] = [
  {
    name: 'happy eyeballs: the IPv6 address refused, silent or winning; both refused',
    python: `class P(asyncio.Protocol):
    def connection_made(self, t):
        log('made', t)
async def attempt(label, *args, **kw):
    loop = asyncio.get_running_loop()
    try:
        t, p = await loop.create_connection(P, *args, **kw)
        log(label, 'connected', t, t.get_extra_info('peername'))
        t.close()
        await asyncio.sleep(0)
    except ExceptionGroup as eg:
        log(label, type(eg).__name__, eg, repr([err(e) for e in eg.exceptions]))
    except (OSError, ValueError) as e:
        log(label, err(e))
async def main():
    srv = listener()
    await attempt('happy eyeballs, v6 refused', None, 8888, happy_eyeballs_delay=0.25)
    await attempt('happy eyeballs, both refused', None, 8889, happy_eyeballs_delay=0.25)
    await attempt('happy eyeballs, all errors', None, 8889, happy_eyeballs_delay=0.25, all_errors=True)
    await attempt('happy eyeballs, one address', '127.0.0.1', 8888, happy_eyeballs_delay=0)
    await attempt('happy eyeballs, interleave 2', None, 8888, happy_eyeballs_delay=0.1, interleave=2)
    srv.close()
    srv6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv6.bind(('::1', 8890))
    srv6.setblocking(False)
    srv6.listen(10)
    await attempt('happy eyeballs, v6 wins', None, 8890, happy_eyeballs_delay=0.25)
    srv6.close()
async def main2():
    loop = asyncio.get_running_loop()
    srv = listener()
    full = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    full.bind(('::1', 8888))
    full.setblocking(False)
    full.listen(0)
    filler = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    filler.setblocking(False)
    try:
        await asyncio.wait_for(loop.sock_connect(filler, ('::1', 8888)), 1)
        log('filler connected')
    except TimeoutError:
        log('filler timed out')
    await attempt('happy eyeballs, v6 silent', None, 8888, happy_eyeballs_delay=0.25)
    await attempt('no happy eyeballs, v6 silent', None, 8888)
    filler.close()
    full.close()
    srv.close()
_main1 = main
async def main():
    await _main1()
    await main2()
`,
    *main() {
      const loop = getRunningLoop();
      let srv = listener();
      yield* attempt('happy eyeballs, v6 refused', null, 8888, { happyEyeballsDelay: 0.25 });
      yield* attempt('happy eyeballs, both refused', null, 8889, { happyEyeballsDelay: 0.25 });
      yield* attempt('happy eyeballs, all errors', null, 8889, { happyEyeballsDelay: 0.25, allErrors: true });
      yield* attempt('happy eyeballs, one address', '127.0.0.1', 8888, { happyEyeballsDelay: 0 });
      yield* attempt('happy eyeballs, interleave 2', null, 8888, { happyEyeballsDelay: 0.1, interleave: 2 });
      srv.close();
      const srv6 = new socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
      srv6.bind(['::1', 8890]);
      srv6.setblocking(false);
      srv6.listen(10);
      yield* attempt('happy eyeballs, v6 wins', null, 8890, { happyEyeballsDelay: 0.25 });
      srv6.close();

      srv = listener();
      const full = new socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
      full.bind(['::1', 8888]);
      full.setblocking(false);
      full.listen(0);
      const filler = new socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
      filler.setblocking(false);
      try {
        yield* waitFor(loop.sockConnect(filler, ['::1', 8888]), 1);
        log('filler connected');
      } catch {
        log('filler timed out');
      }
      yield* attempt('happy eyeballs, v6 silent', null, 8888, { happyEyeballsDelay: 0.25 });
      yield* attempt('no happy eyeballs, v6 silent', null, 8888);
      filler.close();
      full.close();
      srv.close();
    },
  },
  {
    name: 'debug mode: what the transports and the connection makers log',
    latencies: [0],
    python: `import logging
class H(logging.Handler):
    def emit(self, r):
        log('LOG', r.levelname, r.getMessage())
class P(asyncio.Protocol):
    def __repr__(self):
        return 'P()'
    def connection_made(self, t):
        self.t = t
    def eof_received(self):
        return True
    def connection_lost(self, exc):
        log('lost', repr(exc))
class D(asyncio.DatagramProtocol):
    def __repr__(self):
        return 'D()'
async def main():
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    logger = logging.getLogger('asyncio')
    logger.setLevel(logging.DEBUG)
    h = H()
    logger.addHandler(h)
    srv = listener()
    acc = asyncio.create_task(loop.sock_accept(srv))
    t, p = await loop.create_connection(P, '127.0.0.1', 8888)
    conn, _ = await acc
    st, sp = await loop.connect_accepted_socket(P, conn)
    t.pause_reading()
    t.resume_reading()
    st.write_eof()
    await asyncio.sleep(0.1)
    t.write(b'x')
    await asyncio.sleep(0.1)
    st.abort()
    await asyncio.sleep(0.1)
    t.write(b'after reset')
    await asyncio.sleep(0.1)
    dt, dp = await loop.create_datagram_endpoint(D, local_addr=('127.0.0.1', 9999))
    dt2, dp2 = await loop.create_datagram_endpoint(D, remote_addr=('127.0.0.1', 9999))
    dt.close()
    dt2.close()
    await asyncio.sleep(0)
    srv.close()
    logger.removeHandler(h)
    logger.setLevel(logging.NOTSET)
`,
    *main() {
      class Pd extends Protocol {
        override connectionMade(): void {}
        override eofReceived(): boolean {
          return true;
        }
        override connectionLost(exc: unknown): void {
          log('lost', repr(exc));
        }
        override toString(): string {
          return 'P()';
        }
      }
      class D extends DatagramProtocol {
        override toString(): string {
          return 'D()';
        }
      }
      const loop = getRunningLoop();
      loop.setDebug(true);
      const logger = logging.getLogger('asyncio');
      logger.setLevel(logging.DEBUG);
      const h = { handle: (r: { levelname: string; getMessage(): string }) => log('LOG', r.levelname, r.getMessage()) };
      logger.addHandler(h);
      const srv = listener();
      const acc = loop.createTask(loop.sockAccept(srv));
      const [t] = yield* loop.createConnection(() => new Pd(), '127.0.0.1', 8888);
      const [conn] = yield* acc;
      const [st] = yield* loop.connectAcceptedSocket(() => new Pd(), conn);
      t.pauseReading();
      t.resumeReading();
      st.writeEof();
      yield* sleep(0.1);
      t.write(bytes('x'));
      yield* sleep(0.1);
      st.abort();
      yield* sleep(0.1);
      t.write(bytes('after reset'));
      yield* sleep(0.1);
      const [dt] = yield* loop.createDatagramEndpoint(() => new D(), { localAddr: ['127.0.0.1', 9999] });
      const [dt2] = yield* loop.createDatagramEndpoint(() => new D(), { remoteAddr: ['127.0.0.1', 9999] });
      dt.close();
      dt2.close();
      yield* sleep(0);
      srv.close();
      logger.removeHandler(h);
      logger.setLevel(logging.NOTSET);
    },
  },
];

describePrograms('createConnection with happy eyeballs against CPython over the twin', programs);
