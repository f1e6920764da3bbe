// test_sock_lowlevel's client methods (BaseSockTestsMixin.test_sock_client_ops,
// test_sock_client_racing, test_sock_client_connect_racing) as differential programs:
// CPython 3.13.2's BaseSelectorEventLoop over the network's twin against aiosim.

import { BlockingIOError, createTask, getRunningLoop, sleep, socket, type Coro } from '../../../src/index.js';
import type { SockAddr } from '../../../src/net/address.js';
import { bytes, concatBytes, errorText, log, PyList } from '../../_support/net-programs.js';
import { comparePrograms, startHttpd, type Program } from './_support.js';

const programs: Program[] = [
  {
    name: 'test_sock_client_ops: debug mode refuses blocking sockets; connect, sendall, recv, recv_into',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    listener, server = start_httpd()
    sock = socket.socket()
    loop.set_debug(True)
    sock.setblocking(True)
    for name, call in [('connect', lambda: loop.sock_connect(sock, ('127.0.0.1', 8000))),
                       ('sendall', lambda: loop.sock_sendall(sock, b'GET / HTTP/1.0\\r\\n\\r\\n')),
                       ('recv', lambda: loop.sock_recv(sock, 1024)),
                       ('recv_into', lambda: loop.sock_recv_into(sock, bytearray())),
                       ('accept', lambda: loop.sock_accept(sock))]:
        try:
            await call()
        except ValueError as e:
            log(name, 'ValueError', e)
    loop.set_debug(False)
    sock.setblocking(False)
    await loop.sock_connect(sock, ('127.0.0.1', 8000))
    log('connected')
    await loop.sock_sendall(sock, b'GET / HTTP/1.0\\r\\n\\r\\n')
    data = await loop.sock_recv(sock, 1024)
    log('recv', data)
    log('then', await loop.sock_recv(sock, 1024))
    sock.close()
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, ('127.0.0.1', 8000))
    await loop.sock_sendall(sock, b'GET / HTTP/1.0\\r\\n\\r\\n')
    data = bytearray(1024)
    with memoryview(data) as buf:
        nbytes = await loop.sock_recv_into(sock, buf[:1024])
        log('recv_into', nbytes, bytes(data[:nbytes]))
        log('then', await loop.sock_recv_into(sock, buf[nbytes:]))
    sock.close()
    server.cancel()
    listener.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [listener, server] = startHttpd();
      let sock = new socket.socket();
      loop.setDebug(true);
      sock.setblocking(true);
      const calls: [string, () => Coro<unknown>][] = [
        ['connect', () => loop.sockConnect(sock, ['127.0.0.1', 8000])],
        ['sendall', () => loop.sockSendall(sock, bytes('GET / HTTP/1.0\r\n\r\n'))],
        ['recv', () => loop.sockRecv(sock, 1024)],
        ['recv_into', () => loop.sockRecvInto(sock, new Uint8Array(0))],
        ['accept', () => loop.sockAccept(sock)],
      ];
      for (const [name, call] of calls) {
        try {
          yield* call();
        } catch (e) {
          log(name, errorText(e));
        }
      }
      loop.setDebug(false);
      sock.setblocking(false);
      yield* loop.sockConnect(sock, ['127.0.0.1', 8000]);
      log('connected');
      yield* loop.sockSendall(sock, bytes('GET / HTTP/1.0\r\n\r\n'));
      log('recv', yield* loop.sockRecv(sock, 1024));
      log('then', yield* loop.sockRecv(sock, 1024));
      sock.close();
      sock = new socket.socket();
      sock.setblocking(false);
      yield* loop.sockConnect(sock, ['127.0.0.1', 8000]);
      yield* loop.sockSendall(sock, bytes('GET / HTTP/1.0\r\n\r\n'));
      const data = new Uint8Array(1024);
      const nbytes = yield* loop.sockRecvInto(sock, data.subarray(0, 1024));
      log('recv_into', nbytes, data.slice(0, nbytes));
      log('then', yield* loop.sockRecvInto(sock, data.subarray(nbytes)));
      sock.close();
      server.cancel();
      listener.close();
    },
  },
  {
    name: 'test_sock_client_racing: a cancelled sock_recv and sock_recv_into, then the real ones',
    loopbackLatency: 0.005,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    listener, server = start_httpd()
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, ('127.0.0.1', 8000))
    task = asyncio.create_task(loop.sock_recv(sock, 1024))
    await asyncio.sleep(0)
    task.cancel()
    asyncio.create_task(loop.sock_sendall(sock, b'GET / HTTP/1.0\\r\\n\\r\\n'))
    data = await loop.sock_recv(sock, 1024)
    log('recv', data, task.cancelled())
    log('then', await loop.sock_recv(sock, 1024))
    sock.close()
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, ('127.0.0.1', 8000))
    data = bytearray(1024)
    with memoryview(data) as buf:
        task = asyncio.create_task(loop.sock_recv_into(sock, buf[:1024]))
        await asyncio.sleep(0)
        task.cancel()
        task = asyncio.create_task(loop.sock_sendall(sock, b'GET / HTTP/1.0\\r\\n\\r\\n'))
        nbytes = await loop.sock_recv_into(sock, buf[:1024])
        log('recv_into', nbytes, bytes(data[:nbytes]))
        log('then', await loop.sock_recv_into(sock, buf[nbytes:]))
    await task
    sock.close()
    server.cancel()
    listener.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [listener, server] = startHttpd();
      let sock = new socket.socket();
      sock.setblocking(false);
      yield* loop.sockConnect(sock, ['127.0.0.1', 8000]);
      let task = createTask(loop.sockRecv(sock, 1024));
      yield* sleep(0);
      task.cancel();
      createTask(loop.sockSendall(sock, bytes('GET / HTTP/1.0\r\n\r\n')));
      const data = yield* loop.sockRecv(sock, 1024);
      log('recv', data, task.cancelled());
      log('then', yield* loop.sockRecv(sock, 1024));
      sock.close();
      sock = new socket.socket();
      sock.setblocking(false);
      yield* loop.sockConnect(sock, ['127.0.0.1', 8000]);
      const buf = new Uint8Array(1024);
      const first = createTask(loop.sockRecvInto(sock, buf.subarray(0, 1024)));
      yield* sleep(0);
      first.cancel();
      task = createTask(loop.sockSendall(sock, bytes('GET / HTTP/1.0\r\n\r\n'))) as never;
      const nbytes = yield* loop.sockRecvInto(sock, buf.subarray(0, 1024));
      log('recv_into', nbytes, buf.slice(0, nbytes));
      log('then', yield* loop.sockRecvInto(sock, buf.subarray(nbytes)));
      yield* task;
      sock.close();
      server.cancel();
      listener.close();
    },
  },
  {
    name: 'test_sock_client_racing: a blocked sock_sendall cancelled, another one going through',
    loopbackLatency: 0,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    sock = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1024)
    sock.setblocking(False)
    task = asyncio.create_task(loop.sock_connect(sock, listener.getsockname()))
    await asyncio.sleep(0)
    listener.setblocking(False)
    while True:
        try:
            server = listener.accept()[0]
            break
        except BlockingIOError:
            await asyncio.sleep(0)
    server.setblocking(False)
    await task
    size = 8192
    sent = []
    while size >= 4:
        n = 0
        try:
            while True:
                n += sock.send(b' ' * size)
        except BlockingIOError:
            sent.append(n)
        size = int(size / 2)
    log('filled', sent)
    task = asyncio.create_task(loop.sock_sendall(sock, b'hello'))
    await asyncio.sleep(0)
    task.cancel()
    async def recv_all():
        rv = b''
        n = 0
        while True:
            buf = await loop.sock_recv(server, 8192)
            if not buf:
                return rv, n
            n += len(buf)
            rv += buf.strip()
    task = asyncio.create_task(recv_all())
    await loop.sock_sendall(sock, b'world')
    log('sent world')
    sock.shutdown(socket.SHUT_WR)
    log('received', await task)
    server.close()
    sock.close()
    listener.close()
`,
    *main() {
      const loop = getRunningLoop();
      const listener = new socket.socket();
      const sock = new socket.socket();
      listener.bind(['127.0.0.1', 0]);
      listener.listen(1);
      sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1024);
      sock.setblocking(false);
      const connecting = createTask(loop.sockConnect(sock, listener.getsockname() as SockAddr));
      yield* sleep(0);
      listener.setblocking(false);
      let server: socket.socket;
      for (;;) {
        try {
          server = listener.accept()[0];
          break;
        } catch (e) {
          if (!(e instanceof BlockingIOError)) throw e;
          yield* sleep(0);
        }
      }
      server.setblocking(false);
      yield* connecting;
      let size = 8192;
      const sent: number[] = [];
      while (size >= 4) {
        let n = 0;
        try {
          for (;;) n += sock.send(new Uint8Array(size).fill(32));
        } catch (e) {
          if (!(e instanceof BlockingIOError)) throw e;
          sent.push(n);
        }
        size = Math.trunc(size / 2);
      }
      log('filled', new PyList(sent));
      const blocked = createTask(loop.sockSendall(sock, bytes('hello')));
      yield* sleep(0);
      blocked.cancel();
      function* recvAll(): Coro<[Uint8Array, number]> {
        let rv: Uint8Array = new Uint8Array(0);
        let n = 0;
        for (;;) {
          const buf = yield* loop.sockRecv(server, 8192);
          if (buf.length === 0) return [rv, n];
          n += buf.length;
          rv = concatBytes(rv, buf.filter((b) => b !== 32));
        }
      }
      const receiving = createTask(recvAll());
      yield* loop.sockSendall(sock, bytes('world'));
      log('sent world');
      sock.shutdown(socket.SHUT_WR);
      log('received', yield* receiving);
      server.close();
      sock.close();
      listener.close();
    },
  },
  {
    name: 'test_sock_client_connect_racing: a cancelled connect to a port not yet listening, then retries',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    sock = socket.socket()
    listener.bind(('127.0.0.1', 0))
    addr = listener.getsockname()
    sock.setblocking(False)
    task = asyncio.create_task(loop.sock_connect(sock, addr))
    await asyncio.sleep(0)
    task.cancel()
    listener.listen(1)
    for i in range(5):
        try:
            await loop.sock_connect(sock, addr)
        except OSError as e:
            log('attempt', i, type(e).__name__, e)
        else:
            log('connected after', i, 'retries', sock.getpeername() == addr)
            break
    sock.close()
    listener.close()
`,
    *main() {
      const loop = getRunningLoop();
      const listener = new socket.socket();
      const sock = new socket.socket();
      listener.bind(['127.0.0.1', 0]);
      const addr = listener.getsockname() as SockAddr;
      sock.setblocking(false);
      const task = createTask(loop.sockConnect(sock, addr));
      yield* sleep(0);
      task.cancel();
      listener.listen(1);
      for (let i = 0; i < 5; i++) {
        try {
          yield* loop.sockConnect(sock, addr);
        } catch (e) {
          log('attempt', i, errorText(e));
          continue;
        }
        const peer = sock.getpeername();
        log('connected after', i, 'retries', peer[0] === addr[0] && peer[1] === addr[1]);
        break;
      }
      sock.close();
      listener.close();
    },
  },
];

comparePrograms('BaseSockTestsMixin', programs);
