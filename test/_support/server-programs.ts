// What the server differential programs share: an echo protocol that logs each callback
// with the peer's address, and a raw-socket client, in both languages.

import { getRunningLoop, Protocol, socket, type Coro, type Transport } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { log } from './net-programs.js';

/** The Python side's Echo, peer() and connect(), after net-programs' prelude. */
export const PY_SERVER = `
import errno
def peer(tr):
    return tr.get_extra_info('peername')
class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        log('made', peer(transport), transport)
    def data_received(self, data):
        log('data', peer(self.transport), data)
        self.transport.write(data)
    def eof_received(self):
        log('eof', peer(self.transport))
    def connection_lost(self, exc):
        log('lost', peer(self.transport), repr(exc))
async def connect(port=8888):
    c = socket.socket()
    c.setblocking(False)
    await asyncio.get_running_loop().sock_connect(c, ('127.0.0.1', port))
    return c
`;

/** The peer's address of a transport. */
export const peer = (t: Transport): unknown => t.getExtraInfo('peername');

/** Python: Echo(asyncio.Protocol), echoing what it receives and logging each callback. */
export class Echo extends Protocol {
  transport!: Transport;
  override connectionMade(t: Transport): void {
    this.transport = t;
    log('made', peer(t), t);
  }
  override dataReceived(data: Uint8Array): void {
    log('data', peer(this.transport), data);
    this.transport.write(data);
  }
  override eofReceived(): undefined {
    log('eof', peer(this.transport));
    return undefined;
  }
  override connectionLost(exc: unknown): void {
    log('lost', peer(this.transport), repr(exc));
  }
}

/** Python: connect(port): a non-blocking client socket connected with sock_connect. */
export function* connect(port = 8888): Coro<socket.socket> {
  const c = new socket.socket();
  c.setblocking(false);
  yield* getRunningLoop().sockConnect(c, ['127.0.0.1', port]);
  return c;
}
