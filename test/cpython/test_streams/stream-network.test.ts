// CPython 3.13's test_asyncio/test_streams.py, StreamTests: the methods that open
// connections, on the simulated network. CPython's run_test_server (an HTTP server in a
// thread) is a task on the test's loop here, answering a GET as the WSGI app does, and
// test_drain_raises' server thread is a task accepting and closing one connection.
// One `it` per test method, titled after it. Module notes and helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  BrokenPipeError, ConnectionAbortedError, ConnectionResetError, currentTask, EventLoop, openConnection, socket, startServer,
  type Coro, type ExceptionContext, type StreamReader, type StreamWriter, type Task,
} from '../../../src/index.js';
import type { Server } from '../../../src/transports/server.js';
import { ZeroDivisionError } from '../../_support/python.js';
import { runBriefly } from '../_support.js';
import { b, raises, streamLoopPerTest } from './_support.js';

let loop: EventLoop;
streamLoopPerTest((l) => (loop = l));

const text = (data: Uint8Array): string => new TextDecoder().decode(data);

function listening(port = 0): socket.socket {
  const s = new socket.socket();
  s.bind(['127.0.0.1', port]);
  s.listen(100);
  s.setblocking(false);
  return s;
}

/** test_utils.run_test_server: `address`, and `stop()` (the test's `with` block ends). */
function runTestServer(): { address: [string, number]; stop(): void } {
  const srv = listening();
  function* answer(conn: socket.socket): Coro<void> {
    let request = '';
    while (!request.includes('\r\n\r\n')) {
      const data = yield* loop.sockRecv(conn, 1024);
      if (data.length === 0) break;
      request += text(data);
    }
    yield* loop.sockSendall(conn, b('HTTP/1.0 200 OK\r\nContent-type: text/plain\r\nContent-Length: 12\r\n\r\nTest message'));
    conn.close();
  }
  const serving = loop.createTask((function* serve(): Coro<void> {
    for (;;) {
      const [conn] = yield* loop.sockAccept(srv);
      loop.createTask(answer(conn));
    }
  })());
  return {
    address: srv.getsockname() as [string, number],
    stop(): void {
      serving.cancel();
      runBriefly(loop);
      srv.close();
    },
  };
}

function collectMessages(): ExceptionContext[] {
  const messages: ExceptionContext[] = [];
  loop.setExceptionHandler((_l, ctx) => messages.push(ctx));
  return messages;
}

const endsWithTestMessage = (data: Uint8Array): boolean => text(data).endsWith('\r\n\r\nTest message');

describe('StreamTests', () => {
  it('test_open_connection — a GET over openConnection: readline() then read() to EOF', () => {
    const httpd = runTestServer();
    const messages = collectMessages();
    const [reader, writer] = loop.runUntilComplete(openConnection(...httpd.address));
    writer.write(b('GET / HTTP/1.0\r\n\r\n'));
    expect(loop.runUntilComplete(reader.readline())).toEqual(b('HTTP/1.0 200 OK\r\n'));
    expect(endsWithTestMessage(loop.runUntilComplete(reader.read()))).toBe(true);
    writer.close();
    expect(messages).toEqual([]);
    httpd.stop();
  });

  it('test_open_connection_error — connection_lost(exc) makes read() raise exc', () => {
    const httpd = runTestServer();
    const messages = collectMessages();
    const [reader, writer] = loop.runUntilComplete(openConnection(...httpd.address));
    writer._protocol.connectionLost(new ZeroDivisionError());
    expect(raises(loop, reader.read())).toBeInstanceOf(ZeroDivisionError);
    writer.close();
    runBriefly(loop);
    expect(messages).toEqual([]);
    httpd.stop();
  });

  it('test_start_server — a coroutine handler (sock=) and a plain callback (host, port) both echo a line', () => {
    class MyServer {
      server: Server | undefined;
      *handleClient(clientReader: StreamReader, clientWriter: StreamWriter): Coro<void> {
        const data = yield* clientReader.readline();
        clientWriter.write(data);
        yield* clientWriter.drain();
        clientWriter.close();
        yield* clientWriter.waitClosed();
      }
      start(): [string, number] {
        const sock = listening();
        this.server = loop.runUntilComplete(startServer((r, w) => this.handleClient(r, w), undefined, undefined, { sock }));
        return sock.getsockname() as [string, number];
      }
      handleClientCallback(clientReader: StreamReader, clientWriter: StreamWriter): void {
        loop.createTask(this.handleClient(clientReader, clientWriter));
      }
      startCallback(): [string, number] {
        const sock = listening();
        const addr = sock.getsockname() as [string, number];
        sock.close();
        this.server = loop.runUntilComplete(startServer((r, w) => this.handleClientCallback(r, w), addr[0], addr[1]));
        return addr;
      }
      stop(): void {
        if (this.server !== undefined) {
          this.server.close();
          loop.runUntilComplete(this.server.waitClosed());
          this.server = undefined;
        }
      }
    }
    function* client(addr: [string, number]): Coro<Uint8Array> {
      const [reader, writer] = yield* openConnection(...addr);
      writer.write(b('hello world!\n'));
      const msgback = yield* reader.readline();
      writer.close();
      yield* writer.waitClosed();
      return msgback;
    }
    const messages = collectMessages();
    let server = new MyServer();
    let addr = server.start();
    let msg = loop.runUntilComplete(loop.createTask(client(addr)));
    server.stop();
    expect(msg).toEqual(b('hello world!\n'));
    server = new MyServer();
    addr = server.startCallback();
    msg = loop.runUntilComplete(loop.createTask(client(addr)));
    server.stop();
    expect(msg).toEqual(b('hello world!\n'));
    expect(messages).toEqual([]);
  });

  it('test_drain_raises — write()/drain() in a loop raises once the server closed the connection', () => {
    const messages = collectMessages();
    const sock = listening();
    const addr = sock.getsockname() as [string, number];
    // CPython: a thread accepting one connection and closing it.
    const server = loop.createTask((function* server(): Coro<void> {
      const [clt] = yield* loop.sockAccept(sock);
      clt.close();
      sock.close();
    })());
    function* client(host: string, port: number): Coro<void> {
      const [, writer] = yield* openConnection(host, port);
      for (;;) {
        writer.write(b('foo\n'));
        yield* writer.drain();
      }
    }
    const e = raises(loop, client(...addr));
    expect([ConnectionResetError, ConnectionAbortedError, BrokenPipeError].some((cls) => e instanceof cls)).toBe(true);
    expect((server as Task<void>).done()).toBe(true);
    expect(messages).toEqual([]);
  });

  it('test_wait_closed_on_close — is_closing() after close(); wait_closed() returns', () => {
    const httpd = runTestServer();
    const [rd, wr] = loop.runUntilComplete(openConnection(...httpd.address));
    wr.write(b('GET / HTTP/1.0\r\n\r\n'));
    expect(loop.runUntilComplete(rd.readline())).toEqual(b('HTTP/1.0 200 OK\r\n'));
    expect(endsWithTestMessage(loop.runUntilComplete(rd.read()))).toBe(true);
    expect(wr.isClosing()).toBe(false);
    wr.close();
    expect(wr.isClosing()).toBe(true);
    loop.runUntilComplete(wr.waitClosed());
    httpd.stop();
  });

  it('test_wait_closed_on_close_with_unread_data — wait_closed() returns with data left unread', () => {
    const httpd = runTestServer();
    const [rd, wr] = loop.runUntilComplete(openConnection(...httpd.address));
    wr.write(b('GET / HTTP/1.0\r\n\r\n'));
    expect(loop.runUntilComplete(rd.readline())).toEqual(b('HTTP/1.0 200 OK\r\n'));
    wr.close();
    loop.runUntilComplete(wr.waitClosed());
    httpd.stop();
  });

  it('test_async_writer_api — the same exchange inside one coroutine, ending with wait_closed()', () => {
    const httpd = runTestServer();
    function* inner(): Coro<void> {
      const [rd, wr] = yield* openConnection(...httpd.address);
      wr.write(b('GET / HTTP/1.0\r\n\r\n'));
      expect(yield* rd.readline()).toEqual(b('HTTP/1.0 200 OK\r\n'));
      expect(endsWithTestMessage(yield* rd.read())).toBe(true);
      wr.close();
      yield* wr.waitClosed();
    }
    const messages = collectMessages();
    loop.runUntilComplete(inner());
    httpd.stop();
    expect(messages).toEqual([]);
  });

  it('test_async_writer_api_exception_after_close — write() and drain() after close() raise ConnectionResetError', () => {
    const httpd = runTestServer();
    function* inner(): Coro<void> {
      const [rd, wr] = yield* openConnection(...httpd.address);
      wr.write(b('GET / HTTP/1.0\r\n\r\n'));
      expect(yield* rd.readline()).toEqual(b('HTTP/1.0 200 OK\r\n'));
      expect(endsWithTestMessage(yield* rd.read())).toBe(true);
      wr.close();
      let raised: unknown;
      try {
        wr.write(b('data'));
        yield* wr.drain();
      } catch (e) {
        raised = e;
      }
      expect(raised).toBeInstanceOf(ConnectionResetError);
    }
    const messages = collectMessages();
    loop.runUntilComplete(inner());
    httpd.stop();
    expect(messages).toEqual([]);
  });

  it('test_eof_feed_when_closing_writer — after close() and wait_closed() the reader is at EOF', () => {
    const messages = collectMessages();
    const httpd = runTestServer();
    const [rd, wr] = loop.runUntilComplete(openConnection(...httpd.address));
    wr.close();
    loop.runUntilComplete(wr.waitClosed());
    expect(rd.atEof()).toBe(true);
    expect(loop.runUntilComplete(rd.read())).toEqual(b(''));
    httpd.stop();
    expect(messages).toEqual([]);
  });

  // _basetest_unhandled_exceptions
  function unhandled(handleEcho: (r: StreamReader, w: StreamWriter) => Coro<void>): ExceptionContext[] {
    const port = 8888; // socket_helper.find_unused_port() on a fresh simulated network
    const messages = collectMessages();
    function* client(): Coro<void> {
      const [, wr] = yield* openConnection('localhost', port);
      wr.write(b('test msg'));
      yield* wr.drain();
      wr.close();
      yield* wr.waitClosed();
    }
    function* main(): Coro<void> {
      const server = yield* startServer(handleEcho, 'localhost', port);
      yield* server.startServing();
      yield* client();
      server.close();
      yield* server.waitClosed();
    }
    loop.runUntilComplete(main());
    return messages;
  }

  it('test_unhandled_exception — a failing handler reaches the exception handler', () => {
    function* handleEcho(): Coro<void> {
      throw new Error('test');
    }
    const messages = unhandled(handleEcho);
    expect(messages[0]!.message).toBe('Unhandled exception in client_connected_cb');
  });

  it('test_unhandled_cancel — a handler cancelling itself reports nothing', () => {
    function* handleEcho(_r: StreamReader, writer: StreamWriter): Coro<void> {
      writer.close();
      currentTask()!.cancel();
    }
    expect(unhandled(handleEcho)).toEqual([]);
  });
});
