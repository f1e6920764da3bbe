// CPython 3.13's test_asyncio/test_server.py, TestServer2: one `it` per test method,
// titled after it. Streams become protocols (./_support.ts); each value asserted was
// checked on the oracle with the same protocols.

import { describe, expect, it } from 'vitest';
import { createTask, getRunningLoop, socket, type Coro, type Future, type Transport } from '../../../src/index.js';
import type { TransportSocket } from '../../../src/transports/transport-socket.js';
import { asyncTest, now, sleep0 } from '../_support.js';
import { Client, freshNetwork, Serve } from './_support.js';

freshNetwork();

// The listening address: `srv.sockets[0].getsockname()`.
const address = (s: TransportSocket): [string, number] => s.getsockname() as [string, number];

describe('TestServer2', () => {
  it('test_wait_closed_basic — wait_closed blocks until the server is closed and its last connection is gone', () => {
    asyncTest(function* (): Coro<void> {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(() => new Serve(), '127.0.0.1', 0);
      const task1 = createTask(srv.waitClosed());
      yield* sleep0();
      expect(task1.done()).toBe(false);
      const [host, port] = address(srv.sockets[0]!);
      const [tr, pr] = yield* loop.createConnection(() => new Client(), host, port);
      const task2 = createTask(srv.waitClosed());
      yield* sleep0();
      expect([task1.done(), task2.done()]).toEqual([false, false]);
      srv.close();
      yield* sleep0();
      const task3 = createTask(srv.waitClosed());
      yield* sleep0();
      expect([task1.done(), task2.done(), task3.done()]).toEqual([false, false, false]);
      tr.close();
      yield* pr.closed;
      yield* task1;
      yield* task2;
      yield* task3;
      yield* srv.waitClosed();
      expect(now()).toBe(0);
    });
  });

  it('test_wait_closed_race — close() and the client closing in one iteration still wake wait_closed', () => {
    asyncTest(function* (): Coro<void> {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(() => new Serve(), '127.0.0.1', 0);
      const task = createTask(srv.waitClosed());
      yield* sleep0();
      expect(task.done()).toBe(false);
      const [host, port] = address(srv.sockets[0]!);
      const [tr] = yield* loop.createConnection(() => new Client(), host, port);
      loop.callSoon(() => srv.close());
      loop.callSoon(() => tr.close());
      yield* srv.waitClosed();
      expect(task.done()).toBe(true);
      srv.close();
    });
  });

  it('test_close_clients — close() then close_clients() lets wait_closed finish within two iterations', () => {
    asyncTest(function* (): Coro<void> {
      const loop = getRunningLoop();
      const srv = yield* loop.createServer(() => new Serve(), '127.0.0.1', 0);
      const [host, port] = address(srv.sockets[0]!);
      const [tr] = yield* loop.createConnection(() => new Client(), host, port);
      const task = createTask(srv.waitClosed());
      yield* sleep0();
      expect(task.done()).toBe(false);
      srv.close();
      srv.closeClients();
      yield* sleep0();
      yield* sleep0();
      expect(task.done()).toBe(true);
      tr.close();
      srv.close();
    });
  });

  it('test_abort_clients — abort_clients() ends a connection with a full write buffer at once', () => {
    asyncTest(function* (): Coro<void> {
      const loop = getRunningLoop();
      const fut: Future<Transport> = loop.createFuture();
      class Held extends Client {
        override connectionMade(t: Transport): void {
          fut.setResult(t);
        }
      }
      const srv = yield* loop.createServer(() => new Held(), '127.0.0.1', 0);
      const [host, port] = address(srv.sockets[0]!);
      const [cTr] = yield* loop.createConnection(() => new Client(), host, port);
      const sTr = yield* fut;
      const sSock = sTr.getExtraInfo('socket') as TransportSocket;
      sSock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536);
      const cSock = cTr.getExtraInfo('socket') as TransportSocket;
      cSock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536);
      // The stream reader paused past its limit: the client reads nothing more.
      cTr.pauseReading();
      const cBufsize = cSock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF);
      const sBufsize = sSock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF);
      let i = 0;
      for (; i < 10; i++) {
        sTr.write(new Uint8Array(cBufsize).fill(97));
        sTr.write(new Uint8Array(sBufsize).fill(97));
        if (sTr.getWriteBufferSize() > 0) break;
      }
      expect([i, sTr.getWriteBufferSize()]).toEqual([1, 131072]);
      const task = createTask(srv.waitClosed());
      yield* sleep0();
      expect(task.done()).toBe(false);
      srv.close();
      srv.abortClients();
      yield* sleep0();
      yield* sleep0();
      expect(task.done()).toBe(true);
      cTr.close();
    });
  });
});
