// CPython 3.13's test_asyncio/test_server.py, BaseStartServer as SelectorStartServerTests
// runs it (a selector loop driven by run_until_complete). The blocking client thread is a
// task that polls is_serving() every 0.2 s and talks through sock_* calls; start_server's
// handler is a protocol (./_support.ts). Checked on the oracle: the client gets b'1' at
// t=0.2 and the serving task ends cancelled then.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, CancelledError, EventLoop, Protocol, RuntimeError, socket, sleep, type Coro, type Server, type Task, type Transport,
} from '../../../src/index.js';
import { freshNetwork } from './_support.js';

freshNetwork();

const HELLO_MSG = new Uint8Array(1024 * 5 + 1).fill(0x31);
HELLO_MSG[HELLO_MSG.length - 1] = 0x0a;

describe('SelectorStartServerTests', () => {
  it('test_start_server_1 — serve_forever inside async with; cancelled by the handler, the server ends closed', () => {
    const loop = new EventLoop();
    let mainTask!: Task<void>;
    // async def serve(reader, writer): await reader.readline(); main_task.cancel(); writer.write(b'1'); writer.close()
    class Serve extends Protocol {
      t!: Transport;
      buf = '';
      override connectionMade(t: Transport): void {
        this.t = t;
      }
      override dataReceived(data: Uint8Array): void {
        this.buf += new TextDecoder().decode(data);
        if (!this.buf.includes('\n')) return;
        mainTask.cancel();
        this.t.write(new Uint8Array([0x31]));
        this.t.close();
      }
    }
    let got: [Uint8Array, number] | undefined;
    function* client(srv: Server, addr: [string, number]): Coro<void> {
      let i = 0;
      for (; i < 10; i++) {
        yield* sleep(0.2);
        if (srv.isServing()) break;
      }
      if (i === 10) throw new RuntimeError();
      const sock = new socket.socket();
      sock.setblocking(false);
      yield* loop.sockConnect(sock, addr);
      yield* loop.sockSendall(sock, HELLO_MSG);
      got = [yield* loop.sockRecv(sock, 1), loop.time()];
      sock.close();
    }
    function* main(srv: Server): Coro<void> {
      yield* asyncWith(srv, function* () {
        yield* srv.serveForever();
      });
    }
    const srv = loop.runUntilComplete(loop.createTask(loop.createServer(() => new Serve(), '127.0.0.1', 0, { startServing: false })));
    expect(srv.isServing()).toBe(false);
    mainTask = loop.createTask(main(srv));
    const addr = srv.sockets[0]!.getsockname() as [string, number];
    const clientTask = loop.createTask(client(srv, addr));
    expect(() => loop.runUntilComplete(mainTask)).toThrow(CancelledError);
    expect(loop.time()).toBe(0.2);
    loop.runUntilComplete(clientTask);
    expect(got).toEqual([new Uint8Array([0x31]), 0.2]);
    expect(srv.sockets).toEqual([]);
    expect(srv.isServing()).toBe(false);
    expect(() => loop.runUntilComplete(loop.createTask(srv.serveForever()))).toThrow(/is closed/);
    loop.close();
  });
});
