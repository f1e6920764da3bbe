// Differential programs over the simulated network: each is written once in Python (run
// by CPython 3.13.2 over the network's twin, net_twin.py) and once in TypeScript (run by
// aiosim); both print lines `time what…` that are compared whole.

import { beforeEach, describe, expect, it } from 'vitest';
import { getRunningLoop, run, socket, type Coro } from '../../src/index.js';
import { pyFloat, pyNumber, repr, reprTuple } from '../../src/format/py-repr.js';
import { _resetNetwork, network } from '../../src/net/network.js';
import { world } from '../../src/runtime/world.js';
import { joinBytes } from '../../src/transports/transports.js';
import { runNetPython } from '../scenario/oracle/cpython.js';

/** Bytes of an ASCII string. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A Python list (printed `[…]`; a plain array prints as a tuple). */
export class PyList {
  constructor(readonly items: readonly unknown[]) {}
}

/** Python's str() of what the programs print. */
export function str(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return pyNumber(x);
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (x instanceof PyList) return `[${x.items.map(itemRepr).join(', ')}]`;
  if (Array.isArray(x)) return reprTuple(x);
  if (x instanceof Error) return x.message;
  return repr(x);
}

// repr() of a list's item: numbers, tuples and lists as str() prints them.
function itemRepr(x: unknown): string {
  return x instanceof PyList || Array.isArray(x) || typeof x === 'number' || typeof x === 'boolean' ? str(x) : repr(x);
}

let out: string[] = [];

/** The lines log() printed since resetNetOutput(). */
export function netOutput(): readonly string[] {
  return out;
}

/** Forget the lines printed so far. */
export function resetNetOutput(): void {
  out = [];
}

/** Concatenate byte strings (transports' joinBytes, spread). */
export const concatBytes = (...parts: Uint8Array[]): Uint8Array => joinBytes(parts);

/** Whether `data` starts with `prefix`. */
export function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > data.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

/** Print the loop's time and the parts, as the Python prelude's log() does. */
export function log(...parts: unknown[]): void {
  out.push([pyFloat(getRunningLoop().time()), ...parts.map(str)].join(' '));
}

/** `ClassName message`: an exception as the Python programs print it (`type(e).__name__, e`). */
export function errorText(e: unknown): string {
  return `${(e as Error).constructor.name} ${(e as Error).message}`;
}

/** The Python side's shared definitions. */
export const PY_PRELUDE = `
import asyncio, socket
def log(*a):
    print(asyncio.get_running_loop().time(), *a)
def err(e):
    return type(e).__name__ + ' ' + str(e)
def listener(port=8888):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
    s.bind(('127.0.0.1', port))
    s.setblocking(False)
    s.listen(100)
    return s
`;

/** A listening socket on 127.0.0.1:`port`, as the prelude's listener(). */
export function listener(port = 8888): socket.socket {
  const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, true);
  s.bind(['127.0.0.1', port]);
  s.setblocking(false);
  s.listen(100);
  return s;
}

/** One program in both languages. */
export interface NetProgram {
  readonly name: string;
  /** The loopback latencies to run it at (default: 0 and 0.01). */
  readonly latencies?: readonly number[];
  readonly python: string;
  readonly main: () => Coro<void>;
}

/** Register one test per program and latency, comparing aiosim's lines with CPython's. */
export function describePrograms(title: string, programs: readonly NetProgram[]): void {
  beforeEach(() => {
    world._reset();
    _resetNetwork();
  });
  describe(title, () => {
    for (const program of programs) {
      for (const latency of program.latencies ?? [0, 0.01]) {
        it(`${program.name} (loopback latency ${latency})`, async () => {
          const expected = await runNetPython(`${PY_PRELUDE}\n${program.python}\nasyncio.run(main())\n`, latency);
          network.loopbackLatency = latency;
          out = [];
          try {
            run(program.main());
          } catch (e) {
            out.push(`raised ${errorText(e)}`);
          }
          expect(out.length).toBeGreaterThan(0);
          expect(out.join('\n')).toBe(expected.trimEnd());
          if (process.env.SHOW_NET_TRACES) console.log(expected);
        });
      }
    }
  });
}
