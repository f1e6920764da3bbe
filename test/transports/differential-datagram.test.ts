// The selector's datagram transport and createDatagramEndpoint against CPython 3.13.2 over
// the network's twin: echo, connected and unconnected endpoints, error_received on a port
// unreachable, sendto's checks, close and abort, and the endpoint maker's argument checks.

import { DatagramProtocol, Future, getRunningLoop, sleep, socket, type Coro, type DatagramTransport } from '../../src/index.js';
import type { SockAddr } from '../../src/net/address.js';
import type { CreateDatagramEndpointOptions } from '../../src/transports/create-datagram-endpoint.js';
import { bytes, describePrograms, errorText, log, type NetProgram } from '../_support/net-programs.js';

const upper = (d: Uint8Array): Uint8Array => bytes(new TextDecoder().decode(d).toUpperCase());

const programs: NetProgram[] = [
  {
    name: 'an echo endpoint, a connected and an unconnected client, error_received from a closed port',
    python: `class Echo(asyncio.DatagramProtocol):
    def connection_made(self, t):
        self.t = t
        log('server made', t, t.get_extra_info('sockname'), t.get_extra_info('peername'))
    def datagram_received(self, data, addr):
        log('server got', data, addr)
        self.t.sendto(data.upper(), addr)
class Client(asyncio.DatagramProtocol):
    def __init__(self, name):
        self.name = name
        self.lost = asyncio.get_running_loop().create_future()
    def connection_made(self, t):
        self.t = t
        log(self.name, 'made', t)
    def datagram_received(self, data, addr):
        log(self.name, 'got', data, addr, self.t)
    def error_received(self, exc):
        log(self.name, 'error', err(exc), self.t)
    def connection_lost(self, exc):
        log(self.name, 'lost', exc, self.t)
        self.lost.set_result(None)
async def main():
    loop = asyncio.get_running_loop()
    st, sp = await loop.create_datagram_endpoint(Echo, local_addr=('127.0.0.1', 9999))
    log('server', st, st.get_write_buffer_size())
    ct, cp = await loop.create_datagram_endpoint(lambda: Client('connected'), remote_addr=('127.0.0.1', 9999))
    log('client', ct, ct.get_extra_info('sockname'), ct.get_extra_info('peername'))
    ct.sendto(b'hello')
    ct.sendto(b'again', ('127.0.0.1', 9999))
    try:
        ct.sendto(b'x', ('127.0.0.1', 9998))
    except ValueError as e:
        log(err(e))
    try:
        ct.sendto('text')
    except TypeError as e:
        log(err(e))
    await asyncio.sleep(0.1)
    ut, up = await loop.create_datagram_endpoint(lambda: Client('unconnected'), local_addr=('127.0.0.1', 0))
    ut.sendto(b'ping', ('127.0.0.1', 9999))
    ut.sendto(b'nobody', ('127.0.0.1', 9000))
    await asyncio.sleep(0.1)
    st.close()
    log('server closing', st)
    await asyncio.sleep(0)
    log('server closed', st)
    ct.sendto(b'to a closed port')
    await asyncio.sleep(0.1)
    ct.sendto(b'again')
    await asyncio.sleep(0.1)
    ct.abort()
    log('aborted', ct)
    await cp.lost
    ut.close()
    await up.lost
    log('end', ct, ut)
`,
    *main() {
      class Echo extends DatagramProtocol {
        t!: DatagramTransport;
        override connectionMade(t: DatagramTransport): void {
          this.t = t;
          log('server made', t, t.getExtraInfo('sockname'), t.getExtraInfo('peername'));
        }
        override datagramReceived(data: Uint8Array, addr: SockAddr): void {
          log('server got', data, addr);
          this.t.sendto(upper(data), addr);
        }
      }
      class Client extends DatagramProtocol {
        t!: DatagramTransport;
        readonly lost: Future<void> = getRunningLoop().createFuture();
        constructor(readonly name: string) {
          super();
        }
        override connectionMade(t: DatagramTransport): void {
          this.t = t;
          log(this.name, 'made', t);
        }
        override datagramReceived(data: Uint8Array, addr: SockAddr): void {
          log(this.name, 'got', data, addr, this.t);
        }
        override errorReceived(exc: unknown): void {
          log(this.name, 'error', errorText(exc), this.t);
        }
        override connectionLost(exc: unknown): void {
          log(this.name, 'lost', exc, this.t);
          this.lost.setResult(undefined);
        }
      }
      const loop = getRunningLoop();
      const [st] = yield* loop.createDatagramEndpoint(() => new Echo(), { localAddr: ['127.0.0.1', 9999] });
      log('server', st, st.getWriteBufferSize());
      const [ct, cp] = yield* loop.createDatagramEndpoint(() => new Client('connected'), { remoteAddr: ['127.0.0.1', 9999] });
      log('client', ct, ct.getExtraInfo('sockname'), ct.getExtraInfo('peername'));
      ct.sendto(bytes('hello'));
      ct.sendto(bytes('again'), ['127.0.0.1', 9999]);
      try {
        ct.sendto(bytes('x'), ['127.0.0.1', 9998]);
      } catch (e) {
        log(errorText(e));
      }
      try {
        ct.sendto('text' as unknown as Uint8Array);
      } catch (e) {
        log(errorText(e));
      }
      yield* sleep(0.1);
      const [ut, up] = yield* loop.createDatagramEndpoint(() => new Client('unconnected'), { localAddr: ['127.0.0.1', 0] });
      ut.sendto(bytes('ping'), ['127.0.0.1', 9999]);
      ut.sendto(bytes('nobody'), ['127.0.0.1', 9000]);
      yield* sleep(0.1);
      st.close();
      log('server closing', st);
      yield* sleep(0);
      log('server closed', st);
      ct.sendto(bytes('to a closed port'));
      yield* sleep(0.1);
      ct.sendto(bytes('again'));
      yield* sleep(0.1);
      ct.abort();
      log('aborted', ct);
      yield* cp.lost;
      ut.close();
      yield* up.lost;
      log('end', ct, ut);
    },
  },
  {
    name: "create_datagram_endpoint's argument checks and failures",
    latencies: [0],
    python: `async def attempt(label, **kw):
    loop = asyncio.get_running_loop()
    try:
        t, p = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, **kw)
        log(label, 'made', t, t.get_extra_info('sockname'), t.get_extra_info('peername'))
        t.close()
        await asyncio.sleep(0)
    except (OSError, ValueError, TypeError) as e:
        log(label, err(e))
async def main():
    loop = asyncio.get_running_loop()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', 7000))
    tcp = socket.socket()
    await attempt('stream sock', sock=tcp)
    await attempt('sock and options', sock=s, local_addr=('127.0.0.1', 1), family=socket.AF_INET, reuse_port=True)
    await attempt('sock', sock=s)
    await attempt('no address', family=0)
    await attempt('family only', family=socket.AF_INET)
    await attempt('not a 2-tuple', local_addr=('127.0.0.1', 1, 2))
    await attempt('families differ', local_addr=('127.0.0.1', 0), remote_addr=('::1', 9))
    await attempt('in use', local_addr=('127.0.0.1', 7001))
    await attempt('in use', local_addr=('127.0.0.1', 7001))
    await attempt('both', local_addr=('127.0.0.1', 7002), remote_addr=('127.0.0.1', 7003))
    await attempt('by name', remote_addr=('localhost', 7003))
    await attempt('not mine', local_addr=('10.0.0.1', 7003))
    await attempt('reuse_port', local_addr=('127.0.0.1', 7004), reuse_port=True)
    try:
        await loop.create_datagram_endpoint(asyncio.DatagramProtocol, local_addr=('127.0.0.1', 0), reuse_address=True)
    except TypeError as e:
        log(err(e))
    tcp.close()
`,
    *main() {
      const loop = getRunningLoop();
      function* attempt(label: string, options: CreateDatagramEndpointOptions & { reuseAddress?: boolean }): Coro<void> {
        try {
          const [t] = yield* loop.createDatagramEndpoint(() => new DatagramProtocol(), options);
          log(label, 'made', t, t.getExtraInfo('sockname'), t.getExtraInfo('peername'));
          t.close();
          yield* sleep(0);
        } catch (e) {
          log(label, errorText(e));
        }
      }
      const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      s.bind(['127.0.0.1', 7000]);
      const tcp = new socket.socket();
      yield* attempt('stream sock', { sock: tcp });
      yield* attempt('sock and options', { sock: s, localAddr: ['127.0.0.1', 1], family: socket.AF_INET, reusePort: true });
      yield* attempt('sock', { sock: s });
      yield* attempt('no address', { family: 0 });
      yield* attempt('family only', { family: socket.AF_INET });
      yield* attempt('not a 2-tuple', { localAddr: ['127.0.0.1', 1, 2] as unknown as SockAddr });
      yield* attempt('families differ', { localAddr: ['127.0.0.1', 0], remoteAddr: ['::1', 9] as unknown as SockAddr });
      yield* attempt('in use', { localAddr: ['127.0.0.1', 7001] });
      yield* attempt('in use', { localAddr: ['127.0.0.1', 7001] });
      yield* attempt('both', { localAddr: ['127.0.0.1', 7002], remoteAddr: ['127.0.0.1', 7003] });
      yield* attempt('by name', { remoteAddr: ['localhost', 7003] });
      yield* attempt('not mine', { localAddr: ['10.0.0.1', 7003] });
      yield* attempt('reuse_port', { localAddr: ['127.0.0.1', 7004], reusePort: true });
      try {
        yield* loop.createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0], reuseAddress: true } as CreateDatagramEndpointOptions);
      } catch (e) {
        log(errorText(e));
      }
      tcp.close();
    },
  },
];

describePrograms('the datagram transport against CPython over the twin', programs);
