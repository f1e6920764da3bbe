// A stand-in socket for ports of CPython's test_selector_events, which drive the
// transports with `mock.Mock(socket.socket)` (fd 7): each method is a vitest spy whose
// result a test sets, and a recording protocol stands for `make_test_protocol`.

import { vi } from 'vitest';
import { BlockingIOError } from '../../src/errors/exceptions.js';
import type { Handle } from '../../src/events/handle.js';
import { AF_INET, SOCK_STREAM } from '../../src/net/constants.js';
import type { Socket } from '../../src/net/socket.js';
import type { EventLoop } from '../../src/loop/event-loop.js';
import { BufferedProtocol, DatagramProtocol, Protocol } from '../../src/transports/protocols.js';

const wouldBlock = (): never => {
  throw new BlockingIOError(11, 'Resource temporarily unavailable');
};

/** A socket whose every call is a spy (CPython's `mock.Mock(socket.socket)` with fileno 7). */
export class StubSocket {
  family = AF_INET;
  type = SOCK_STREAM;
  proto = 0;
  send = vi.fn((data: Uint8Array): number => data.length);
  sendmsg = vi.fn((buffers: Uint8Array[]): number => buffers.reduce((n, b) => n + b.length, 0));
  sendto = vi.fn((data: Uint8Array, _addr?: unknown): number => data.length);
  recv = vi.fn((_n: number): Uint8Array => wouldBlock());
  recvInto = vi.fn((_buf: Uint8Array): number => wouldBlock());
  recvfrom = vi.fn((_n: number): [Uint8Array, unknown] => wouldBlock());
  shutdown = vi.fn();
  close = vi.fn();
  setsockopt = vi.fn();
  getsockopt = vi.fn(() => 0);
  fileno = vi.fn(() => 7);
  getsockname = vi.fn((): unknown => ['0.0.0.0', 0]);
  getpeername = vi.fn((): unknown => ['1.2.3.4', 5]);

  /** This stand-in typed as the socket the transports take. */
  get asSocket(): Socket {
    return this as unknown as Socket;
  }
}

/** The calls a recording protocol received, `[name, ...args]`. */
export type Calls = unknown[][];

function recording<T extends object>(base: T, calls: Calls, names: readonly string[]): T {
  for (const name of names) {
    Object.defineProperty(base, name, {
      value: (...args: unknown[]) => {
        calls.push([name, ...args]);
        return (base as Record<string, unknown>)[`${name}Result`];
      },
      writable: true,
    });
  }
  return base;
}

const BASE = ['connectionMade', 'connectionLost', 'pauseWriting', 'resumeWriting'];

/** A Protocol recording its calls (CPython's `make_test_protocol(asyncio.Protocol)`). */
export function recordingProtocol(calls: Calls): Protocol & { eofReceivedResult?: unknown } {
  return recording(new Protocol(), calls, [...BASE, 'dataReceived', 'eofReceived']);
}

/** A BufferedProtocol recording its calls, lending `buf` (a one-byte buffer by default). */
export function recordingBufferedProtocol(calls: Calls, buf = new Uint8Array(1)): BufferedProtocol & { getBufferResult?: unknown } {
  const p = recording(new BufferedProtocol(), calls, [...BASE, 'bufferUpdated', 'eofReceived']) as BufferedProtocol & { getBufferResult?: unknown };
  Object.defineProperty(p, 'getBuffer', {
    value: (hint: number) => {
      calls.push(['getBuffer', hint]);
      return p.getBufferResult === undefined ? buf : p.getBufferResult;
    },
    writable: true,
  });
  return p;
}

/** A DatagramProtocol recording its calls. */
export function recordingDatagramProtocol(calls: Calls): DatagramProtocol {
  return recording(new DatagramProtocol(), calls, [...BASE, 'datagramReceived', 'errorReceived']);
}

/** The reader's handle registered for `fd`, if any (CPython's test loop `readers[fd]`). */
export function readerOf(loop: EventLoop, fd = 7): Handle | undefined {
  return (loop._selector.lookup(fd)?.data as [Handle | undefined, Handle | undefined] | undefined)?.[0];
}

/** The writer's handle registered for `fd`, if any. */
export function writerOf(loop: EventLoop, fd = 7): Handle | undefined {
  return (loop._selector.lookup(fd)?.data as [Handle | undefined, Handle | undefined] | undefined)?.[1];
}

/** Run one iteration of `loop` (CPython's test_utils.run_briefly). */
export function runBriefly(loop: EventLoop): void {
  loop.runUntilComplete((function* runBriefly() {
    yield;
  })());
}

/** The buffered chunks as strings. */
export function bufferText(buffer: Iterable<Uint8Array>): string[] {
  return [...buffer].map((b) => new TextDecoder().decode(b));
}
