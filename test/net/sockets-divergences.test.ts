// Pins the simulated network's divergences from CPython on a real kernel
// (docs/divergences.md, "The simulated network").

import { beforeEach, describe, expect, it } from 'vitest';
import { EventLoop, RuntimeError, socket } from '../../src/index.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('the simulated network, where it differs from a real kernel', () => {
  it('refuses to block', () => {
    const [a, b] = socket.socketpair();
    expect(a.getblocking()).toBe(true);
    expect(() => a.recv(1)).toThrow(RuntimeError);
    expect(() => a.recv(1)).toThrow(/^aiosim: blocking socket calls are not simulated \(recv would block\): call setblocking\(false\)$/);
    // What can complete at once does.
    expect(b.send(new Uint8Array([1]))).toBe(1);
    a.close();
    b.close();
  });

  it('spins at one instant while a reader never drains its socket', () => {
    const loop = new EventLoop();
    const [a, b] = socket.socketpair();
    a.setblocking(false);
    b.send(new Uint8Array([1]));
    let calls = 0;
    loop.addReader(a, () => {
      calls++;
      if (calls === 1000) loop.stop();
    });
    loop.callLater(1, () => loop.stop());
    loop.runForever();
    expect(calls).toBe(1000);
    expect(loop.time()).toBe(0);
    loop.close();
    a.close();
    b.close();
  });
});
