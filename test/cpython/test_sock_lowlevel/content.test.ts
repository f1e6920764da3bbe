// test_sock_lowlevel's content and accept methods (test_huge_content, _recvinto,
// test_recvfrom, test_sock_client_fail, test_sock_accept, test_cancel_sock_accept) as
// differential programs: CPython 3.13.2's BaseSelectorEventLoop over the twin against aiosim.

import { createTask, getRunningLoop, socket, TimeoutError, waitFor, type Coro } from '../../../src/index.js';
import { pyFloat } from '../../../src/format/py-repr.js';
import type { SockAddr } from '../../../src/net/address.js';
import { bytes, concatBytes, errorText, log, PyList, startsWith } from '../../_support/net-programs.js';
import { comparePrograms, indexOf, startHttpd, type Program } from './_support.js';

const programs: Program[] = [
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

comparePrograms('BaseSockTestsMixin', programs);
