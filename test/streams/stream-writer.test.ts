// StreamWriter against CPython's: the transport's methods, drain() with flow control (and
// the debug log of FlowControlMixin), drain() and wait_closed() once the connection is
// closing or lost. Each program runs on CPython 3.13.2 too (./_support.ts).

import { expect, it } from 'vitest';
import {
  AssertionError, ConnectionResetError, createTask, getRunningLoop, logging, NotImplementedError, OSError, sleep, StreamReader, StreamReaderProtocol,
  StreamWriter, ValueError, type Awaitable, type Coro,
} from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { FlowControlMixin } from '../../src/streams/flow-control.js';
import { expectThrows } from '../cpython/_support.js';
import { b, differential, FakeTransport, log } from './_support.js';

const PY_HELPERS = `
import logging, re
class H(logging.Handler):
    def emit(self, record):
        log('LOG', record.levelname, re.sub(r'0x[0-9a-f]+', '0x?', record.getMessage()))

async def other(name):
    log(name)

def connected(with_reader=True):
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r)
    t = FakeTransport(p)
    p.connection_made(t)
    w = asyncio.StreamWriter(t, p, r if with_reader else None, asyncio.get_running_loop())
    return r, p, t, w
`;

function* other(name: string): Coro<void> {
  log(name);
}

function connected(withReader = true): [StreamReader, StreamReaderProtocol, FakeTransport, StreamWriter] {
  const r = new StreamReader();
  const p = new StreamReaderProtocol(r);
  const t = new FakeTransport(p);
  p.connectionMade(t);
  const w = new StreamWriter(t, p, withReader ? r : undefined, getRunningLoop());
  return [r, p, t, w];
}

const py = (s: boolean): string => (s ? 'True' : 'False');

function* caught<E>(cls: abstract new (...a: never[]) => E, body: () => Awaitable<unknown>): Coro<E> {
  try {
    yield* body() as Coro<unknown>;
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`${cls.name} not raised`);
}

function caughtSync<E>(cls: abstract new (...a: never[]) => E, body: () => unknown): E {
  try {
    body();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`${cls.name} not raised`);
}

differential('StreamWriter against CPython', [
  {
    name: 'passes writes to the transport; drain() waits while writing is paused, logging in debug mode',
    python: `${PY_HELPERS}
async def main():
    loop = asyncio.get_running_loop()
    lg = logging.getLogger('asyncio')
    h = H()
    lg.addHandler(h)
    lg.setLevel(logging.DEBUG)
    loop.set_debug(True)
    r, p, t, w = connected()
    w2 = asyncio.StreamWriter(t, p, None, loop)
    log(repr(w))
    log(repr(w2))
    log(w.transport is t, w.can_write_eof(), w.is_closing())
    log(w.get_extra_info('peername'), w.get_extra_info('nothing'), w.get_extra_info('nothing', 'dflt'))
    w.write(b'abc')
    w.writelines([b'x', b'yz', b''])
    log('write_eof', w.write_eof())
    asyncio.create_task(other('other task'))
    await w.drain()
    log('drained at once')
    p.pause_writing()
    try:
        p.pause_writing()
    except AssertionError as e:
        log('pause twice', repr(e))
    d1 = asyncio.create_task(w.drain())
    d2 = asyncio.create_task(w.drain())
    loop.call_later(1.5, p.resume_writing)
    await asyncio.sleep(0)
    log('waiters', len(p._drain_waiters))
    await d1
    log('d1 done', d2.done())
    await d2
    log('waiters', len(p._drain_waiters))
    try:
        p.resume_writing()
    except AssertionError as e:
        log('resume twice', repr(e))
    r.set_exception(ValueError('bad'))
    try:
        await w.drain()
    except ValueError as e:
        log('drain', repr(e))
    lg.removeHandler(h)
    lg.setLevel(logging.NOTSET)
`,
    *main() {
      const loop = getRunningLoop();
      const lg = logging.getLogger('asyncio');
      const h: logging.Handler = { handle: (r) => log('LOG', r.levelname, r.getMessage().replace(/0x[0-9a-f]+/g, '0x?')) };
      lg.addHandler(h);
      lg.setLevel(logging.DEBUG);
      (loop as { setDebug(on: boolean): void }).setDebug(true);
      const [r, p, t, w] = connected();
      const w2 = new StreamWriter(t, p, undefined, loop);
      log(repr(w));
      log(repr(w2));
      log(py(w.transport === t), py(w.canWriteEof()), py(w.isClosing()));
      log(w.getExtraInfo('peername'), w.getExtraInfo('nothing'), w.getExtraInfo('nothing', 'dflt'));
      w.write(b('abc'));
      w.writelines([b('x'), b('yz'), b('')]);
      log('write_eof', w.writeEof());
      createTask(other('other task'));
      yield* w.drain();
      log('drained at once');
      p.pauseWriting();
      log('pause twice', repr(caughtSync(AssertionError, () => p.pauseWriting())));
      const d1 = createTask(w.drain());
      const d2 = createTask(w.drain());
      loop.callLater(1.5, () => p.resumeWriting());
      yield* sleep(0);
      log('waiters', p._drainWaiters.length);
      yield* d1;
      log('d1 done', py(d2.done()));
      yield* d2;
      log('waiters', p._drainWaiters.length);
      log('resume twice', repr(caughtSync(AssertionError, () => p.resumeWriting())));
      r.setException(new ValueError('bad'));
      log('drain', repr(yield* caught(ValueError, () => w.drain())));
      lg.removeHandler(h);
      lg.setLevel(logging.NOTSET);
    },
  },
  {
    name: 'drain() after close() yields once, then raises ConnectionResetError; wait_closed() returns',
    python: `${PY_HELPERS}
async def main():
    r, p, t, w = connected()
    w.close()
    log('closing', w.is_closing(), repr(w))
    asyncio.create_task(other('other task'))
    try:
        await w.drain()
    except ConnectionResetError as e:
        log('drain after close', repr(e))
    await w.wait_closed()
    log('wait_closed', repr(r), p._stream_reader)
`,
    *main() {
      const [r, p, , w] = connected();
      w.close();
      log('closing', py(w.isClosing()), repr(w));
      createTask(other('other task'));
      log('drain after close', repr(yield* caught(ConnectionResetError, () => w.drain())));
      yield* w.waitClosed();
      log('wait_closed', repr(r), p._streamReader);
    },
  },
  {
    name: 'connection_lost wakes paused drains: with its exception, or normally without one',
    python: `${PY_HELPERS}
async def main():
    loop = asyncio.get_running_loop()
    r, p, t, w = connected()
    p.pause_writing()
    d = asyncio.create_task(w.drain())
    wc = asyncio.create_task(w.wait_closed())
    await asyncio.sleep(0)
    loop.call_later(0.25, p.connection_lost, OSError(5, 'boom'))
    for fut in (d, wc):
        try:
            await fut
        except OSError as e:
            log(repr(e))
    log(repr(r))
    try:
        await w.drain()
    except OSError as e:
        log('drain again', repr(e))
    r, p, t, w = connected(with_reader=False)
    p.pause_writing()
    d = asyncio.create_task(w.drain())
    await asyncio.sleep(0)
    p.connection_lost(None)
    await d
    log('drain woken', repr(r))
    try:
        await w.drain()
    except ConnectionResetError as e:
        log('drain again', repr(e))
    f = FlowControlMixin(loop)
    try:
        f._get_close_waiter(None)
    except NotImplementedError as e:
        log(repr(e))
`,
    *main() {
      const loop = getRunningLoop();
      let [r, p, , w] = connected();
      p.pauseWriting();
      let d = createTask(w.drain());
      const wc = createTask(w.waitClosed());
      yield* sleep(0);
      const lost = p;
      loop.callLater(0.25, () => lost.connectionLost(new OSError(5, 'boom')));
      for (const fut of [d, wc]) log(repr(yield* caught(OSError, () => fut)));
      log(repr(r));
      const w1 = w;
      log('drain again', repr(yield* caught(OSError, () => w1.drain())));
      [r, p, , w] = connected(false);
      p.pauseWriting();
      d = createTask(w.drain());
      yield* sleep(0);
      p.connectionLost(undefined);
      yield* d;
      log('drain woken', repr(r));
      const w2 = w;
      log('drain again', repr(yield* caught(ConnectionResetError, () => w2.drain())));
      const f = new FlowControlMixin(loop);
      log(repr(caughtSync(NotImplementedError, () => f._getCloseWaiter(undefined))));
    },
  },
]);

it('StreamWriter raises AssertionError() for a reader that is not a StreamReader (as CPython 3.13.2)', () => {
  const loop = { createFuture: () => undefined } as never;
  expectThrows(() => new StreamWriter(new FakeTransport(), {} as never, {} as never, loop), AssertionError, /^$/);
  expect(new StreamWriter(new FakeTransport(), {} as never, null, loop)._reader).toBeUndefined();
});
