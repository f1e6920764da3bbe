// test_sock_lowlevel's test_recvfrom_into, test_sendto_blocking and
// test_create_connection_sock as differential programs: CPython 3.13.2's
// BaseSelectorEventLoop over the twin against aiosim.

import { BlockingIOError, getRunningLoop, Protocol, socket, type Coro, type Future, type Transport } from '../../../src/index.js';
import type { SockAddr } from '../../../src/net/address.js';
import type { Socket } from '../../../src/net/socket.js';
import { bytes, log } from '../../_support/net-programs.js';
import { comparePrograms, startHttpd, type Program } from './_support.js';

const PY_UDP_ECHO = `
async def udp_echo(sock):
    loop = asyncio.get_running_loop()
    while True:
        data, addr = await loop.sock_recvfrom(sock, 65536)
        await loop.sock_sendto(sock, data, addr)

def start_udp_echo():
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.setblocking(False)
    server.bind(('127.0.0.1', 0))
    return server, asyncio.create_task(udp_echo(server))
`;

function startUdpEcho(): [socket.socket, ReturnType<typeof getRunningLoop>['createTask']] {
  const loop = getRunningLoop();
  const server = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  server.setblocking(false);
  server.bind(['127.0.0.1', 0]);
  const echoing = loop.createTask((function* udpEcho(): Coro<void> {
    for (;;) {
      const [data, addr] = yield* loop.sockRecvfrom(server, 65536);
      yield* loop.sockSendto(server, data, addr);
    }
  })());
  return [server, echoing as never];
}

const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const programs: Program[] = [
  {
    name: 'test_recvfrom_into: into a buffer, whole and limited to nbytes',
    loopbackLatency: 0.002,
    python: `${PY_UDP_ECHO}
async def main():
    loop = asyncio.get_running_loop()
    server, echoing = start_udp_echo()
    address = server.getsockname()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        buf = bytearray(4096)
        data = b'\\x01' * 4096
        await loop.sock_sendto(sock, data, address)
        num_bytes, from_addr = await loop.sock_recvfrom_into(sock, buf)
        log('into', num_bytes, buf == data, from_addr == address)
        buf = bytearray(8192)
        await loop.sock_sendto(sock, data, address)
        num_bytes, from_addr = await loop.sock_recvfrom_into(sock, buf, 4096)
        log('limited', num_bytes, buf[:4096] == data, buf[4096:] == bytes(4096), from_addr == address)
        await loop.sock_sendto(sock, b'abcdefgh', address)
        num_bytes, _ = await loop.sock_recvfrom_into(sock, buf, 3)
        log('truncated', num_bytes, bytes(buf[:4]))
        for args in [(buf, -1), (buf, 8193)]:
            try:
                await loop.sock_recvfrom_into(sock, *args)
            except ValueError as e:
                log('ValueError', e)
    echoing.cancel()
    server.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [server, echoing] = startUdpEcho();
      const address = server.getsockname() as SockAddr;
      const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      sock.setblocking(false);
      let buf = new Uint8Array(4096);
      const data = new Uint8Array(4096).fill(1);
      yield* loop.sockSendto(sock, data, address);
      let [numBytes, fromAddr] = yield* loop.sockRecvfromInto(sock, buf);
      log('into', numBytes, same([...buf], [...data]), same(fromAddr, address));
      buf = new Uint8Array(8192);
      yield* loop.sockSendto(sock, data, address);
      [numBytes, fromAddr] = yield* loop.sockRecvfromInto(sock, buf, 4096);
      log('limited', numBytes, same([...buf.subarray(0, 4096)], [...data]), buf.subarray(4096).every((b) => b === 0), same(fromAddr, address));
      yield* loop.sockSendto(sock, bytes('abcdefgh'), address);
      [numBytes] = yield* loop.sockRecvfromInto(sock, buf, 3);
      log('truncated', numBytes, buf.slice(0, 4));
      for (const n of [-1, 8193]) {
        try {
          yield* loop.sockRecvfromInto(sock, buf, n);
        } catch (e) {
          log('ValueError', (e as Error).message);
        }
      }
      sock.close();
      (echoing as unknown as { cancel(): void }).cancel();
      server.close();
    },
  },
  {
    name: 'test_sendto_blocking: a sendto that would block waits for the socket to be writable',
    loopbackLatency: 0.002,
    python: `${PY_UDP_ECHO}
class Flaky:
    """The test's Mock(sock): sendto raises BlockingIOError until a callback restores it."""
    def __init__(self, sock):
        self.sock = sock
        self.calls = 0
    def gettimeout(self):
        return self.sock.gettimeout()
    def fileno(self):
        return self.sock.fileno()
    def sendto(self, *args):
        self.calls += 1
        raise BlockingIOError

async def main():
    loop = asyncio.get_running_loop()
    server, echoing = start_udp_echo()
    address = server.getsockname()
    data = b'\\x01' * 4096
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        mock = Flaky(sock)
        loop.call_soon(lambda: setattr(mock, 'sendto', sock.sendto))
        log('sent', await loop.sock_sendto(mock, data, address), mock.calls)
        received, from_addr = await loop.sock_recvfrom(sock, 4096)
        log('echoed', received == data, from_addr == address)
    echoing.cancel()
    server.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [server, echoing] = startUdpEcho();
      const address = server.getsockname() as SockAddr;
      const data = new Uint8Array(4096).fill(1);
      const sock = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      sock.setblocking(false);
      let calls = 0;
      const mock = {
        gettimeout: () => sock.gettimeout(),
        fileno: () => sock.fileno(),
        sendto: (..._args: unknown[]): number => {
          calls++;
          throw new BlockingIOError();
        },
      };
      loop.callSoon(() => {
        mock.sendto = sock.sendto.bind(sock) as never;
      });
      log('sent', yield* loop.sockSendto(mock as unknown as Socket, data, address), calls);
      const [received, fromAddr] = yield* loop.sockRecvfrom(sock, 4096);
      log('echoed', same([...received], [...data]), same(fromAddr, address));
      sock.close();
      (echoing as unknown as { cancel(): void }).cancel();
      server.close();
    },
  },
  {
    name: 'test_create_connection_sock: a transport over a socket connected with sock_connect',
    loopbackLatency: 0.005,
    python: `
class MyProto(asyncio.Protocol):
    def __init__(self, loop):
        self.transport = None
        self.state = 'INITIAL'
        self.nbytes = 0
        self.connected = loop.create_future()
        self.done = loop.create_future()
    def connection_made(self, transport):
        log('connection_made', self.state)
        self.transport = transport
        self.state = 'CONNECTED'
        self.connected.set_result(None)
        transport.write(b'GET / HTTP/1.0\\r\\nHost: example.com\\r\\n\\r\\n')
    def data_received(self, data):
        log('data_received', len(data), self.state)
        self.nbytes += len(data)
    def eof_received(self):
        log('eof_received', self.state)
        self.state = 'EOF'
    def connection_lost(self, exc):
        log('connection_lost', exc, self.state)
        self.state = 'CLOSED'
        self.done.set_result(None)

async def main():
    loop = asyncio.get_running_loop()
    listener, server = start_httpd()
    sock = None
    infos = await loop.getaddrinfo('127.0.0.1', 8000, type=socket.SOCK_STREAM)
    for family, type, proto, cname, address in infos:
        sock = socket.socket(family=family, type=type, proto=proto)
        sock.setblocking(False)
        await loop.sock_connect(sock, address)
        break
    tr, pr = await loop.create_connection(lambda: MyProto(loop), sock=sock)
    log('made', isinstance(tr, asyncio.Transport), isinstance(pr, asyncio.Protocol), tr)
    await pr.done
    log('done', pr.nbytes > 0, pr.nbytes, tr)
    tr.close()
    server.cancel()
    listener.close()
`,
    *main() {
      const loop = getRunningLoop();
      const [listener, server] = startHttpd();
      class MyProto extends Protocol {
        transport: Transport | undefined;
        state = 'INITIAL';
        nbytes = 0;
        readonly connected: Future<void> = loop.createFuture();
        readonly done: Future<void> = loop.createFuture();
        override connectionMade(transport: Transport): void {
          log('connection_made', this.state);
          this.transport = transport;
          this.state = 'CONNECTED';
          this.connected.setResult(undefined);
          transport.write(bytes('GET / HTTP/1.0\r\nHost: example.com\r\n\r\n'));
        }
        override dataReceived(data: Uint8Array): void {
          log('data_received', data.length, this.state);
          this.nbytes += data.length;
        }
        override eofReceived(): undefined {
          log('eof_received', this.state);
          this.state = 'EOF';
          return undefined;
        }
        override connectionLost(exc: unknown): void {
          log('connection_lost', exc === undefined ? 'None' : exc, this.state);
          this.state = 'CLOSED';
          this.done.setResult(undefined);
        }
      }
      let sock: socket.socket | undefined;
      const infos = yield* loop.getaddrinfo('127.0.0.1', 8000, { type: socket.SOCK_STREAM });
      for (const [family, type, proto, , address] of infos) {
        sock = new socket.socket(family, type, proto);
        sock.setblocking(false);
        yield* loop.sockConnect(sock, address);
        break;
      }
      const [tr, pr] = yield* loop.createConnection(() => new MyProto(), { sock });
      log('made', true, pr instanceof Protocol, tr);
      yield* pr.done;
      log('done', pr.nbytes > 0, pr.nbytes, tr);
      tr.close();
      server.cancel();
      listener.close();
    },
  },
];

comparePrograms('BaseSockTestsMixin', programs);
