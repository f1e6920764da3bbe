// Type tests for the connection makers: the protocol the factory makes comes back typed.

import { describe, expectTypeOf, it } from 'vitest';
import {
  DatagramProtocol, getRunningLoop, Protocol, TransportSocket, type Coro, type DatagramEndpointTransport, type Transport,
} from '../../src/index.js';

class Echo extends Protocol {
  count = 0;
}

class Pinger extends DatagramProtocol {
  pings = 0;
}

describe('connection maker types', () => {
  it('createConnection returns the transport and the factory\'s protocol', () => {
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      const [transport, protocol] = yield* loop.createConnection(() => new Echo(), '127.0.0.1', 8888);
      expectTypeOf(transport).toEqualTypeOf<Transport>();
      expectTypeOf(protocol).toEqualTypeOf<Echo>();
      expectTypeOf(protocol.count).toBeNumber();
      expectTypeOf(transport.getExtraInfo('socket')).toBeUnknown();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('createDatagramEndpoint returns a datagram transport with write flow control and the protocol', () => {
    function* main(): Coro<void> {
      const [transport, protocol] = yield* getRunningLoop().createDatagramEndpoint(() => new Pinger(), { localAddr: ['127.0.0.1', 0] });
      expectTypeOf(transport).toEqualTypeOf<DatagramEndpointTransport>();
      expectTypeOf(transport.getWriteBufferSize()).toBeNumber();
      expectTypeOf(protocol.pings).toBeNumber();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('TransportSocket forwards the harmless socket methods', () => {
    expectTypeOf<TransportSocket['fileno']>().returns.toBeNumber();
    expectTypeOf<TransportSocket['setblocking']>().parameters.toEqualTypeOf<[boolean]>();
  });
});
