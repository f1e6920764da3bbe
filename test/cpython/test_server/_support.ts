// What the test_server ports share: the stream handlers of CPython's tests as protocols
// (streams are not built yet: `serve(rd, wr)` reading to EOF then closing is a protocol
// closing on EOF; the client's `wr.close(); await wr.wait_closed()` is a transport close
// and the protocol's connection_lost), and the world's reset between tests.

import { beforeEach } from 'vitest';
import { getRunningLoop, Protocol, type Future, type Transport } from '../../../src/index.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { world } from '../../../src/runtime/world.js';

/** Every test starts on a fresh network (fds, ports) and world. */
export function freshNetwork(): void {
  beforeEach(() => {
    world._reset();
    _resetNetwork();
  });
}

/** `async def serve(rd, wr): try: await rd.read() finally: wr.close()`. */
export class Serve extends Protocol {
  t!: Transport;
  override connectionMade(t: Transport): void {
    this.t = t;
  }
  override eofReceived(): undefined {
    this.t.close();
    return undefined;
  }
}

/** The client's side of `open_connection`: `closed` is `wr.wait_closed()`. */
export class Client extends Protocol {
  readonly closed: Future<void> = getRunningLoop().createFuture();
  override connectionLost(): void {
    this.closed.setResult(undefined);
  }
}
