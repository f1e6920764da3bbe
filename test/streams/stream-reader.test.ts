// StreamReader against CPython's: pausing and resuming the transport at 2 * limit, one
// waiter at a time, async iteration over lines, limit overruns and incomplete reads.
// Each program runs on CPython 3.13.2 too (./_support.ts); the outputs must be equal.

import {
  asyncFor, AssertionError, createTask, IncompleteReadError, LimitOverrunError, RuntimeError, sleep, StreamReader, ValueError,
  type Coro,
} from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { b, differential, FakeTransport, log } from './_support.js';

function* expectError<E>(cls: abstract new (...a: never[]) => E, body: () => Coro<unknown>): Coro<E> {
  try {
    yield* body();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`${cls.name} not raised`);
}

differential('StreamReader against CPython', [
  {
    name: 'pauses the transport above 2 * limit and resumes it at the limit or when a read must wait',
    python: `
async def main():
    r = asyncio.StreamReader(limit=4)
    t = FakeTransport()
    r.set_transport(t)
    try:
        r.set_transport(t)
    except AssertionError as e:
        log('set_transport twice', repr(e))
    r.feed_data(b'12345678')
    log(repr(r))
    r.feed_data(b'9')
    log(repr(r))
    r.feed_data(b'abc')
    log(await r.read(3), repr(r))
    log(await r.read(2), repr(r))
    log(await r.read(100), repr(r))
    r.feed_data(b'123456789')
    log(await r.readexactly(5), repr(r))
    r.feed_data(b'0123456789')
    task = asyncio.create_task(r.readexactly(30))
    await asyncio.sleep(0)
    log('waiting', repr(r))
    r.feed_data(b'x' * 25)
    log(len(await task), repr(r))
    r2 = asyncio.StreamReader(limit=2)
    r2.set_transport(FakeTransport(can_pause=False))
    r2.feed_data(b'12345')
    log('no pause', repr(r2))
    r.feed_eof()
    try:
        r.feed_data(b'x')
    except AssertionError as e:
        log('feed after eof', repr(e))
`,
    *main() {
      const r = new StreamReader({ limit: 4 });
      const t = new FakeTransport();
      r.setTransport(t);
      try {
        r.setTransport(t);
      } catch (e) {
        if (!(e instanceof AssertionError)) throw e;
        log('set_transport twice', repr(e));
      }
      r.feedData(b('12345678'));
      log(repr(r));
      r.feedData(b('9'));
      log(repr(r));
      r.feedData(b('abc'));
      log(yield* r.read(3), repr(r));
      log(yield* r.read(2), repr(r));
      log(yield* r.read(100), repr(r));
      r.feedData(b('123456789'));
      log(yield* r.readexactly(5), repr(r));
      r.feedData(b('0123456789'));
      const task = createTask(r.readexactly(30));
      yield* sleep(0);
      log('waiting', repr(r));
      r.feedData(b('x'.repeat(25)));
      log((yield* task).length, repr(r));
      const r2 = new StreamReader({ limit: 2 });
      r2.setTransport(new FakeTransport(undefined, false));
      r2.feedData(b('12345'));
      log('no pause', repr(r2));
      r.feedEof();
      try {
        r.feedData(b('x'));
      } catch (e) {
        if (!(e instanceof AssertionError)) throw e;
        log('feed after eof', repr(e));
      }
    },
  },
  {
    name: 'lets one coroutine at a time wait for data',
    python: `
async def main():
    r = asyncio.StreamReader()
    t1 = asyncio.create_task(r.readline())
    await asyncio.sleep(0)
    for coro in (r.read(1), r.readexactly(3), r.readuntil(b'x'), r.readline(), r.read()):
        try:
            await coro
        except RuntimeError as e:
            log(repr(e))
    r.feed_data(b'ab\\n')
    log(await t1)
`,
    *main() {
      const r = new StreamReader();
      const t1 = createTask(r.readline());
      yield* sleep(0);
      for (const coro of [r.read(1), r.readexactly(3), r.readuntil(b('x')), r.readline(), r.read()]) {
        log(repr(yield* expectError(RuntimeError, () => coro)));
      }
      r.feedData(b('ab\n'));
      log(yield* t1);
    },
  },
  {
    name: 'iterates over its lines with async for',
    python: `
async def main():
    r = asyncio.StreamReader()
    r.feed_data(b'one\\ntwo\\nthree')
    r.feed_eof()
    async for line in r:
        log('line', line)
    log(repr(r), r.at_eof())
`,
    *main() {
      const r = new StreamReader();
      r.feedData(b('one\ntwo\nthree'));
      r.feedEof();
      yield* asyncFor(r, function* (line) {
        log('line', line);
      });
      log(repr(r), r.atEof() ? 'True' : 'False');
    },
  },
  {
    name: 'raises LimitOverrunError, readline its ValueError, and IncompleteReadError at EOF',
    python: `
async def main():
    r = asyncio.StreamReader(limit=5)
    r.feed_data(b'abcdefgh\\nrest\\n')
    try:
        await r.readuntil(b'\\n')
    except asyncio.LimitOverrunError as e:
        log(repr(e), e.consumed, e.args)
    try:
        await r.readline()
    except ValueError as e:
        log(repr(e), repr(e.__context__), e.__cause__)
    log(await r.readline())
    r.feed_data(b'abcdefghij')
    try:
        await r.readuntil((b'XYZ', b'Q'))
    except asyncio.LimitOverrunError as e:
        log(repr(e), e.consumed)
    r.feed_data(b'Q')
    try:
        await r.readuntil((b'XYZ', b'Q'))
    except asyncio.LimitOverrunError as e:
        log(repr(e), e.consumed)
    log(await r.read(100))
    r.feed_eof()
    try:
        await r.readexactly(1)
    except asyncio.IncompleteReadError as e:
        log(repr(e), e.partial, e.expected)
`,
    *main() {
      const r = new StreamReader({ limit: 5 });
      r.feedData(b('abcdefgh\nrest\n'));
      let e: LimitOverrunError = yield* expectError(LimitOverrunError, () => r.readuntil(b('\n')));
      log(repr(e), e.consumed, e.args);
      const v = yield* expectError(ValueError, () => r.readline());
      log(repr(v), repr((v as { __context__?: unknown }).__context__), v.cause);
      log(yield* r.readline());
      r.feedData(b('abcdefghij'));
      e = yield* expectError(LimitOverrunError, () => r.readuntil([b('XYZ'), b('Q')]));
      log(repr(e), e.consumed);
      r.feedData(b('Q'));
      e = yield* expectError(LimitOverrunError, () => r.readuntil([b('XYZ'), b('Q')]));
      log(repr(e), e.consumed);
      log(yield* r.read(100));
      r.feedEof();
      const i = yield* expectError(IncompleteReadError, () => r.readexactly(1));
      log(repr(i), i.partial, i.expected);
    },
  },
]);
