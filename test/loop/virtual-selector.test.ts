// The loop's selector: its registrations of readers and writers (the interface simulated
// I/O will plug into) behave as CPython's selectors._BaseSelectorImpl, messages included;
// waiting itself is pinned by run-once.test.ts and the time tests.

import { describe, expect, it } from 'vitest';
import { EventLoop, ValueError } from '../../src/index.js';
import { KeyError, RuntimeError } from '../../src/errors/exceptions.js';
import { EVENT_READ, EVENT_WRITE } from '../../src/events/selector.js';

const file = (fd: number): { fileno(): number } => ({ fileno: () => fd });

describe('VirtualSelector', () => {
  it('registers a file object by its descriptor and returns its key', () => {
    const selector = new EventLoop()._selector;
    const f = file(5);
    const key = selector.register(f, EVENT_READ, 'reader');
    expect(key).toEqual({ fileobj: f, fd: 5, events: EVENT_READ, data: 'reader' });
    expect(selector.getKey(f)).toBe(key);
    expect(selector.getKey(5)).toBe(key);
  });

  it('refuses invalid events, file objects and descriptors, and a second registration', () => {
    const selector = new EventLoop()._selector;
    expect(() => selector.register(3, 0)).toThrow(ValueError);
    expect(() => selector.register(3, 4)).toThrow(/^Invalid events: 4$/);
    expect(() => selector.register({} as never, EVENT_READ)).toThrow(/^Invalid file object: /);
    expect(() => selector.register(-1, EVENT_READ)).toThrow(/^Invalid file descriptor: -1$/);
    selector.register(3, EVENT_READ);
    expect(() => selector.register(3, EVENT_WRITE)).toThrow(KeyError);
    expect(() => selector.register(3, EVENT_WRITE)).toThrow(/^'3 \(FD 3\) is already registered'$/);
  });

  it('modifies the events (a new registration) or only the data of a key', () => {
    const selector = new EventLoop()._selector;
    const first = selector.register(4, EVENT_READ, 'a');
    expect(selector.modify(4, EVENT_READ, 'a')).toBe(first);
    const withData = selector.modify(4, EVENT_READ, 'b');
    expect(withData).toEqual({ fileobj: 4, fd: 4, events: EVENT_READ, data: 'b' });
    const both = selector.modify(4, EVENT_READ | EVENT_WRITE, 'c');
    expect(both).toEqual({ fileobj: 4, fd: 4, events: EVENT_READ | EVENT_WRITE, data: 'c' });
    expect(selector.getKey(4)).toBe(both);
  });

  it('unregisters a key once; an unknown file object is a KeyError', () => {
    const selector = new EventLoop()._selector;
    const key = selector.register(6, EVENT_WRITE);
    expect(selector.unregister(6)).toBe(key);
    expect(() => selector.unregister(6)).toThrow(/^'6 is not registered'$/);
    expect(() => selector.modify(6, EVENT_READ)).toThrow(/^'6 is not registered'$/);
    expect(() => selector.getKey(6)).toThrow(/^'6 is not registered'$/);
  });

  it('finds a file object that lost its descriptor by identity, to unregister it', () => {
    const selector = new EventLoop()._selector;
    let fd = 7;
    const f = { fileno: () => fd };
    const key = selector.register(f, EVENT_READ);
    fd = -1;
    expect(selector.unregister(f)).toBe(key);
  });

  it('drops its registrations when the loop closes, and then refuses getKey', () => {
    const loop = new EventLoop();
    loop._selector.register(8, EVENT_READ);
    loop.close();
    expect(() => loop._selector.getKey(8)).toThrow(RuntimeError);
    expect(() => loop._selector.getKey(8)).toThrow(/^Selector is closed$/);
  });

  it('reports no ready file object from a wait: nothing simulates I/O readiness yet', () => {
    const loop = new EventLoop();
    loop._selector.register(9, EVENT_READ);
    loop.callLater(1, () => loop.stop());
    const events: unknown[] = [];
    const select = loop._selector.select.bind(loop._selector);
    loop._selector.select = (timeout) => {
      const ready = select(timeout);
      events.push(...ready);
      return ready;
    };
    loop.runForever();
    expect(events).toEqual([]);
    expect(loop.time()).toBe(1);
    loop.close();
  });
});
