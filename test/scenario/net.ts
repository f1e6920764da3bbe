// The network in scenarios (language.ts, "The network"): servers, client connections and
// their streams, datagram endpoints, on aiosim's simulated network. net.py is the twin,
// handler for handler; actions.ts and steps.ts take these handlers into their tables.
//
// Every operation logs its result, or the exception it raised (an ordinary exception: a
// CancelledError propagates) and goes on. A run's connections, servers and endpoints stay
// referenced until the run ends, as net.py keeps them.

// Only actions.ts and steps.ts import this module (into their tables), as agens.ts is
// imported: importing it first would evaluate actions.ts before NET_ACTIONS exists.

import {
  DatagramProtocol, IncompleteReadError, isException, LimitOverrunError, openConnection, repr, startServer,
  type Coro, type DatagramTransport, type Server, type StreamReader, type StreamWriter,
} from '../../src/index.js';
import { run_body, type Frame, type Interp, type Returned } from './interp.js';
import type { Data, NetAction, NetStep, PortRef } from './language.js';

const HOST = '127.0.0.1';
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

type Conn = readonly [StreamReader, StreamWriter];
type Endpoint = readonly [DatagramTransport, EndpointProtocol];

interface NetState {
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

function stateOf(interp: Interp): NetState {
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
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** The bytes of a data spec: a size (the next bytes of the run's stream) or a string. */
function payload(interp: Interp, spec: Data): Uint8Array {
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

const address = (addr: unknown): string => {
  const [host, port] = addr as [string, number];
  return `${host}:${port}`;
};

/** An exception as the trace shows it, with what IncompleteReadError and LimitOverrunError carry. */
function failed(e: unknown): string {
  let text = `raised ${repr(e)}`;
  if (e instanceof IncompleteReadError) text += ` partial=${show(e.partial)}`;
  else if (e instanceof LimitOverrunError) text += ` consumed=${e.consumed}`;
  return text;
}

/** A port: a number, or the label of a server or endpoint (its bound port); undefined when missing (logged). */
function portOf(interp: Interp, target: PortRef, who: string): number | undefined {
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
function conn(interp: Interp, label: string, who: string): Conn | undefined {
  const c = stateOf(interp).conns.get(label === '@' ? who : label);
  interp.present(c !== undefined, who, label);
  return c;
}

/**
 * Whether the transport's socket is gone without a lost connection counted, as net.py's
 * gone(): CPython 3.13 then raises AttributeError from write() and abort(). Not run.
 */
function gone(writer: StreamWriter): boolean {
  const t = writer.transport as unknown as { _sock: unknown; _connLost: number };
  return t._sock === undefined && !t._connLost;
}

function named<T>(table: Map<string, T>, interp: Interp, label: string, who: string): T | undefined {
  const obj = table.get(label);
  interp.present(obj !== undefined, who, label);
  return obj;
}

function* logged<T>(interp: Interp, who: string, head: string, call: () => Coro<T>, shown: (r: T) => string): Coro<Returned> {
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

function done<T>(interp: Interp, who: string, head: string, call: () => T, shown: (r: T) => string): void {
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

const arrowData = (r: Uint8Array): string => ` -> ${show(r)}`;
const arrow = (r: unknown): string => ` -> ${repr(r)}`;
const nothing = (): string => '';

// Python's repr of None or an int.
const reprOpt = (n: number | null): string => (n === null ? 'None' : String(n));

// Python's repr of a tuple of bytes.
const reprSeps = (seps: readonly Uint8Array[]): string => `(${seps.map((s) => repr(s)).join(', ')}${seps.length === 1 ? ',' : ''})`;

// ---- servers and connections -------------------------------------------------------------

/**
 * start_server's client_connected_cb for server `label`: the connection becomes
 * `<label>.<k>`, served by body b (a task) when the budget allows.
 */
function onClient(interp: Interp, label: string, b: number): (reader: StreamReader, writer: StreamWriter) => unknown {
  const s = stateOf(interp);
  return (reader, writer) => {
    const k = s.accepted.get(label) ?? 0;
    s.accepted.set(label, k + 1);
    const name = `${label}.${k}`;
    s.conns.set(name, [reader, writer]);
    s.made.push([reader, writer]);
    interp.log(name, `accepted from ${address(writer.getExtraInfo('peername'))}`);
    if (!interp.spend(name, 'conn')) return undefined;
    return run_body(interp, b, name);
  };
}

/** Logs what the transport tells it, under the endpoint's label. */
class EndpointProtocol extends DatagramProtocol {
  constructor(
    readonly interp: Interp,
    readonly label: string,
  ) {
    super();
  }

  override datagramReceived(data: Uint8Array, addr: unknown): void {
    this.interp.log(this.label, `datagram ${show(data)} from ${address(addr)}`);
  }

  override errorReceived(exc: unknown): void {
    this.interp.log(this.label, `error ${repr(exc)}`);
  }

  override connectionLost(exc: unknown): void {
    this.interp.log(this.label, `lost ${repr(exc ?? null)}`);
  }
}

type NetStepTable = { readonly [K in NetStep[0]]: (interp: Interp, frame: Frame, op: Extract<NetStep, readonly [K, ...unknown[]]>) => Coro<Returned> };
type NetActionTable = { readonly [K in NetAction[0]]: (interp: Interp, frame: Frame, op: Extract<NetAction, readonly [K, ...unknown[]]>) => void };

const limitOption = (limit: number | null): { limit?: number } => (limit === null ? {} : { limit });

export const NET_STEPS: NetStepTable = {
  *serve(interp, { who }, [, label, b, port, limit]) {
    if (!interp.bodyOk(b, who)) return undefined;
    return yield* logged(
      interp,
      who,
      `serve ${label}`,
      function* () {
        const srv = yield* startServer(onClient(interp, label, b), HOST, port, limitOption(limit));
        stateOf(interp).servers.set(label, srv);
        stateOf(interp).made.push(srv);
        return srv;
      },
      (srv) => ` -> ${address(srv.sockets[0]!.getsockname())}`,
    );
  },
  *connect(interp, { who }, [, label, target, limit]) {
    const port = portOf(interp, target, who);
    if (port === undefined) return undefined;
    return yield* logged(
      interp,
      who,
      `connect ${label}`,
      function* () {
        const [reader, writer] = yield* openConnection(HOST, port, limitOption(limit));
        stateOf(interp).conns.set(label, [reader, writer]);
        stateOf(interp).made.push([reader, writer]);
        return writer;
      },
      (w) => ` -> ${address(w.getExtraInfo('sockname'))}`,
    );
  },
  *read(interp, { who }, [, label, n]) {
    const c = conn(interp, label, who);
    return c === undefined ? undefined : yield* logged(interp, who, `read ${label} ${n}`, () => c[0].read(n), arrowData);
  },
  *readline(interp, { who }, [, label]) {
    const c = conn(interp, label, who);
    return c === undefined ? undefined : yield* logged(interp, who, `readline ${label}`, () => c[0].readline(), arrowData);
  },
  *readexactly(interp, { who }, [, label, n]) {
    const c = conn(interp, label, who);
    return c === undefined ? undefined : yield* logged(interp, who, `readexactly ${label} ${n}`, () => c[0].readexactly(n), arrowData);
  },
  *readuntil(interp, { who }, [, label, sep]) {
    const c = conn(interp, label, who);
    if (c === undefined) return undefined;
    const arg = typeof sep === 'string' ? latin1(sep) : sep.map(latin1);
    const shown = arg instanceof Uint8Array ? repr(arg) : reprSeps(arg);
    return yield* logged(interp, who, `readuntil ${label} ${shown}`, () => c[0].readuntil(arg), arrowData);
  },
  *drain(interp, { who }, [, label]) {
    const c = conn(interp, label, who);
    return c === undefined ? undefined : yield* logged(interp, who, `drain ${label}`, () => c[1].drain(), nothing);
  },
  *waitClosed(interp, { who }, [, label]) {
    const c = conn(interp, label, who);
    return c === undefined ? undefined : yield* logged(interp, who, `waitClosed ${label}`, () => c[1].waitClosed(), nothing);
  },
  *serverWaitClosed(interp, { who }, [, label]) {
    const srv = named(stateOf(interp).servers, interp, label, who);
    return srv === undefined ? undefined : yield* logged(interp, who, `serverWaitClosed ${label}`, () => srv.waitClosed(), nothing);
  },
  *datagramEndpoint(interp, { who }, [, label, local, remote]) {
    const options: { localAddr?: [string, number]; remoteAddr?: [string, number] } = {};
    if (local !== null) options.localAddr = [HOST, local];
    if (remote !== null) {
      const port = portOf(interp, remote, who);
      if (port === undefined) return undefined;
      options.remoteAddr = [HOST, port];
    }
    if (local === null && remote === null) options.localAddr = [HOST, 0];
    return yield* logged(
      interp,
      who,
      `datagramEndpoint ${label}`,
      function* () {
        const [transport, protocol] = yield* interp.loop.createDatagramEndpoint(() => new EndpointProtocol(interp, label), options);
        stateOf(interp).endpoints.set(label, [transport, protocol]);
        stateOf(interp).made.push(transport);
        return transport;
      },
      (t) => ` -> ${address(t.getExtraInfo('sockname'))}`,
    );
  },
};

/** Run `call` on connection `label`'s pair, logged as `head` (or log the connection missing). */
function onConn<T>(interp: Interp, who: string, label: string, head: string, call: (c: Conn) => T, shown: (r: T) => string): void {
  const c = conn(interp, label, who);
  if (c !== undefined) done(interp, who, head, () => call(c), shown);
}

function onServer<T>(interp: Interp, who: string, label: string, name: string, call: (srv: Server) => T, shown: (r: T) => string): void {
  const srv = named(stateOf(interp).servers, interp, label, who);
  if (srv !== undefined) done(interp, who, `${name} ${label}`, () => call(srv), shown);
}

function onEndpoint(interp: Interp, who: string, label: string, name: string, call: (t: DatagramTransport) => void): void {
  const ep = named(stateOf(interp).endpoints, interp, label, who);
  if (ep !== undefined) done(interp, who, `${name} ${label}`, () => call(ep[0]), nothing);
}

export const NET_ACTIONS: NetActionTable = {
  atEof(interp, { who }, [, label]) {
    onConn(interp, who, label, `atEof ${label}`, (c) => c[0].atEof(), arrow);
  },
  write(interp, { who }, [, label, spec]) {
    const c = conn(interp, label, who);
    if (c === undefined) return;
    const data = payload(interp, spec);
    if (data.length > 0 && gone(c[1])) {
      interp.log(who, `write ${label} ${show(data)} skipped: gone`);
      return;
    }
    done(interp, who, `write ${label} ${show(data)}`, () => c[1].write(data), nothing);
  },
  writelines(interp, { who }, [, label, specs]) {
    const c = conn(interp, label, who);
    if (c === undefined) return;
    const chunks = specs.map((spec) => payload(interp, spec));
    const shown = chunks.map(show).join(', ');
    // As net.py: CPython 3.13's writelines() on a closing transport buffers the data and
    // adds a writer that never goes away (the loop spins once the fd is reused). Not run.
    if (c[1].isClosing()) {
      interp.log(who, `writelines ${label} [${shown}] skipped: closing`);
      return;
    }
    done(interp, who, `writelines ${label} [${shown}]`, () => c[1].writelines(chunks), nothing);
  },
  writeEof(interp, { who }, [, label]) {
    onConn(interp, who, label, `writeEof ${label}`, (c) => c[1].writeEof(), nothing);
  },
  close(interp, { who }, [, label]) {
    onConn(interp, who, label, `close ${label}`, (c) => c[1].close(), nothing);
  },
  isClosing(interp, { who }, [, label]) {
    onConn(interp, who, label, `isClosing ${label}`, (c) => c[1].isClosing(), arrow);
  },
  abort(interp, { who }, [, label]) {
    const c = conn(interp, label, who);
    if (c === undefined) return;
    if (gone(c[1])) {
      interp.log(who, `abort ${label} skipped: gone`);
      return;
    }
    done(interp, who, `abort ${label}`, () => c[1].transport.abort(), nothing);
  },
  setWriteBufferLimits(interp, { who }, [, label, high, low]) {
    onConn(interp, who, label, `setWriteBufferLimits ${label} ${reprOpt(high)} ${reprOpt(low)}`, (c) => c[1].transport.setWriteBufferLimits(high, low), nothing);
  },
  writeBufferSize(interp, { who }, [, label]) {
    onConn(interp, who, label, `writeBufferSize ${label}`, (c) => c[1].transport.getWriteBufferSize(), arrow);
  },
  serverClose(interp, { who }, [, label]) {
    onServer(interp, who, label, 'serverClose', (srv) => srv.close(), nothing);
  },
  closeClients(interp, { who }, [, label]) {
    onServer(interp, who, label, 'closeClients', (srv) => srv.closeClients(), nothing);
  },
  abortClients(interp, { who }, [, label]) {
    onServer(interp, who, label, 'abortClients', (srv) => srv.abortClients(), nothing);
  },
  isServing(interp, { who }, [, label]) {
    onServer(interp, who, label, 'isServing', (srv) => srv.isServing(), arrow);
  },
  sendto(interp, { who }, [, label, spec, to]) {
    const ep = named(stateOf(interp).endpoints, interp, label, who);
    if (ep === undefined) return;
    let addr: [string, number] | undefined;
    if (to !== null) {
      const port = portOf(interp, to, who);
      if (port === undefined) return;
      addr = [HOST, port];
    }
    const data = payload(interp, spec);
    const shownTo = addr === undefined ? '' : ` to ${address(addr)}`;
    done(interp, who, `sendto ${label} ${show(data)}${shownTo}`, () => ep[0].sendto(data, addr), nothing);
  },
  datagramClose(interp, { who }, [, label]) {
    onEndpoint(interp, who, label, 'datagramClose', (t) => t.close());
  },
  datagramAbort(interp, { who }, [, label]) {
    onEndpoint(interp, who, label, 'datagramAbort', (t) => t.abort());
  },
};
