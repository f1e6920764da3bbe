// CPython's test_sock_lowlevel.py, ported as differential programs: each of its methods
// becomes one program written in Python and in TypeScript, run by CPython 3.13.2's own
// BaseSelectorEventLoop over the network's twin and by aiosim; both print the same lines,
// virtual times included. CPython's tests talk to an HTTP server in a thread
// (test_utils.run_test_server); here that server is a task on the same loop speaking the
// same little protocol, so that everything runs on the virtual clock.
// docs/cpython-tests/test_sock_lowlevel.md maps the methods to the programs.

import { beforeEach, describe, expect, it } from 'vitest';
import { BlockingIOError, createTask, getRunningLoop, run, sleep, socket, TimeoutError, waitFor, type Coro } from '../../../src/index.js';
import { _resetNetwork, network } from '../../../src/net/network.js';
import { world } from '../../../src/runtime/world.js';
import { pyFloat } from '../../../src/format/py-repr.js';
import type { SockAddr } from '../../../src/net/address.js';
import { runNetPython } from '../../scenario/oracle/cpython.js';
import { bytes, concatBytes, errorText, netLog, netOutput, PyList, resetNetOutput, startsWith } from '../../_support/net-programs.js';

const log = netLog;

const PY_PRELUDE = `
import asyncio, socket
def log(*a):
    print(asyncio.get_running_loop().time(), *a)

async def httpd(listener):
    """The in-loop stand-in of test_utils.run_test_server: GET answers 'Test message',
    POST echoes its body; one request per connection, then close."""
    loop = asyncio.get_running_loop()
    while True:
        conn, _ = await loop.sock_accept(listener)
        data = b''
        while b'\\r\\n\\r\\n' not in data:
            data += await loop.sock_recv(conn, 65536)
        head, _, body = data.partition(b'\\r\\n\\r\\n')
        if head.startswith(b'POST'):
            size = int(head.split(b'Content-Length: ')[1].split(b'\\r\\n')[0])
            while len(body) < size:
                body += await loop.sock_recv(conn, 65536)
            reply = body
        else:
            reply = b'Test message'
        await loop.sock_sendall(conn, b'HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(reply) + reply)
        conn.close()

def start_httpd(port=8000):
    listener = socket.socket()
    listener.setblocking(False)
    listener.bind(('127.0.0.1', port))
    listener.listen(5)
    return listener, asyncio.create_task(httpd(listener))
`;

// The in-loop HTTP server, as in PY_PRELUDE.
function* httpd(listener: socket.socket): Coro<void> {
  const loop = getRunningLoop();
  for (;;) {
    const [conn] = yield* loop.sockAccept(listener);
    let data: Uint8Array = new Uint8Array(0);
    while (indexOf(data, '\r\n\r\n') < 0) data = concatBytes(data, yield* loop.sockRecv(conn, 65536));
    const split = indexOf(data, '\r\n\r\n');
    const head = new TextDecoder().decode(data.subarray(0, split));
    let body: Uint8Array = data.subarray(split + 4);
    let reply: Uint8Array;
    if (head.startsWith('POST')) {
      const size = Number(/Content-Length: (\d+)/.exec(head)![1]);
      while (body.length < size) body = concatBytes(body, yield* loop.sockRecv(conn, 65536));
      reply = body;
    } else {
      reply = bytes('Test message');
    }
    yield* loop.sockSendall(conn, concatBytes(bytes(`HTTP/1.0 200 OK\r\nContent-Length: ${reply.length}\r\n\r\n`), reply));
    conn.close();
  }
}

function startHttpd(port = 8000): [socket.socket, ReturnType<typeof createTask>] {
  const listener = new socket.socket();
  listener.setblocking(false);
  listener.bind(['127.0.0.1', port]);
  listener.listen(5);
  return [listener, createTask(httpd(listener))];
}

function indexOf(data: Uint8Array, text: string): number {
  const needle = bytes(text);
  outer: for (let i = 0; i + needle.length <= data.length; i++) {
    for (let j = 0; j < needle.length; j++) if (data[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

interface Program {
  readonly name: string;
  readonly loopbackLatency: number;
  readonly python: string;
  readonly main: () => Coro<void>;
}

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
  ...hugeContent(false),
  ...hugeContent(true),
  {
    name: 'test_recvfrom: a datagram to an echo server and back',
    loopbackLatency: 0.002,
    python: `
async def echo(sock):
    loop = asyncio.get_running_loop()
    while True:
        data, addr = await loop.sock_recvfrom(sock, 65536)
        await loop.sock_sendto(sock, data, addr)

async def main():
    loop = asyncio.get_running_loop()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.setblocking(False)
    server.bind(('127.0.0.1', 0))
    echoing = asyncio.create_task(echo(server))
    data = b'\\x01' * 4096
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        log('sent', await loop.sock_sendto(sock, data, server.getsockname()))
        received, addr = await loop.sock_recvfrom(sock, 4096)
        log('received', len(received), received == data, addr == server.getsockname())
        await loop.sock_sendto(sock, data, server.getsockname())
        received, addr = await loop.sock_recvfrom(sock, 100)
        log('truncated', len(received))
    echoing.cancel()
    server.close()
`,
    *main() {
      const loop = getRunningLoop();
      const server = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      server.setblocking(false);
      server.bind(['127.0.0.1', 0]);
      const echoing = createTask((function* echo(): Coro<void> {
        for (;;) {
          const [data, addr] = yield* loop.sockRecvfrom(server, 65536);
          yield* loop.sockSendto(server, data, addr);
        }
      })());
      const data = new Uint8Array(4096).fill(1);
      const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      sock.setblocking(false);
      log('sent', yield* loop.sockSendto(sock, data, server.getsockname() as SockAddr));
      let [received, addr] = yield* loop.sockRecvfrom(sock, 4096);
      const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
      log('received', received.length, same([...received], [...data]), same(addr, server.getsockname() as SockAddr));
      yield* loop.sockSendto(sock, data, server.getsockname() as SockAddr);
      [received, addr] = yield* loop.sockRecvfrom(sock, 100);
      log('truncated', received.length);
      sock.close();
      echoing.cancel();
      server.close();
    },
  },
  {
    name: 'test_sock_client_fail: a refused sock_connect',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    address = s.getsockname()
    s.close()
    sock = socket.socket()
    sock.setblocking(False)
    try:
        await loop.sock_connect(sock, address)
    except ConnectionRefusedError as e:
        log('ConnectionRefusedError', e)
    sock.close()
`,
    *main() {
      const loop = getRunningLoop();
      const s = new socket.socket();
      s.bind(['127.0.0.1', 0]);
      const address = s.getsockname() as SockAddr;
      s.close();
      const sock = new socket.socket();
      sock.setblocking(false);
      try {
        yield* loop.sockConnect(sock, address);
      } catch (e) {
        log(errorText(e));
      }
      sock.close();
    },
  },
  {
    name: 'test_sock_accept: the accepted socket is non-blocking, its address the client\'s',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    listener.setblocking(False)
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    client = socket.socket()
    client.setblocking(False)
    log('connect_ex', client.connect_ex(listener.getsockname()))
    conn, addr = await loop.sock_accept(listener)
    log('accepted', conn.gettimeout(), addr == client.getsockname(), client.getpeername() == listener.getsockname())
    log(conn)
    client.close()
    conn.close()
    listener.close()
`,
    *main() {
      const loop = getRunningLoop();
      const listener = new socket.socket();
      listener.setblocking(false);
      listener.bind(['127.0.0.1', 0]);
      listener.listen(1);
      const client = new socket.socket();
      client.setblocking(false);
      log('connect_ex', client.connectEx(listener.getsockname() as SockAddr));
      const [conn, addr] = yield* loop.sockAccept(listener);
      const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
      log('accepted', pyFloat(conn.gettimeout() ?? 0), same(addr, client.getsockname() as SockAddr), same(client.getpeername(), listener.getsockname() as SockAddr));
      log(conn);
      client.close();
      conn.close();
      listener.close();
    },
  },
  {
    name: 'test_cancel_sock_accept: wait_for times out a sock_accept; the closed listener refuses',
    loopbackLatency: 0.01,
    python: `
async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    listener.setblocking(False)
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)
    sockaddr = listener.getsockname()
    try:
        await asyncio.wait_for(loop.sock_accept(listener), 0.1)
    except asyncio.TimeoutError as e:
        log('TimeoutError', repr(e))
    listener.close()
    client = socket.socket()
    client.setblocking(False)
    try:
        await loop.sock_connect(client, sockaddr)
    except ConnectionRefusedError as e:
        log('ConnectionRefusedError', e)
    client.close()
`,
    *main() {
      const loop = getRunningLoop();
      const listener = new socket.socket();
      listener.setblocking(false);
      listener.bind(['127.0.0.1', 0]);
      listener.listen(1);
      const sockaddr = listener.getsockname() as SockAddr;
      try {
        yield* waitFor(loop.sockAccept(listener), 0.1);
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        log('TimeoutError', 'TimeoutError()');
      }
      listener.close();
      const client = new socket.socket();
      client.setblocking(false);
      try {
        yield* loop.sockConnect(client, sockaddr);
      } catch (e) {
        log(errorText(e));
      }
      client.close();
    },
  },
];

// test_huge_content and test_huge_content_recvinto: a million bytes posted while the
// echo comes back; the sizes the receiving side sees follow the model's segments.
function hugeContent(recvInto: boolean): Program[] {
  const py = `
async def main():
    loop = asyncio.get_running_loop()
    listener, server = start_httpd()
    sock = socket.socket()
    sock.setblocking(False)
    DATA_SIZE = 10_000_00
    chunk = b'0123456789' * (DATA_SIZE // 10)
    await loop.sock_connect(sock, ('127.0.0.1', 8000))
    await loop.sock_sendall(sock, b'POST /loop HTTP/1.0\\r\\n' + b'Content-Length: %d\\r\\n' % DATA_SIZE + b'\\r\\n')
    task = asyncio.create_task(loop.sock_sendall(sock, chunk))
    buf = bytearray(DATA_SIZE)
    async def recv():
        ${recvInto ? 'n = await loop.sock_recv_into(sock, buf)\n        return bytes(buf[:n])' : 'return await loop.sock_recv(sock, DATA_SIZE)'}
    data = await recv()
    log('first', data[:15])
    while data.find(b'\\r\\n\\r\\n') == -1:
        data += await recv()
    headers = data[:data.index(b'\\r\\n\\r\\n') + 4]
    data = data[len(headers):]
    sizes = [len(data)]
    body = [data]
    while True:
        data = await recv()
        if not data:
            break
        sizes.append(len(data))
        body.append(data)
    log('received', sum(sizes), 'in', len(sizes), 'reads, the first', sizes[:6], b''.join(body) == chunk)
    await task
    log('sendall done', task.done())
    sock.close()
    server.cancel()
    listener.close()
`;
  return [{
    name: `test_huge_content${recvInto ? '_recvinto' : ''}: a million bytes posted and echoed`,
    loopbackLatency: 0.001,
    python: py,
    *main() {
      const loop = getRunningLoop();
      const [listener, server] = startHttpd();
      const sock = new socket.socket();
      sock.setblocking(false);
      const DATA_SIZE = 1_000_000;
      const chunk = new Uint8Array(DATA_SIZE).map((_, i) => 48 + (i % 10));
      yield* loop.sockConnect(sock, ['127.0.0.1', 8000]);
      yield* loop.sockSendall(sock, bytes(`POST /loop HTTP/1.0\r\nContent-Length: ${DATA_SIZE}\r\n\r\n`));
      const task = createTask(loop.sockSendall(sock, chunk));
      const buf = new Uint8Array(DATA_SIZE);
      function* recv(): Coro<Uint8Array> {
        if (!recvInto) return yield* loop.sockRecv(sock, DATA_SIZE);
        const n = yield* loop.sockRecvInto(sock, buf);
        return buf.slice(0, n);
      }
      let data = yield* recv();
      log('first', data.slice(0, 15));
      while (indexOf(data, '\r\n\r\n') < 0) data = concatBytes(data, yield* recv());
      data = data.subarray(indexOf(data, '\r\n\r\n') + 4);
      const sizes = [data.length];
      const body = [data];
      for (;;) {
        data = yield* recv();
        if (data.length === 0) break;
        sizes.push(data.length);
        body.push(data);
      }
      const all = concatBytes(...body);
      log('received', sizes.reduce((a, b) => a + b, 0), 'in', sizes.length, 'reads, the first', new PyList(sizes.slice(0, 6)), startsWith(all, chunk) && all.length === chunk.length);
      yield* task;
      log('sendall done', task.done());
      sock.close();
      server.cancel();
      listener.close();
    },
  }];
}

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('test_sock_lowlevel against CPython over the twin', () => {
  for (const program of programs) {
    it(program.name, async () => {
      const expected = await runNetPython(`${PY_PRELUDE}\n${program.python}\nasyncio.run(main())\n`, program.loopbackLatency);
      network.loopbackLatency = program.loopbackLatency;
      resetNetOutput();
      run(program.main());
      expect(netOutput().length).toBeGreaterThan(0);
      expect(netOutput().join("\n")).toBe(expected.trimEnd());
      if (process.env.SHOW_NET_TRACES) console.log(expected);
    });
  }
});
