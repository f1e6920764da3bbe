// The loop's readers and writers (asyncio's add_reader … remove_writer and
// _process_events) on sockets of the simulated network.

import { beforeEach, describe, expect, it } from 'vitest';
import { EventLoop, getRunningLoop, run, socket, ValueError, type Coro } from '../../src/index.js';
import { EVENT_READ, EVENT_WRITE } from '../../src/events/selector.js';
import type { Handle } from '../../src/events/handle.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

function pair(): [socket.socket, socket.socket] {
  const [a, b] = socket.socketpair();
  a.setblocking(false);
  b.setblocking(false);
  return [a, b];
}

describe('loop.addReader / addWriter', () => {
  it('keep one registration per fd with [reader, writer] handles; a new reader cancels the old', () => {
    const loop = new EventLoop();
    const [a, b] = pair();
    loop.addReader(a.fileno(), () => {});
    const first = loop._selector.getKey(a.fileno()).data as [Handle, Handle | undefined];
    loop.addWriter(a.fileno(), () => {});
    const key = loop._selector.getKey(a.fileno());
    expect(key.events).toBe(EVENT_READ | EVENT_WRITE);
    loop.addReader(a.fileno(), () => {});
    expect(first[0].cancelled()).toBe(true);
    expect(loop.removeWriter(a.fileno())).toBe(true);
    expect(loop._selector.getKey(a.fileno()).events).toBe(EVENT_READ);
    expect(loop.removeWriter(a.fileno())).toBe(false);
    expect(loop.removeReader(a.fileno())).toBe(true);
    expect(loop._selector.lookup(a.fileno())).toBeUndefined();
    expect(loop.removeReader(a.fileno())).toBe(false);
    loop.close();
    expect(loop.removeReader(a.fileno())).toBe(false);
    expect(() => loop.addReader(a.fileno(), () => {})).toThrow(/^Event loop is closed$/);
    a.close();
    b.close();
  });

  it('refuse what is no file object', () => {
    const loop = new EventLoop();
    expect(() => loop.addReader('x' as unknown as number, () => {})).toThrow(ValueError);
    expect(() => loop.addReader('x' as unknown as number, () => {})).toThrow(/^Invalid file object: 'x'$/);
    loop.close();
  });

  it('call a writer while writable, a reader once data arrived, in the same iteration', () => {
    const [a, b] = pair();
    const seen: string[] = [];
    function* main(): Coro<void> {
      const loop = getRunningLoop();
      loop.addWriter(b.fileno(), () => {
        seen.push(`${loop.time()} writable`);
        b.send(new TextEncoder().encode('hi'));
        loop.removeWriter(b.fileno());
      });
      const got = loop.createFuture<string>();
      loop.addReader(a, () => {
        seen.push(`${loop.time()} readable`);
        loop.removeReader(a);
        got.setResult(new TextDecoder().decode(a.recv(10)));
      });
      seen.push(yield* got);
    }
    run(main());
    expect(seen).toEqual(['0 writable', '0 readable', 'hi']);
    a.close();
    b.close();
  });
});
