// A closed loop's I/O objects left open, finalised at its collection point as CPython's
// finalizers do when it frees them: the StreamWriters over open transports
// (`ResourceWarning: loop is closed`), the listening sockets of servers never closed and
// each stream transport's socket (`ResourceWarning: unclosed <socket.socket fd=7, …>`,
// then closed), the transports (`ResourceWarning: unclosed transport <…>`, socket closed).
// asyncio: StreamWriter.__del__, socket.socket.__del__ (sock_finalize), _SelectorTransport.__del__

import { objectId, repr } from '../format/py-repr.js';
import { ResourceWarning, _warnAt, warningSite } from '../log/warnings.js';
import type { Socket } from '../net/socket.js';
import { SelectorSocketTransport } from '../transports/socket-transport.js';
import type { EventLoop } from './event-loop.js';
import { _unraisable } from './unraisable.js';

type Report = { seq: number; report: () => void };

// The listening sockets each loop has served (start_serving), in the order it began.
const served = new WeakMap<object, Socket[]>();

/** @internal `loop` accepts connections on `sock` (its `_start_serving`). */
export function _socketServed(loop: object, sock: Socket): void {
  let list = served.get(loop);
  if (list === undefined) served.set(loop, (list = []));
  if (!list.includes(sock)) list.push(sock);
}

/**
 * @internal Finalise `sock` as socket.__del__ does: an open socket warns (still open, so
 * that its repr has its addresses), then is closed, even when a filter made the warning an
 * error (printed as unraisable: `Exception ignored in: <socket.socket …>`).
 */
export function _finalizeSocket(sock: Socket): void {
  if (sock._closed) return;
  const { filename, lineno } = warningSite([]);
  try {
    _warnAt(`unclosed ${repr(sock)}`, ResourceWarning, filename, lineno, { registry: true, program: false });
  } catch (e) {
    _unraisable(repr(sock), e);
  }
  sock.close();
}

// A __del__ whose warning a filter made an error: unraisable, and the object stays as it is.
const finalizer = (cls: string, obj: object): (() => void) => () => {
  try {
    (obj as { _collect(): void })._collect();
  } catch (e) {
    _unraisable(`<function ${cls}.__del__ at ${objectId(obj)}>`, e);
  }
};

/**
 * @internal The reports of `loop.close()` for its I/O objects left open, in CPython's
 * order on the twin: writers, servers' sockets, transports, each kind in creation order.
 *
 * A closed loop's objects are unreachable for the simulation (no reader, writer or
 * callback of it runs again); CPython frees them when the program lets go of them. A
 * server and its sockets go once the loop no longer watches them. A stream transport
 * holds a bound method of its own (a cycle), so the collector frees it with its socket,
 * whose finalizer runs first; a datagram transport is freed at once and closes its socket
 * itself. Writers, not sorted with the rest, come first.
 */
export function _unclosedIo(loop: EventLoop): Report[] {
  // A loop that made no transport and served no socket (most): nothing to build.
  if (loop._transports.size === 0 && !served.has(loop)) return [];
  const open = [...loop._transports.values()].filter((t) => t._sock !== undefined).sort((a, b) => a._seq - b._seq);
  const writers = open.flatMap((t) => (t._streamWriter === undefined ? [] : [t._streamWriter])).sort((a, b) => a._seq - b._seq);
  const sockets = served.get(loop) ?? [];
  served.delete(loop);
  return [
    ...writers.map((w) => ({ seq: w._seq, report: finalizer('StreamWriter', w) })),
    ...sockets.map((sock, seq) => ({ seq, report: () => _finalizeSocket(sock) })),
    ...open.map((t) => ({
      seq: t._seq,
      report() {
        if (t instanceof SelectorSocketTransport) _finalizeSocket(t._sock!);
        finalizer('_SelectorTransport', t)();
      },
    })),
  ];
}
