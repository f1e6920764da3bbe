// Port of CPython 3.13's test_buffered_proto.BufferedProtocolSelectorTests (the method of
// BaseTestBufferedProtocol; the Proactor twin is Windows-only): a BufferedProtocol client
// receives 9216 bytes through 100-byte buffers from a streams server. The chunking and
// the times were printed by the same program on the oracle (CPython 3.13.2 over the
// network's twin): 93 buffers (92 of 100 bytes, the last of 16), all at t=0.
// Table: docs/cpython-tests/test_buffered_proto.md.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  BufferedProtocol, EventLoop, setEventLoop, startServer, waitFor,
  type Coro, type Future, type StreamReader, type StreamWriter, type Transport,
} from '../../../src/index.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { world } from '../../../src/runtime/world.js';

class ReceiveStuffProto extends BufferedProtocol {
  buffer = new Uint8Array(0);
  constructor(private readonly cb: (buf: Uint8Array) => void, private readonly conLostFut: Future<void>) {
    super();
  }
  override getBuffer(_sizehint: number): Uint8Array {
    this.buffer = new Uint8Array(100);
    return this.buffer;
  }
  override bufferUpdated(nbytes: number): void {
    this.cb(this.buffer.slice(0, nbytes));
  }
  override connectionLost(exc: unknown): void {
    if (exc === undefined) this.conLostFut.setResult(undefined);
    else this.conLostFut.setException(exc);
  }
}

const NOISE = new TextEncoder().encode('12345678+'.repeat(1024));
const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

beforeEach(() => _resetNetwork());

describe('BufferedProtocolSelectorTests', () => {
  it('test_buffered_proto_create_connection — the client gets the noise through its buffers, answers, and sees the close', () => {
    const loop = new EventLoop();
    setEventLoop(loop);
    const events: unknown[] = [];
    const chunks: number[] = [];

    function* client(addr: [string, number]): Coro<void> {
      let data = new Uint8Array(0);
      let tr: Transport | undefined;
      const onBuf = (buf: Uint8Array): void => {
        const joined = new Uint8Array(data.length + buf.length);
        joined.set(data);
        joined.set(buf, data.length);
        data = joined;
        chunks.push(buf.length);
        if (equal(data, NOISE)) tr!.write(new Uint8Array([0x31]));
      };
      const connLostFut = loop.createFuture<void>();
      [tr] = yield* loop.createConnection(() => new ReceiveStuffProto(onBuf, connLostFut), ...addr);
      yield* connLostFut;
      events.push([loop.time(), 'lost', data.length, equal(data, NOISE)]);
    }

    function* onServerClient(reader: StreamReader, writer: StreamWriter): Coro<void> {
      writer.write(NOISE);
      yield* reader.readexactly(1);
      events.push([loop.time(), 'server read 1']);
      writer.close();
      yield* writer.waitClosed();
    }

    const srv = loop.runUntilComplete(startServer(onServerClient, '127.0.0.1', 0));
    const addr = srv.sockets[0]!.getsockname() as [string, number];
    expect(addr).toEqual(['127.0.0.1', 32768]);
    loop.runUntilComplete(waitFor(client(addr), 5));
    srv.close();
    loop.runUntilComplete(srv.waitClosed());
    expect(events).toEqual([[0, 'server read 1'], [0, 'lost', 9216, true]]);
    expect([chunks.length, [...new Set(chunks)].sort((a, b) => a - b), chunks.at(-1)]).toEqual([93, [16, 100], 16]);
    loop.close();
    setEventLoop(undefined);
    world._reset();
  });
});
