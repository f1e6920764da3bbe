// The streams' entries of docs/divergences.md ("Streams"), pinned.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  openConnection, ResourceWarning, run, startServer, StreamReader, TimeoutError, waitFor, warnings, type Coro, type StreamWriter,
} from '../../src/index.js';
import { _saveWarnings } from '../../src/log/warnings.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('streams where aiosim differs from CPython', () => {
  it('keeps the connection of a writer nobody closed open until its loop closes (CPython: until the writer is freed)', () => {
    const seen: string[] = [];
    const restore = _saveWarnings();
    try {
      warnings.simplefilter('always', ResourceWarning);
      warnings.showwarning = (m, c) => void seen.push(`${c.name}: ${String(m)}`);
      run((function* main(): Coro<void> {
        // The handler returns without closing its writer: CPython frees the writer and its
        // __del__ closes the transport at once (ResourceWarning "unclosed <StreamWriter …>"),
        // so the client reads b''; here the connection stays open until run() closes the
        // loop, whose collection point reports the writer, the server's socket (the server
        // was never closed), and the transport after its socket.
        function* handle(_reader: StreamReader, writer: StreamWriter): Coro<void> {
          writer.write(bytes('hi\n'));
        }
        yield* startServer(handle, '127.0.0.1', 8888);
        const [reader, writer] = yield* openConnection('127.0.0.1', 8888);
        seen.push(text(yield* reader.readline()));
        try {
          yield* waitFor(reader.read(), 1);
        } catch (e) {
          if (!(e instanceof TimeoutError)) throw e;
          seen.push('still open after 1 s');
        }
        writer.close();
        yield* writer.waitClosed();
      })());
    } finally {
      restore();
    }
    expect(seen).toEqual([
      'hi\n',
      'still open after 1 s',
      'ResourceWarning: loop is closed',
      "ResourceWarning: unclosed <socket.socket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888)>",
      "ResourceWarning: unclosed <socket.socket fd=8, family=2, type=1, proto=6, laddr=('127.0.0.1', 8888), raddr=('127.0.0.1', 32768)>",
      'ResourceWarning: unclosed transport <_SelectorSocketTransport fd=8>',
    ]);
  });

  it('takes an array of separators as the tuple (a Python list raises TypeError)', () => {
    const got: string[] = [];
    run((function* main(): Coro<void> {
      const reader = new StreamReader();
      reader.feedData(bytes('a;b\r\n'));
      got.push(text(yield* reader.readuntil([bytes('\r\n'), bytes(';')])));
      got.push(text(yield* reader.readuntil([bytes('\r\n'), bytes(';')])));
    })());
    expect(got).toEqual(['a;', 'b\r\n']);
  });

  it('reads with the defaults when read() and readuntil() are given null (Python: TypeError)', () => {
    const got: string[] = [];
    run((function* main(): Coro<void> {
      const reader = new StreamReader();
      reader.feedData(bytes('line\nrest'));
      reader.feedEof();
      got.push(text(yield* reader.readuntil(null)));
      got.push(text(yield* reader.read(null)));
    })());
    expect(got).toEqual(['line\n', 'rest']);
  });
});
