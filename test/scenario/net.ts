// The network in scenarios (language.ts, "The network"): servers, client connections and
// their streams, on aiosim's simulated network (datagram endpoints: net-datagrams.ts;
// what the handlers share: net-state.ts). net.py is the twin, handler for handler;
// actions.ts and steps.ts take these handlers into their tables.
//
// Every operation logs its result, or the exception it raised (an ordinary exception: a
// CancelledError propagates) and goes on. A run's connections, servers and endpoints stay
// referenced until the run ends, as net.py keeps them.

// Only actions.ts and steps.ts import this module (into their tables), as agens.ts is
// imported: importing it first would evaluate actions.ts before NET_ACTIONS exists.

import { openConnection, repr, startServer, type Coro, type Server, type StreamReader, type StreamWriter } from '../../src/index.js';
import { run_body, type Frame, type Interp, type Returned } from './interp.js';
import type { NetAction, NetStep } from './language.js';
import { DATAGRAM_ACTIONS, DATAGRAM_STEPS } from './net-datagrams.js';
import {
  address, arrow, arrowData, conn, done, HOST, latin1, logged, named, nothing, payload, portOf, show, stateOf, type Conn,
} from './net-state.js';

/**
 * Whether the transport's socket is gone without a lost connection counted, as net.py's
 * gone(): CPython 3.13 then raises AttributeError from write() and abort(). Not run.
 */
function gone(writer: StreamWriter): boolean {
  const t = writer.transport as unknown as { _sock: unknown; _connLost: number };
  return t._sock === undefined && !t._connLost;
}

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

type NetStepTable = { readonly [K in NetStep[0]]: (interp: Interp, frame: Frame, op: Extract<NetStep, readonly [K, ...unknown[]]>) => Coro<Returned> };
type NetActionTable = { readonly [K in NetAction[0]]: (interp: Interp, frame: Frame, op: Extract<NetAction, readonly [K, ...unknown[]]>) => void };

const limitOption = (limit: number | null): { limit?: number } => (limit === null ? {} : { limit });

export const NET_STEPS: NetStepTable = {
  ...DATAGRAM_STEPS,
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

export const NET_ACTIONS: NetActionTable = {
  ...DATAGRAM_ACTIONS,
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
};
