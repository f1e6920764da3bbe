// CPython 3.13's test_asyncio/test_streams.py, StreamTests: the methods that need no
// connection (StreamReader fed by hand, the constructors, FlowControlMixin, the reprs).
// One `it` per test method, titled after it. Module notes and helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  EventLoop, Future, IncompleteReadError, LimitOverrunError, RuntimeError, setEventLoop, StreamReader, StreamReaderProtocol,
  ValueError, gather, getRunningLoop, repr, wait, type Coro,
} from '../../../src/index.js';
import { FlowControlMixin } from '../../../src/streams/flow-control.js';
import { expectThrows, runBriefly } from '../_support.js';
import { b, buffer, DATA, raises, streamLoopPerTest } from './_support.js';

let loop: EventLoop;
streamLoopPerTest((l) => (loop = l));

const newStream = (limit?: number): StreamReader => new StreamReader({ loop, limit });

describe('StreamTests', () => {
  it('test_feed_empty_data — feeding b"" leaves the buffer empty', () => {
    const stream = newStream();
    stream.feedData(b(''));
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_feed_nonempty_data — fed bytes are buffered', () => {
    const stream = newStream();
    stream.feedData(DATA);
    expect(buffer(stream)).toEqual(DATA);
  });

  it('test_read_zero — read(0) returns b"" and leaves the buffer', () => {
    const stream = newStream();
    stream.feedData(DATA);
    expect(loop.runUntilComplete(stream.read(0))).toEqual(b(''));
    expect(buffer(stream)).toEqual(DATA);
  });

  it('test_read — read(30) waits for data, then returns what came', () => {
    const stream = newStream();
    const readTask = loop.createTask(stream.read(30));
    loop.callSoon(() => stream.feedData(DATA));
    expect(loop.runUntilComplete(readTask)).toEqual(DATA);
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_read_line_breaks — read(5) returns the first 5 bytes of two chunks', () => {
    const stream = newStream();
    stream.feedData(b('line1'));
    stream.feedData(b('line2'));
    expect(loop.runUntilComplete(stream.read(5))).toEqual(b('line1'));
    expect(buffer(stream)).toEqual(b('line2'));
  });

  it('test_read_eof — a read waiting at EOF returns b""', () => {
    const stream = newStream();
    const readTask = loop.createTask(stream.read(1024));
    loop.callSoon(() => stream.feedEof());
    expect(loop.runUntilComplete(readTask)).toEqual(b(''));
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_read_until_eof — read(-1) returns everything until EOF', () => {
    const stream = newStream();
    const readTask = loop.createTask(stream.read(-1));
    loop.callSoon(() => {
      stream.feedData(b('chunk1\n'));
      stream.feedData(b('chunk2'));
      stream.feedEof();
    });
    expect(loop.runUntilComplete(readTask)).toEqual(b('chunk1\nchunk2'));
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_read_exception — after set_exception, read raises it', () => {
    const stream = newStream();
    stream.feedData(b('line\n'));
    expect(loop.runUntilComplete(stream.read(2))).toEqual(b('li'));
    stream.setException(new ValueError());
    expect(raises(loop, stream.read(2))).toBeInstanceOf(ValueError);
  });

  it('test_invalid_limit — a limit of 0 or less raises ValueError', () => {
    expectThrows(() => new StreamReader({ limit: 0, loop }), ValueError, /imit/);
    expectThrows(() => new StreamReader({ limit: -1, loop }), ValueError, /imit/);
  });

  it('test_read_limit — read(n) is not bounded by the limit', () => {
    const stream = newStream(3);
    stream.feedData(b('chunk'));
    expect(loop.runUntilComplete(stream.read(5))).toEqual(b('chunk'));
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readline — readline waits across chunks for the newline', () => {
    const stream = newStream();
    stream.feedData(b('chunk1 '));
    const readTask = loop.createTask(stream.readline());
    loop.callSoon(() => {
      stream.feedData(b('chunk2 '));
      stream.feedData(b('chunk3 '));
      stream.feedData(b('\n chunk4'));
    });
    expect(loop.runUntilComplete(readTask)).toEqual(b('chunk1 chunk2 chunk3 \n'));
    expect(buffer(stream)).toEqual(b(' chunk4'));
  });

  it('test_readline_limit_with_existing_data — an over-limit line is dropped with its newline, else the buffer is', () => {
    let stream = newStream(3);
    stream.feedData(b('li'));
    stream.feedData(b('ne1\nline2\n'));
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b('line2\n'));

    stream = newStream(3);
    stream.feedData(b('li'));
    stream.feedData(b('ne1'));
    stream.feedData(b('li'));
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_at_eof — at_eof is true once EOF is fed and the buffer is empty', () => {
    const stream = newStream();
    expect(stream.atEof()).toBe(false);
    stream.feedData(b('some data\n'));
    expect(stream.atEof()).toBe(false);
    loop.runUntilComplete(stream.readline());
    expect(stream.atEof()).toBe(false);
    stream.feedData(b('some data\n'));
    stream.feedEof();
    loop.runUntilComplete(stream.readline());
    expect(stream.atEof()).toBe(true);
  });

  it('test_readline_limit — readline raises ValueError past the limit and drops what it read', () => {
    let stream = newStream(7);
    let s = stream;
    loop.callSoon(() => {
      s.feedData(b('chunk1'));
      s.feedData(b('chunk2'));
      s.feedData(b('chunk3\n'));
      s.feedEof();
    });
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b(''));

    stream = s = newStream(7);
    loop.callSoon(() => {
      s.feedData(b('chunk1'));
      s.feedData(b('chunk2\n'));
      s.feedData(b('chunk3\n'));
      s.feedEof();
    });
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b('chunk3\n'));

    // The limit is strict.
    stream = newStream(7);
    stream.feedData(b('1234567\n'));
    expect(loop.runUntilComplete(stream.readline())).toEqual(b('1234567\n'));
    expect(buffer(stream)).toEqual(b(''));

    stream.feedData(b('12345678\n'));
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b(''));

    stream.feedData(b('12345678'));
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readline_nolimit_nowait — readline returns a buffered line at once', () => {
    const stream = newStream();
    stream.feedData(DATA.slice(0, 6));
    stream.feedData(DATA.slice(6));
    expect(loop.runUntilComplete(stream.readline())).toEqual(b('line1\n'));
    expect(buffer(stream)).toEqual(b('line2\nline3\n'));
  });

  it('test_readline_eof — at EOF readline returns the partial line', () => {
    const stream = newStream();
    stream.feedData(b('some data'));
    stream.feedEof();
    expect(loop.runUntilComplete(stream.readline())).toEqual(b('some data'));
  });

  it('test_readline_empty_eof — at EOF with nothing buffered readline returns b""', () => {
    const stream = newStream();
    stream.feedEof();
    expect(loop.runUntilComplete(stream.readline())).toEqual(b(''));
  });

  it('test_readline_read_byte_count — read(7) after readline takes the next 7 bytes', () => {
    const stream = newStream();
    stream.feedData(DATA);
    loop.runUntilComplete(stream.readline());
    expect(loop.runUntilComplete(stream.read(7))).toEqual(b('line2\nl'));
    expect(buffer(stream)).toEqual(b('ine3\n'));
  });

  it('test_readline_exception — after set_exception, readline raises it', () => {
    const stream = newStream();
    stream.feedData(b('line\n'));
    expect(loop.runUntilComplete(stream.readline())).toEqual(b('line\n'));
    stream.setException(new ValueError());
    expect(raises(loop, stream.readline())).toBeInstanceOf(ValueError);
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readuntil_separator — empty separators raise ValueError', () => {
    const stream = newStream();
    const e1 = raises(loop, stream.readuntil({ separator: b('') }));
    expect(e1).toBeInstanceOf(ValueError);
    expect((e1 as Error).message).toMatch(/Separator should be/);
    const e2 = raises(loop, stream.readuntil({ separator: [b('')] }));
    expect(e2).toBeInstanceOf(ValueError);
    expect((e2 as Error).message).toMatch(/Separator should be/);
    const e3 = raises(loop, stream.readuntil({ separator: [] }));
    expect(e3).toBeInstanceOf(ValueError);
    expect((e3 as Error).message).toMatch(/Separator should contain/);
  });

  it('test_readuntil_multi_chunks — readuntil(b"AAA") returns through the separator', () => {
    const stream = newStream();
    stream.feedData(b('lineAAA'));
    expect(loop.runUntilComplete(stream.readuntil({ separator: b('AAA') }))).toEqual(b('lineAAA'));
    expect(buffer(stream)).toEqual(b(''));
    stream.feedData(b('lineAAA'));
    expect(loop.runUntilComplete(stream.readuntil(b('AAA')))).toEqual(b('lineAAA'));
    expect(buffer(stream)).toEqual(b(''));
    stream.feedData(b('lineAAAxxx'));
    expect(loop.runUntilComplete(stream.readuntil(b('AAA')))).toEqual(b('lineAAA'));
    expect(buffer(stream)).toEqual(b('xxx'));
  });

  it('test_readuntil_multi_chunks_1 — a separator split across chunks is found', () => {
    const stream = newStream();
    const cases: [string[], string][] = [
      [['QWEaa', 'XYaa', 'a'], 'QWEaaXYaaa'],
      [['QWEaa', 'XYa', 'aa'], 'QWEaaXYaaa'],
      [['aaa'], 'aaa'],
      [['Xaaa'], 'Xaaa'],
      [['XXX', 'a', 'a', 'a'], 'XXXaaa'],
    ];
    for (const [chunks, expected] of cases) {
      for (const c of chunks) stream.feedData(b(c));
      expect(loop.runUntilComplete(stream.readuntil(b('aaa')))).toEqual(b(expected));
      expect(buffer(stream)).toEqual(b(''));
    }
  });

  it('test_readuntil_eof — at EOF without the separator: IncompleteReadError with everything', () => {
    const stream = newStream();
    const data = b('some dataAA');
    stream.feedData(data);
    stream.feedEof();
    const e = raises(loop, stream.readuntil(b('AAA'))) as IncompleteReadError;
    expect(e).toBeInstanceOf(IncompleteReadError);
    expect(e.message).toMatch(/undefined expected bytes/);
    expect(e.partial).toEqual(data);
    expect(e.expected).toBeUndefined();
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readuntil_limit_found_sep — LimitOverrunError "not found", then "is found"; the data stays', () => {
    const stream = newStream(3);
    stream.feedData(b('some dataAA'));
    const e1 = raises(loop, stream.readuntil(b('AAA')));
    expect(e1).toBeInstanceOf(LimitOverrunError);
    expect((e1 as Error).message).toMatch(/not found/);
    expect(buffer(stream)).toEqual(b('some dataAA'));
    stream.feedData(b('A'));
    const e2 = raises(loop, stream.readuntil(b('AAA')));
    expect(e2).toBeInstanceOf(LimitOverrunError);
    expect((e2 as Error).message).toMatch(/is found/);
    expect(buffer(stream)).toEqual(b('some dataAAA'));
  });

  it('test_readuntil_multi_separator — the match ending first wins, even the longer one', () => {
    const stream = newStream();
    stream.feedData(b('line 1\nline 2\r'));
    expect(loop.runUntilComplete(stream.readuntil([b('\r'), b('\n')]))).toEqual(b('line 1\n'));
    expect(loop.runUntilComplete(stream.readuntil([b('\r'), b('\n')]))).toEqual(b('line 2\r'));
    expect(buffer(stream)).toEqual(b(''));
    stream.feedData(b('ABCDEFG'));
    expect(loop.runUntilComplete(stream.readuntil([b('DEF'), b('BCDE')]))).toEqual(b('ABCDE'));
    expect(buffer(stream)).toEqual(b('FG'));
  });

  it('test_readuntil_multi_separator_limit — the shortest separator decides the limit check', () => {
    const stream = newStream(3);
    stream.feedData(b('some dataA'));
    const e = raises(loop, stream.readuntil([b('A'), b('ome dataA')]));
    expect(e).toBeInstanceOf(LimitOverrunError);
    expect((e as Error).message).toMatch(/is found/);
    expect(buffer(stream)).toEqual(b('some dataA'));
  });

  it('test_readuntil_multi_separator_negative_offset — the offset never goes negative', () => {
    const stream = newStream();
    stream.feedData(b('data'));
    const readuntilTask = loop.createTask(stream.readuntil([b('A'), b('long sep')]));
    loop.callSoon((d: Uint8Array) => stream.feedData(d), b('Z'));
    loop.callSoon((d: Uint8Array) => stream.feedData(d), b('Aaaa'));
    expect(loop.runUntilComplete(readuntilTask)).toEqual(b('dataZA'));
    expect(buffer(stream)).toEqual(b('aaa'));
  });

  it('test_readuntil_bytearray — a mutable byte array works as separator', () => {
    // Python's bytearray is a Uint8Array in aiosim, as bytes is.
    const stream = newStream();
    stream.feedData(b('some data\r\n'));
    expect(loop.runUntilComplete(stream.readuntil(new Uint8Array(b('\r\n'))))).toEqual(b('some data\r\n'));
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readexactly_zero_or_less — readexactly(0) is b""; readexactly(-1) raises ValueError', () => {
    const stream = newStream();
    stream.feedData(DATA);
    expect(loop.runUntilComplete(stream.readexactly(0))).toEqual(b(''));
    expect(buffer(stream)).toEqual(DATA);
    const e = raises(loop, stream.readexactly(-1));
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).message).toMatch(/less than zero/);
    expect(buffer(stream)).toEqual(DATA);
  });

  it('test_readexactly — readexactly(n) waits for n bytes and leaves the rest', () => {
    const stream = newStream();
    const n = 2 * DATA.length;
    const readTask = loop.createTask(stream.readexactly(n));
    loop.callSoon(() => {
      stream.feedData(DATA);
      stream.feedData(DATA);
      stream.feedData(DATA);
    });
    expect(loop.runUntilComplete(readTask)).toEqual(new Uint8Array([...DATA, ...DATA]));
    expect(buffer(stream)).toEqual(DATA);
  });

  it('test_readexactly_limit — readexactly is not bounded by the limit', () => {
    const stream = newStream(3);
    stream.feedData(b('chunk'));
    expect(loop.runUntilComplete(stream.readexactly(5))).toEqual(b('chunk'));
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readexactly_eof — EOF first: IncompleteReadError with the partial data and the count', () => {
    const stream = newStream();
    const n = 2 * DATA.length;
    const readTask = loop.createTask(stream.readexactly(n));
    loop.callSoon(() => {
      stream.feedData(DATA);
      stream.feedEof();
    });
    const e = raises(loop, readTask as unknown as Coro<unknown>) as IncompleteReadError;
    expect(e).toBeInstanceOf(IncompleteReadError);
    expect(e.partial).toEqual(DATA);
    expect(e.expected).toBe(n);
    expect(String(e.message)).toBe('18 bytes read on a total of 36 expected bytes');
    expect(buffer(stream)).toEqual(b(''));
  });

  it('test_readexactly_exception — after set_exception, readexactly raises it', () => {
    const stream = newStream();
    stream.feedData(b('line\n'));
    expect(loop.runUntilComplete(stream.readexactly(2))).toEqual(b('li'));
    stream.setException(new ValueError());
    expect(raises(loop, stream.readexactly(2))).toBeInstanceOf(ValueError);
  });

  it('test_exception — exception() is None, then the exception set', () => {
    const stream = newStream();
    expect(stream.exception()).toBeUndefined();
    const exc = new ValueError();
    stream.setException(exc);
    expect(stream.exception()).toBe(exc);
  });

  it('test_exception_waiter — set_exception wakes a waiting readline with the exception', () => {
    const stream = newStream();
    function* setErr(): Coro<void> {
      stream.setException(new ValueError());
    }
    const t1 = loop.createTask(stream.readline());
    const t2 = loop.createTask(setErr());
    loop.runUntilComplete(wait<unknown>([t1, t2]));
    expectThrows(() => t1.result(), ValueError);
  });

  it('test_exception_cancel — set_exception after the waiting read was cancelled leaves no waiter', () => {
    const stream = newStream();
    const t = loop.createTask(stream.readline());
    runBriefly(loop);
    t.cancel();
    runBriefly(loop);
    stream.setException(new RuntimeError('message'));
    runBriefly(loop);
    expect(stream._waiter).toBeUndefined();
  });

  it('test_streamreader_constructor_without_loop — no loop: RuntimeError "no current event loop"', () => {
    expectThrows(() => new StreamReader(), RuntimeError, /no current event loop/);
  });

  it('test_streamreader_constructor_use_running_loop — the running loop is the default', () => {
    function* test(): Coro<StreamReader> {
      return new StreamReader();
    }
    const reader = loop.runUntilComplete(test());
    expect(reader._loop).toBe(loop);
  });

  it('test_streamreader_constructor_use_global_loop — the current loop is the default', () => {
    setEventLoop(loop);
    try {
      expect(new StreamReader()._loop).toBe(loop);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_streamreaderprotocol_constructor_without_loop — no loop: RuntimeError "no current event loop"', () => {
    const reader = {} as StreamReader; // CPython passes a mock.Mock()
    expectThrows(() => new StreamReaderProtocol(reader), RuntimeError, /no current event loop/);
  });

  it('test_streamreaderprotocol_constructor_use_running_loop — the running loop is the default', () => {
    const reader = {} as StreamReader;
    function* test(): Coro<StreamReaderProtocol> {
      return new StreamReaderProtocol(reader);
    }
    const protocol = loop.runUntilComplete(test());
    expect(protocol._loop).toBe(loop);
  });

  it('test_streamreaderprotocol_constructor_use_global_loop — the current loop is the default', () => {
    setEventLoop(loop);
    try {
      const reader = {} as StreamReader;
      expect(new StreamReaderProtocol(reader)._loop).toBe(loop);
    } finally {
      setEventLoop(undefined);
    }
  });

  it('test_multiple_drain — resume_writing wakes all ten waiting drains', () => {
    let drained = 0;
    function* drainer(stream: FlowControlMixin): Coro<void> {
      yield* stream._drainHelper();
      drained += 1;
    }
    function* main(): Coro<void> {
      const running = getRunningLoop();
      const stream = new FlowControlMixin(running);
      stream.pauseWriting();
      running.callLater(0.1, () => stream.resumeWriting());
      yield* gather(...Array.from({ length: 10 }, () => drainer(stream)));
      expect(drained).toBe(10);
    }
    loop.runUntilComplete(main());
  });

  it('test___repr__ — <StreamReader>', () => {
    expect(repr(newStream())).toBe('<StreamReader>');
  });

  it('test___repr__nondefault_limit — <StreamReader limit=123>', () => {
    expect(repr(newStream(123))).toBe('<StreamReader limit=123>');
  });

  it('test___repr__eof — <StreamReader eof>', () => {
    const stream = newStream();
    stream.feedEof();
    expect(repr(stream)).toBe('<StreamReader eof>');
  });

  it('test___repr__data — <StreamReader 4 bytes>', () => {
    const stream = newStream();
    stream.feedData(b('data'));
    expect(repr(stream)).toBe('<StreamReader 4 bytes>');
  });

  it('test___repr__exception — <StreamReader exception=RuntimeError()>', () => {
    const stream = newStream();
    stream.setException(new RuntimeError());
    expect(repr(stream)).toBe('<StreamReader exception=RuntimeError()>');
  });

  it('test___repr__waiter — <StreamReader waiter=<Future pending…>>', () => {
    const stream = newStream();
    stream._waiter = new Future<undefined>({ loop });
    expect(repr(stream)).toMatch(/^<StreamReader waiter=<Future pending[\S ]*>>$/);
    stream._waiter.setResult(undefined);
    loop.runUntilComplete(stream._waiter);
    stream._waiter = undefined;
    expect(repr(stream)).toBe('<StreamReader>');
  });

  it('test___repr__transport — <StreamReader transport=<Transport>>', () => {
    const stream = newStream();
    class MockTransport {
      toString(): string {
        return '<Transport>';
      }
    }
    stream._transport = new MockTransport() as unknown as StreamReader['_transport'];
    expect(repr(stream)).toBe('<StreamReader transport=<Transport>>');
  });
});
