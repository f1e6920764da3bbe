// TransportSocket (trsock.py): what it forwards, what it refuses, its repr.

import { beforeEach, describe, expect, it } from 'vitest';
import { socket, TransportSocket, ValueError } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('TransportSocket', () => {
  it("forwards the socket's names and options and reprs as asyncio does", () => {
    const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    s.bind(['127.0.0.1', 8888]);
    const ts = new TransportSocket(s);
    expect([ts.family, ts.type, ts.proto, ts.fileno()]).toEqual([2, 1, 0, s.fileno()]);
    expect(ts.getsockname()).toEqual(['127.0.0.1', 8888]);
    ts.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
    expect(ts.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)).toBe(1);
    expect(repr(ts)).toBe(`<asyncio.TransportSocket fd=${s.fileno()}, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888)>`);
    s.close();
    expect(String(ts)).toBe('<asyncio.TransportSocket fd=-1, family=2, type=1, proto=0>');
  });

  it('stays non-blocking: only a timeout of 0 and setblocking(false) are accepted', () => {
    const s = new socket.socket();
    const ts = new TransportSocket(s);
    expect(ts.gettimeout()).toBe(0);
    ts.settimeout(0);
    ts.setblocking(false);
    expect(() => ts.settimeout(1)).toThrow(new ValueError('settimeout(): only 0 timeout is allowed on transport sockets'));
    expect(() => ts.settimeout(null)).toThrow(ValueError);
    expect(() => ts.setblocking(true)).toThrow(new ValueError('setblocking(): transport sockets cannot be blocking'));
    s.close();
  });
});
