// The stream transport's own checks beyond CPython's tests (those are ported in
// test/cpython/test_selector_events/): the refusals of write() and writelines().

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors/exceptions.js';
import { EventLoop, openConnection, run, sleep, startServer, type Coro, type StreamReader } from '../../src/index.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { SelectorSocketTransport } from '../../src/transports/socket-transport.js';
import { recordingProtocol, StubSocket } from '../_support/stub-socket.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

let loop: EventLoop;
let sock: StubSocket;

beforeEach(() => {
  loop = new EventLoop();
  sock = new StubSocket();
});

afterEach(() => {
  loop.close();
});

const socketTransport = (): SelectorSocketTransport => new SelectorSocketTransport(loop, sock.asSocket, recordingProtocol([]));

describe('SelectorSocketTransport', () => {
  it('refuses writes after write_eof and while a sendfile waits for the buffer', () => {
    const tr = socketTransport();
    tr._emptyWaiter = loop.createFuture<void>();
    expect(() => tr.write(b('x'))).toThrow(new RuntimeError('unable to write; sendfile is in progress'));
    expect(() => tr.writelines([b('x')])).toThrow(new RuntimeError('unable to writelines; sendfile is in progress'));
    tr._emptyWaiter = undefined;
    tr.writeEof();
    expect(() => tr.write(b('x'))).toThrow(new RuntimeError('Cannot call write() after write_eof()'));
  });

  it('flushes writelines with one sendmsg of up to 1024 chunks', () => {
    sock.send.mockReturnValue(0);
    const tr = socketTransport();
    tr.write(b('x'));
    tr.writelines(Array.from({ length: 1100 }, () => b('y')));
    expect(sock.sendmsg).toHaveBeenCalledOnce();
    expect(sock.sendmsg.mock.calls[0]![0]).toHaveLength(1024);
    expect(tr._buffer.length).toBe(77);
    expect(tr.getWriteBufferSize()).toBe(77);
  });
});

describe('a transport used after a flushed close ended it (docs/divergences.md)', () => {
  it('raises a TypeError where CPython raises AttributeError on its None attributes', () => {
    world._reset();
    _resetNetwork();
    const seen: string[] = [];
    run((function* main(): Coro<void> {
      function* handle(reader: StreamReader): Coro<void> {
        yield* sleep(1);
        yield* reader.read();
      }
      yield* startServer(handle, '127.0.0.1', 8000);
      const [, writer] = yield* openConnection('127.0.0.1', 8000);
      writer.write(new Uint8Array(200_000));
      writer.close();
      yield* sleep(2);
      for (const call of [() => writer.write(new Uint8Array([121])), () => writer.transport.abort()]) {
        try {
          call();
        } catch (e) {
          seen.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
        }
      }
    })());
    expect(seen).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'callExceptionHandler')",
      "TypeError: Cannot read properties of undefined (reading 'callSoon')",
    ]);
  });
});
