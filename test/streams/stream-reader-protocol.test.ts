// StreamReaderProtocol against CPython's: feeding the reader, eof_received's result,
// connection_lost (the close waiter, the dropped reader), and the client_connected_cb: a
// plain function, a coroutine run as a task whose failure goes to the exception handler
// and whose cancellation closes the transport. Each program runs on CPython 3.13.2 too.

import {
  ConnectionResetError, getRunningLoop, KeyError, sleep, StreamReader, StreamReaderProtocol, ValueError, type Coro,
  type ExceptionContext, type StreamWriter,
} from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { b, differential, FakeTransport, log } from './_support.js';

const py = (x: boolean): string => (x ? 'True' : 'False');

function handler(_loop: unknown, ctx: ExceptionContext): void {
  log('handler', repr(Object.keys(ctx).sort()), ctx.message, repr(ctx.exception), ctx['transport']);
}

differential('StreamReaderProtocol against CPython', [
  {
    name: 'feeds its reader, wakes wait_closed, and runs the client_connected_cb (a task if a coroutine)',
    python: `
def handler(loop, ctx):
    log('handler', sorted(ctx), ctx['message'], repr(ctx.get('exception')), ctx.get('transport'))

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r)
    log(p._stream_reader is r, p._closed)
    t = FakeTransport(p)
    p.connection_made(t)
    p.data_received(b'hello ')
    p.data_received(b'world\\n')
    log(repr(r))
    log('eof_received', p.eof_received())
    log(await r.readline(), await r.read(), repr(r))
    p.connection_lost(None)
    log(p._stream_reader, p._closed, p._transport, p._task)
    p.connection_lost(ValueError('late'))
    log(p._closed)

    # connection lost with an exception: the close waiter's exception is never reported
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r)
    p.connection_made(FakeTransport(p))
    p.connection_lost(ConnectionResetError('gone'))
    log(repr(r), p._closed)
    del p

    # a plain client_connected_cb
    keep = []  # CPython's StreamWriter.__del__ closes a freed writer's transport
    def cb(reader, writer):
        keep.append(writer)
        log('cb', repr(reader), repr(writer))
        return 'not a coroutine'
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r, cb)
    p.connection_made(FakeTransport(p))
    log('task', p._task is None)

    # a coroutine client_connected_cb that fails
    async def failing(reader, writer):
        keep.append(writer)
        log('failing starts', writer.transport)
        await asyncio.sleep(0.5)
        raise KeyError('oops')
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r, failing, loop=loop)
    p.connection_made(FakeTransport(p))
    log('task', p._task is None)
    await asyncio.sleep(1)
    log('after', repr(r))

    # a coroutine client_connected_cb that is cancelled, one that returns
    async def waiting(reader, writer):
        keep.append(writer)
        log('waiting starts')
        await asyncio.sleep(10)
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r, waiting)
    t = FakeTransport(p)
    p.connection_made(t)
    task = p._task
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0)
    log('cancelled', task.cancelled(), t.closing)
    await asyncio.sleep(0)
    async def ok(reader, writer):
        keep.append(writer)
        log('ok', await reader.readline())
    r = asyncio.StreamReader()
    p = asyncio.StreamReaderProtocol(r, ok)
    t = FakeTransport(p)
    p.connection_made(t)
    p.data_received(b'line\\n')
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log('ok done', p._task.done(), t.closing)
`,
    *main() {
      const loop = getRunningLoop();
      loop.setExceptionHandler(handler);
      let r = new StreamReader();
      let p = new StreamReaderProtocol(r);
      log(py(p._streamReader === r), p._closed);
      let t = new FakeTransport(p);
      p.connectionMade(t);
      p.dataReceived(b('hello '));
      p.dataReceived(b('world\n'));
      log(repr(r));
      log('eof_received', py(p.eofReceived()));
      log(yield* r.readline(), yield* r.read(), repr(r));
      p.connectionLost(undefined);
      log(p._streamReader, p._closed, p._transport, p._task);
      p.connectionLost(new ValueError('late'));
      log(p._closed);

      // connection lost with an exception: the close waiter's exception is never reported
      r = new StreamReader();
      p = new StreamReaderProtocol(r);
      p.connectionMade(new FakeTransport(p));
      p.connectionLost(new ConnectionResetError('gone'));
      log(repr(r), p._closed);

      // a plain client_connected_cb
      const keep: StreamWriter[] = [];
      function cb(reader: StreamReader, writer: StreamWriter): string {
        keep.push(writer);
        log('cb', repr(reader), repr(writer));
        return 'not a coroutine';
      }
      r = new StreamReader();
      p = new StreamReaderProtocol(r, cb);
      p.connectionMade(new FakeTransport(p));
      log('task', py(p._task === undefined));

      // a coroutine client_connected_cb that fails
      function* failing(_reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        log('failing starts', writer.transport);
        yield* sleep(0.5);
        throw new KeyError('oops');
      }
      r = new StreamReader();
      p = new StreamReaderProtocol(r, failing, loop);
      p.connectionMade(new FakeTransport(p));
      log('task', py(p._task === undefined));
      yield* sleep(1);
      log('after', repr(r));

      // a coroutine client_connected_cb that is cancelled, one that returns
      function* waiting(_reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        log('waiting starts');
        yield* sleep(10);
      }
      r = new StreamReader();
      p = new StreamReaderProtocol(r, waiting);
      t = new FakeTransport(p);
      p.connectionMade(t);
      const task = p._task!;
      yield* sleep(0);
      task.cancel();
      yield* sleep(0);
      log('cancelled', py(task.cancelled()), py(t.closing));
      yield* sleep(0);
      function* ok(reader: StreamReader, writer: StreamWriter): Coro<void> {
        keep.push(writer);
        log('ok', yield* reader.readline());
      }
      r = new StreamReader();
      p = new StreamReaderProtocol(r, ok);
      t = new FakeTransport(p);
      p.connectionMade(t);
      p.dataReceived(b('line\n'));
      yield* sleep(0);
      yield* sleep(0);
      log('ok done', py(p._task!.done()), py(t.closing));
    },
  },
]);
