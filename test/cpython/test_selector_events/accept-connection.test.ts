// CPython 3.13's test_asyncio/test_selector_events.py, BaseSelectorEventLoopTests: the
// _accept_connection method, titled after it. The mocked listener whose accept() always
// succeeds becomes a listener with five clients and backlog=3 (the model's backlog admits
// four: the fifth SYN is retried at t=1); accept() calls are counted by a subclass. The
// times of the calls were checked on the oracle.

import { beforeEach, describe, expect, it } from 'vitest';
import { EventLoop, gather, Protocol, sleep, socket, type Coro } from '../../../src/index.js';
import { _resetNetwork } from '../../../src/net/network.js';
import { world } from '../../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('BaseSelectorEventLoopTests (accepting)', () => {
  it('test_accept_connection_multiple — one readiness accepts up to backlog connections', () => {
    const loop = new EventLoop();
    const calls: number[] = [];
    class Counting extends socket.socket {
      override accept(): ReturnType<socket.socket['accept']> {
        calls.push(loop.time());
        return super.accept();
      }
    }
    const lsock = new Counting();
    lsock.bind(['127.0.0.1', 8889]);
    const srv = loop.runUntilComplete(loop.createServer(() => new Protocol(), null, null, { sock: lsock, backlog: 3 }));
    const cs: socket.socket[] = [];
    function* connect(): Coro<void> {
      const c = new socket.socket();
      c.setblocking(false);
      yield* loop.sockConnect(c, ['127.0.0.1', 8889]);
      cs.push(c);
    }
    loop.runUntilComplete((function* many(): Coro<void> {
      yield* gather(connect(), connect(), connect(), connect(), connect());
    })());
    expect(loop.time()).toBe(1);
    loop.runUntilComplete(sleep(0));
    expect(calls).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    for (const c of cs) c.close();
    srv.close();
    loop.close();
  });
});
