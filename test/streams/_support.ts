// The streams' tests against CPython: each program is written once in Python and once in
// TypeScript; CPython 3.13.2's streams.py runs the Python one (in pyodide, over the
// network's twin, with `asyncio.run`) and aiosim the TypeScript one; both print the same
// lines, virtual times first, compared whole. The prelude gives both sides `log` and a
// FakeTransport that logs what is asked of it (CPython's test_streams uses mocks).

import { beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, NotImplementedError, repr, run, Transport, type BaseProtocol, type Coro } from '../../src/index.js';
import { pyFloat, pyNumber, reprTuple } from '../../src/format/py-repr.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { runNetPython } from '../scenario/oracle/cpython.js';

/** Python's bytes literal `b'…'` (ASCII text). */
export const b = (s: string): Uint8Array => new TextEncoder().encode(s);

// Python's str() of what the programs print.
function str(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return pyNumber(x);
  if (Array.isArray(x)) return reprTuple(x);
  return repr(x);
}

let out: string[] = [];

/** `print(loop.time(), *parts)`. */
export function log(...parts: unknown[]): void {
  out.push([pyFloat(getRunningLoop().time()), ...parts.map(str)].join(' '));
}

export const PY_PRELUDE = `
import asyncio, socket
from asyncio.streams import FlowControlMixin

def log(*a):
    print(asyncio.get_running_loop().time(), *a)

class FakeTransport(asyncio.Transport):
    def __init__(self, protocol=None, can_pause=True):
        super().__init__({'peername': ('127.0.0.1', 8888)})
        self.closing = False
        self.protocol = protocol
        self.can_pause = can_pause
    def __repr__(self):
        return '<FakeTransport>'
    def write(self, data):
        log('transport.write', data)
    def write_eof(self):
        log('transport.write_eof')
    def can_write_eof(self):
        return True
    def is_closing(self):
        return self.closing
    def close(self):
        log('transport.close')
        self.closing = True
        if self.protocol is not None:
            asyncio.get_running_loop().call_soon(self.protocol.connection_lost, None)
    def abort(self):
        log('transport.abort')
    def pause_reading(self):
        if not self.can_pause:
            raise NotImplementedError
        log('transport.pause_reading')
    def resume_reading(self):
        log('transport.resume_reading')
`;

/** The prelude's FakeTransport: logs what is asked of it; close() schedules connection_lost(None). */
export class FakeTransport extends Transport {
  closing = false;
  protocol: BaseProtocol | undefined;
  canPause: boolean;

  constructor(protocol?: BaseProtocol, canPause = true) {
    super({ peername: ['127.0.0.1', 8888] });
    this.protocol = protocol;
    this.canPause = canPause;
  }

  override toString(): string {
    return '<FakeTransport>';
  }

  override write(data: Uint8Array): void {
    log('transport.write', data);
  }

  override writeEof(): void {
    log('transport.write_eof');
  }

  override canWriteEof(): boolean {
    return true;
  }

  override isClosing(): boolean {
    return this.closing;
  }

  override close(): void {
    log('transport.close');
    this.closing = true;
    const protocol = this.protocol;
    if (protocol !== undefined) getRunningLoop().callSoon((exc: unknown) => protocol.connectionLost(exc), undefined);
  }

  override abort(): void {
    log('transport.abort');
  }

  override pauseReading(): void {
    if (!this.canPause) throw new NotImplementedError();
    log('transport.pause_reading');
  }

  override resumeReading(): void {
    log('transport.resume_reading');
  }
}

/** A program written twice: in Python (its `async def main()`) and in TypeScript. */
export interface Program {
  readonly name: string;
  /** The loopback latencies to run it at (default: 0). */
  readonly latencies?: readonly number[];
  readonly python: string;
  readonly main: () => Coro<void>;
}

/** One `it` per program: the TypeScript one prints what CPython prints for the Python one. */
export function differential(title: string, programs: readonly Program[], prelude = PY_PRELUDE): void {
  beforeEach(() => {
    world._reset();
    _resetNetwork();
  });
  describe(title, () => {
    for (const program of programs) {
      for (const latency of program.latencies ?? [0]) {
        it(`${program.name}${latency === 0 ? '' : ` (latency ${latency})`}`, async () => {
          const expected = await runNetPython(`${prelude}\n${program.python}\nasyncio.run(main())\n`, latency);
          network.loopbackLatency = latency;
          out = [];
          run(program.main());
          expect(out.length).toBeGreaterThan(0);
          expect(out.join('\n')).toBe(expected.trimEnd());
        });
      }
    }
  });
}
