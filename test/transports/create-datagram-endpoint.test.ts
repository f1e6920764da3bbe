// createDatagramEndpoint beyond the differential programs: what the network does not model.

import { beforeEach, describe, expect, it } from 'vitest';
import { DatagramProtocol, getRunningLoop, OSError, run, type Coro } from '../../src/index.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('createDatagramEndpoint', () => {
  it('fails with allowBroadcast, SO_BROADCAST not being modelled (divergence)', () => {
    const error = run((function* main(): Coro<unknown> {
      try {
        yield* getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol(), { localAddr: ['127.0.0.1', 0], allowBroadcast: true });
        return undefined;
      } catch (e) {
        return e;
      }
    })());
    expect(error).toBeInstanceOf(OSError);
    expect((error as OSError).message).toBe('[Errno 92] Protocol not available');
  });
});
