// The loop's low-level socket coroutines: each tries the operation at once and, when the
// socket would block, registers a reader or writer whose callback tries again until the
// future is done; the future's done callback removes the reader or writer (also when the
// awaiting task is cancelled).
// asyncio: selector_events.BaseSelectorEventLoop.sock_recv … sock_accept, base_events._ensure_resolved

import { BlockingIOError, KeyboardInterrupt, osError, SystemExit, ValueError } from '../errors/exceptions.js';
import { boundMethod } from '../format/named.js';
import { partial } from '../format/format-callback.js';
import { reprTuple } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import type { Handle } from '../events/handle.js';
import { parseIPv4, parseIPv6, type SockAddr } from '../net/address.js';
import { AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, SO_ERROR, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET } from '../net/constants.js';
import type { AddrInfo } from '../net/resolver.js';
import type { Socket } from '../net/socket.js';
import type { Coro } from '../task/coroutine.js';
import type { EventLoop } from './event-loop.js';
import { addReader, addWriter, ensureFdNoTransport } from './readers-writers.js';

// asyncio: the debug-mode check of every sock_* method.
function checkNonBlocking(loop: EventLoop, sock: Socket): void {
  if (loop._debug && sock.gettimeout() !== 0) throw new ValueError('the socket must be non-blocking');
}

// Python's `except (BlockingIOError, InterruptedError)`.
const wouldBlock = (e: unknown): boolean => e instanceof BlockingIOError;

// What a reader's or writer's callback does with a call's outcome: done, or try again.
function settle<T>(fut: Future<T>, attempt: () => T): void {
  if (fut.done()) return;
  let result: T;
  try {
    result = attempt();
  } catch (e) {
    if (wouldBlock(e)) return;
    if (e instanceof SystemExit || e instanceof KeyboardInterrupt) throw e;
    fut.setException(e);
    return;
  }
  fut.setResult(result);
}

// Register `sock` for reading with `callback` until `fut` is done.
function waitReadable<T>(loop: EventLoop, fut: Future<T>, sock: Socket, callback: (...args: any[]) => void, args: unknown[]): void {
  const fd = sock.fileno();
  ensureFdNoTransport(loop, fd);
  const handle = addReader(loop, fd, callback, args);
  fut.addDoneCallback(partial(callbacks(loop).readDone, fd, handle));
}

function waitWritable<T>(loop: EventLoop, fut: Future<T>, sock: Socket, callback: (...args: any[]) => void, args: unknown[]): void {
  const fd = sock.fileno();
  ensureFdNoTransport(loop, fd);
  const handle = addWriter(loop, fd, callback, args);
  fut.addDoneCallback(partial(callbacks(loop).writeDone, fd, handle));
}

// The loop's bound methods the sock_* coroutines register, made once per loop (a repr
// names them as CPython names its bound methods).
interface Callbacks {
  readonly readDone: (fd: number, handle: Handle, fut: unknown) => void;
  readonly writeDone: (fd: number, handle: Handle, fut: unknown) => void;
  readonly recv: (f: Future<Uint8Array>, s: Socket, k: number) => void;
  readonly recvInto: (f: Future<number>, s: Socket, b: Uint8Array) => void;
  readonly recvfrom: (f: Future<[Uint8Array, SockAddr]>, s: Socket, k: number) => void;
  readonly recvfromInto: (f: Future<[number, SockAddr]>, s: Socket, b: Uint8Array, k: number) => void;
  readonly accept: (f: Future<[Socket, SockAddr]>, s: Socket) => void;
}
const callbacksOf = new WeakMap<EventLoop, Callbacks>();

function callbacks(loop: EventLoop): Callbacks {
  let cbs = callbacksOf.get(loop);
  if (cbs !== undefined) return cbs;
  cbs = {
    // asyncio: BaseSelectorEventLoop._sock_read_done / _sock_write_done (handle: a keyword in CPython).
    readDone: boundMethod('BaseSelectorEventLoop._sock_read_done', (fd: number, handle: Handle) => {
      if (!handle.cancelled()) loop.removeReader(fd);
    }),
    writeDone: boundMethod('BaseSelectorEventLoop._sock_write_done', (fd: number, handle: Handle) => {
      if (!handle.cancelled()) loop.removeWriter(fd);
    }),
    recv: boundMethod('BaseSelectorEventLoop._sock_recv', (f: Future<Uint8Array>, s: Socket, k: number) => settle(f, () => s.recv(k))),
    recvInto: boundMethod('BaseSelectorEventLoop._sock_recv_into', (f: Future<number>, s: Socket, b: Uint8Array) => settle(f, () => s.recvInto(b))),
    recvfrom: boundMethod('BaseSelectorEventLoop._sock_recvfrom', (f: Future<[Uint8Array, SockAddr]>, s: Socket, k: number) => settle(f, () => s.recvfrom(k))),
    recvfromInto: boundMethod('BaseSelectorEventLoop._sock_recvfrom_into', (f: Future<[number, SockAddr]>, s: Socket, b: Uint8Array, k: number) =>
      settle(f, () => s.recvfromInto(b, k))),
    accept: boundMethod('BaseSelectorEventLoop._sock_accept', (f: Future<[Socket, SockAddr]>, s: Socket) => accept(loop, f, s)),
  };
  callbacksOf.set(loop, cbs);
  return cbs;
}

/** asyncio: BaseSelectorEventLoop.sock_recv */
export function* sockRecv(loop: EventLoop, sock: Socket, n: number): Coro<Uint8Array> {
  checkNonBlocking(loop, sock);
  try {
    return sock.recv(n);
  } catch (e) {
    if (!wouldBlock(e)) throw e;
  }
  const fut = loop.createFuture<Uint8Array>();
  waitReadable(loop, fut, sock, callbacks(loop).recv, [fut, sock, n]);
  return yield* fut;
}

/** asyncio: BaseSelectorEventLoop.sock_recv_into */
export function* sockRecvInto(loop: EventLoop, sock: Socket, buf: Uint8Array): Coro<number> {
  checkNonBlocking(loop, sock);
  try {
    return sock.recvInto(buf);
  } catch (e) {
    if (!wouldBlock(e)) throw e;
  }
  const fut = loop.createFuture<number>();
  waitReadable(loop, fut, sock, callbacks(loop).recvInto, [fut, sock, buf]);
  return yield* fut;
}

/** asyncio: BaseSelectorEventLoop.sock_recvfrom */
export function* sockRecvfrom(loop: EventLoop, sock: Socket, bufsize: number): Coro<[Uint8Array, SockAddr]> {
  checkNonBlocking(loop, sock);
  try {
    return sock.recvfrom(bufsize);
  } catch (e) {
    if (!wouldBlock(e)) throw e;
  }
  const fut = loop.createFuture<[Uint8Array, SockAddr]>();
  waitReadable(loop, fut, sock, callbacks(loop).recvfrom, [fut, sock, bufsize]);
  return yield* fut;
}

/** asyncio: BaseSelectorEventLoop.sock_recvfrom_into */
export function* sockRecvfromInto(loop: EventLoop, sock: Socket, buf: Uint8Array, nbytes = 0): Coro<[number, SockAddr]> {
  checkNonBlocking(loop, sock);
  if (!nbytes) nbytes = buf.length;
  try {
    return sock.recvfromInto(buf, nbytes);
  } catch (e) {
    if (!wouldBlock(e)) throw e;
  }
  const fut = loop.createFuture<[number, SockAddr]>();
  waitReadable(loop, fut, sock, callbacks(loop).recvfromInto, [fut, sock, buf, nbytes]);
  return yield* fut;
}

/** asyncio: BaseSelectorEventLoop.sock_sendall */
export function* sockSendall(loop: EventLoop, sock: Socket, data: Uint8Array): Coro<void> {
  checkNonBlocking(loop, sock);
  let n = 0;
  try {
    n = sock.send(data);
  } catch (e) {
    if (!wouldBlock(e)) throw e;
  }
  if (n === data.length) return;
  const fut = loop.createFuture<void>();
  // CPython keeps the position in a one-item list the callback updates.
  const pos = [n];
  waitWritable(loop, fut, sock, sendallCallback, [fut, sock, data, pos]);
  return yield* fut;
}

// asyncio: BaseSelectorEventLoop._sock_sendall
const sendallCallback = boundMethod('BaseSelectorEventLoop._sock_sendall', (f: Future<void>, s: Socket, view: Uint8Array, at: number[]): void => {
  if (f.done()) return;
  let sent: number;
  try {
    sent = s.send(view.subarray(at[0]!));
  } catch (e) {
    if (wouldBlock(e)) return;
    if (e instanceof SystemExit || e instanceof KeyboardInterrupt) throw e;
    f.setException(e);
    return;
  }
  const start = at[0]! + sent;
  if (start === view.length) f.setResult(undefined);
  else at[0] = start;
});

/** asyncio: BaseSelectorEventLoop.sock_sendto */
export function* sockSendto(loop: EventLoop, sock: Socket, data: Uint8Array, address: SockAddr): Coro<number> {
  checkNonBlocking(loop, sock);
  try {
    return sock.sendto(data, address);
  } catch (e) {
    if (!wouldBlock(e)) throw e;
  }
  const fut = loop.createFuture<number>();
  waitWritable(loop, fut, sock, sendtoCallback, [fut, sock, data, address]);
  return yield* fut;
}

// asyncio: BaseSelectorEventLoop._sock_sendto
const sendtoCallback = boundMethod('BaseSelectorEventLoop._sock_sendto', (f: Future<number>, s: Socket, d: Uint8Array, a: SockAddr): void =>
  settle(f, () => s.sendto(d, 0, a)));

/** asyncio: BaseSelectorEventLoop.sock_connect */
export function* sockConnect(loop: EventLoop, sock: Socket, address: SockAddr): Coro<void> {
  checkNonBlocking(loop, sock);
  if (sock.family === AF_INET || sock.family === AF_INET6) {
    const resolved = yield* ensureResolved(loop, address, sock.family, sock.type, sock.proto);
    address = resolved[0]![4];
  }
  const fut = loop.createFuture<void>();
  const fd = sock.fileno();
  try {
    sock.connect(address);
    fut.setResult(undefined);
  } catch (e) {
    if (e instanceof SystemExit || e instanceof KeyboardInterrupt) throw e;
    if (!wouldBlock(e)) fut.setException(e);
    else {
      ensureFdNoTransport(loop, fd);
      const handle = addWriter(loop, fd, connectCallback, [fut, sock, address]);
      fut.addDoneCallback(partial(callbacks(loop).writeDone, fd, handle));
    }
  }
  return yield* fut;
}

// asyncio: BaseSelectorEventLoop._sock_connect_cb
const connectCallback = boundMethod('BaseSelectorEventLoop._sock_connect_cb', (fut: Future<void>, sock: Socket, address: SockAddr): void => {
  settle(fut, () => {
    const err = sock.getsockopt(SOL_SOCKET, SO_ERROR);
    if (err !== 0) throw osError(err, `Connect call failed ${reprTuple(address)}`);
  });
});

/** asyncio: BaseSelectorEventLoop.sock_accept */
export function* sockAccept(loop: EventLoop, sock: Socket): Coro<[Socket, SockAddr]> {
  checkNonBlocking(loop, sock);
  const fut = loop.createFuture<[Socket, SockAddr]>();
  accept(loop, fut, sock);
  return yield* fut;
}

// asyncio: BaseSelectorEventLoop._sock_accept (its own reader callback).
function accept(loop: EventLoop, fut: Future<[Socket, SockAddr]>, sock: Socket): void {
  const fd = sock.fileno();
  let result: [Socket, SockAddr];
  try {
    result = sock.accept();
    result[0].setblocking(false);
  } catch (e) {
    if (e instanceof SystemExit || e instanceof KeyboardInterrupt) throw e;
    if (!wouldBlock(e)) {
      fut.setException(e);
      return;
    }
    ensureFdNoTransport(loop, fd);
    const handle = addReader(loop, fd, callbacks(loop).accept, [fut, sock]);
    fut.addDoneCallback(partial(callbacks(loop).readDone, fd, handle));
    return;
  }
  fut.setResult(result);
}

// asyncio: base_events._ipaddr_info: an address that is an IP literal needs no lookup.
function ipaddrInfo(host: unknown, port: unknown, family: number, type: number, proto: number, rest: readonly unknown[]): AddrInfo | undefined {
  if ((proto !== 0 && proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) || host === null || host === undefined) return undefined;
  if (type === SOCK_STREAM) proto = IPPROTO_TCP;
  else if (type === SOCK_DGRAM) proto = IPPROTO_UDP;
  else return undefined;
  // asyncio: None, b'' and '' are port 0; anything else goes through int(), and a port
  // int() refuses (a service name like 'http') is left to getaddrinfo.
  const portText = port instanceof Uint8Array ? asciiText(port) : port;
  const portNumber = portText === null || portText === undefined || portText === '' ? 0 : pythonInt(portText);
  if (portNumber === undefined) return undefined;
  // asyncio: a bytes host is decoded (host.decode('idna'): ASCII for an IP literal).
  if (host instanceof Uint8Array) host = asciiText(host);
  if (typeof host !== 'string') return undefined;
  const families = family === 0 ? [AF_INET, AF_INET6] : [family];
  for (const af of families) {
    if (af === AF_INET && parseIPv4(host) !== undefined) return [af, type, proto, '', [host, portNumber]];
    const v6 = af === AF_INET6 ? parseIPv6(host) : undefined;
    if (v6 !== undefined) return [af, type, proto, '', [host, portNumber, Number(rest[0] ?? 0), Number(rest[1] ?? 0)]];
  }
  return undefined;
}

// The text of ASCII bytes.
function asciiText(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

// Python's int() of a port: an integer, or a decimal string (surrounding whitespace, a
// sign and single underscores between digits allowed); undefined where int() raises.
function pythonInt(port: unknown): number | undefined {
  if (typeof port === 'number') return Number.isFinite(port) ? Math.trunc(port) : undefined;
  if (typeof port !== 'string' || !/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(port)) return undefined;
  return Number(port.replace(/_/g, ''));
}

/** asyncio: BaseEventLoop._ensure_resolved */
export function* ensureResolved(loop: EventLoop, address: SockAddr, family: number, type: number, proto: number, flags = 0): Coro<AddrInfo[]> {
  const [host, port, ...rest] = address;
  const info = ipaddrInfo(host, port, family, type, proto, rest);
  if (info !== undefined) return [info];
  return yield* loop.getaddrinfo(host, port, { family, type, proto, flags });
}
