// The state of a run's network objects and what every network handler shares: the bytes
// sized writes take, how bytes, addresses and exceptions show in the trace, references to
// connections, servers, endpoints and ports, and the logging of an operation's outcome.
// net_state.py is the twin.

import {
  IncompleteReadError, isException, LimitOverrunError, repr,
  type Coro, type DatagramProtocol, type DatagramTransport, type Server, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import type { Interp, Returned } from './interp.js';
import type { Data, PortRef } from './language.js';

export const HOST = '127.0.0.1';
// Bytes shown whole up to this length; longer ones as their length and CRC-32.
const SHOWN = 32;

// The bytes sized writes take: a pseudo-random text of lowercase lines (LCG), as net.py's CYCLE.
const CYCLE: Uint8Array = (() => {
  const out = new Uint8Array(4099);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    const r = x >>> 16;
    out[i] = r % 23 === 0 ? 10 : 97 + (r % 26);
  }
  return out;
})();

/** A connection: its reader and writer. */
export type Conn = readonly [StreamReader, StreamWriter];
/** A datagram endpoint: its transport and protocol. */
export type Endpoint = readonly [DatagramTransport, DatagramProtocol];

/** A run's network objects (net_state.py's NetState). */
export interface NetState {
  readonly conns: Map<string, Conn>;
  readonly servers: Map<string, Server>;
  readonly endpoints: Map<string, Endpoint>;
  /** Everything made, kept until the run ends. */
  readonly made: unknown[];
  /** Sized writes take the next bytes of one stream of CYCLE, in the order they run. */
  offset: number;
  readonly accepted: Map<string, number>;
}

const states = new WeakMap<Interp, NetState>();

export function stateOf(interp: Interp): NetState {
  let s = states.get(interp);
  if (s === undefined) {
    s = { conns: new Map(), servers: new Map(), endpoints: new Map(), made: [], offset: 0, accepted: new Map() };
    states.set(interp, s);
  }
  return s;
}

const CRC_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** zlib.crc32 */
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Python's repr of bytes, or its length and CRC-32 for long ones. */
export function show(data: Uint8Array): string {
  if (data.length <= SHOWN) return repr(data);
  return `<${data.length} bytes crc32 ${crc32(data).toString(16).padStart(8, '0')}>`;
}

/** A string's code points as bytes (Python's str.encode('latin-1')). */
export const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** The bytes of a data spec: a size (the next bytes of the run's stream) or a string. */
export function payload(interp: Interp, spec: Data): Uint8Array {
  if (typeof spec === 'string') return latin1(spec);
  const s = stateOf(interp);
  const out = new Uint8Array(spec);
  for (let i = 0, at = s.offset % CYCLE.length; i < spec; at = 0) {
    const chunk = CYCLE.subarray(at, Math.min(CYCLE.length, at + spec - i));
    out.set(chunk, i);
    i += chunk.length;
  }
  s.offset += spec;
  return out;
}

export const address = (addr: unknown): string => {
  const [host, port] = addr as [string, number];
  return `${host}:${port}`;
};

/** An exception as the trace shows it, with what IncompleteReadError and LimitOverrunError carry. */
export function failed(e: unknown): string {
  let text = `raised ${repr(e)}`;
  if (e instanceof IncompleteReadError) text += ` partial=${show(e.partial)}`;
  else if (e instanceof LimitOverrunError) text += ` consumed=${e.consumed}`;
  return text;
}

/** A port: a number, or the label of a server or endpoint (its bound port); undefined when missing (logged). */
export function portOf(interp: Interp, target: PortRef, who: string): number | undefined {
  if (typeof target === 'number') return target;
  const s = stateOf(interp);
  const srv = s.servers.get(target);
  if (srv !== undefined) return (srv.sockets[0]!.getsockname() as [string, number])[1];
  const ep = s.endpoints.get(target);
  if (ep !== undefined) return (ep[0].getExtraInfo('sockname') as [string, number])[1];
  interp.present(false, who, target);
  return undefined;
}

/** The connection `label` ('@': the one the current body serves), or undefined (logged missing). */
export function conn(interp: Interp, label: string, who: string): Conn | undefined {
  const c = stateOf(interp).conns.get(label === '@' ? who : label);
  interp.present(c !== undefined, who, label);
  return c;
}

export function named<T>(table: Map<string, T>, interp: Interp, label: string, who: string): T | undefined {
  const obj = table.get(label);
  interp.present(obj !== undefined, who, label);
  return obj;
}

/** Log `head` and what shown makes of call()'s result, or the exception it raised. */
export function* logged<T>(interp: Interp, who: string, head: string, call: () => Coro<T>, shown: (r: T) => string): Coro<Returned> {
  let r: T;
  try {
    r = yield* call();
  } catch (e) {
    if (!isException(e)) throw e;
    interp.log(who, `${head} ${failed(e)}`);
    return undefined;
  }
  interp.log(who, `${head}${shown(r)}`);
  return undefined;
}

/** As logged(), for a call that does not suspend. */
export function done<T>(interp: Interp, who: string, head: string, call: () => T, shown: (r: T) => string): void {
  let r: T;
  try {
    r = call();
  } catch (e) {
    if (!isException(e)) throw e;
    interp.log(who, `${head} ${failed(e)}`);
    return;
  }
  interp.log(who, `${head}${shown(r)}`);
}

export const arrowData = (r: Uint8Array): string => ` -> ${show(r)}`;
export const arrow = (r: unknown): string => ` -> ${repr(r)}`;
export const nothing = (): string => '';
