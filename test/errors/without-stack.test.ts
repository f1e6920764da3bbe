// Exceptions raised as control flow, made without a stack trace: the helper itself, a
// non-blocking socket's would-block errors, and readline()'s end of stream.

import { beforeEach, describe, expect, it } from 'vitest';
import { BlockingIOError, IncompleteReadError, socket } from '../../src/index.js';
import { _withoutStack } from '../../src/errors/without-stack.js';
import { _resetNetwork } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';

beforeEach(() => {
  world._reset();
  _resetNetwork();
});

describe('_withoutStack', () => {
  it('makes the exception with its class and message, and a stack of its first line only', () => {
    const e = _withoutStack(() => new IncompleteReadError(new Uint8Array(2), 5));
    expect(e).toBeInstanceOf(IncompleteReadError);
    expect(e.message).toBe('2 bytes read on a total of 5 expected bytes');
    expect(e.stack).toBe('IncompleteReadError: 2 bytes read on a total of 5 expected bytes');
  });

  it('restores the stack trace limit, also when making the exception throws', () => {
    const limit = Error.stackTraceLimit;
    expect(() =>
      _withoutStack(() => {
        throw new Error('boom');
      }),
    ).toThrow(/^boom$/);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('x').stack).toMatch(/\n {4}at /);
  });
});

describe('would-block errors', () => {
  it('are BlockingIOErrors with their errno and text, made without a stack trace', () => {
    const l = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    l.setblocking(false);
    l.bind(['127.0.0.1', 8888]);
    l.listen();
    const c = new socket.socket();
    c.setblocking(false);
    const raised = (f: () => unknown): Error => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('nothing raised');
    };
    const connecting = raised(() => c.connect(['127.0.0.1', 8888]));
    expect(connecting).toBeInstanceOf(BlockingIOError);
    expect(connecting.stack).toBe('BlockingIOError: [Errno 115] Operation now in progress');
    const accepting = raised(() => l.accept());
    expect(accepting).toBeInstanceOf(BlockingIOError);
    expect(accepting.stack).toBe('BlockingIOError: [Errno 11] Resource temporarily unavailable');
    c.close();
    l.close();
  });
});
